import type { FollowUpPeriod } from '../domain/follow-up-document.js';
import { REPORTING_PARTIES, type ReportingParty } from '../domain/party.js';
import type { Agreement } from '../domain/agreement.js';
import { safeText } from '../domain/outbound-guard.js';
import { localDateOf } from '../domain/calendar.js';
import { computeStatus, type AgreementStatus, type StatusOverride, type StatusThresholds } from '../domain/status.js';
import type { AgreementService } from './agreements.js';
import type { Clock } from './clock.js';
import { nextMeetingOf } from './meetings.js';
import type { Meeting } from '../domain/meeting.js';
import type { Store } from './ports.js';
import { linkOfAgreement } from './channel-links.js';

export interface StatusView {
  agreement: Agreement;
  inForce: boolean;
  today: string;
  status: AgreementStatus;
  /** Display names of the coordinators behind the overrides in force, by AAD object id. */
  overrideAuthors?: Record<string, string>;
  /** The shared channel reminders go to, when a coordinator has linked one. */
  /** `hidden`: Teams gave a name that fails the privacy guard; it is not shown. */
  linkedChannel?: { name?: string; hidden?: boolean; linkedAt: string };
  /** The next follow-up meeting that has not started and is not cancelled. */
  nextMeeting?: Meeting;
  /** The latest follow-up drafted (issue #15): whether both parties signed it and where it was communicated. */
  latestFollowUp?: { period: FollowUpPeriod; missing: ReportingParty[]; signedOnce: boolean; channels: string[] };
}

/** A computed status and what it was computed from. */
interface KeptStatus {
  /** The stored agreement object: the store hands out a new one when the agreement is saved. */
  agreement: Agreement;
  /** The report store's revision, the date and the overrides applied, as one string. */
  key: string;
  status: AgreementStatus;
}

/**
 * Status of the current agreement, computed from the running totals of the stored reports (its
 * cost does not grow with the history).
 *
 * The bot's only cache of a status (measured in docs/benchmarks.md): one computed status per
 * agreement, kept until the agreement object (identity), the report store's revision, the
 * overrides or the date change. Everything else in the view is read fresh on every call.
 */
export class StatusService {
  private readonly kept = new Map<string, KeptStatus>();

  constructor(
    private readonly store: Store,
    private readonly agreements: AgreementService,
    private readonly clock: Clock,
    private readonly thresholds: StatusThresholds,
  ) {}

  /**
   * The status of `agreement` as it stood at the end of `date` (a past year's goals: "nådde vi målet
   * 2023?"), by the same rules and thresholds. Overrides are today's judgement and are not applied.
   */
  async at(agreement: Agreement, date: string): Promise<AgreementStatus> {
    return computeStatus(agreement, await this.store.reports.tally(agreement.id), date, this.thresholds);
  }

  /** The status of a municipality's current agreement (`scope` absent: the deployment's only one). */
  async current(scope?: string): Promise<StatusView | undefined> {
    return this.viewOf(await this.agreements.current(scope));
  }

  /** The view for an agreement the caller already fetched (a reminder pass reads it once). */
  async viewOf(current: { agreement: Agreement; inForce: boolean } | undefined): Promise<StatusView | undefined> {
    if (!current) return undefined;
    const today = localDateOf(this.clock.now());
    // A coordinator's override changes the level shown, never the figures (kept, cleared ones ignored).
    const overrides = (await this.store.overrides.listOf(current.agreement.id)).filter((o) => !o.clearedAt);
    const applied: StatusOverride[] = overrides.map((o) => ({
      pledgeNumber: o.pledgeNumber,
      activityId: o.activityId,
      level: o.level,
      reason: o.reason,
      by: o.by,
      at: o.at,
    }));
    const view: StatusView = { ...current, today, status: await this.statusOf(current.agreement, today, applied) };
    // Names Teams supplied are shown only when they pass the privacy guard.
    const authors = Object.fromEntries(overrides.filter((o) => safeText(o.byName)).map((o) => [o.by, o.byName!]));
    if (Object.keys(authors).length > 0) view.overrideAuthors = authors;
    const link = await linkOfAgreement(this.store, current.agreement);
    if (link) {
      const name = safeText(link.channelName);
      view.linkedChannel = {
        name,
        linkedAt: link.linkedAt,
        ...(link.channelName !== undefined && name === undefined ? { hidden: true } : {}),
      };
    }
    const nextMeeting = nextMeetingOf(
      await this.store.meetings.listOf(current.agreement.id),
      current.agreement.id,
      this.clock.now(),
    );
    if (nextMeeting) view.nextMeeting = nextMeeting;
    const followUps = await this.store.followUps.listOf(current.agreement.id);
    const latest = [...followUps].sort((a, b) => b.period.to.localeCompare(a.period.to))[0];
    if (latest)
      view.latestFollowUp = {
        period: latest.period,
        missing: REPORTING_PARTIES.filter((p) => !latest.approvals.some((a) => a.party === p)),
        signedOnce: !!latest.lastSigned,
        channels: [...new Set(latest.communications.map((c) => c.channel))],
      };
    return view;
  }

  private async statusOf(agreement: Agreement, today: string, applied: StatusOverride[]): Promise<AgreementStatus> {
    const key = JSON.stringify([today, await this.store.reports.revision(agreement.id), applied]);
    const kept = this.kept.get(agreement.id);
    // The store hands out the same frozen agreement object until it is saved: compared by identity.
    if (kept && kept.agreement === agreement && kept.key === key) return kept.status;
    const status = computeStatus(
      agreement,
      await this.store.reports.tally(agreement.id),
      today,
      this.thresholds,
      applied,
    );
    this.kept.set(agreement.id, { agreement, key, status });
    return status;
  }
}
