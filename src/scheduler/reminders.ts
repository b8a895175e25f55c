import type { Agreement } from '../domain/agreement.js';
import { isoWeekOf, isoWeekOfLocalDate, localDateOf } from '../domain/calendar.js';
import { dueReminders as dueOccurrences, DEFAULT_LOOKBACK_MS, flaggedForMeeting, notReportedByParty, type DueReminder as Occurrence, type ReminderSettings } from '../domain/reminders.js';
import type { WeeklyReport } from '../domain/report.js';
import { screenDigest } from '../domain/outbound-guard.js';
import { atRiskOrBehind } from '../domain/status.js';
import type { AgreementService } from '../app/agreements.js';
import type { Clock } from '../app/clock.js';
import type { DeliveryEngine, DeliveryItem, DeliveryTarget, OutgoingMessage } from '../app/delivery.js';
import type { ChannelLink } from '../domain/channel-link.js';
import type { StoredConversation } from '../domain/conversation.js';
import type { Meeting } from '../domain/meeting.js';
import type { Reporter } from '../domain/reporter.js';
import type { Store } from '../app/ports.js';
import type { StatusService, StatusView } from '../app/status.js';
import type { Logger } from '../logger.js';

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
}

/** Turns reminder content into Teams messages (implemented in src/teams/). */
export interface ReminderRenderer {
  weeklyPersonal(reporter: Reporter, week: string): Promise<OutgoingMessage>;
  weeklyChannel(reporters: Reporter[], week: string): OutgoingMessage;
  meetingDigest(digest: MeetingDigest): OutgoingMessage;
  tertialSummary(view: StatusView, tertial: string): OutgoingMessage;
  periodWarning(agreement: Agreement, daysBefore: number): OutgoingMessage;
  conversationGone(conversation: StoredConversation | undefined): OutgoingMessage;
}

export interface ReminderSchedulerDeps {
  store: Store;
  agreements: AgreementService;
  status: StatusService;
  delivery: DeliveryEngine;
  renderer: ReminderRenderer;
  clock: Clock;
  logger: Logger;
  settings: ReminderSettings;
  /** The tenant of the bot registration: 1:1 chats only with people of this tenant (any in dev mode). */
  botTenantId?: string;
  coordinatorIds: () => Promise<string[]>;
}

/**
 * Decides what is due (the pure policy) and hands it to the delivery engine, which sends each
 * (occurrence, recipient) exactly once. Every tick looks back a week: what the ledger already has is
 * not sent again, what is no longer useful is recorded as skipped.
 */
export class ReminderScheduler {
  private lastCheck?: number;
  private running?: Promise<void>;

  constructor(private readonly deps: ReminderSchedulerDeps) {}

  /** One pass; concurrent calls share the pass in flight. */
  tick(): Promise<void> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  /** Resolves when no pass is running (for a clean stop). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<void> {
    const { store, clock, settings } = this.deps;
    const now = clock.now();
    const lastCheck = new Date(this.lastCheck ?? now.getTime() - DEFAULT_LOOKBACK_MS);
    const current = await this.deps.agreements.current();
    if (!current) return;
    const agreement = current.agreement;
    const reporters = await store.reporters.list();
    const meetings = (await store.meetings.list()).filter((m) => m.agreementId === agreement.id);
    // The policy asks synchronously about the weeks from lastCheck to now: read those weeks up front.
    const weekCache = new Map<string, Set<string>>();
    for (const r of await store.reports.list({ agreementId: agreement.id, fromWeek: isoWeekOfLocalDate(localDateOf(lastCheck, settings.zone)), toWeek: isoWeekOfLocalDate(localDateOf(now, settings.zone)) })) {
      let set = weekCache.get(r.week);
      if (!set) weekCache.set(r.week, (set = new Set()));
      set.add(r.reporterId);
    }
    const reportedThisWeek = (week: string) => weekCache.get(week) ?? new Set<string>();
    const { due, expired, invalidMeetings } = dueOccurrences({ now, lastCheck, agreement, reporters, reportedThisWeek, meetings, settings });
    for (const m of invalidMeetings) this.deps.logger.warn({ meetingId: m }, 'meeting with an invalid date ignored by reminders');
    const link = await store.channelLinks.get(agreement.id);
    const channel = link ? await this.channelTarget(link) : undefined;

    await Promise.all(expired.map((o) => this.skip(o, 'expired')));

    const weeklyToChannel = new Map<string, Reporter[]>();
    const jobs: Promise<unknown>[] = [];
    for (const o of due) {
      if (o.kind === 'weekly') {
        const reporter = reporters.find((r) => r.aadObjectId === o.reporterId);
        if (!reporter) continue;
        const personal = await this.personalTarget(reporter);
        if (personal) {
          jobs.push(this.deliver(o, [{ recipient: reporter.aadObjectId, target: personal, message: await this.deps.renderer.weeklyPersonal(reporter, o.week!) }]));
        } else {
          // Not reachable 1:1 (the other organisation's tenant, or no personal chat): one post in the
          // shared channel @mentions everyone of that week.
          jobs.push(this.deliver(o, [{ recipient: reporter.aadObjectId, target: channel ?? { conversationId: '' }, message: {}, skip: channel ? 'mentioned-in-channel' : 'no-channel' }]));
          const list = weeklyToChannel.get(o.week!) ?? [];
          list.push(reporter);
          weeklyToChannel.set(o.week!, list);
        }
      } else if (!channel) {
        jobs.push(this.skip(o, 'no-channel'));
      } else if (o.kind === 'meetingDigest') {
        const meeting = meetings.find((m) => m.id === o.meetingId);
        if (!meeting || meeting.cancelled || meeting.revision !== o.meetingRevision) continue;
        const digest = await this.digest(meeting, meetings, reporters);
        if (!digest) continue;
        jobs.push(this.deliver(o, [{ recipient: link!.conversationId, target: channel, message: this.deps.renderer.meetingDigest(digest) }]));
      } else if (o.kind === 'tertialSummary') {
        const view = await this.deps.status.current();
        if (view) jobs.push(this.deliver(o, [{ recipient: link!.conversationId, target: channel, message: this.deps.renderer.tertialSummary(view, o.tertial!) }]));
      } else if (o.kind === 'periodWarning') {
        jobs.push(this.deliver(o, [{ recipient: link!.conversationId, target: channel, message: this.deps.renderer.periodWarning(agreement, o.daysBefore!) }]));
      }
    }
    for (const [week, list] of weeklyToChannel) {
      if (!channel) continue;
      // One channel post per week at most: never spam the shared channel.
      const key = `weekly-channel:${agreement.id}:${week}`;
      jobs.push(this.deps.delivery.deliver({ key, kind: 'weeklyChannel', due: now.toISOString() }, [{ recipient: link!.conversationId, target: channel, message: this.deps.renderer.weeklyChannel(list, week) }]));
    }
    await Promise.all(jobs);
    this.lastCheck = now.getTime();
  }

  /** Coordinators are told once when the bot was removed from a conversation. */
  async conversationGone(conversationId: string): Promise<void> {
    const conversation = await this.deps.store.conversations.get(conversationId);
    const ids = new Set((await this.deps.coordinatorIds()).map((i) => i.toLowerCase()));
    const personal = (await this.deps.store.conversations.list({ active: true, kind: 'personal' })).filter((c) => c.userAadObjectId && ids.has(c.userAadObjectId.toLowerCase()));
    if (personal.length === 0) {
      this.deps.logger.warn({ conversationId }, 'the bot was removed from a conversation and no coordinator can be told 1:1');
      return;
    }
    const message = this.deps.renderer.conversationGone(conversation);
    await this.deps.delivery.deliver(
      { key: `conversation-gone:${conversationId}`, kind: 'conversationGone', due: this.deps.clock.now().toISOString() },
      personal.map((c) => ({ recipient: c.userAadObjectId!, target: { conversationId: c.id, tenantId: c.tenantId }, message })),
    );
  }

  private deliver(o: Occurrence, items: DeliveryItem[]) {
    return this.deps.delivery.deliver({ key: o.key, kind: o.kind, due: o.dueAt.toISOString() }, items);
  }

  private skip(o: Occurrence, reason: string) {
    const recipient = o.reporterId ?? 'channel';
    return this.deliver(o, [{ recipient, target: { conversationId: '' }, message: {}, skip: reason }]);
  }

  private async personalTarget(r: Reporter): Promise<DeliveryTarget | undefined> {
    if (this.deps.botTenantId && r.tenantId && r.tenantId.toLowerCase() !== this.deps.botTenantId.toLowerCase()) return undefined;
    const candidates = (await this.deps.store.conversations.list({ active: true, kind: 'personal' })).filter(
      (c) => c.id === r.personalConversationId || (c.userAadObjectId && c.userAadObjectId.toLowerCase() === r.aadObjectId.toLowerCase()),
    );
    const c = candidates.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
    return c ? { conversationId: c.id, tenantId: c.tenantId } : undefined;
  }

  /** A new post in the linked channel: the team's stored reference with the channel's id. */
  private async channelTarget(link: ChannelLink): Promise<DeliveryTarget | undefined> {
    const all = await this.deps.store.conversations.list({ active: true, kind: 'channel' });
    const sameTeam = all.filter((c) => (link.teamId && c.teamId === link.teamId) || c.id === link.conversationId || c.id.startsWith(`${link.conversationId};`));
    const c = sameTeam.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
    if (!c) return undefined;
    return { conversationId: c.id, tenantId: link.tenantId ?? c.tenantId, channelPost: { teamConversationId: c.id, channelId: link.conversationId } };
  }

  private async digest(meeting: Meeting, meetings: Meeting[], reporters: Reporter[]): Promise<MeetingDigest | undefined> {
    const view = await this.deps.status.current();
    if (!view) return undefined;
    const start = `${meeting.date}T${meeting.time}`;
    const previous = meetings
      .filter((m) => !m.cancelled && m.id !== meeting.id && `${m.date}T${m.time}` < start)
      .sort((a, b) => `${b.date}T${b.time}`.localeCompare(`${a.date}T${a.time}`))[0];
    const since = previous ? previous.date : view.agreement.periodStart;
    const today = localDateOf(this.deps.clock.now());
    // Only the weeks since the previous meeting are read (a report's date lies in its week).
    const reports = await this.deps.store.reports.list({ agreementId: view.agreement.id, fromWeek: isoWeekOfLocalDate(since), toWeek: isoWeekOfLocalDate(today) });
    const recent = reports.filter((r) => r.date >= since && r.date <= today);
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
    if (screened.leftOut > 0) this.deps.logger.warn({ meetingId: meeting.id, leftOut: screened.leftOut }, 'digest items left out by the privacy guard');
    return {
      meeting: screened.meeting,
      view,
      since,
      reportsSince: recent.length,
      attention: { activities: screened.behind, pledges: attention.pledges },
      raised: flagged.items,
      raisedMore: flagged.more,
      notReported: notReportedByParty(reporters, reportedIds, today),
      leftOut: screened.leftOut,
    };
  }

  currentWeek(): string {
    return isoWeekOf(this.deps.clock.now());
  }
}
