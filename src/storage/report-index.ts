import type { ReportFilter, ReportRepository } from '../app/ports.js';
import type { WeeklyReport } from '../domain/report.js';
import { ReportTally } from '../domain/report-tally.js';
import { deepFreeze } from './freeze.js';

/**
 * A submission id belongs to the person who submitted it: the idempotency key is (person,
 * submission id), so an id reused by someone else (a card seen by two people, a forged id) starts
 * that person's own report and never answers with another person's.
 */
const submissionKey = (r: Pick<WeeklyReport, 'reporterId' | 'submissionId'>): string =>
  `${r.reporterId}\u0000${r.submissionId}`;

/** New reports on their way to the files, with the JSON of each (written once, used for the copy too). */
export interface AddedReports {
  reports: readonly WeeklyReport[];
  json: readonly string[];
}

/**
 * The store's own frozen copy of a report and its JSON. Read back from the JSON rather than cloned:
 * the copy is then what a restart reads from the files (no undefined members), and the text is the
 * journal line, so a new report is serialised once.
 */
function ownCopy(report: WeeklyReport): { stored: WeeklyReport; json: string } {
  const json = JSON.stringify(report);
  return { stored: deepFreeze(JSON.parse(json) as WeeklyReport), json };
}

/**
 * Reports in memory, indexed by id and (reporter, submission id), grouped by ISO week. `persist(week)` is
 * called after a change to that week and must resolve only when the change is durable.
 */
export class ReportIndex implements ReportRepository {
  private readonly byId = new Map<string, WeeklyReport>();
  private readonly bySubmission = new Map<string, string>();
  private readonly byWeek = new Map<string, Set<string>>();
  /** Writes in flight by submission id: a duplicate is answered only once the first is durable. */
  private readonly pending = new Map<string, Promise<void>>();
  private changes = 0;
  /** Running totals per agreement, activity, date and week: what status and count questions read. */
  readonly totals = new ReportTally();

  /** How many changes this index has seen (the revision, read synchronously inside storage/). */
  get changeCount(): number {
    return this.changes;
  }

  async revision(_agreementId?: string): Promise<number> {
    return this.changes;
  }

  /** Every agreement's totals: in memory, one object for all. */
  async tally(_agreementId?: string): Promise<ReportTally> {
    return this.totals;
  }

  /**
   * `persist(weeks, added)`: `added` holds new reports to be made durable together (all or none),
   * with their JSON (a week's files may append it as it is); otherwise the weeks' reports changed.
   */
  constructor(private readonly persist: (weeks: string[], added?: AddedReports) => Promise<void> = async () => {}) {}

  /** Loads without persisting (start-up). A later copy of the same id wins (a move interrupted by a crash). */
  load(report: WeeklyReport): void {
    const existing = this.byId.get(report.id);
    if (existing && existing.updatedAt > report.updatedAt) return;
    if (existing) this.remove(existing);
    // Freshly parsed from a file: no other reference exists, so no copy is needed.
    this.insert(deepFreeze(report));
  }

  get size(): number {
    return this.byId.size;
  }

  reportsOfWeek(week: string): WeeklyReport[] {
    return [...(this.byWeek.get(week) ?? [])].map((id) => this.byId.get(id)!);
  }

  /** The ISO weeks that hold reports (any order), read synchronously inside storage/. */
  weekList(): string[] {
    return [...this.byWeek.keys()];
  }

  /** Every week with reports, of any agreement (the port allows more weeks than the agreement's). */
  async weeks(): Promise<string[]> {
    return this.weekList();
  }

  async add(report: WeeklyReport): Promise<{ report: Readonly<WeeklyReport>; created: boolean }> {
    const key = submissionKey(report);
    const existingId = this.bySubmission.get(key);
    if (existingId) {
      const inFlight = this.pending.get(key);
      if (inFlight) await inFlight.catch(() => undefined);
      const stored = this.byId.get(existingId);
      // If the first write failed, its report was taken out again: this one is then the first.
      if (stored && this.bySubmission.get(key) === existingId) return { report: stored, created: false };
      return this.add(report);
    }
    const { stored, json } = ownCopy(report);
    this.insert(stored);
    const write = this.persist([stored.week], { reports: [stored], json: [json] });
    this.pending.set(key, write);
    try {
      await write;
    } catch (err) {
      this.remove(stored); // nothing half-written: what was not persisted is not kept either
      throw err;
    } finally {
      this.pending.delete(key);
    }
    return { report: stored, created: true };
  }

  async addAll(reports: readonly WeeklyReport[]): Promise<{ reports: Readonly<WeeklyReport>[]; created: number }> {
    // Writes in flight for any of these submissions first: a duplicate is answered once the first is durable.
    const inFlight = reports.map((r) => this.pending.get(submissionKey(r))).filter((p) => p !== undefined);
    if (inFlight.length > 0) {
      await Promise.all(inFlight.map((p) => p.catch(() => undefined)));
      return this.addAll(reports);
    }
    const out: Readonly<WeeklyReport>[] = [];
    const fresh: WeeklyReport[] = [];
    const freshJson: string[] = [];
    const keys = new Set<string>();
    for (const r of reports) {
      const key = submissionKey(r);
      const existingId = this.bySubmission.get(key);
      if (existingId) out.push(this.byId.get(existingId)!);
      else if (!keys.has(key)) {
        keys.add(key);
        const { stored, json } = ownCopy(r);
        fresh.push(stored);
        freshJson.push(json);
        out.push(stored);
      }
    }
    if (fresh.length === 0) return { reports: out, created: 0 };
    for (const r of fresh) this.insert(r);
    const write = this.persist([...new Set(fresh.map((r) => r.week))], { reports: fresh, json: freshJson });
    for (const key of keys) this.pending.set(key, write);
    try {
      await write;
    } catch (err) {
      for (const r of fresh) this.remove(r); // all or none: nothing of a failed write is kept
      throw err;
    } finally {
      for (const key of keys) this.pending.delete(key);
    }
    return { reports: out, created: fresh.length };
  }

  async get(id: string): Promise<Readonly<WeeklyReport> | undefined> {
    return this.byId.get(id);
  }

  async update(report: WeeklyReport): Promise<void> {
    const previous = this.byId.get(report.id);
    if (!previous) throw new Error(`no report ${report.id}`);
    const { stored } = ownCopy(report);
    this.remove(previous);
    this.insert(stored);
    try {
      await this.persist(previous.week === stored.week ? [stored.week] : [stored.week, previous.week]);
    } catch (err) {
      this.remove(stored);
      this.insert(previous);
      throw err;
    }
  }

  async list(filter: ReportFilter = {}): Promise<ReadonlyArray<Readonly<WeeklyReport>>> {
    const out: WeeklyReport[] = [];
    const keep = (r: WeeklyReport) =>
      !(filter.agreementId && r.agreementId !== filter.agreementId) &&
      !(filter.reporterId && r.reporterId !== filter.reporterId) &&
      !(!filter.includeWithdrawn && r.withdrawn) &&
      !(filter.changedSince !== undefined && r.updatedAt < filter.changedSince);
    if (filter.fromWeek === undefined && filter.toWeek === undefined) {
      for (const r of this.byId.values()) if (keep(r)) out.push(r);
      return out;
    }
    // A week range reads only those weeks' reports (zero-padded ISO weeks order as strings).
    for (const [week, ids] of this.byWeek) {
      if ((filter.fromWeek && week < filter.fromWeek) || (filter.toWeek && week > filter.toWeek)) continue;
      for (const id of ids) {
        const r = this.byId.get(id)!;
        if (keep(r)) out.push(r);
      }
    }
    return out;
  }

  private insert(r: WeeklyReport): void {
    this.changes++;
    this.totals.add(r);
    this.byId.set(r.id, r);
    this.bySubmission.set(submissionKey(r), r.id);
    let ids = this.byWeek.get(r.week);
    if (!ids) this.byWeek.set(r.week, (ids = new Set()));
    ids.add(r.id);
  }

  private remove(r: WeeklyReport): void {
    this.changes++;
    this.totals.remove(r);
    this.byId.delete(r.id);
    if (this.bySubmission.get(submissionKey(r)) === r.id) this.bySubmission.delete(submissionKey(r));
    const ids = this.byWeek.get(r.week);
    ids?.delete(r.id);
    if (ids?.size === 0) this.byWeek.delete(r.week);
  }
}
