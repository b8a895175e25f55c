import { isValidIsoWeek, parseLocalDate, type IsoWeek, type LocalDate } from './calendar.js';
import type { WeeklyReport } from './report.js';

/**
 * Running totals of the countable reports: the summed count per agreement, activity, date and ISO
 * week (and per area, and per party and area; with the age-band sums of each cell). A status or a count question then reads at most one cell per activity and
 * day, however many reports the history holds; the totals are kept up to date report by report
 * (`add` / `remove`), so nothing is recomputed from every report after a change.
 *
 * Pure and synchronous: the storage layer owns one and calls `add` and `remove` as reports are
 * loaded, stored, edited and withdrawn.
 */

export interface TallyCell {
  readonly date: LocalDate;
  readonly week: IsoWeek;
  /** The summed `count` of the reports in this cell. */
  count: number;
  /** How many reports the cell holds (a report with count 0 still marks the week as reported). */
  reports: number;
  /** The summed age bands of the cell's reports (reports without age bands add nothing). */
  under18: number;
  from18to21: number;
  over21: number;
}

/** The totals of one activity of one agreement. */
export interface ActivityTally {
  readonly agreementId: string;
  readonly activityId: string;
  readonly pledgeNumber: number;
  /** By date and week (area ignored). */
  readonly cells: ReadonlyMap<string, TallyCell>;
  /** By area, then by date and week. */
  readonly byArea: ReadonlyMap<string, ReadonlyMap<string, TallyCell>>;
  /** By party and area (key `party + '\u0000' + area`, see partyAreaKey), then by date and week. */
  readonly byPartyArea: ReadonlyMap<string, ReadonlyMap<string, TallyCell>>;
}

interface MutableActivityTally extends ActivityTally {
  readonly cells: Map<string, TallyCell>;
  readonly byArea: Map<string, Map<string, TallyCell>>;
  readonly byPartyArea: Map<string, Map<string, TallyCell>>;
}

/**
 * Validity of the date and week strings seen so far: a history of any length holds a few hundred
 * distinct dates and weeks, so loading 100 000 reports parses each of them once, not per report.
 */
const validDates = new Map<string, boolean>();
const validWeeks = new Map<string, boolean>();
const MEMO_LIMIT = 20_000;

function memo(cache: Map<string, boolean>, key: string, check: (s: string) => boolean): boolean {
  let ok = cache.get(key);
  if (ok === undefined) {
    ok = check(key);
    if (cache.size >= MEMO_LIMIT) cache.clear(); // only odd data gets here: stay bounded
    cache.set(key, ok);
  }
  return ok;
}

/** A stored report that can be counted at all (withdrawn and corrupt rows are never counted). */
export function isCountable(r: WeeklyReport): boolean {
  return (
    !r.withdrawn &&
    typeof r.date === 'string' &&
    typeof r.week === 'string' &&
    memo(validDates, r.date, (d) => parseLocalDate(d) !== null) &&
    memo(validWeeks, r.week, isValidIsoWeek) &&
    Number.isFinite(r.count) &&
    r.count >= 0
  );
}

const SEP = '\u0000';

/** The key of a party-and-area group in `byPartyArea`. */
export const partyAreaKey = (party: string, area: string): string => party + SEP + area;
/** The party and area of a `byPartyArea` key. */
export function splitPartyAreaKey(key: string): { party: string; area: string } {
  const i = key.indexOf(SEP);
  return { party: key.slice(0, i), area: key.slice(i + 1) };
}

/** What one report (or a whole stored cell) adds to a cell: negative to take it out again. */
export interface TallyAmounts {
  count: number;
  reports: number;
  under18: number;
  from18to21: number;
  over21: number;
}

/**
 * The finest cell a report is counted in (agreement, activity, pledge, date, week, area, party)
 * with its amounts: what a store that keeps the totals in rows (PostgreSQL) writes. The coarser
 * groupings of ReportTally are sums of these.
 */
export interface TallyRow extends TallyAmounts {
  readonly agreementId: string;
  readonly activityId: string;
  readonly pledgeNumber: number;
  readonly date: LocalDate;
  readonly week: IsoWeek;
  readonly area: string;
  readonly party: string;
}

const finite = (n: number): number => (Number.isFinite(n) ? n : 0);

/**
 * The row a report adds to (`sign` 1) or takes from (-1) the totals, or undefined when the report
 * is not countable (withdrawn, corrupt): the same arithmetic as `ReportTally.add` / `remove`.
 */
export function tallyRowOf(r: WeeklyReport, sign: 1 | -1 = 1): TallyRow | undefined {
  if (!isCountable(r)) return undefined;
  const bands = r.ageBands;
  return {
    agreementId: r.agreementId,
    activityId: r.activityId,
    pledgeNumber: r.pledgeNumber,
    date: r.date,
    week: r.week,
    area: r.area,
    party: String(r.party),
    count: sign * r.count,
    reports: sign,
    under18: sign * (bands ? finite(bands.under18) : 0),
    from18to21: sign * (bands ? finite(bands.from18to21) : 0),
    over21: sign * (bands ? finite(bands.over21) : 0),
  };
}

/** Adds `d` to the cell of (date, week); a cell left with no report is dropped. */
function bump(cells: Map<string, TallyCell>, date: string, week: string, d: TallyAmounts): void {
  const key = date + SEP + week;
  let cell = cells.get(key);
  if (!cell) {
    if (d.reports < 0) return;
    cells.set(key, (cell = { date, week, count: 0, reports: 0, under18: 0, from18to21: 0, over21: 0 }));
  }
  cell.count += d.count;
  cell.reports += d.reports;
  cell.under18 += d.under18;
  cell.from18to21 += d.from18to21;
  cell.over21 += d.over21;
  if (cell.reports <= 0) cells.delete(key);
}

const AMOUNT_KEYS = ['count', 'reports', 'under18', 'from18to21', 'over21'] as const;

export class ReportTally {
  private readonly byAgreement = new Map<string, Map<string, MutableActivityTally>>();
  /** Changes applied so far: a cache of anything derived from the totals can key on it. */
  private changes = 0;

  get revision(): number {
    return this.changes;
  }

  /** Totals of a list of reports (any agreements; withdrawn and corrupt ones are skipped). */
  static of(reports: Iterable<WeeklyReport>): ReportTally {
    const tally = new ReportTally();
    for (const r of reports) tally.add(r);
    return tally;
  }

  /** Counts a report in. The same object (or an equal one) must be given to `remove` later. */
  add(r: WeeklyReport): void {
    this.apply(r, 1);
  }

  remove(r: WeeklyReport): void {
    this.apply(r, -1);
  }

  /** The activities of an agreement that have any countable report. */
  activities(agreementId: string): Iterable<ActivityTally> {
    return this.byAgreement.get(agreementId)?.values() ?? [];
  }

  agreementIds(): Iterable<string> {
    return this.byAgreement.keys();
  }

  /**
   * Adds a whole stored cell (see TallyRow), as if its reports had been added one by one: how a
   * store that keeps the totals in rows builds the tally without reading a report.
   */
  addCell(row: TallyRow): void {
    if (row.reports <= 0) return;
    this.changes++;
    this.applyRow(row);
  }

  /**
   * Sets one stored cell (agreement, activity, pledge, date, week, area, party) to the amounts it
   * holds now, whatever it held here before (0 reports: the cell is gone): how a store that reads
   * only the cells changed since a revision brings its totals up to date.
   */
  setCell(row: TallyRow): void {
    const had = this.byAgreement
      .get(row.agreementId)
      ?.get(row.activityId + SEP + row.pledgeNumber)
      ?.byPartyArea.get(partyAreaKey(row.party, row.area))
      ?.get(row.date + SEP + row.week);
    if (!had && row.reports <= 0) return;
    // What moves: the stored amounts less what is held here (a cell with 0 reports is gone).
    const amount = (k: (typeof AMOUNT_KEYS)[number]) => (row.reports > 0 ? row[k] : 0) - (had?.[k] ?? 0);
    const delta: TallyRow = {
      ...row,
      count: amount('count'),
      reports: amount('reports'),
      under18: amount('under18'),
      from18to21: amount('from18to21'),
      over21: amount('over21'),
    };
    if (AMOUNT_KEYS.every((k) => delta[k] === 0)) return;
    this.changes++;
    this.applyRow(delta);
  }

  private apply(r: WeeklyReport, sign: 1 | -1): void {
    const row = tallyRowOf(r, sign);
    if (!row) return;
    this.changes++;
    this.applyRow(row);
  }

  private applyRow(row: TallyRow): void {
    const removing = row.reports < 0;
    let acts = this.byAgreement.get(row.agreementId);
    if (!acts) {
      if (removing) return;
      this.byAgreement.set(row.agreementId, (acts = new Map()));
    }
    // Keyed by activity and pledge: a stored row whose pledge disagrees with its activity is kept apart.
    const key = row.activityId + SEP + row.pledgeNumber;
    let act = acts.get(key);
    if (!act) {
      if (removing) return;
      acts.set(
        key,
        (act = {
          agreementId: row.agreementId,
          activityId: row.activityId,
          pledgeNumber: row.pledgeNumber,
          cells: new Map(),
          byArea: new Map(),
          byPartyArea: new Map(),
        }),
      );
    }
    bump(act.cells, row.date, row.week, row);
    let area = act.byArea.get(row.area);
    if (!area) {
      if (removing) return;
      act.byArea.set(row.area, (area = new Map()));
    }
    bump(area, row.date, row.week, row);
    if (area.size === 0) act.byArea.delete(row.area);
    const groupKey = partyAreaKey(row.party, row.area);
    let group = act.byPartyArea.get(groupKey);
    if (!group) {
      if (removing) return;
      act.byPartyArea.set(groupKey, (group = new Map()));
    }
    bump(group, row.date, row.week, row);
    if (group.size === 0) act.byPartyArea.delete(groupKey);
    if (act.cells.size === 0) acts.delete(key);
    if (acts.size === 0) this.byAgreement.delete(row.agreementId);
  }
}
