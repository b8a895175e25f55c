// Where the time goes with many stored reports: the bot's own modules (from dist/) timed one step
// at a time in a plain process, on a data path seeded by seed-reports.mjs.
//   node scripts/bench/cost-breakdown.mjs <db.json path>      → one JSON line on stdout
// Start-up steps run once, as the bot runs them; per-request steps are the median of warm repetitions.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { JSONFile } from 'lowdb/node';
import { reportsDirOf } from '../lib/bot-process.mjs';

// The build under measurement: BENCH_DIST (the benchmark's snapshot) or the project's dist/.
const fromDist = (path) => pathToFileURL(join(process.env.BENCH_DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url)), path)).href;
const { AgreementSchema } = await import(fromDist('src/domain/agreement.js'));
const { computeStatus, countReports } = await import(fromDist('src/domain/status.js'));
const { TRANAS_2023_2024 } = await import(fromDist('src/domain/tranas-2023-2024.js'));
const { ReportIndex } = await import(fromDist('src/storage/report-index.js'));
const { ReportFileSchema } = await import(fromDist('src/storage/schema.js'));


const dbPath = process.argv[2];
const dir = reportsDirOf(dbPath);
const TODAY = '2024-03-14';
const WEEK = '2024-W11';

const time = (fn) => {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Per-request steps are warmed up first (the bot runs them hot): n unmeasured calls, then n measured.
const timeMedian = (n, fn) => {
  for (let i = 0; i < n; i++) fn();
  return median(Array.from({ length: n }, () => time(fn).ms));
};
const timeMedianAsync = async (n, fn) => {
  for (let i = 0; i < n; i++) await fn();
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return median(out);
};

const names = readdirSync(dir).filter((n) => /^\d{4}-W\d{2}\.json$/.test(n)).sort();
const read = time(() => names.map((n) => readFileSync(join(dir, n), 'utf8')));
const parsed = time(() => read.value.map((t) => JSON.parse(t)));
const validatedPerFile = [];
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
let list;
const listMs = await timeMedianAsync(5, async () => (list = await index.list({ agreementId: agreement.id })));
const statusMs = timeMedian(5, () => computeStatus(agreement, list, TODAY));
const countMs = timeMedian(5, () => countReports(list, { fromDate: '2024-01-01', toDate: '2024-12-31', activityIds: ['trafikkontroller'] }));

const weekReports = index.reportsOfWeek(WEEK);
const doc = { schemaVersion: 1, week: WEEK, reports: weekReports };
const serializeMs = timeMedian(5, () => JSON.stringify(doc, null, 2));
const bytes = Buffer.byteLength(JSON.stringify(doc, null, 2));
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
      listMs,
      computeStatusMs: statusMs,
      countReportsMs: countMs,
      weekReports: weekReports.length,
      weekFileBytes: bytes,
      weekSerializeMs: serializeMs,
      weekWriteMs: writeMs,
    },
  }),
);
