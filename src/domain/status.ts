import { z } from 'zod';
import type { Agreement } from './agreement.js';
import {
  addWeeks,
  isoWeekOfLocalDate,
  parseLocalDate,
  parseTertial,
  tertialOfLocalDate,
  type IsoWeek,
  type LocalDate,
  type Tertial,
} from './calendar.js';
import type { StoredOverride } from './override.js';
import { reportableActivities, type WeeklyReport } from './report.js';
import { ReportTally, splitPartyAreaKey, type TallyCell } from './report-tally.js';

/**
 * Status of a medborgarlöfte against its targets, computed from the weekly reports.
 *
 * Pure: no I/O, no clock (today is a parameter), no UI text. Computed from running totals per
 * activity, date and week (`ReportTally`), so the cost does not grow with the number of reports. The Swedish labels for the levels
 * (I fas, Risk, Efter, Uppnått, Inget mål) live in the texts module.
 *
 * Rules, in short:
 * - Only reports of this agreement that are not withdrawn, dated within the period and not after
 *   today count. Counts by date (tertial, calendar year, period) follow the report's date; the week
 *   count follows the report's ISO week, so 2024-12-30 counts for year 2024 and for week 2025-W01.
 * - After the period end, everything is judged as of the last day of the period (`final`).
 * - perYear targets are judged in the calendar year of the judgement date, clipped to the period:
 *   expected = target × (days of the clipped year elapsed, today included) / days in the year, so a
 *   period that starts or ends mid-year pro-rates the target for that year.
 * - perPeriod targets: expected = target × days of the period elapsed / days in the period.
 */

/** The level of an activity or pledge against its target; the Swedish labels live in the texts module. */
export const STATUS_LEVELS = ['onTrack', 'atRisk', 'behind', 'achieved', 'noTarget'] as const;
export const StatusLevelSchema = z.enum(STATUS_LEVELS);
export type StatusLevel = z.infer<typeof StatusLevelSchema>;
export type Trend = 'up' | 'down' | 'flat';

/** Fractions of the expected pace: pace ≥ riskBelow → onTrack; ≥ behindBelow → atRisk; else behind. */
export interface StatusThresholds {
  riskBelow: number;
  behindBelow: number;
}

export const DEFAULT_THRESHOLDS: Readonly<StatusThresholds> = Object.freeze({ riskBelow: 0.9, behindBelow: 0.7 });

/**
 * A coordinator's judgement that overrides the computed level; the computed figures stay visible.
 * When activityId is set the override is for that activity (pledgeNumber is then only informative);
 * the newest override (by `at`) per activity or pledge applies.
 */
export type StatusOverride = Pick<StoredOverride, 'pledgeNumber' | 'activityId' | 'level' | 'reason' | 'by' | 'at'>;

/** The window a target is judged in: a calendar year clipped to the period, or the whole period. */
export interface TargetWindow {
  kind: 'year' | 'period';
  from: LocalDate;
  to: LocalDate;
  /** The target for this window: the full target, pro-rated when a year is clipped by the period. */
  target: number;
}

export interface ActivityCounts {
  /** The ISO week of the judgement date (today, or the period end when final). */
  week: number;
  tertial: number;
  /** The calendar year of the judgement date. */
  year: number;
  /** From the period start up to the judgement date. */
  period: number;
}

export interface ActivityStatus {
  activityId: string;
  pledgeNumber: number;
  /** true for the "Övrigt" pseudo-activity of a pledge (never has a target). */
  isOther: boolean;
  /** The agreement's target count (per year or per period); absent when the activity has none. */
  target?: number;
  targetKind?: 'perYear' | 'perPeriod';
  window?: TargetWindow;
  /** Count within the target window (the year count for perYear, the period count for perPeriod). */
  windowCount?: number;
  counts: ActivityCounts;
  expectedByToday?: number;
  /** windowCount / expectedByToday; absent when nothing is expected yet. */
  pace?: number;
  /** The share of the target a tertial stands for (target/3 for perYear). */
  perTertialExpected?: number;
  computedLevel: StatusLevel;
  effectiveLevel: StatusLevel;
  override?: StatusOverride;
  /** No-target activities: the last 4 complete ISO weeks compared with the 4 before. */
  trend?: Trend;
  trendCounts?: { recent: number; previous: number };
}

export interface PledgeStatus {
  pledgeNumber: number;
  activityIds: string[];
  /** The worst computed level among the pledge's target-bearing activities; noTarget when none has one. */
  computedLevel: StatusLevel;
  /**
   * The pledge's own override if any, else the worst effective level of its activities (so an
   * activity override carries through to its pledge while computedLevel stays figure-based).
   */
  effectiveLevel: StatusLevel;
  override?: StatusOverride;
}

export interface AgreementStatus {
  agreementId: string;
  today: LocalDate;
  /** The date everything is judged at: today, or the period end once the period is over. */
  asOf: LocalDate;
  week: IsoWeek;
  tertial: Tertial;
  year: number;
  /** today is after the period end: the figures are the final outcome. */
  final: boolean;
  /** today is before the period start: nothing is expected yet. */
  notStarted: boolean;
  /** The latest ISO week that has any counted report. */
  dataUpTo: IsoWeek | undefined;
  pledges: PledgeStatus[];
  activities: ActivityStatus[];
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const DAY_MS = 86_400_000;

function requireDate(date: LocalDate): { year: number; month: number; day: number } {
  const p = parseLocalDate(date);
  if (!p) throw new RangeError(`Ogiltigt datum (förväntat YYYY-MM-DD): ${JSON.stringify(date)}`);
  return p;
}

function dayNumber(date: LocalDate): number {
  const { year, month, day } = requireDate(date);
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** Days from `from` to `to`, both included (0 when to < from). */
function daysInclusive(from: LocalDate, to: LocalDate): number {
  return Math.max(0, dayNumber(to) - dayNumber(from) + 1);
}

const yearOf = (date: LocalDate): number => requireDate(date).year;
const pad4 = (n: number): string => String(n).padStart(4, '0');
const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a > b ? a : b);
const minDate = (a: LocalDate, b: LocalDate): LocalDate => (a < b ? a : b);
/** The summed count of the cells that pass `keep`. */
function sumCells(cells: readonly TallyCell[], keep: (c: TallyCell) => boolean): number {
  let total = 0;
  for (const c of cells) if (keep(c)) total += c.count;
  return total;
}

/** The tertial of a valid 'YYYY-MM-DD' (the tally holds valid dates only), without parsing. */
const tertialOfValidDate = (date: LocalDate): Tertial =>
  `${date.slice(0, 4)}-T${Math.floor((Number(date.slice(5, 7)) - 1) / 4) + 1}`;

const asTally = (reports: readonly WeeklyReport[] | ReportTally): ReportTally =>
  reports instanceof ReportTally ? reports : ReportTally.of(reports);

/** Order used to pick the worst level: behind < atRisk < onTrack < achieved. */
const SEVERITY: Record<Exclude<StatusLevel, 'noTarget'>, number> = { behind: 0, atRisk: 1, onTrack: 2, achieved: 3 };

/** The worst level among those that judge a target; noTarget when there is none. */
export function worstLevel(levels: readonly StatusLevel[]): StatusLevel {
  let worst: Exclude<StatusLevel, 'noTarget'> | undefined;
  for (const l of levels) {
    if (l === 'noTarget') continue;
    if (worst === undefined || SEVERITY[l] < SEVERITY[worst]) worst = l;
  }
  return worst ?? 'noTarget';
}

function overrideTime(o: StatusOverride): number {
  const t = Date.parse(o.at);
  return Number.isNaN(t) ? -Infinity : t;
}

/** The newest override per key ('a:<activityId>' or 'p:<pledgeNumber>'); later entries win ties. */
function newestOverrides(overrides: readonly StatusOverride[]): Map<string, StatusOverride> {
  const out = new Map<string, StatusOverride>();
  for (const o of overrides) {
    const key =
      o.activityId !== undefined
        ? `a:${o.activityId}`
        : o.pledgeNumber !== undefined
          ? `p:${o.pledgeNumber}`
          : undefined;
    if (key === undefined) continue;
    const current = out.get(key);
    if (!current || overrideTime(o) >= overrideTime(current)) out.set(key, o);
  }
  return out;
}

function tertialsInPeriod(periodStart: LocalDate, periodEnd: LocalDate): number {
  const a = parseTertial(tertialOfLocalDate(periodStart))!;
  const b = parseTertial(tertialOfLocalDate(periodEnd))!;
  return b.year * 3 + b.tertial - (a.year * 3 + a.tertial) + 1;
}

function levelFor(
  windowCount: number,
  window: TargetWindow,
  expected: number,
  ctx: { final: boolean; notStarted: boolean; thresholds: StatusThresholds },
): StatusLevel {
  if (windowCount >= window.target) return 'achieved';
  if (ctx.final) return 'behind';
  // Early in a window (less than one expected) nothing is called behind yet.
  if (ctx.notStarted || expected < 1) return 'onTrack';
  const pace = windowCount / expected;
  if (pace >= ctx.thresholds.riskBelow) return 'onTrack';
  if (pace >= ctx.thresholds.behindBelow) return 'atRisk';
  return 'behind';
}

// ---------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------

/**
 * The status of every activity (including each pledge's "Övrigt") and pledge of the agreement on
 * the local date `today`, from the running totals or from a list of reports. `reports` may contain
 * other agreements' and withdrawn reports: they are ignored. Throws RangeError for an invalid `today`.
 */
export function computeStatus(
  agreement: Agreement,
  reports: readonly WeeklyReport[] | ReportTally,
  today: LocalDate,
  thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
  overrides: readonly StatusOverride[] = [],
): AgreementStatus {
  requireDate(today);
  const { periodStart, periodEnd } = agreement;
  const final = today > periodEnd;
  const notStarted = today < periodStart;
  const asOf = final ? periodEnd : today;
  const week = isoWeekOfLocalDate(asOf);
  const tertial = tertialOfLocalDate(asOf);
  const year = yearOf(asOf);

  // Valid ISO dates and zero-padded ISO weeks order as strings: no parsing per cell.
  const tally = asTally(reports);
  const cellsById = new Map<string, TallyCell[]>();
  let dataUpTo: IsoWeek | undefined;
  for (const act of tally.activities(agreement.id)) {
    let list = cellsById.get(act.activityId);
    if (!list) cellsById.set(act.activityId, (list = []));
    for (const c of act.cells.values()) {
      if (c.date < periodStart || c.date > asOf) continue;
      list.push(c);
      if (dataUpTo === undefined || c.week > dataUpTo) dataUpTo = c.week;
    }
  }

  const chosen = newestOverrides(overrides);
  const recentFrom = addWeeks(week, -4);
  const recentTo = addWeeks(week, -1);
  const previousFrom = addWeeks(week, -8);
  const previousTo = addWeeks(week, -5);
  const yearPrefix = `${pad4(year)}-`;

  const activities: ActivityStatus[] = reportableActivities(agreement).map(({ id, pledgeNumber, activity }) => {
    const own = cellsById.get(id) ?? [];
    const counts: ActivityCounts = {
      week: sumCells(own, (c) => c.week === week),
      tertial: sumCells(own, (c) => tertialOfValidDate(c.date) === tertial),
      year: sumCells(own, (c) => c.date.startsWith(yearPrefix)),
      period: sumCells(own, () => true),
    };
    const override = chosen.get(`a:${id}`);
    const base = { activityId: id, pledgeNumber, isOther: activity === undefined, counts };
    const target = activity?.target;

    if (!target || target.kind === 'none') {
      const recent = sumCells(own, (c) => c.week >= recentFrom && c.week <= recentTo);
      const previous = sumCells(own, (c) => c.week >= previousFrom && c.week <= previousTo);
      const trend: Trend = recent > previous ? 'up' : recent < previous ? 'down' : 'flat';
      return {
        ...base,
        computedLevel: 'noTarget',
        effectiveLevel: override?.level ?? 'noTarget',
        ...(override ? { override } : {}),
        trend,
        trendCounts: { recent, previous },
      };
    }

    let window: TargetWindow;
    let expected: number;
    let perTertialExpected: number;
    if (target.kind === 'perYear') {
      // Before the start, the first year of the period is the one ahead.
      const y = notStarted ? yearOf(periodStart) : year;
      const from = maxDate(`${pad4(y)}-01-01`, periodStart);
      const to = minDate(`${pad4(y)}-12-31`, periodEnd);
      const daysInYear = daysInclusive(`${pad4(y)}-01-01`, `${pad4(y)}-12-31`);
      window = { kind: 'year', from, to, target: (target.count * daysInclusive(from, to)) / daysInYear };
      expected = notStarted ? 0 : (target.count * daysInclusive(from, asOf)) / daysInYear;
      perTertialExpected = target.count / 3;
    } else {
      window = { kind: 'period', from: periodStart, to: periodEnd, target: target.count };
      expected = notStarted
        ? 0
        : (target.count * daysInclusive(periodStart, asOf)) / daysInclusive(periodStart, periodEnd);
      perTertialExpected = target.count / tertialsInPeriod(periodStart, periodEnd);
    }
    const windowCount = sumCells(own, (c) => c.date >= window.from && c.date <= window.to);
    const computedLevel = levelFor(windowCount, window, expected, { final, notStarted, thresholds });
    return {
      ...base,
      target: target.count,
      targetKind: target.kind,
      window,
      windowCount,
      expectedByToday: expected,
      ...(expected > 0 ? { pace: windowCount / expected } : {}),
      perTertialExpected,
      computedLevel,
      effectiveLevel: override?.level ?? computedLevel,
      ...(override ? { override } : {}),
    };
  });

  const pledges: PledgeStatus[] = [...agreement.pledges]
    .sort((a, b) => a.number - b.number)
    .map((p) => {
      const acts = activities.filter((a) => a.pledgeNumber === p.number);
      const override = chosen.get(`p:${p.number}`);
      return {
        pledgeNumber: p.number,
        activityIds: acts.map((a) => a.activityId),
        computedLevel: worstLevel(acts.map((a) => a.computedLevel)),
        effectiveLevel: override?.level ?? worstLevel(acts.map((a) => a.effectiveLevel)),
        ...(override ? { override } : {}),
      };
    });

  return {
    agreementId: agreement.id,
    today,
    asOf,
    week,
    tertial,
    year,
    final,
    notStarted,
    dataUpTo,
    pledges,
    activities,
  };
}

// ---------------------------------------------------------------------------
// Helpers for questions ("hur många trafikkontroller i år?")
// ---------------------------------------------------------------------------

export interface ReportCountFilter {
  agreementId?: string;
  activityIds?: readonly string[];
  pledgeNumber?: number;
  area?: string;
  /** Inclusive, by the report's date. */
  fromDate?: LocalDate;
  /** Inclusive, by the report's date. */
  toDate?: LocalDate;
  /** By the report's ISO week. */
  week?: IsoWeek;
  /** By the tertial of the report's date, e.g. '2024-T1'. */
  tertial?: Tertial;
  /** By the calendar year of the report's date. */
  year?: number;
  /** By the reporting party. */
  party?: string;
  /**
   * What is summed: the reports' counts (default), the number of reports, or one age band's people.
   */
  measure?: 'count' | 'reports' | 'under18' | 'from18to21' | 'over21';
}

/** The summed count of the non-withdrawn reports that match every given filter. */
export function countReports(reports: readonly WeeklyReport[] | ReportTally, filter: ReportCountFilter = {}): number {
  const f = filter;
  const tally = asTally(reports);
  const yearPrefix = f.year === undefined ? undefined : `${pad4(f.year)}-`;
  const measure = f.measure ?? 'count';
  let total = 0;
  for (const agreementId of f.agreementId === undefined ? [...tally.agreementIds()] : [f.agreementId]) {
    for (const act of tally.activities(agreementId)) {
      if (f.activityIds !== undefined && !f.activityIds.includes(act.activityId)) continue;
      if (f.pledgeNumber !== undefined && act.pledgeNumber !== f.pledgeNumber) continue;
      const groups: (ReadonlyMap<string, TallyCell> | undefined)[] =
        f.party !== undefined
          ? [...act.byPartyArea.entries()]
              .filter(([key]) => {
                const g = splitPartyAreaKey(key);
                return g.party === f.party && (f.area === undefined || g.area === f.area);
              })
              .map(([, cells]) => cells)
          : [f.area === undefined ? act.cells : act.byArea.get(f.area)];
      for (const cells of groups) {
        if (!cells) continue;
        for (const c of cells.values()) {
          if (f.fromDate !== undefined && c.date < f.fromDate) continue;
          if (f.toDate !== undefined && c.date > f.toDate) continue;
          if (f.week !== undefined && c.week !== f.week) continue;
          if (f.tertial !== undefined && tertialOfValidDate(c.date) !== f.tertial) continue;
          if (yearPrefix !== undefined && !c.date.startsWith(yearPrefix)) continue;
          total += measure === 'count' ? c.count : c[measure];
        }
      }
    }
  }
  return total;
}

/**
 * The activities that need attention: effective level Efter or Risk, Efter first, each in agreement
 * order. The status card, the answer to "ligger vi efter?" and the pre-meeting digest all use this
 * one list, so a löfte at Risk is never reported as "nothing behind".
 */
export function behindActivities(status: AgreementStatus): ActivityStatus[] {
  return [
    ...status.activities.filter((a) => a.effectiveLevel === 'behind'),
    ...status.activities.filter((a) => a.effectiveLevel === 'atRisk'),
  ];
}

/** Levels that ask for attention: the status card and the pre-meeting digest name these with figures. */
export const ATTENTION_LEVELS: readonly StatusLevel[] = Object.freeze(['behind', 'atRisk'] as StatusLevel[]);

/**
 * The activities and pledges whose effective level is Risk or Efter, in agreement order: one rule
 * for "ligger vi efter?" wherever it is answered (status card, digest, questions). A pledge set by
 * hand can be at Risk while none of its activities is.
 */
export function atRiskOrBehind(status: AgreementStatus): { activities: ActivityStatus[]; pledges: PledgeStatus[] } {
  const flagged = (level: StatusLevel) => ATTENTION_LEVELS.includes(level);
  return {
    activities: status.activities.filter((a) => flagged(a.effectiveLevel)),
    pledges: status.pledges.filter((p) => flagged(p.effectiveLevel)),
  };
}
