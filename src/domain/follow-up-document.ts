import type { Party, ReportingParty } from './party.js';
import type { Target } from './agreement.js';

/**
 * The follow-up both parties sign and publish (issue #15), as plain data: what the chat flow
 * (draft, narratives, approvals, "kommunicerat till medborgarna") produces and what the document
 * renderers (Word, PDF, plain text) consume. Labels are resolved before rendering so that the
 * renderers hold no domain rules; every figure here is computed from the stored reports.
 */

/** A follow-up point: a tertial by default; a quarter, a half-year, a year or the whole period. */
export type FollowUpPeriodKind = 'tertial' | 'quarter' | 'half-year' | 'year' | 'period';

export interface FollowUpPeriod {
  kind: FollowUpPeriodKind;
  /** Machine key: "2024-T2", "2024-Q3", "2024-H1", "2024", "2023-2024". */
  key: string;
  /** Local dates, inclusive. */
  from: string;
  to: string;
}

export interface FollowUpSubcount {
  id: string;
  /** "hastighet", "nykterhet", "mobil". */
  name: string;
  count: number;
}

export interface FollowUpActivityOutcome {
  activityId: string;
  wording: string;
  unit: string;
  owner: Party;
  target: Target;
  /** The count within the follow-up period. */
  periodCount: number;
  subcounts: FollowUpSubcount[];
  /** From the start of the calendar year (or of the agreement, when later) to the period's end. */
  yearToDate: number;
  /** The part of the target due by the period's end (e.g. two thirds of 30 after tertial 2); absent without a target. */
  targetToDate?: number;
  /** Whether the target is met: for a year or period follow-up against the whole target, else against targetToDate. */
  met?: boolean;
  /** Counts per tertial of the agreement's period so far ("2023-T1" → 12), for the trend chart. */
  trend: { key: string; count: number }[];
}

export interface FollowUpPledge {
  number: number;
  wording: string;
  activities: FollowUpActivityOutcome[];
  /** Written by the coordinators on a card; empty until written. Has passed the privacy guard. */
  narrative: string;
  /**
   * The KF report (a year or the whole period): the narratives of this pledge from the signed
   * follow-ups inside it, oldest first ("2024-T1" → text). Empty for a tertial's follow-up.
   */
  signedNarratives: { periodKey: string; narrative: string }[];
}

export interface FollowUpApproval {
  party: ReportingParty;
  /** UTC instant. The approver is never named in a document: counts and places, never people. */
  at: string;
}

export type CommunicationChannel =
  'polisen.se' | 'kommunens-webbplats' | 'sociala-medier' | 'medborgardialog' | 'lokalpress' | 'annat';

export interface FollowUpCommunication {
  channel: CommunicationChannel;
  /** Local date of publication. */
  date: string;
  url?: string;
  note?: string;
}

export interface FollowUpDocument {
  /** A follow-up of one period, or the återrapport to kommunfullmäktige (a year or the whole period). */
  kind: 'follow-up' | 'kf-report';
  agreementId: string;
  municipality: string;
  policeArea: string;
  /** "2023–2024". */
  agreementPeriod: string;
  period: FollowUpPeriod;
  revision: number;
  /** Both parties approved this revision. */
  signed: boolean;
  approvals: FollowUpApproval[];
  communications: FollowUpCommunication[];
  pledges: FollowUpPledge[];
  /** Local date the document was produced. */
  generatedOn: string;
}
