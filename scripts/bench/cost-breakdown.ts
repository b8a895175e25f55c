// Where the time goes with many stored reports: the bot's own modules (from dist/) timed one step
// at a time in a plain process, on a data path seeded by seed-reports.ts.
//   node dist/scripts/bench/cost-breakdown.js <db.json path>      → one JSON line on stdout
// Start-up steps run once, as the bot runs them; per-request steps are the median of warm repetitions.
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JSONFile } from 'lowdb/node';
// The benchmark runs this file from its snapshot of dist/: these are the modules it measures.
import { AgreementSchema } from '../../src/domain/agreement.js';
import { computeStatus, countReports } from '../../src/domain/status.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { ReportIndex } from '../../src/storage/report-index.js';
import { ReportFileSchema } from '../../src/storage/schema.js';
import { reportsDirOf } from '../lib/bot-process.js';

const dbPath = process.argv[2] ?? '';
const dir = reportsDirOf(dbPath);
const TODAY = '2024-03-14';
const WEEK = '2024-W11';

const time = <T>(fn: () => T): { ms: number; value: T } => {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// Per-request steps are warmed up first (the bot runs them hot): n unmeasured calls, then n measured.
const timeMedian = (n: number, fn: () => unknown): number => {
  for (let i = 0; i < n; i++) fn();
  return median(Array.from({ length: n }, () => time(fn).ms));
};
const timeMedianAsync = async (n: number, fn: () => Promise<unknown>): Promise<number> => {
  for (let i = 0; i < n; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return median(out);
};

const names = readdirSync(dir)
  .filter((n) => /^\d{4}-W\d{2}\.json$/.test(n))
  .sort();
const read = time(() => names.map((n) => readFileSync(join(dir, n), 'utf8')));
const parsed = time(() => read.value.map((t) => JSON.parse(t) as unknown));
const validatedPerFile: number[] = [];
const validated = time(() =>
  parsed.value.map((doc) => {
    const t = performance.now();
    const r = ReportFileSchema.parse(doc);
    validatedPerFile.push(performance.now() - t);
    return r;
  }),
);
const index = new ReportIndex(async () => {});
const loaded = time(() => {
  for (const f of validated.value) for (const r of f.reports) index.load(r);
});

const agreement = AgreementSchema.parse(TRANAS_2023_2024);
// What a "status" and a count question run: the running totals the index keeps (ReportTally).
const statusMs = timeMedian(5, () => computeStatus(agreement, index.totals, TODAY));
const countMs = timeMedian(5, () =>
  countReports(index.totals, {
    agreementId: agreement.id,
    fromDate: '2024-01-01',
    toDate: '2024-12-31',
    activityIds: ['trafikkontroller'],
  }),
);
// For comparison, the same from a list of every report (the pure form tests and the CLI use): what
// every "status" cost before the running totals.
const list = await index.list({ agreementId: agreement.id });
const statusFromListMs = timeMedian(3, () => computeStatus(agreement, list, TODAY));
let cells = 0;
for (const act of index.totals.activities(agreement.id)) cells += act.cells.size;

// A submission appends one line to its week's journal (storage/report-files.ts): stringify one report + write(2).
const weekReports = index.reportsOfWeek(WEEK);
const tmp = mkdtempSync(join(tmpdir(), 'mlbot-breakdown-'));
const fd = openSync(join(tmp, `${WEEK}.jsonl`), 'a');
const appendMs = timeMedian(50, () => writeSync(fd, JSON.stringify(weekReports[0]) + '\n'));
closeSync(fd);
rmSync(tmp, { recursive: true, force: true });
// Once the journal holds as many lines as the snapshot, the week is folded: the snapshot rewritten by lowdb.
const doc = { schemaVersion: 1, week: WEEK, reports: weekReports };
const serializeMs = timeMedian(5, () => JSON.stringify(doc));
const bytes = Buffer.byteLength(JSON.stringify(doc));
const file = new JSONFile(join(dir, `${WEEK}.json`));
const writeMs = await timeMedianAsync(5, () => file.write(doc));

console.log(
  JSON.stringify({
    reports: index.size,
    files: names.length,
    totalBytes: read.value.reduce((s, t) => s + Buffer.byteLength(t), 0),
    startup: {
      readMs: read.ms,
      jsonParseMs: parsed.ms,
      zodValidateMs: validated.ms,
      zodValidateMaxFileMs: Math.max(...validatedPerFile),
      indexLoadMs: loaded.ms,
    },
    perRequest: {
      tallyCells: cells,
      computeStatusMs: statusMs,
      computeStatusFromListMs: statusFromListMs,
      journalAppendMs: appendMs,
      countReportsMs: countMs,
      weekReports: weekReports.length,
      weekFileBytes: bytes,
      weekSerializeMs: serializeMs,
      weekWriteMs: writeMs,
      foldEvery: weekReports.length,
    },
  }),
);
