import type { Agreement } from '../domain/agreement.js';
import { safeText } from '../domain/outbound-guard.js';
import { localDateOf } from '../domain/calendar.js';
import { computeStatus, type AgreementStatus, type StatusOverride, type StatusThresholds } from '../domain/status.js';
import type { AgreementService } from './agreements.js';
import type { Clock } from './clock.js';
import { nextMeetingOf } from './meetings.js';
import type { Meeting } from '../domain/meeting.js';
import type { Store } from './ports.js';

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
}

/**
 * Status of the current agreement, computed from the running totals of the stored reports (its
 * cost does not grow with the history). It is kept until the reports, the overrides, the
 * agreement or the date change.
 */
export class StatusService {
  private cache?: { key: string; agreement: Agreement; status: AgreementStatus };

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
  at(agreement: Agreement, date: string): AgreementStatus {
    return computeStatus(agreement, this.store.reports.tally, date, this.thresholds);
  }

  async current(): Promise<StatusView | undefined> {
    return this.viewOf(await this.agreements.current());
  }

  /** The view for an agreement the caller already fetched (a reminder pass reads it once). */
  async viewOf(current: { agreement: Agreement; inForce: boolean } | undefined): Promise<StatusView | undefined> {
    if (!current) return undefined;
    const today = localDateOf(this.clock.now());
    // A coordinator's override changes the level shown, never the figures (kept, cleared ones ignored).
    const overrides = (await this.store.overrides.list()).filter((o) => o.agreementId === current.agreement.id && !o.clearedAt);
    const applied: StatusOverride[] = overrides.map((o) => ({ pledgeNumber: o.pledgeNumber, activityId: o.activityId, level: o.level, reason: o.reason, by: o.by, at: o.at }));
    // The stores hand out the same frozen agreement object until it is changed: compared by identity.
    const key = JSON.stringify([today, this.store.reports.revision, applied]);
    const agreement = current.agreement;
    if (this.cache?.key !== key || this.cache.agreement !== agreement) {
      this.cache = { key, agreement, status: computeStatus(agreement, this.store.reports.tally, today, this.thresholds, applied) };
    }
    const view: StatusView = { ...current, today, status: this.cache.status };
    // Names Teams supplied are shown only when they pass the privacy guard.
    const authors = Object.fromEntries(overrides.filter((o) => safeText(o.byName)).map((o) => [o.by, o.byName!]));
    if (Object.keys(authors).length > 0) view.overrideAuthors = authors;
    const link = await this.store.channelLinks.get(current.agreement.id);
    if (link) {
      const name = safeText(link.channelName);
      view.linkedChannel = { name, linkedAt: link.linkedAt, ...(link.channelName !== undefined && name === undefined ? { hidden: true } : {}) };
    }
    const nextMeeting = nextMeetingOf(await this.store.meetings.list(), current.agreement.id, this.clock.now());
    if (nextMeeting) view.nextMeeting = nextMeeting;
    return view;
  }
}
