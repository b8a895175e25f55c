import type { Agreement } from '../domain/agreement.js';
import { isoWeekOfLocalDate, localDateOf } from '../domain/calendar.js';
import {
  dueReminders,
  DEFAULT_LOOKBACK_MS,
  flaggedForMeeting,
  notReportedByParty,
  weeklyKey,
  type DueReminder,
  type ReminderSettings,
} from '../domain/reminders.js';
import { isNothingToReport, type WeeklyReport } from '../domain/report.js';
import { safeText, screenDigest } from '../domain/outbound-guard.js';
import { atRiskOrBehind } from '../domain/status.js';
import type { Logger } from '../logger.js';
import { currentOf, type AgreementService } from './agreements.js';
import type { Clock } from './clock.js';
import type {
  DeliveryItem,
  DeliveryTarget,
  OccurrenceOverview,
  OutgoingMessage,
  OverviewFilter,
} from './delivery/index.js';
import type { ChannelLink } from '../domain/channel-link.js';
import type { StoredConversation } from '../domain/conversation.js';
import type { Meeting } from '../domain/meeting.js';
import type { Reporter } from '../domain/reporter.js';
import type { Store } from './ports.js';
import { linkOfAgreement } from './channel-links.js';
import { laterPeriodsOf } from '../domain/rollover.js';
import { belongsTo, scopesOf } from '../domain/scope.js';
import { snoozeKey } from '../domain/snooze.js';
import type { StatusService, StatusView } from './status.js';
import type { FollowUpReportService, FollowUpState, FollowUpView, KfReport } from './follow-up-report.js';
import { addLocalDays, isoWeekOf, isWorkingDay, localDateTimeToInstant, mondayOfWeek } from '../domain/calendar.js';
import { followUpPeriodsOf, kfPeriodsOf } from '../domain/follow-up.js';
import type { FollowUpPeriod } from '../domain/follow-up-document.js';
import { scopeOf } from '../domain/scope.js';

/** What a digest before a follow-up meeting holds: figures from the store only. */
export interface MeetingDigest {
  meeting: Meeting;
  view: StatusView;
  since: string;
  reportsSince: number;
  /** Activities and pledges at Risk or Efter: the same rule as the status card. */
  attention: ReturnType<typeof atRiskOrBehind>;
  /** Reports flagged "ta upp på nästa möte", newest first, at most MAX_DIGEST_ITEMS. */
  raised: Readonly<WeeklyReport>[];
  /** Flagged reports that did not fit ("och N till"). */
  raisedMore: number;
  /** Active rapportörer, not away, who have not reported since the previous meeting: counts per party, never names. */
  notReported: { party: string; count: number }[];
  /** Items left out because their text failed the privacy guard (domain/outbound-guard.ts). */
  leftOut: number;
  /** The previous meeting's decisions and follow-ups, when a coordinator recorded them (guarded again). */
  previous?: { meeting: Meeting; decisions?: string; followUps?: string };
  /** The follow-ups still unsigned or not communicated (issue #15); absent without the follow-up service. */
  followUps?: FollowUpState;
}

/** The weekly summary in the linked channel: what both parties did last week, counts only. */
export interface WeeklySummary {
  agreement: Agreement;
  week: string;
  /** Monday and Sunday of the week (local dates). */
  from: string;
  to: string;
  reports: number;
  /** Per activity (in the agreement's order): counts per reporting party. */
  activities: { activityId: string; total: number; byParty: { party: string; count: number }[] }[];
  /** The areas reported from, most reports first. */
  areas: string[];
}

/** One planned occurrence for `påminnelser`: what the reminder policy will find due, and when. */
export interface PlannedReminder {
  /** The policy's kinds, and the follow-up's draft and "communicate" reminders (issue #15). */
  kind: DueReminder['kind'] | 'followUpDraft' | 'followUpCommunicate' | 'kfReport';
  /** followUpDraft / followUpCommunicate: the follow-up point. */
  followUpPeriod?: FollowUpPeriod;
  dueAt: Date;
  key: string;
  /** weekly: how many rapportörer it goes to (those not yet reported, not away); weeklySummary: the week summarised. */
  recipients?: number;
  week?: string;
  meeting?: Meeting;
  tertial?: string;
  daysBefore?: number;
  /** Posted in the linked channel; without one it would be recorded as skipped. */
  toChannel: boolean;
}

export interface ReminderPlan {
  agreement: Agreement;
  from: Date;
  to: Date;
  channelLinked: boolean;
  weeklySummaryOn: boolean;
  planned: PlannedReminder[];
  /** What the ledger holds for this municipality in the last 30 days, newest first. */
  sent: OccurrenceOverview[];
}

/** How far ahead `påminnelser` looks, and how far back. */
export const PLAN_DAYS = 14;
export const SENT_DAYS = 30;

/** Port: turns reminder content into messages (implemented in src/teams/reminder-messages.ts). */
export interface ReminderRenderer {
  weeklyPersonal(reporter: Reporter, week: string): Promise<OutgoingMessage>;
  weeklyChannel(reporters: Reporter[], week: string): OutgoingMessage;
  meetingDigest(digest: MeetingDigest): OutgoingMessage;
  weeklySummary(summary: WeeklySummary): OutgoingMessage;
  tertialSummary(view: StatusView, tertial: string): OutgoingMessage;
  periodWarning(agreement: Agreement, daysBefore: number): OutgoingMessage;
  conversationGone(conversation: StoredConversation | undefined): OutgoingMessage;
  /** The draft of a follow-up posted in the linked channel when its period has ended. */
  followUpDraft(view: FollowUpView): OutgoingMessage;
  /** The weekly reminder that a signed follow-up has not been communicated to the citizens. */
  followUpCommunicate(agreement: Agreement, period: FollowUpPeriod, view: FollowUpView): OutgoingMessage;
  /** The draft återrapport to kommunfullmäktige after a year and after the period (issue #15). */
  kfReport(report: KfReport): OutgoingMessage;
}

/** The part of the delivery engine reminders use: record an occurrence's rows and send them; read the ledger. */
export interface ReminderDelivery {
  deliver(occurrence: { key: string; kind: string; due: string }, items: DeliveryItem[]): Promise<unknown>;
  overview(filter: OverviewFilter): Promise<OccurrenceOverview[]>;
}

export interface ReminderServiceDeps {
  store: Store;
  agreements: AgreementService;
  status: StatusService;
  delivery: ReminderDelivery;
  renderer: ReminderRenderer;
  clock: Clock;
  logger: Logger;
  settings: ReminderSettings;
  /** The tenant of the bot registration: 1:1 chats only with people of this tenant (any in dev mode). */
  botTenantId?: string;
  coordinatorIds: () => Promise<string[]>;
  /** The follow-up both parties sign: drafts posted at each follow-up point, communication reminders. */
  followUps?: FollowUpReportService;
}

/** The ledger key of a follow-up's draft posted in the channel when its period has ended. */
export const followUpDraftKey = (agreementId: string, periodKey: string): string =>
  `follow-up-draft:${agreementId}:${periodKey}`;
/** The ledger key of one week's reminder that a signed follow-up is not communicated. */
export const kfReportKey = (agreementId: string, periodKey: string): string => `kf-report:${agreementId}:${periodKey}`;
export const followUpCommunicateKey = (agreementId: string, periodKey: string, week: string): string =>
  `follow-up-communicate:${agreementId}:${periodKey}:${week}`;
/** Local time of the follow-up posts: the draft on the first working day after the period, the reminder on Mondays. */
export const FOLLOW_UP_POST_TIME = '09:00';
/** A draft post missed (the bot was down) is still made this long after it was due. */
const FOLLOW_UP_GRACE_MS = 7 * 86_400_000;
/** Who posts the first draft in the audit trail when nobody asked for it first. */
export const BOT_ACTOR_ID = 'medborgarlofte-bot';

/** The first working day after a local date. */
function nextWorkingDay(date: string): string {
  let d = addLocalDays(date, 1);
  while (!isWorkingDay(d)) d = addLocalDays(d, 1);
  return d;
}

/** The ledger key of one week's reminder: one occurrence, one row per reporter. */
export const weeklyOccurrenceKey = (agreementId: string, week: string): string => `weekly:${agreementId}:${week}`;

/** Rows of a week already recorded under the old per-reporter key (`weekly:<week>:<aad>`) are not sent again. */
export const SKIP_OLD_KEY = 'recorded-under-old-key';
/** A warning that the period ends, when the next period is already saved: recorded, never sent. */
export const SKIP_NEXT_PERIOD_SAVED = 'next-period-saved';

/** The target of a row recorded as skipped: it is never sent. */
const NOWHERE: DeliveryTarget = { conversationId: '' };

/** The stored conversations of one pass, read once and indexed (not a scan per reporter). */
class ConversationIndex {
  private readonly personalById = new Map<string, StoredConversation>();
  private readonly personalByUser = new Map<string, StoredConversation>();

  constructor(
    personal: readonly StoredConversation[],
    readonly channels: readonly StoredConversation[],
  ) {
    for (const c of personal) {
      this.personalById.set(c.id, c);
      const user = c.userAadObjectId?.toLowerCase();
      if (user && newer(c, this.personalByUser.get(user))) this.personalByUser.set(user, c);
    }
  }

  /** The newest active personal chat with a person by AAD object id. */
  personalOfUser(aadObjectId: string): StoredConversation | undefined {
    return this.personalByUser.get(aadObjectId.toLowerCase());
  }

  /** The newest active personal chat with the reporter: the one recorded on them, or any with their AAD id. */
  personalOf(r: Reporter): StoredConversation | undefined {
    const recorded = r.personalConversationId ? this.personalById.get(r.personalConversationId) : undefined;
    const byUser = this.personalByUser.get(r.aadObjectId.toLowerCase());
    return newer(recorded, byUser) ? recorded : byUser;
  }
}

const newer = (a: StoredConversation | undefined, b: StoredConversation | undefined): boolean =>
  !!a && (!b || a.updatedAt.localeCompare(b.updatedAt) > 0);

/**
 * The reminder use case. `runDue(now)`: the pure policy (domain/reminders) decides what is due,
 * the targets are looked up, the messages rendered through the ReminderRenderer port, and the
 * delivery engine sends each (occurrence, recipient) exactly once. Every pass looks back to the
 * previous one (a week at first): what the ledger already has is not sent again, what is no longer
 * useful is recorded as skipped. Scheduling (when runDue is called) lives in src/scheduler/.
 */
export class ReminderService {
  private lastCheck?: number;

  constructor(private readonly deps: ReminderServiceDeps) {}

  /**
   * One pass over every municipality (scope): each one's agreement in force (or most recent), its
   * rapportörer, its meetings and its linked channel. The ledger keys name the agreement, so two
   * municipalities never share an occurrence.
   */
  async runDue(now: Date): Promise<void> {
    const lastCheck = new Date(this.lastCheck ?? now.getTime() - DEFAULT_LOOKBACK_MS);
    // The agreements are read once per pass; each municipality's status view is built when a card needs it.
    const stored = await this.deps.store.agreements.list();
    const scopes = scopesOf(stored);
    const today = localDateOf(now, 'Europe/Stockholm');
    const conversations = new ConversationIndex(
      await this.deps.store.conversations.list({ active: true, kind: 'personal' }),
      await this.deps.store.conversations.list({ active: true, kind: 'channel' }),
    );
    const reporters = await this.deps.store.reporters.list();
    for (const scope of scopes) {
      const ofScope = reporters.filter((r) => belongsTo(r.scope, scope.key, scopes.length));
      const current = currentOf(stored, scope.key, today);
      // The end-of-period warning asks for the next period: once a coordinator saved it, it is not sent.
      if (current)
        await this.runScope(
          current,
          ofScope,
          conversations,
          now,
          lastCheck,
          laterPeriodsOf(current.agreement, stored).length > 0,
        );
    }
    this.lastCheck = now.getTime();
  }

  private async runScope(
    current: { agreement: Agreement; inForce: boolean },
    reporters: Reporter[],
    conversations: ConversationIndex,
    now: Date,
    lastCheck: Date,
    nextPeriodSaved = false,
  ): Promise<void> {
    const { store, settings } = this.deps;
    const agreement = current.agreement;
    let view: Promise<StatusView | undefined> | undefined;
    const statusView = () => (view ??= this.deps.status.viewOf(current));
    const reporterById = new Map(reporters.map((r) => [r.aadObjectId, r]));
    const meetings = await store.meetings.listOf(agreement.id);
    // The policy asks synchronously about the weeks from lastCheck to now: read those weeks up front.
    const weekCache = new Map<string, Set<string>>();
    for (const r of await store.reports.list({
      agreementId: agreement.id,
      fromWeek: isoWeekOfLocalDate(localDateOf(lastCheck, settings.zone)),
      toWeek: isoWeekOfLocalDate(localDateOf(now, settings.zone)),
    })) {
      let set = weekCache.get(r.week);
      if (!set) weekCache.set(r.week, (set = new Set()));
      set.add(r.reporterId);
    }
    const reportedThisWeek = (week: string) => weekCache.get(week) ?? new Set<string>();
    const link = await linkOfAgreement(store, agreement);
    const channel = link ? this.channelTarget(link, conversations) : undefined;
    const { due, expired, invalidMeetings } = dueReminders({
      now,
      lastCheck,
      agreement,
      reporters,
      reportedThisWeek,
      // A meeting saved after its digest time gets that digest at the next pass (knownSince).
      meetings: meetings.map((m) => ({ ...m, knownSince: m.updatedAt })),
      settings,
      weeklySummary: !!link && !link.weeklySummaryOff,
    });
    for (const m of invalidMeetings)
      this.deps.logger.warn({ meetingId: m }, 'meeting with an invalid date ignored by reminders');

    const jobs: Promise<unknown>[] = [];
    // Weekly reminders: one occurrence per week, one row per reporter.
    for (const [week, list] of groupByWeek(expired)) {
      const items = await this.weeklyItems(week, list, async (o) => ({
        recipient: o.reporterId!,
        target: NOWHERE,
        message: {},
        skip: 'expired',
      }));
      jobs.push(this.deliverWeekly(agreement.id, week, list, items));
    }
    for (const o of expired.filter((o) => o.kind !== 'weekly')) jobs.push(this.skip(o, 'expired'));

    for (const [week, list] of groupByWeek(due)) {
      const toChannel: Reporter[] = [];
      const items = await this.weeklyItems(week, list, async (o) => {
        const reporter = reporterById.get(o.reporterId!);
        if (!reporter) return undefined;
        const personal = this.personalTarget(reporter, conversations);
        if (personal)
          return {
            recipient: reporter.aadObjectId,
            target: personal,
            message: await this.deps.renderer.weeklyPersonal(reporter, week),
          };
        // Not reachable 1:1 (the other organisation's tenant, or no personal chat): one post in the
        // shared channel @mentions everyone of that week.
        if (channel) toChannel.push(reporter);
        const skip = channel ? 'mentioned-in-channel' : 'no-channel';
        return { recipient: reporter.aadObjectId, target: channel ?? NOWHERE, message: {}, skip };
      });
      jobs.push(this.deliverWeekly(agreement.id, week, list, items));
      if (channel && toChannel.length > 0) {
        // One channel post per week at most: never spam the shared channel.
        const key = `weekly-channel:${agreement.id}:${week}`;
        const message = this.deps.renderer.weeklyChannel(toChannel, week);
        jobs.push(
          this.deps.delivery.deliver({ key, kind: 'weeklyChannel', due: now.toISOString() }, [
            { recipient: link!.conversationId, target: channel, message },
          ]),
        );
      }
    }

    jobs.push(...(await this.snoozed(agreement, reporters, conversations, channel, link, now, lastCheck)));

    for (const o of due) {
      if (o.kind === 'weekly') continue;
      if (!channel) {
        jobs.push(this.skip(o, 'no-channel'));
      } else if (o.kind === 'meetingDigest') {
        const meeting = meetings.find((m) => m.id === o.meetingId);
        if (!meeting || meeting.cancelled || meeting.revision !== o.meetingRevision) continue;
        const digest = await this.digest(await statusView(), meeting, meetings, reporters);
        if (!digest) continue;
        jobs.push(
          this.deliver(o, [
            { recipient: link!.conversationId, target: channel, message: this.deps.renderer.meetingDigest(digest) },
          ]),
        );
      } else if (o.kind === 'weeklySummary') {
        const summary = await this.weeklySummary(agreement, o.week!);
        jobs.push(
          this.deliver(o, [
            {
              recipient: link!.conversationId,
              target: channel,
              message: this.deps.renderer.weeklySummary(summary),
            },
          ]),
        );
      } else if (o.kind === 'tertialSummary') {
        const v = await statusView();
        if (v)
          jobs.push(
            this.deliver(o, [
              {
                recipient: link!.conversationId,
                target: channel,
                message: this.deps.renderer.tertialSummary(v, o.tertial!),
              },
            ]),
          );
      } else if (o.kind === 'periodWarning') {
        jobs.push(
          this.deliver(o, [
            {
              recipient: link!.conversationId,
              target: channel,
              message: this.deps.renderer.periodWarning(agreement, o.daysBefore!),
              ...(nextPeriodSaved ? { skip: SKIP_NEXT_PERIOD_SAVED } : {}),
            },
          ]),
        );
      }
    }
    if (this.deps.followUps) jobs.push(this.followUpPosts(agreement, channel, link, conversations, now, lastCheck));
    await Promise.all(jobs);
  }

  /**
   * Follow-ups (issue #15): the draft is posted in the linked channel on the first working day after
   * each follow-up point; while a signed follow-up is not communicated, both parties' coordinators
   * are reminded every Monday (1:1, else one post in the channel). Through the ledger with a key per
   * post, so a second pass or instance never posts twice.
   */
  private async followUpPosts(
    agreement: Agreement,
    channel: DeliveryTarget | undefined,
    link: ChannelLink | undefined,
    conversations: ConversationIndex,
    now: Date,
    lastCheck: Date,
  ): Promise<void> {
    const followUps = this.deps.followUps!;
    const zone = this.deps.settings.zone;
    const inWindow = (due: Date) => due > lastCheck && due <= now && now.getTime() - due.getTime() < FOLLOW_UP_GRACE_MS;
    for (const period of followUpPeriodsOf(agreement)) {
      const due = localDateTimeToInstant(nextWorkingDay(period.to), FOLLOW_UP_POST_TIME, zone);
      if (!inWindow(due)) continue;
      const key = followUpDraftKey(agreement.id, period.key);
      if (!channel) {
        await this.deps.delivery.deliver({ key, kind: 'followUpDraft', due: due.toISOString() }, [
          { recipient: 'channel', target: NOWHERE, message: {}, skip: 'no-channel' },
        ]);
        continue;
      }
      const view = await followUps.ensure(agreement, period, BOT_ACTOR_ID);
      await this.deps.delivery.deliver({ key, kind: 'followUpDraft', due: due.toISOString() }, [
        { recipient: link!.conversationId, target: channel, message: this.deps.renderer.followUpDraft(view) },
      ]);
    }
    // The KF report: after each calendar year of the agreement and after the whole period.
    for (const period of kfPeriodsOf(agreement)) {
      const due = localDateTimeToInstant(nextWorkingDay(period.to), FOLLOW_UP_POST_TIME, zone);
      if (!inWindow(due)) continue;
      const key = kfReportKey(agreement.id, period.key);
      const item: DeliveryItem = channel
        ? {
            recipient: link!.conversationId,
            target: channel,
            message: this.deps.renderer.kfReport({
              kind: 'kf',
              agreement,
              ...(await followUps.kfDocument(agreement, period)),
            }),
          }
        : { recipient: 'channel', target: NOWHERE, message: {}, skip: 'no-channel' };
      await this.deps.delivery.deliver({ key, kind: 'kfReport', due: due.toISOString() }, [item]);
    }
    const week = isoWeekOf(now, zone);
    const monday = localDateTimeToInstant(mondayOfWeek(week), FOLLOW_UP_POST_TIME, zone);
    if (!inWindow(monday)) return;
    const awaiting = await followUps.awaitingCommunication(agreement.id);
    if (awaiting.length === 0) return;
    const coordinators = await this.coordinatorsOf(agreement);
    for (const stored of awaiting) {
      const view = await followUps.view(agreement, stored);
      const message = this.deps.renderer.followUpCommunicate(agreement, stored.period, view);
      const items: DeliveryItem[] = [];
      for (const id of coordinators) {
        const c = conversations.personalOfUser(id);
        if (c) items.push({ recipient: id, target: { conversationId: c.id, tenantId: c.tenantId }, message });
      }
      if (items.length === 0 && channel) items.push({ recipient: link!.conversationId, target: channel, message });
      if (items.length === 0) items.push({ recipient: 'channel', target: NOWHERE, message: {}, skip: 'no-channel' });
      await this.deps.delivery.deliver(
        {
          key: followUpCommunicateKey(agreement.id, stored.periodKey, week),
          kind: 'followUpCommunicate',
          due: monday.toISOString(),
        },
        items,
      );
    }
  }

  /** The coordinators of an agreement's municipality: the operators (COORDINATOR_IDS) and those added there. */
  private async coordinatorsOf(agreement: Agreement): Promise<string[]> {
    const stored = await this.deps.store.coordinators.list();
    const scopes = scopesOf(await this.deps.store.agreements.list());
    const storedIds = new Set(stored.map((c) => c.aadObjectId.toLowerCase()));
    const scope = scopeOf(agreement);
    const ids = (await this.deps.coordinatorIds()).filter((id) => {
      const record = stored.find((c) => c.aadObjectId.toLowerCase() === id.toLowerCase());
      if (!record) return !storedIds.has(id.toLowerCase());
      if (record.removedAt) return false;
      return record.scopes ? record.scopes.includes(scope) : scopes.length <= 1;
    });
    return [...new Set(ids)];
  }

  /**
   * Snoozed weekly reminders ("Påminn mig i morgon / kl. 15") that fell due since the last pass:
   * one occurrence each (key snoozeKey: reporter, week and time), so the ledger sends it exactly
   * once whatever the retries, restarts or instances. Checked at send time: a person who has
   * reported that week by then (or is away, or no longer a rapportör) gets a skipped row instead.
   */
  private async snoozed(
    agreement: Agreement,
    reporters: Reporter[],
    conversations: ConversationIndex,
    channel: DeliveryTarget | undefined,
    link: ChannelLink | undefined,
    now: Date,
    lastCheck: Date,
  ): Promise<Promise<unknown>[]> {
    const jobs: Promise<unknown>[] = [];
    const today = localDateOf(now, this.deps.settings.zone);
    for (const r of reporters) {
      const s = r.snooze;
      if (!s || s.agreementId !== agreement.id) continue;
      const at = Date.parse(s.at);
      if (!(at > lastCheck.getTime() && at <= now.getTime())) continue;
      const key = snoozeKey(agreement.id, s.week, r.aadObjectId, s.at);
      const reported = (
        await this.deps.store.reports.list({ reporterId: r.aadObjectId, fromWeek: s.week, toWeek: s.week })
      ).some((x) => x.agreementId === agreement.id);
      const skip = reported
        ? 'reported'
        : !r.active
          ? 'not-a-reporter'
          : r.absentUntil && r.absentUntil >= today
            ? 'absent'
            : undefined;
      const occurrence = { key, kind: 'snooze', due: s.at };
      if (skip) {
        jobs.push(
          this.deps.delivery.deliver(occurrence, [{ recipient: r.aadObjectId, target: NOWHERE, message: {}, skip }]),
        );
        continue;
      }
      const personal = this.personalTarget(r, conversations);
      if (personal) {
        const message = await this.deps.renderer.weeklyPersonal(r, s.week);
        jobs.push(this.deps.delivery.deliver(occurrence, [{ recipient: r.aadObjectId, target: personal, message }]));
      } else if (channel && link) {
        const message = this.deps.renderer.weeklyChannel([r], s.week);
        jobs.push(this.deps.delivery.deliver(occurrence, [{ recipient: r.aadObjectId, target: channel, message }]));
      } else {
        jobs.push(
          this.deps.delivery.deliver(occurrence, [
            { recipient: r.aadObjectId, target: NOWHERE, message: {}, skip: 'no-channel' },
          ]),
        );
      }
    }
    return jobs;
  }

  /** Coordinators are told once when the bot was removed from a conversation. */
  async conversationGone(conversationId: string): Promise<void> {
    const conversation = await this.deps.store.conversations.get(conversationId);
    const ids = new Set((await this.deps.coordinatorIds()).map((i) => i.toLowerCase()));
    const personal = (await this.deps.store.conversations.list({ active: true, kind: 'personal' })).filter(
      (c) => c.userAadObjectId && ids.has(c.userAadObjectId.toLowerCase()),
    );
    if (personal.length === 0) {
      this.deps.logger.warn(
        { conversationId },
        'the bot was removed from a conversation and no coordinator can be told 1:1',
      );
      return;
    }
    const message = this.deps.renderer.conversationGone(conversation);
    await this.deps.delivery.deliver(
      {
        key: `conversation-gone:${conversationId}`,
        kind: 'conversationGone',
        due: this.deps.clock.now().toISOString(),
      },
      personal.map((c) => ({
        recipient: c.userAadObjectId!,
        target: { conversationId: c.id, tenantId: c.tenantId },
        message,
      })),
    );
  }

  /**
   * The rows of one week's reminder. A reporter whose reminder for that week is already in the
   * ledger under the old per-reporter key (`weekly:<week>:<aad>`) gets a skipped row, so an upgrade
   * in the middle of a week never reminds anyone twice.
   */
  private async weeklyItems(
    week: string,
    list: DueReminder[],
    itemOf: (o: DueReminder) => Promise<DeliveryItem | undefined>,
  ): Promise<DeliveryItem[]> {
    const oldKeys = list.map((o) => weeklyKey(o.week!, o.reporterId!));
    const old = new Set(
      (await this.deps.delivery.overview({ keys: oldKeys, limit: oldKeys.length })).map((o) => o.key),
    );
    const items: DeliveryItem[] = [];
    let skippedOld = 0;
    for (const o of list) {
      if (old.has(weeklyKey(o.week!, o.reporterId!))) {
        skippedOld++;
        items.push({ recipient: o.reporterId!, target: NOWHERE, message: {}, skip: SKIP_OLD_KEY });
        continue;
      }
      const item = await itemOf(o);
      if (item) items.push(item);
    }
    if (skippedOld > 0)
      this.deps.logger.info(
        { week, count: skippedOld },
        'weekly reminder: already recorded under the old per-reporter key; not sent again',
      );
    return items;
  }

  /** One week's reminder as one occurrence `weekly:<agreementId>:<week>`. */
  private async deliverWeekly(
    agreementId: string,
    week: string,
    list: DueReminder[],
    items: DeliveryItem[],
  ): Promise<unknown> {
    if (items.length === 0) return;
    return this.deps.delivery.deliver(
      { key: weeklyOccurrenceKey(agreementId, week), kind: 'weekly', due: list[0]!.dueAt.toISOString() },
      items,
    );
  }

  private deliver(o: DueReminder, items: DeliveryItem[]) {
    return this.deps.delivery.deliver({ key: o.key, kind: o.kind, due: o.dueAt.toISOString() }, items);
  }

  private skip(o: DueReminder, reason: string) {
    return this.deliver(o, [{ recipient: 'channel', target: NOWHERE, message: {}, skip: reason }]);
  }

  private personalTarget(r: Reporter, conversations: ConversationIndex): DeliveryTarget | undefined {
    if (this.deps.botTenantId && r.tenantId && r.tenantId.toLowerCase() !== this.deps.botTenantId.toLowerCase())
      return undefined;
    const c = conversations.personalOf(r);
    return c ? { conversationId: c.id, tenantId: c.tenantId } : undefined;
  }

  /** A new post in the linked channel: the team's stored reference with the channel's id. */
  private channelTarget(link: ChannelLink, conversations: ConversationIndex): DeliveryTarget | undefined {
    const sameTeam = conversations.channels.filter(
      (c) =>
        (link.teamId && c.teamId === link.teamId) ||
        c.id === link.conversationId ||
        c.id.startsWith(`${link.conversationId};`),
    );
    const c = [...sameTeam].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
    if (!c) return undefined;
    return {
      conversationId: c.id,
      tenantId: link.tenantId ?? c.tenantId,
      channelPost: { teamConversationId: c.id, channelId: link.conversationId },
    };
  }

  private async digest(
    view: StatusView | undefined,
    meeting: Meeting,
    meetings: Meeting[],
    reporters: Reporter[],
  ): Promise<MeetingDigest | undefined> {
    if (!view) return undefined;
    const start = `${meeting.date}T${meeting.time}`;
    const previous = meetings
      .filter((m) => !m.cancelled && m.id !== meeting.id && `${m.date}T${m.time}` < start)
      .sort((a, b) => `${b.date}T${b.time}`.localeCompare(`${a.date}T${a.time}`))[0];
    const since = previous ? previous.date : view.agreement.periodStart;
    const today = localDateOf(this.deps.clock.now());
    // Only the weeks since the previous meeting are read (a report's date lies in its week).
    const reports = await this.deps.store.reports.list({
      agreementId: view.agreement.id,
      fromWeek: isoWeekOfLocalDate(since),
      toWeek: isoWeekOfLocalDate(today),
    });
    const recent = reports.filter((r) => r.date >= since && r.date <= today);
    // "Inget att rapportera" counts as reported, never as a report of work done.
    const work = recent.filter((r) => !isNothingToReport(r));
    const reportedIds = new Set(recent.map((r) => r.reporterId));
    // Checked again on the way out: text stored by an earlier guard never reaches the channel.
    const attention = atRiskOrBehind(view.status);
    const screened = screenDigest({
      meeting,
      raised: recent.filter((r) => r.raiseAtNextMeeting && !r.withdrawn),
      behind: attention.activities,
      activities: view.agreement.activities,
    });
    const flagged = flaggedForMeeting(screened.raised);
    if (screened.leftOut > 0)
      this.deps.logger.warn(
        { meetingId: meeting.id, leftOut: screened.leftOut },
        'digest items left out by the privacy guard',
      );
    return {
      meeting: screened.meeting,
      view,
      since,
      reportsSince: work.length,
      attention: { activities: screened.behind, pledges: attention.pledges },
      raised: flagged.items,
      raisedMore: flagged.more,
      notReported: notReportedByParty(reporters, reportedIds, today),
      leftOut: screened.leftOut,
      ...(previous?.minutes ? { previous: previousMinutes(previous) } : {}),
      ...(this.deps.followUps ? { followUps: await this.deps.followUps.stateOf(view.agreement, today) } : {}),
    };
  }

  /** Last week's reports of an agreement, counted per activity and party, and the areas. */
  async weeklySummary(agreement: Agreement, week: string): Promise<WeeklySummary> {
    const reports = (
      await this.deps.store.reports.list({ agreementId: agreement.id, fromWeek: week, toWeek: week })
    ).filter((r) => !r.withdrawn);
    const byActivity = new Map<string, Map<string, number>>();
    const areas = new Map<string, number>();
    for (const r of reports) {
      const parties = byActivity.get(r.activityId) ?? new Map<string, number>();
      parties.set(r.party, (parties.get(r.party) ?? 0) + r.count);
      byActivity.set(r.activityId, parties);
      if (r.area) areas.set(r.area, (areas.get(r.area) ?? 0) + 1);
    }
    const order = agreement.activities.map((a) => a.id);
    const rank = (id: string) => (order.indexOf(id) < 0 ? order.length : order.indexOf(id));
    const monday = mondayOfWeek(week as Parameters<typeof mondayOfWeek>[0]);
    return {
      agreement,
      week,
      from: monday,
      to: addLocalDays(monday, 6),
      reports: reports.length,
      activities: [...byActivity]
        .sort((a, b) => rank(a[0]) - rank(b[0]))
        .map(([activityId, parties]) => ({
          activityId,
          total: [...parties.values()].reduce((x, y) => x + y, 0),
          byParty: [...parties].map(([party, count]) => ({ party, count })),
        })),
      areas: [...areas]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([area]) => area)
        .filter((a) => safeText(a) !== undefined),
    };
  }

  /**
   * What `påminnelser` shows for a municipality: what the reminder policy will find due in the next
   * PLAN_DAYS days (asked of the same dueReminders as the scheduler, over the window from now to
   * the horizon; rapportörer who already reported this week are left out, later weeks count
   * everyone active who is not away), and what the ledger holds for it from the last SENT_DAYS days.
   */
  async plan(scope: string | undefined): Promise<ReminderPlan | undefined> {
    const { store, settings } = this.deps;
    const now = this.deps.clock.now();
    const to = new Date(now.getTime() + PLAN_DAYS * 86_400_000);
    const stored = await store.agreements.list();
    const scopes = scopesOf(stored);
    const current = currentOf(stored, scope, localDateOf(now, settings.zone));
    if (!current) return undefined;
    const agreement = current.agreement;
    const scopeKey = scope ?? scopes[0]?.key;
    const reporters = (await store.reporters.list()).filter((r) => belongsTo(r.scope, scopeKey ?? '', scopes.length));
    const meetings = await store.meetings.listOf(agreement.id);
    const link = await linkOfAgreement(store, agreement);
    const thisWeek = isoWeekOfLocalDate(localDateOf(now, settings.zone));
    const reported = new Set(
      (await store.reports.list({ agreementId: agreement.id, fromWeek: thisWeek, toWeek: thisWeek })).map(
        (r) => r.reporterId,
      ),
    );
    const weeklySummaryOn = !!link && !link.weeklySummaryOff;
    const { due, expired } = dueReminders({
      now: to,
      lastCheck: now,
      agreement,
      reporters,
      reportedThisWeek: (week) => (week === thisWeek ? reported : new Set<string>()),
      meetings,
      settings,
      weeklySummary: weeklySummaryOn,
    });
    const planned: PlannedReminder[] = [];
    const weekly = new Map<string, PlannedReminder>();
    for (const o of [...due, ...expired].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())) {
      if (o.kind === 'weekly') {
        const entry = weekly.get(o.week!);
        if (entry) entry.recipients! += 1;
        else {
          const item: PlannedReminder = {
            kind: 'weekly',
            dueAt: o.dueAt,
            key: weeklyOccurrenceKey(agreement.id, o.week!),
            recipients: 1,
            week: o.week!,
            toChannel: false,
          };
          weekly.set(o.week!, item);
          planned.push(item);
        }
        continue;
      }
      planned.push({
        kind: o.kind,
        dueAt: o.dueAt,
        key: o.key,
        toChannel: !!link,
        ...(o.week ? { week: o.week } : {}),
        ...(o.meetingId ? { meeting: meetings.find((m) => m.id === o.meetingId) } : {}),
        ...(o.tertial ? { tertial: o.tertial } : {}),
        ...(o.daysBefore !== undefined ? { daysBefore: o.daysBefore } : {}),
      });
    }
    if (this.deps.followUps) planned.push(...(await this.plannedFollowUps(agreement, now, to, !!link)));
    planned.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    // The ledger's keys name the agreement (or, for digests, the meeting): only this municipality's.
    const ids = new Set((await this.deps.agreements.ofScope(scopeKey)).map((a) => a.id));
    const meetingIds = new Set<string>();
    for (const id of ids) for (const m of await store.meetings.listOf(id)) meetingIds.add(m.id);
    const since = new Date(now.getTime() - SENT_DAYS * 86_400_000).toISOString();
    const sent = (await this.deps.delivery.overview({ since, limit: 500 }))
      .filter((o) => {
        const id = o.key.split(':')[1] ?? '';
        return o.kind === 'meetingDigest' ? meetingIds.has(id) : ids.has(id);
      })
      .slice(0, 25);
    return { agreement, from: now, to, channelLinked: !!link, weeklySummaryOn, planned, sent };
  }

  /**
   * What followUpPosts will send in (now, to]: each follow-up point's draft on the first working day
   * after it, and, while a signed follow-up is not communicated, the Monday reminders (the same
   * times and keys as followUpPosts; a follow-up communicated before then is not reminded).
   */
  private async plannedFollowUps(
    agreement: Agreement,
    now: Date,
    to: Date,
    toChannel: boolean,
  ): Promise<PlannedReminder[]> {
    const zone = this.deps.settings.zone;
    const inWindow = (at: Date) => at > now && at <= to;
    const out: PlannedReminder[] = [];
    for (const period of followUpPeriodsOf(agreement)) {
      const due = localDateTimeToInstant(nextWorkingDay(period.to), FOLLOW_UP_POST_TIME, zone);
      if (inWindow(due))
        out.push({
          kind: 'followUpDraft',
          dueAt: due,
          key: followUpDraftKey(agreement.id, period.key),
          toChannel,
          followUpPeriod: period,
        });
    }
    for (const period of kfPeriodsOf(agreement)) {
      const due = localDateTimeToInstant(nextWorkingDay(period.to), FOLLOW_UP_POST_TIME, zone);
      if (inWindow(due))
        out.push({
          kind: 'kfReport',
          dueAt: due,
          key: kfReportKey(agreement.id, period.key),
          toChannel,
          followUpPeriod: period,
        });
    }
    const awaiting = await this.deps.followUps!.awaitingCommunication(agreement.id);
    for (let day = 0; day <= PLAN_DAYS; day += 7) {
      const week = isoWeekOf(new Date(now.getTime() + day * 86_400_000), zone);
      const monday = localDateTimeToInstant(mondayOfWeek(week), FOLLOW_UP_POST_TIME, zone);
      if (!inWindow(monday)) continue;
      for (const stored of awaiting)
        out.push({
          kind: 'followUpCommunicate',
          dueAt: monday,
          key: followUpCommunicateKey(agreement.id, stored.periodKey, week),
          toChannel: true,
          followUpPeriod: stored.period,
        });
    }
    return out;
  }
}

function previousMinutes(meeting: Meeting): NonNullable<MeetingDigest['previous']> {
  const decisions = safeText(meeting.minutes?.decisions);
  const followUps = safeText(meeting.minutes?.followUps);
  return { meeting, ...(decisions ? { decisions } : {}), ...(followUps ? { followUps } : {}) };
}

function groupByWeek(occurrences: readonly DueReminder[]): Map<string, DueReminder[]> {
  const weeks = new Map<string, DueReminder[]>();
  for (const o of occurrences) {
    if (o.kind !== 'weekly') continue;
    const list = weeks.get(o.week!) ?? [];
    list.push(o);
    weeks.set(o.week!, list);
  }
  return weeks;
}
