import type { Agreement } from '../domain/agreement.js';
import { addWeeks, isoWeekOf, tertialLocalDates } from '../domain/calendar.js';
import { parseQuestion, type Question, type Window } from '../domain/questions.js';
import { screenReports } from '../domain/outbound-guard.js';
import type { WeeklyReport } from '../domain/report.js';
import { countReports, behindActivities, type ActivityStatus } from '../domain/status.js';
import type { Actor } from './actor.js';
import type { Clock } from './clock.js';
import type { Store } from './ports.js';
import type { StatusService, StatusView } from './status.js';

/** Longer chat messages are not parsed as questions. */
export const MAX_QUESTION_CHARS = 500;

/** What an answer holds: numbers from the store only, rendered to text by the Teams layer. */
export type Answer =
  | { kind: 'status'; view: StatusView; pledgeNumber?: number }
  | { kind: 'count'; view: StatusView; activityIds: string[]; pledgeNumber?: number; window: Window; total: number; perActivity: { activityId: string; count: number }[] }
  | { kind: 'recent'; view: StatusView; area?: string; pledgeNumber?: number; reports: Readonly<WeeklyReport>[]; /** Left out by the privacy guard. */ leftOut?: number }
  | { kind: 'behind'; view: StatusView; activities: ActivityStatus[] }
  | { kind: 'missingReporters'; view: StatusView; week: string; missing: { Polisen: number; Kommunen: number }; basis: 'registered' | 'recent' }
  | { kind: 'nextMeeting'; view: StatusView }
  | { kind: 'targets'; view: StatusView; activityIds: string[] }
  | { kind: 'forbidden' }
  | { kind: 'noAgreement' }
  | { kind: 'unknown' };

function windowRange(w: Window, a: Agreement): { fromDate?: string; toDate?: string; week?: string } {
  switch (w.kind) {
    case 'week':
      return { week: w.week };
    case 'tertial': {
      const { first, last } = tertialLocalDates(w.tertial);
      return { fromDate: first, toDate: last };
    }
    case 'year':
      return { fromDate: `${w.year}-01-01`, toDate: `${w.year}-12-31` };
    case 'period':
      return { fromDate: a.periodStart, toDate: a.periodEnd };
  }
}

/** How many reports a "senaste" question lists. */
const RECENT_LIMIT = 8;

/** Answers questions deterministically from the store; every number comes from the reports. */
export class QuestionService {
  constructor(
    private readonly store: Store,
    private readonly status: StatusService,
    private readonly clock: Clock,
    private readonly areas: string[],
  ) {}

  async parse(text: string): Promise<Question> {
    // A question is a sentence. The parser's cost grows faster than the text, so a long message
    // (up to the body limit) would hold the event loop for seconds: it gets the examples instead.
    if (text.length > MAX_QUESTION_CHARS) return { kind: 'unknown' };
    const view = await this.status.current();
    if (!view) return { kind: 'unknown' };
    return parseQuestion(text, view.agreement, view.today, { areas: this.areas });
  }

  async answer(question: Question, actor: Actor): Promise<Answer> {
    if (question.kind === 'unknown') return { kind: 'unknown' };
    const view = await this.status.current();
    if (!view) return { kind: 'noAgreement' };
    const a = view.agreement;
    const reports = this.store.reports;
    switch (question.kind) {
      case 'overallStatus':
        return { kind: 'status', view };
      case 'pledgeStatus':
      case 'activityStatus':
        return { kind: 'status', view, pledgeNumber: question.pledgeNumber };
      case 'count': {
        const ids = question.activityIds.length > 0 ? question.activityIds : a.activities.filter((x) => question.pledgeNumber === undefined || x.pledgeNumber === question.pledgeNumber).map((x) => x.id);
        const range = windowRange(question.window, a);
        const perActivity = ids.map((id) => ({ activityId: id, count: countReports(reports.tally, { ...range, agreementId: a.id, activityIds: [id] }) }));
        return { kind: 'count', view, activityIds: ids, pledgeNumber: question.pledgeNumber, window: question.window, total: perActivity.reduce((s, x) => s + x.count, 0), perActivity };
      }
      case 'recent': {
        const ids = question.activityIds;
        const matches = (r: Readonly<WeeklyReport>) =>
          (!question.area || r.area === question.area) && (question.pledgeNumber === undefined || r.pledgeNumber === question.pledgeNumber) && (!ids || ids.includes(r.activityId)) && r.date <= view.today;
        // Newest weeks first: a report's date lies in its week, so once a week's reports make eight,
        // no earlier week can hold a newer one.
        const found: Readonly<WeeklyReport>[] = [];
        for (const week of reports.weeks().sort().reverse()) {
          if (found.length >= RECENT_LIMIT) break;
          for (const r of await reports.list({ agreementId: a.id, fromWeek: week, toWeek: week })) if (matches(r)) found.push(r);
        }
        // Reports quoted in an answer are checked again with the current privacy guard.
        const screened = screenReports(found.sort((x, y) => y.date.localeCompare(x.date) || y.createdAt.localeCompare(x.createdAt)));
        const recent = screened.kept.slice(0, RECENT_LIMIT);
        return { kind: 'recent', view, area: question.area, pledgeNumber: question.pledgeNumber, reports: recent, leftOut: screened.leftOut };
      }
      case 'behind':
        return { kind: 'behind', view, activities: behindActivities(view.status) };
      case 'missingReporters': {
        if (!actor.isCoordinator) return { kind: 'forbidden' };
        const week = isoWeekOf(this.clock.now());
        const today = view.today;
        const reportedThisWeek = new Set((await reports.list({ agreementId: a.id, fromWeek: week, toWeek: week })).map((r) => r.reporterId));
        const missing = { Polisen: 0, Kommunen: 0 };
        const registered = (await this.store.reporters.list()).filter((r) => r.active && !(r.absentUntil && r.absentUntil >= today));
        if (registered.length > 0) {
          for (const r of registered) if (!reportedThisWeek.has(r.aadObjectId)) missing[r.party]++;
          return { kind: 'missingReporters', view, week, missing, basis: 'registered' };
        }
        // Nobody has registered yet: the reporters are those who reported in the last 8 weeks.
        const recent = await reports.list({ agreementId: a.id, fromWeek: addWeeks(week, -8), toWeek: week });
        const parties = new Map<string, 'Polisen' | 'Kommunen'>();
        for (const r of recent) parties.set(r.reporterId, r.party);
        for (const [id, party] of parties) if (!reportedThisWeek.has(id)) missing[party]++;
        return { kind: 'missingReporters', view, week, missing, basis: 'recent' };
      }
      case 'nextMeeting':
        return { kind: 'nextMeeting', view };
      case 'targets':
        return { kind: 'targets', view, activityIds: question.activityIds ?? a.activities.filter((x) => question.pledgeNumber === undefined || x.pledgeNumber === question.pledgeNumber).map((x) => x.id) };
    }
  }
}
