import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { ReportIndex } from './report-index.js';
import { REPORT_FILE_VERSION, ReportFileSchema, type ReportFile } from './schema.js';

/**
 * Reports live in one lowdb file per ISO week (<dir>/2024-W11.json). lowdb rewrites a whole file
 * on every write, so one file for years of history would make every submission slower; a week's
 * file stays small however long the history grows.
 */
export class ReportFiles {
  private readonly files = new Map<string, Low<ReportFile>>();
  readonly index: ReportIndex;

  private constructor(private readonly dir: string) {
    this.index = new ReportIndex((weeks) => this.persist(weeks));
  }

  static async open(dir: string, fail: (message: string) => Error): Promise<ReportFiles> {
    mkdirSync(dir, { recursive: true });
    const rf = new ReportFiles(dir);
    const names = readdirSync(dir).filter((n) => /^\d{4}-W\d{2}\.json$/.test(n)).sort();
    for (const name of names) {
      const adapter = new JSONFile<ReportFile>(join(dir, name));
      let raw: unknown;
      try {
        raw = await adapter.read();
      } catch (err) {
        throw fail(`The report file ${join(dir, name)} could not be read as JSON (${(err as Error).message}). It has not been changed.`);
      }
      const checked = ReportFileSchema.safeParse(raw);
      if (!checked.success) {
        const first = checked.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw fail(`The report file ${join(dir, name)} does not match its schema (${first}). It has not been changed.`);
      }
      const low = new Low<ReportFile>(adapter, checked.data);
      rf.files.set(checked.data.week, low);
      for (const r of checked.data.reports) rf.index.load(r);
    }
    return rf;
  }

  private async persist(weeks: string[]): Promise<void> {
    await Promise.all(
      weeks.map((week) => {
        let low = this.files.get(week);
        if (!low) {
          low = new Low<ReportFile>(new JSONFile<ReportFile>(join(this.dir, `${week}.json`)), { schemaVersion: REPORT_FILE_VERSION, week, reports: [] });
          this.files.set(week, low);
        }
        low.data = { schemaVersion: REPORT_FILE_VERSION, week, reports: this.index.reportsOfWeek(week) };
        return low.write();
      }),
    );
  }

  get fileCount(): number {
    return this.files.size;
  }

  static dirFor(dbFile: string): string {
    return dbFile.replace(/\.json$/i, '') + '.reports';
  }

  static exists(dbFile: string): boolean {
    return existsSync(ReportFiles.dirFor(dbFile));
  }
}
