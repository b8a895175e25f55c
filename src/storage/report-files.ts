import { closeSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { appendWhole } from './append.js';
import type { Adapter } from 'lowdb';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { WeeklyReport } from '../domain/report.js';
import { ReportIndex, type AddedReports } from './report-index.js';
import { WeeklyReportSchema } from '../domain/report.js';
import { REPORT_FILE_VERSION, ReportFileSchema, type ReportFile } from './schema.js';

/** A week's snapshot (written by lowdb) and its journal, in the reports folder. */
const SNAPSHOT = /^(\d{4}-W\d{2})\.json$/;
const JOURNAL = /^(\d{4}-W\d{2})\.jsonl$/;

/** A week's journal is folded into its snapshot once it holds this many lines and at least as many as the snapshot. */
export const MIN_JOURNAL_LINES = 256;
/** Journals kept open at once; the least recently written beyond this are closed (and reopened on demand). */
const MAX_OPEN_JOURNALS = 16;

/** Which of two stored copies of a report is the later: every change adds a history step. */
function isLater(candidate: WeeklyReport, current: WeeklyReport): boolean {
  if (candidate.history.length !== current.history.length) return candidate.history.length > current.history.length;
  return candidate.updatedAt >= current.updatedAt; // a tie: the copy read later (journal after snapshot) wins
}

/** Compact JSON: the snapshot is rewritten at every fold, and indentation doubles the cost. */
function snapshotAdapter(path: string): Adapter<ReportFile> {
  return new DataFile<ReportFile>(path, { parse: JSON.parse, stringify: (data) => JSON.stringify(data) });
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

const DONE = Promise.resolve();
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One ISO week on disk: `<week>.json`, a lowdb snapshot of the week's reports, and `<week>.jsonl`,
 * a journal with one JSON line per report added since the snapshot (the whole report).
 *
 * A new report costs one line appended to the open journal, whatever the size of the week: one
 * write(2) into the page cache, done synchronously (a few microseconds, cheaper than handing it
 * to the thread pool), so the change is in the file before the caller's promise resolves and a
 * SIGKILL after that cannot lose it. A change to a stored report (an edit, a withdrawal, a
 * retention purge), a journal grown as long as the snapshot and the first write after a failed one
 * instead fold the week: the snapshot is rewritten from memory by lowdb (temp file + rename) and
 * the journal deleted, so no earlier text of a changed report stays behind in a journal.
 *
 * Group commit: while a fold is in flight nothing else is written to the week; changes arriving
 * meanwhile are queued and go into the next write together (one write, or one fold), and each
 * caller's promise resolves when the write holding its change is done.
 */
class WeekFiles {
  private readonly low: Low<ReportFile>;
  private fd: number | undefined;
  /** Bytes and lines in the journal as far as this process knows them. */
  private size = 0;
  private lines = 0;
  /** A journal file may exist (from before the start, or written since). */
  private journalExists: boolean;
  /** Reports in the snapshot when it was last written: the fold threshold. */
  private snapshotCount: number;
  /** Set after a failed write (the journal may hold a stray line): the next write folds. */
  private mustFold = false;
  private queue: string[] = [];
  private foldRequested = false;
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | undefined;
  lastUse = 0;

  constructor(
    readonly week: string,
    private readonly dir: string,
    private readonly files: ReportFiles,
    snapshot: { data: ReportFile; journal: boolean } | undefined,
  ) {
    this.low = new Low<ReportFile>(
      snapshotAdapter(join(dir, `${week}.json`)),
      snapshot?.data ?? { schemaVersion: REPORT_FILE_VERSION, week, reports: [] },
    );
    this.snapshotCount = snapshot?.data.reports.length ?? 0;
    this.journalExists = snapshot?.journal ?? false;
  }

  get journalPath(): string {
    return join(this.dir, `${this.week}.jsonl`);
  }

  /** The journal exists, or a failed write left the files behind memory. */
  get needsFold(): boolean {
    return this.journalExists || this.mustFold;
  }

  get busy(): boolean {
    return this.flushing !== undefined;
  }

  private get foldDue(): boolean {
    return this.mustFold || this.lines + this.queue.length + 1 > Math.max(MIN_JOURNAL_LINES, this.snapshotCount);
  }

  /** Appends a new report's line; resolves when it is written. */
  append(line: string): Promise<void> {
    if (this.flushing || this.foldDue) return this.enqueue(line, false);
    try {
      this.writeLines([line]);
      return DONE;
    } catch (err) {
      this.mustFold = true;
      return Promise.reject(err);
    }
  }

  /** Rewrites the snapshot from memory and drops the journal; resolves when done. */
  fold(): Promise<void> {
    return this.enqueue(undefined, true);
  }

  private enqueue(line: string | undefined, fold: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (line !== undefined) this.queue.push(line);
      if (fold) this.foldRequested = true;
      this.waiters.push({ resolve, reject });
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  /** Resolves when nothing is queued or in flight. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    // First let the current turn end: callers whose write just failed take their change out of
    // memory (a fold writes what memory holds), and what else arrives in this turn joins the batch.
    await nextTurn();
    while (this.waiters.length > 0) {
      const lines = this.queue;
      const waiters = this.waiters;
      const fold = this.foldRequested || this.foldDue;
      this.queue = [];
      this.waiters = [];
      this.foldRequested = false;
      try {
        // A fold takes the week from memory now, synchronously: every change in memory for this
        // week is then either written already or in this batch, and no later one is.
        if (fold) await this.writeFold();
        else this.writeLines(lines);
        for (const w of waiters) w.resolve();
      } catch (err) {
        this.mustFold = true;
        for (const w of waiters) w.reject(err as Error);
        await nextTurn();
      }
    }
    this.flushing = undefined;
  }

  private writeLines(lines: string[]): void {
    const buf = Buffer.from(lines.length === 1 ? lines[0]! : lines.join(''), 'utf8');
    if (this.fd === undefined) {
      this.fd = openSync(this.journalPath, 'a', 0o600);
      this.journalExists = true;
      this.files.opened(this);
    }
    this.lastUse = this.files.tick();
    // Nothing half-kept; when even the cut-back fails, the next write folds, which deletes the journal.
    appendWhole(this.fd, buf, this.size, () => (this.mustFold = true));
    this.size += buf.length;
    this.lines += lines.length;
  }

  private async writeFold(): Promise<void> {
    const reports = this.files.index.reportsOfWeek(this.week);
    this.low.data = { schemaVersion: REPORT_FILE_VERSION, week: this.week, reports };
    await this.low.write();
    this.snapshotCount = reports.length;
    // The snapshot holds every line of the journal now.
    this.closeJournal();
    if (this.journalExists) {
      try {
        await unlink(this.journalPath);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    this.journalExists = false;
    this.size = 0;
    this.lines = 0;
    this.mustFold = false;
  }

  /** Closes the journal's file handle; the next append opens it again. */
  closeJournal(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    this.files.closed(this);
    closeSync(fd);
  }
}

/**
 * Reports live in one folder, per ISO week: a lowdb snapshot (<dir>/2024-W11.json) and a journal
 * of the reports added since (<dir>/2024-W11.jsonl, one JSON line each). A submission appends one
 * line, so its cost does not grow with the week or the history; the journal is folded into the
 * snapshot when it grows as long as the snapshot, at start-up and at close. Start-up reads each
 * snapshot and then its journal (the later copy of a report wins; a last line torn by a crash is
 * ignored: it was never acknowledged).
 */
export class ReportFiles {
  private readonly weeks = new Map<string, WeekFiles>();
  private readonly open = new Set<WeekFiles>();
  private uses = 0;
  private isClosed = false;
  readonly index: ReportIndex;

  private constructor(private readonly dir: string) {
    this.index = new ReportIndex((weeks, added) => this.persist(weeks, added));
  }

  static async open(dir: string, fail: (message: string) => Error): Promise<ReportFiles> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const rf = new ReportFiles(dir);
    const names = readdirSync(dir);
    const snapshots = names.filter((n) => SNAPSHOT.test(n)).sort();
    const journals = names.filter((n) => JOURNAL.test(n)).sort();
    /** id → the latest copy read. A copy read from a file of another week flags both weeks below. */
    const latest = new Map<string, WeeklyReport>();
    /**
     * Weeks folded at start: those with a journal, and any file holding a copy of a report that
     * another file also holds or that belongs to another week. `receiving` are folded first: the
     * weeks a report must be written into before another file may drop it.
     */
    const toFold = new Set<string>();
    const receiving = new Set<string>();
    const take = (report: WeeklyReport, file: string) => {
      if (report.week !== file) {
        toFold.add(file);
        receiving.add(report.week);
      }
      const seen = latest.get(report.id);
      if (seen) {
        if (seen.week !== file) toFold.add(seen.week).add(file);
        if (!isLater(report, seen)) return;
      }
      latest.set(report.id, report);
    };
    const files = new Map<string, { data: ReportFile; journal: boolean }>();
    for (const name of snapshots) {
      const path = join(dir, name);
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(path, 'utf8'));
      } catch (err) {
        throw fail(
          `The report file ${path} could not be read as JSON (${(err as Error).message}). It has not been changed.`,
        );
      }
      const checked = ReportFileSchema.safeParse(raw);
      if (!checked.success) {
        const first = checked.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ');
        throw fail(`The report file ${path} does not match its schema (${first}). It has not been changed.`);
      }
      const week = SNAPSHOT.exec(name)![1]!;
      files.set(week, { data: checked.data, journal: false });
      for (const r of checked.data.reports) take(r, week);
    }
    for (const name of journals) {
      const path = join(dir, name);
      const week = JOURNAL.exec(name)![1]!;
      const text = await readFile(path, 'utf8');
      const lines = text.split('\n');
      const tail = lines.pop()!; // '' when the last line is whole
      lines.forEach((line, i) => {
        if (line === '') return;
        const reports = parseLine(line);
        if (typeof reports === 'string')
          throw fail(`The report journal ${path} line ${i + 1} ${reports}. It has not been changed.`);
        for (const report of reports) take(report, week);
      });
      // A torn last line is a write cut by a crash: never acknowledged, so dropped at the fold.
      if (tail !== '') {
        const reports = parseLine(tail);
        if (typeof reports !== 'string') for (const report of reports) take(report, week);
      }
      const entry = files.get(week);
      if (entry) entry.journal = true;
      else files.set(week, { data: { schemaVersion: REPORT_FILE_VERSION, week, reports: [] }, journal: true });
      toFold.add(week);
    }
    for (const report of latest.values()) rf.index.load(report);
    for (const [week, entry] of files) rf.weeks.set(week, new WeekFiles(week, dir, rf, entry));
    // Nothing was changed until every file had been read and checked; now fold the journals.
    for (const week of [...receiving].sort()) await rf.week(week).fold();
    for (const week of [...toFold].sort()) if (!receiving.has(week)) await rf.week(week).fold();
    return rf;
  }

  /**
   * The ReportIndex's persist: a new report (`added`) is appended to its week's journal; any other
   * change folds each of `weeks` in order (the week a report moved to before the one it left, so a
   * crash in between leaves two copies, of which the later wins, and never none).
   */
  private persist(weeks: string[], added?: AddedReports): Promise<void> {
    if (this.isClosed) return Promise.reject(new Error('the report files are closed'));
    // Several reports of one card: ONE journal line holding them all (a JSON array), so a write
    // torn by a crash is one unparsable line, dropped whole, never some of the card's rows.
    if (added && added.reports.length > 1)
      return this.week(added.reports[0]!.week).append(`[${added.json.join(',')}]\n`);
    if (added) return this.week(added.reports[0]!.week).append(`${added.json[0]!}\n`);
    return this.rewrite(weeks);
  }

  private async rewrite(weeks: string[]): Promise<void> {
    try {
      for (const week of weeks) await this.week(week).fold();
    } catch (err) {
      // The caller puts its memory back when this rejects; a week already folded holds the change
      // it then no longer has, so each week is folded again from memory once that is done.
      setImmediate(() => {
        for (const week of weeks)
          this.week(week)
            .fold()
            .catch(() => undefined);
      });
      throw err;
    }
  }

  private week(week: string): WeekFiles {
    let w = this.weeks.get(week);
    if (!w) this.weeks.set(week, (w = new WeekFiles(week, this.dir, this, undefined)));
    return w;
  }

  /** @internal bookkeeping of open journals, LRU-closed beyond MAX_OPEN_JOURNALS. */
  tick(): number {
    return ++this.uses;
  }

  /** @internal */
  opened(w: WeekFiles): void {
    this.open.add(w);
    if (this.open.size <= MAX_OPEN_JOURNALS) return;
    const idle = [...this.open].filter((x) => x !== w && !x.busy).sort((a, b) => a.lastUse - b.lastUse);
    for (const x of idle.slice(0, this.open.size - MAX_OPEN_JOURNALS)) x.closeJournal();
  }

  /** @internal */
  closed(w: WeekFiles): void {
    this.open.delete(w);
  }

  /** Waits for every write, folds every journal into its snapshot and closes the files. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true; // later changes are refused
    for (const w of this.weeks.values()) await w.idle();
    for (const w of this.weeks.values()) if (w.needsFold) await w.fold();
    for (const w of this.weeks.values()) w.closeJournal();
  }

  get fileCount(): number {
    return this.weeks.size;
  }

  get openJournals(): number {
    return this.open.size;
  }

  static dirFor(dbFile: string): string {
    return dbFile.replace(/\.json$/i, '') + '.reports';
  }

  /** The folder holds a week's snapshot or journal. */
  static hasReports(dir: string): boolean {
    return existsSync(dir) && readdirSync(dir).some((n) => SNAPSHOT.test(n) || JOURNAL.test(n));
  }

  static exists(dbFile: string): boolean {
    return existsSync(ReportFiles.dirFor(dbFile));
  }
}

/**
 * A journal line as its reports (one report, or a JSON array of the reports of one card, written
 * together), or why it is not that.
 */
function parseLine(line: string): WeeklyReport[] | string {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return `could not be read as JSON (${(err as Error).message})`;
  }
  if (Array.isArray(raw)) {
    const out: WeeklyReport[] = [];
    for (const item of raw) {
      const one = parseReport(item);
      if (typeof one === 'string') return one;
      out.push(one);
    }
    return out;
  }
  const one = parseReport(raw);
  return typeof one === 'string' ? one : [one];
}

function parseReport(raw: unknown): WeeklyReport | string {
  const checked = WeeklyReportSchema.safeParse(raw);
  if (!checked.success) {
    const first = checked.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ');
    return `does not match the report schema (${first})`;
  }
  return checked.data;
}
