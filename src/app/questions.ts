import type { Agreement } from '../domain/agreement.js';
import {
  addWeeks,
  compareWeeks,
  isoWeekOf,
  isoWeekOfLocalDate,
  localDateOf,
  weekStart,
  type IsoWeek,
  type LocalDate,
} from '../domain/calendar.js';
import {
  parseQuestion,
  windowDates,
  type AgeBand,
  type GroupBy,
  type Question,
  type Window,
} from '../domain/questions/index.js';
import { screenReports } from '../domain/outbound-guard.js';
import { REPORTING_PARTIES, type ReportingParty } from '../domain/party.js';
import type { WeeklyReport } from '../domain/report.js';
import { splitPartyAreaKey } from '../domain/report-tally.js';
import { countReports, behindActivities, type ActivityStatus, type ReportCountFilter } from '../domain/status.js';
import type { Actor } from './actor.js';
import type { Clock } from './clock.js';
import type { Store } from './ports.js';
import { reportersOfScope } from './scopes.js';
import type { StatusService, StatusView } from './status.js';

/** Longer chat messages are not parsed as questions. */
export const MAX_QUESTION_CHARS = 500;

/**
 * What an answer is about, stated on every answer: what · when · who · where. Rendered to a scope
 * line by the Teams layer ("Trafikkontroller · vecka 10 2024 · Polisen · Resecentrum").
 */
export interface AnswerScope {
  activityIds: string[];
  pledgeNumber?: number;
  window?: Window;
  party?: ReportingParty;
  area?: string;
  ageBand?: AgeBand;
}

export interface GoalProgress {
  activityId: string;
  pledgeNumber: number;
  /** Counted in the target window (this year clipped to the period, or the whole period). */
  count: number;
  target: number;
  window: { kind: 'year' | 'period'; from: LocalDate; to: LocalDate };
  reached: boolean;
  /** The target window has ended (a past year, or the period is over): no "not yet", no pace. */
  over: boolean;
  remaining: number;
  /** Weeks left in the target window: its days from today on, today included, divided by 7. */
  weeksLeft: number;
  /** The weekly pace that reaches the target by the window's end (at least one week); undefined once reached or over. */
  perWeekNeeded?: number;
  level: ActivityStatus['effectiveLevel'];
  expectedByToday: number;
}

/** What an answer holds: numbers from the store only, rendered to text by the Teams layer. */
export type Answer =
  | { kind: 'status'; view: StatusView; pledgeNumber?: number }
  | {
      kind: 'count';
      view: StatusView;
      scope: AnswerScope;
      total: number;
      perActivity: { activityId: string; count: number }[];
      groupBy?: GroupBy;
      groups?: { key: string; count: number }[];
    }
  | {
      kind: 'recent';
      view: StatusView;
      scope: AnswerScope;
      reports: Readonly<WeeklyReport>[];
      /** Left out by the privacy guard. */ leftOut: number;
    }
  | {
      kind: 'summary';
      view: StatusView;
      scope: AnswerScope & { window: Window };
      total: number;
      reportCount: number;
      perActivity: { activityId: string; count: number }[];
      latest: Readonly<WeeklyReport>[];
      leftOut: number;
    }
  | { kind: 'goal'; view: StatusView; scope: AnswerScope; goals: GoalProgress[] }
  | {
      kind: 'reports';
      view: StatusView;
      scope: AnswerScope & { window: Window };
      reports: number;
      reporters: number;
      perParty: { party: ReportingParty; reports: number; reporters: number }[];
    }
  | {
      kind: 'compare';
      view: StatusView;
      scope: AnswerScope & { window: Window };
      previous: Window;
      total: number;
      previousTotal: number;
      perActivity: { activityId: string; count: number; previous: number }[];
    }
  | { kind: 'behind'; view: StatusView; activities: ActivityStatus[] }
  | {
      kind: 'missingReporters';
      view: StatusView;
      week: string;
      thisWeek: boolean;
      missing: { Polisen: number; Kommunen: number };
      basis: 'registered' | 'recent';
      names?: { Polisen: string[]; Kommunen: string[] };
    }
  | { kind: 'nextMeeting'; view: StatusView }
  | { kind: 'raise'; view: StatusView; flagged: Readonly<WeeklyReport>[]; since?: LocalDate; leftOut: number }
  | { kind: 'targets'; view: StatusView; activityIds: string[] }
  /** The window lies outside the agreement's period, or wholly after today: said, not counted. */
  | { kind: 'outOfRange'; view: StatusView; window: Window; reason: 'outsidePeriod' | 'future' }
  | { kind: 'forbidden' }
  | { kind: 'noAgreement' }
  | { kind: 'unknown'; notUnderstood?: string[] };

/** Where the question was asked: names of people are shown only to coordinators in a personal chat. */
export interface AskedIn {
  personal: boolean;
}

/** How many reports a "senaste" question lists, and how many a summary quotes. */
const RECENT_LIMIT = 8;
const SUMMARY_LATEST = 5;
/** How many flagged reports "what to raise" lists. */
const RAISE_LIMIT = 10;

const newestFirst = (x: Readonly<WeeklyReport>, y: Readonly<WeeklyReport>): number =>
  y.date.localeCompare(x.date) || y.createdAt.localeCompare(x.createdAt);

/** Answers questions deterministically from the store; every number comes from the reports. */
export class QuestionService {
  constructor(
    private readonly store: Store,
    private readonly status: StatusService,
    private readonly clock: Clock,
    private readonly areas: string[],
  ) {}

  /** The areas of an agreement's report card: its own, else REPORT_AREAS. */
  private areasOf(agreement: Agreement): string[] {
    return agreement.areas ?? this.areas;
  }

  /** Reads a question about `scope`'s current agreement (absent: the deployment's only municipality). */
  async parse(text: string, scope?: string): Promise<Question> {
    // A question is a sentence. The parser's cost grows faster than the text, so a long message
    // (up to the body limit) would hold the event loop for seconds: it gets the examples instead.
    if (text.length > MAX_QUESTION_CHARS) return { kind: 'unknown' };
    const view = await this.status.current(scope);
    if (!view) return { kind: 'unknown' };
    return parseQuestion(text, view.agreement, view.today, { areas: this.areasOf(view.agreement) });
  }

  /**
   * A question typed in chat, read and answered on one view of the actor's municipality: its
   * agreement, status and meetings are read once per turn.
   */
  async ask(text: string, actor: Actor, askedIn: AskedIn = { personal: false }): Promise<Answer> {
    if (text.length > MAX_QUESTION_CHARS) return { kind: 'unknown' };
    const view = await this.status.current(actor.scope);
    if (!view) return { kind: 'unknown' };
    const question = parseQuestion(text, view.agreement, view.today, { areas: this.areasOf(view.agreement) });
    return this.answerFrom(question, view, actor, askedIn);
  }

  async answer(question: Question, actor: Actor, askedIn: AskedIn = { personal: false }): Promise<Answer> {
    if (question.kind === 'unknown')
      return question.notUnderstood ? { kind: 'unknown', notUnderstood: question.notUnderstood } : { kind: 'unknown' };
    const view = await this.status.current(actor.scope);
    if (!view) return { kind: 'noAgreement' };
    return this.answerFrom(question, view, actor, askedIn);
  }

  private async answerFrom(question: Question, view: StatusView, actor: Actor, askedIn: AskedIn): Promise<Answer> {
    if (question.kind === 'unknown')
      return question.notUnderstood ? { kind: 'unknown', notUnderstood: question.notUnderstood } : { kind: 'unknown' };
    const a = view.agreement;
    const tally = await this.store.reports.tally(a.id);
    const activitiesOf = (ids: readonly string[] | undefined, pledgeNumber: number | undefined): string[] =>
      ids && ids.length > 0
        ? [...ids]
        : a.activities.filter((x) => pledgeNumber === undefined || x.pledgeNumber === pledgeNumber).map((x) => x.id);
    /** Counted ids: the named activities, or every reportable one (with Övrigt) of the pledge / agreement. */
    const countedIds = (ids: readonly string[] | undefined, pledgeNumber: number | undefined): string[] => {
      if (ids && ids.length > 0) return [...ids];
      return view.status.activities
        .filter((x) => pledgeNumber === undefined || x.pledgeNumber === pledgeNumber)
        .map((x) => x.activityId);
    };
    const outOfRange = (w: Window): Answer | undefined => {
      const { from, to } = windowDates(w, a);
      if (to < a.periodStart || from > a.periodEnd)
        return { kind: 'outOfRange', view, window: w, reason: 'outsidePeriod' };
      if (from > view.today) return { kind: 'outOfRange', view, window: w, reason: 'future' };
      return undefined;
    };
    const filterOf = (w: Window, extra: Partial<ReportCountFilter>): ReportCountFilter => {
      const { from, to } = windowDates(w, a);
      return { agreementId: a.id, fromDate: from, toDate: to, ...extra };
    };
    const scopeOf = (q: {
      activityIds?: string[];
      pledgeNumber?: number;
      window?: Window;
      party?: ReportingParty;
      area?: string;
      ageBand?: AgeBand;
    }): AnswerScope => ({
      activityIds: q.activityIds ?? [],
      ...(q.pledgeNumber !== undefined ? { pledgeNumber: q.pledgeNumber } : {}),
      ...(q.window ? { window: q.window } : {}),
      ...(q.party ? { party: q.party } : {}),
      ...(q.area ? { area: q.area } : {}),
      ...(q.ageBand ? { ageBand: q.ageBand } : {}),
    });

    switch (question.kind) {
      case 'overallStatus':
        return { kind: 'status', view };
      case 'pledgeStatus':
      case 'activityStatus':
        return { kind: 'status', view, pledgeNumber: question.pledgeNumber };
      case 'count': {
        const off = outOfRange(question.window);
        if (off) return off;
        // People by age band are reported for youth activities and Övrigt only: the others have none to count.
        const youth = (id: string) => id.startsWith('ovrigt-') || a.activities.some((x) => x.id === id && x.youthFocus);
        const ids =
          question.ageBand || question.groupBy === 'ageBand'
            ? question.activityIds.length > 0
              ? [...question.activityIds]
              : countedIds(question.activityIds, question.pledgeNumber).filter(youth)
            : activitiesOf(question.activityIds, question.pledgeNumber);
        const base = { party: question.party, area: question.area, measure: question.ageBand ?? 'count' } as const;
        const f = (extra: Partial<ReportCountFilter>, id: string) =>
          filterOf(question.window, { ...base, ...extra, activityIds: [id] });
        const perActivity = ids.map((id) => ({ activityId: id, count: countReports(tally, f({}, id)) }));
        const answer: Answer = {
          kind: 'count',
          view,
          scope: scopeOf({ ...question, activityIds: question.activityIds }),
          total: perActivity.reduce((s, x) => s + x.count, 0),
          perActivity,
        };
        if (question.groupBy === 'area') {
          const areas = await this.areaNames(a, ids);
          answer.groupBy = 'area';
          answer.groups = areas
            .map((area) => ({ key: area, count: ids.reduce((s, id) => s + countReports(tally, f({ area }, id)), 0) }))
            .filter((g) => g.count > 0 || this.areasOf(a).includes(g.key));
        } else if (question.groupBy === 'party') {
          answer.groupBy = 'party';
          answer.groups = REPORTING_PARTIES.map((party) => ({
            key: party,
            count: ids.reduce((s, id) => s + countReports(tally, f({ party }, id)), 0),
          }));
        } else if (question.groupBy === 'ageBand') {
          answer.groupBy = 'ageBand';
          answer.groups = (['under18', 'from18to21', 'over21'] as const).map((band) => ({
            key: band,
            count: ids.reduce((s, id) => s + countReports(tally, f({ measure: band }, id)), 0),
          }));
        }
        return answer;
      }
      case 'summary': {
        const off = outOfRange(question.window);
        if (off) return off;
        const ids = countedIds(question.activityIds, question.pledgeNumber);
        const f = (extra: Partial<ReportCountFilter>) =>
          filterOf(question.window, { party: question.party, area: question.area, ...extra });
        const perActivity = ids.map((id) => ({ activityId: id, count: countReports(tally, f({ activityIds: [id] })) }));
        const reportCount = countReports(tally, f({ activityIds: ids, measure: 'reports' }));
        const { from, to } = windowDates(question.window, a);
        const { reports: latest, leftOut } = await this.latestReports(
          a.id,
          SUMMARY_LATEST,
          (r) =>
            r.date >= from &&
            r.date <= to &&
            ids.includes(r.activityId) &&
            (!question.party || r.party === question.party) &&
            (!question.area || r.area === question.area),
          from,
          to,
        );
        return {
          kind: 'summary',
          view,
          scope: { ...scopeOf(question), window: question.window },
          total: perActivity.reduce((s, x) => s + x.count, 0),
          reportCount,
          perActivity,
          latest,
          leftOut,
        };
      }
      case 'recent': {
        const ids = question.activityIds;
        const matches = (r: Readonly<WeeklyReport>) =>
          (!question.area || r.area === question.area) &&
          (!question.party || r.party === question.party) &&
          (question.pledgeNumber === undefined || r.pledgeNumber === question.pledgeNumber) &&
          (!ids || ids.includes(r.activityId));
        const { reports, leftOut } = await this.latestReports(a.id, RECENT_LIMIT, matches, undefined, view.today);
        return { kind: 'recent', view, scope: scopeOf(question), reports, leftOut };
      }
      case 'goal': {
        const ids = new Set(activitiesOf(question.activityIds, question.pledgeNumber));
        // A past year is judged as it stood at its last day (no pace: the window is over).
        const status = question.year !== undefined ? await this.status.at(a, `${question.year}-12-31`) : view.status;
        const over = question.year !== undefined || view.status.final;
        const goals = status.activities
          .filter((s) => ids.has(s.activityId) && s.target !== undefined && s.window !== undefined)
          .map((s): GoalProgress => {
            const target = Math.round(s.window!.target * 10) / 10;
            const count = s.windowCount ?? 0;
            const remaining = Math.max(0, Math.ceil(s.window!.target - count));
            // The days left in the target window, today included, as weeks: the last week of a year
            // may hold only a day or two of it, so whole ISO weeks would understate the pace needed.
            const weeksLeft = over ? 0 : Math.max(0, daysFromTo(view.today, s.window!.to)) / 7;
            return {
              activityId: s.activityId,
              pledgeNumber: s.pledgeNumber,
              count,
              target,
              window: s.window!,
              reached: count >= s.window!.target,
              remaining,
              weeksLeft,
              over,
              ...(remaining > 0 && !over && weeksLeft > 0 ? { perWeekNeeded: remaining / Math.max(1, weeksLeft) } : {}),
              level: s.effectiveLevel,
              expectedByToday: s.expectedByToday ?? 0,
            };
          });
        return { kind: 'goal', view, scope: scopeOf(question), goals };
      }
      case 'reports': {
        const off = outOfRange(question.window);
        if (off) return off;
        const { from, to } = windowDates(question.window, a);
        const rows = (
          await this.store.reports.list({
            agreementId: a.id,
            fromWeek: isoWeekOfLocalDate(from),
            toWeek: isoWeekOfLocalDate(to),
          })
        ).filter(
          (r) => !r.withdrawn && r.date >= from && r.date <= to && (!question.party || r.party === question.party),
        );
        const perParty = REPORTING_PARTIES.filter((p) => !question.party || p === question.party).map((party) => {
          const mine = rows.filter((r) => r.party === party);
          return { party, reports: mine.length, reporters: new Set(mine.map((r) => r.reporterId)).size };
        });
        return {
          kind: 'reports',
          view,
          scope: { ...scopeOf(question), window: question.window },
          reports: rows.length,
          reporters: new Set(rows.map((r) => r.reporterId)).size,
          perParty,
        };
      }
      case 'compare': {
        const off = outOfRange(question.window);
        if (off) return off;
        const ids = countedIds(question.activityIds, question.pledgeNumber);
        const base = { party: question.party, area: question.area };
        const perActivity = ids.map((id) => ({
          activityId: id,
          count: countReports(tally, filterOf(question.window, { ...base, activityIds: [id] })),
          previous: countReports(tally, filterOf(question.previous, { ...base, activityIds: [id] })),
        }));
        return {
          kind: 'compare',
          view,
          scope: { ...scopeOf(question), window: question.window },
          previous: question.previous,
          total: perActivity.reduce((s, x) => s + x.count, 0),
          previousTotal: perActivity.reduce((s, x) => s + x.previous, 0),
          perActivity,
        };
      }
      case 'behind':
        return { kind: 'behind', view, activities: behindActivities(view.status) };
      case 'missingReporters':
        return this.missingReporters(view, actor, askedIn, question.week);
      case 'nextMeeting':
        return { kind: 'nextMeeting', view };
      case 'raise': {
        // Flagged since the last meeting held (or ever, when none is known), newest first.
        const held = (await this.store.meetings.listOf(a.id))
          .filter((m) => !m.cancelled && m.date < view.today)
          .map((m) => m.date)
          .sort();
        const since = held[held.length - 1];
        const { reports: flagged, leftOut } = await this.latestReports(
          a.id,
          RAISE_LIMIT,
          (r) => r.raiseAtNextMeeting && (since === undefined || r.date >= since),
          since,
          view.today,
        );
        return { kind: 'raise', view, flagged, leftOut, ...(since !== undefined ? { since } : {}) };
      }
      case 'targets':
        return { kind: 'targets', view, activityIds: activitiesOf(question.activityIds, question.pledgeNumber) };
    }
  }

  /** The areas to list in a count per area: the configured ones, then any others the reports hold. */
  private async areaNames(agreement: Agreement, ids: readonly string[]): Promise<string[]> {
    const agreementId = agreement.id;
    const seen = new Set<string>(this.areasOf(agreement));
    for (const act of (await this.store.reports.tally(agreementId)).activities(agreementId)) {
      if (!ids.includes(act.activityId)) continue;
      for (const key of act.byPartyArea.keys()) seen.add(splitPartyAreaKey(key).area);
    }
    return [...seen];
  }

  /**
   * The newest reports that match, at most `limit`, reading week by week from the newest: once a
   * week's matches make `limit`, no earlier week can hold a newer one.
   */
  /**
   * The newest reports that `keep` accepts, at most `limit`. Reports are quoted in answers, so each
   * is checked again with the current privacy guard: one that fails is left out and counted.
   */
  private async latestReports(
    agreementId: string,
    limit: number,
    keep: (r: Readonly<WeeklyReport>) => boolean,
    from?: LocalDate,
    to?: LocalDate,
  ): Promise<{ reports: Readonly<WeeklyReport>[]; leftOut: number }> {
    const fromWeek = from ? isoWeekOfLocalDate(from) : undefined;
    const toWeek = to ? isoWeekOfLocalDate(to) : undefined;
    const weeks = (await this.store.reports.weeks(agreementId))
      .filter((w) => (!fromWeek || compareWeeks(w, fromWeek) >= 0) && (!toWeek || compareWeeks(w, toWeek) <= 0))
      .sort()
      .reverse();
    const found: Readonly<WeeklyReport>[] = [];
    let leftOut = 0;
    for (const week of weeks) {
      if (found.length >= limit) break;
      const matching = (await this.store.reports.list({ agreementId, fromWeek: week, toWeek: week })).filter(
        (r) => !r.withdrawn && (!from || r.date >= from) && (!to || r.date <= to) && keep(r),
      );
      const screened = screenReports(matching);
      found.push(...screened.kept);
      leftOut += screened.leftOut;
    }
    return { reports: found.sort(newestFirst).slice(0, limit), leftOut };
  }

  private async missingReporters(view: StatusView, actor: Actor, askedIn: AskedIn, asked?: IsoWeek): Promise<Answer> {
    if (!actor.isCoordinator) return { kind: 'forbidden' };
    const a = view.agreement;
    const current: IsoWeek = isoWeekOf(this.clock.now());
    const week: IsoWeek = asked ?? current;
    const thisWeek = week === current;
    // Away that week: the absence noted reaches its Monday (only the end of an absence is stored).
    const today = thisWeek ? view.today : localDateOf(weekStart(week));
    const reports = this.store.reports;
    const reportedThisWeek = new Set(
      (await reports.list({ agreementId: a.id, fromWeek: week, toWeek: week })).map((r) => r.reporterId),
    );
    const missing = { Polisen: 0, Kommunen: 0 };
    const registered = (await reportersOfScope(this.store, actor.scope)).filter(
      (r) => r.active && !(r.absentUntil && r.absentUntil >= today),
    );
    if (registered.length > 0) {
      const names = { Polisen: [] as string[], Kommunen: [] as string[] };
      for (const r of registered) {
        if (reportedThisWeek.has(r.aadObjectId)) continue;
        missing[r.party]++;
        if (r.name) names[r.party].push(r.name);
      }
      // Names of people only in a coordinator's personal chat; counts everywhere else.
      const withNames = askedIn.personal
        ? { names: { Polisen: names.Polisen.sort(), Kommunen: names.Kommunen.sort() } }
        : {};
      return { kind: 'missingReporters', view, week, thisWeek, missing, basis: 'registered', ...withNames };
    }
    // Nobody has registered yet: the reporters are those who reported in the last 8 weeks.
    const recent = await reports.list({ agreementId: a.id, fromWeek: addWeeks(week, -8), toWeek: week });
    const parties = new Map<string, ReportingParty>();
    for (const r of recent) parties.set(r.reporterId, r.party);
    for (const [id, party] of parties) if (!reportedThisWeek.has(id)) missing[party]++;
    return { kind: 'missingReporters', view, week, thisWeek, missing, basis: 'recent' };
  }
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
function daysFromTo(from: LocalDate, to: LocalDate): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1);
}

export type { Agreement };
