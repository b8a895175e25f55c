import type { Agreement } from '../domain/agreement.js';
import type { WeeklyReport } from '../domain/report.js';
import type { ReportTally } from '../domain/report-tally.js';

/** Ports the application layer needs; storage/ implements them (lowdb, memory). */

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/** Where the bot can speak later (proactive messages): what Teams told us about a conversation. */
export interface StoredConversation {
  /** The Bot Framework conversation id. */
  id: string;
  kind: ConversationKind;
  tenantId?: string;
  teamId?: string;
  channelId?: string;
  serviceUrl: string;
  /** For personal chats: the user's AAD object id, so reminders can find the person. */
  userAadObjectId?: string;
  /** The raw ConversationReference as JSON, replayed for proactive sends. */
  reference: Record<string, unknown>;
  active: boolean;
  updatedAt: string;
}

/**
 * Agreements are handed out read-only (frozen) and as the same object until that agreement is
 * saved again: a view derived from one (StatusService) is kept while the object is the same.
 */
export interface AgreementRepository {
  list(): Promise<Agreement[]>;
  get(id: string): Promise<Agreement | undefined>;
  /** Adds the agreement if no agreement with that id exists; returns whether it was added. */
  addIfAbsent(agreement: Agreement): Promise<boolean>;
  /** Adds or replaces the agreement with this id. */
  save(agreement: Agreement): Promise<void>;
}

export interface ConversationRepository {
  upsert(conversation: StoredConversation): Promise<void>;
  get(id: string): Promise<StoredConversation | undefined>;
  list(filter?: { active?: boolean; kind?: ConversationKind }): Promise<StoredConversation[]>;
  setActive(id: string, active: boolean, at: string): Promise<void>;
}

export interface ReportFilter {
  agreementId?: string;
  reporterId?: string;
  /** Inclusive ISO weeks. */
  fromWeek?: string;
  toWeek?: string;
  includeWithdrawn?: boolean;
}

/**
 * Reports are many: the repository hands out read-only objects (no copies) and replaces a report
 * as a whole on update, so a status over 100 000 reports does not clone them all.
 */
export interface ReportRepository {
  /** Adds the report unless the same reporter already stored one with this submissionId (a retried or double submit); another reporter's id never matches. */
  add(report: WeeklyReport): Promise<{ report: Readonly<WeeklyReport>; created: boolean }>;
  get(id: string): Promise<Readonly<WeeklyReport> | undefined>;
  update(report: WeeklyReport): Promise<void>;
  list(filter?: ReportFilter): Promise<ReadonlyArray<Readonly<WeeklyReport>>>;
  /** Grows with every change: lets status and answers be cached until the reports change. */
  readonly revision: number;
  /** Running totals of the countable reports, kept up to date with every change. */
  readonly tally: ReportTally;
  /** The ISO weeks that hold reports (any order). */
  weeks(): string[];
}

/** A coordinator's override of a computed status: kept with who, when and why; never hides the figure. */
export interface StoredOverride {
  id: string;
  agreementId: string;
  pledgeNumber?: number;
  activityId?: string;
  level: 'onTrack' | 'atRisk' | 'behind' | 'achieved' | 'noTarget';
  reason: string;
  by: string;
  /** The coordinator's display name as Teams gave it, shown with the override. */
  byName?: string;
  at: string;
  /** Set when a coordinator lifts the override. */
  clearedAt?: string;
  clearedBy?: string;
}

/** A registered rapportör: a person (AAD object id) who is reminded to report. */
export interface Reporter {
  aadObjectId: string;
  party: 'Polisen' | 'Kommunen';
  /** Display name as Teams gave it, for @mentions in the shared channel only. */
  name?: string;
  tenantId?: string;
  /** The personal chat with the bot, when known (1:1 reminders). */
  personalConversationId?: string;
  /** A channel conversation where the person was seen (for @mention reminders). */
  registeredAt: string;
  absentUntil?: string;
  active: boolean;
}

export const MEETING_KINDS = ['samverkansmöte', 'EST-möte', 'SSPF', 'styrgrupp', 'tertialuppföljning', 'annat'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** A follow-up meeting (uppföljningsmöte): local date and time in Europe/Stockholm. */
export interface Meeting {
  id: string;
  agreementId: string;
  kind: MeetingKind;
  date: string;
  time: string;
  place?: string;
  agenda?: string;
  cancelled?: { at: string; by: string };
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Bumped on every change of date or time, so reminders of an old time are not sent. */
  revision: number;
}

/** The shared police–municipality channel of an agreement. */
export interface ChannelLink {
  agreementId: string;
  conversationId: string;
  teamId?: string;
  channelId?: string;
  tenantId?: string;
  /** The channel's name when Teams gave it (shown on the status card). */
  channelName?: string;
  linkedBy: string;
  linkedAt: string;
}

/** A coordinator added in chat by another coordinator (those from COORDINATOR_IDS are not stored). */
export interface StoredCoordinator {
  aadObjectId: string;
  addedBy: string;
  addedAt: string;
  removedAt?: string;
  removedBy?: string;
}

/** A small fact about the data itself, e.g. which privacy guard version last checked the stored text. */
export interface StoredMarker {
  key: string;
  value: number;
  at: string;
}

/** Small collections kept in the main data file: whole-list reads, single-item writes. */
export interface Collection<T> {
  list(): Promise<T[]>;
  /** Inserts or replaces the item whose key equals key(item). */
  put(item: T): Promise<void>;
  get(key: string): Promise<T | undefined>;
}

export interface StoreHealth {
  state: 'open' | 'closed';
  kind: 'lowdb' | 'memory';
  schemaVersion: number;
  path?: string;
  reports?: number;
}

export interface Store {
  agreements: AgreementRepository;
  conversations: ConversationRepository;
  reports: ReportRepository;
  overrides: Collection<StoredOverride>;
  reporters: Collection<Reporter>;
  meetings: Collection<Meeting>;
  channelLinks: Collection<ChannelLink>;
  coordinators: Collection<StoredCoordinator>;
  markers: Collection<StoredMarker>;
  health(): StoreHealth;
  close(): Promise<void>;
}
