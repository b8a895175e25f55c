// Crash safety: SIGKILL the bot in the middle of bursts of report submissions, restart it on the
// same data file, and check that nothing it acknowledged was lost or stored twice.
//
//   npm run test:crash            (builds first)
//   CRASH_ROUNDS=50 CRASH_CONCURRENCY=10 CRASH_SEED=1234 node dist/scripts/crash-test.js
//   CRASH_DOUBLE_SUBMIT=1 ...   also sends ~30% of the submissions twice at once (a double click)
//   CRASH_DATABASE=postgres ...  the bot on PostgreSQL (DATABASE_URL, a fresh schema of
//                                CRASH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test,
//                                dropped after a passing run); the checks read the stored reports
//                                and the audit trail back from that schema instead of the files
//
// One round: a burst of report.submit invokes (unique submission ids, weeks 2024-W09..W11, ~10 in
// flight) → SIGKILL at a random moment 20–400 ms after the burst starts → restart on the same
// DB_PATH → check the files (every file parses; every acknowledged submission is stored exactly
// once; no id or submission id twice) → resubmit some acknowledged submissions (and some that were
// in flight at the kill, as a client retry would) and check that nothing is stored twice.
// The last round ends with a graceful SIGTERM and one more check. Loopback only; bounded in rounds,
// requests per round and time (CRASH_MAX_SECONDS); bot children are killed when this script exits.
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import {
  BOT_CLOCK,
  WEEK_DATES,
  cardAction,
  findDuplicates,
  installExitHooks,
  intFromEnv,
  makeUser,
  postJson,
  prng,
  readStore,
  receiptKind,
  reportData,
  startBot,
  startConnectorStub,
  tempDb,
  type BotProcess,
  type ExitInfo,
  type StoredReport,
} from './lib/bot-process.js';
import { randomUUID } from 'node:crypto';
import { createSchema, dropSchema, postgresEnv, readPostgresStore, SCRIPTS_DATABASE_URL } from './lib/postgres.js';

installExitHooks();

const ROUNDS = intFromEnv('CRASH_ROUNDS', 50, { min: 1, max: 1000 });
const CONCURRENCY = intFromEnv('CRASH_CONCURRENCY', 10, { min: 1, max: 100 });
const MAX_SECONDS = intFromEnv('CRASH_MAX_SECONDS', 200, { min: 10, max: 3600 });
const SEED = intFromEnv('CRASH_SEED', Math.floor(Math.random() * 2 ** 31), { min: 0, max: 2 ** 32 - 1 });
const KILL_MIN_MS = 20;
const KILL_MAX_MS = 400;
const MAX_REQUESTS_PER_ROUND = 2000; // a bound in case the kill does not take
const RESUBMIT_ACKED = 5;
const RESUBMIT_IN_FLIGHT = 3;
// Opt-in: also send ~30% of the burst's submissions twice at once (a double click / a client retry
// racing the first request). Either answer, "saved" or "already saved", acknowledges the report.
const DOUBLE_SUBMIT = /^(1|true|yes)$/i.test(process.env.CRASH_DOUBLE_SUBMIT ?? '');
const DATABASE = (process.env.CRASH_DATABASE ?? 'lowdb').trim().toLowerCase() || 'lowdb';
if (DATABASE !== 'lowdb' && DATABASE !== 'postgres') {
  console.error(`CRASH_DATABASE: expected lowdb or postgres, got ${JSON.stringify(process.env.CRASH_DATABASE)}`);
  process.exit(2);
}
const DATABASE_URL = process.env.CRASH_DATABASE_URL ?? SCRIPTS_DATABASE_URL;

const rand = prng(SEED);
const pick = <T>(arr: readonly T[]): T => arr[Math.floor(rand() * arr.length)]!;
const WEEKS = Object.keys(WEEK_DATES);
const users = Array.from({ length: 5 }, (_, i) => makeUser(i + 1));

const t0 = Date.now();
const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1);
const tmp = tempDb('mlbot-crash-');
const logFile = `${tmp.dir}/bot.log`;
const stub = await startConnectorStub();
/** PostgreSQL: the run's own schema; the bot's data folder still holds its local files (none of the store). */
const schema = DATABASE === 'postgres' ? await createSchema(DATABASE_URL, 'crash') : undefined;
const botEnv = schema ? postgresEnv(DATABASE_URL, schema) : {};
const startOnData = () => startBot({ dbPath: tmp.dbPath, clock: BOT_CLOCK, logFile, env: botEnv });
const readStored = () => (schema ? readPostgresStore(DATABASE_URL, schema) : Promise.resolve(readStore(tmp.dbPath)));

/** submissionId → { round, user, data } of every submission answered with a 200 receipt. */
const acked = new Map();
/** submissionId → { round, user, data } of submissions in flight when the bot was killed (no answer). */
const inFlight = new Map();
/** Every submission ever in flight at a kill (retried or not). */
const everInFlight = new Set();
const stats = { sent: 0, refused: 0, inFlightAtKill: 0, resubmitted: 0 };
const warnings = new Set();
/** Acknowledged submissions found missing (each reported once). */
const lostReported = new Set();

console.log(
  `crash test: ${ROUNDS} rounds, ${CONCURRENCY} concurrent submissions${DOUBLE_SUBMIT ? ' (~30% sent twice at once)' : ''}, kill ${KILL_MIN_MS}–${KILL_MAX_MS} ms into each burst, seed ${SEED}`,
);
console.log(
  schema
    ? `data: PostgreSQL schema ${schema} of ${DATABASE_URL.replace(/\/\/[^@/]*@/, '//')} (bot log ${logFile})`
    : `data: ${tmp.dbPath} (bot log ${logFile})`,
);

/** Checks what is stored (the files on disk, or the PostgreSQL schema). Returns a list of failures (empty: fine). */
async function verifyFiles(when: string) {
  const failures: string[] = [];
  const store = await readStored();
  failures.push(...store.problems.map((p) => `${when}: ${p}`));
  const dups = findDuplicates(store.reports);
  for (const [id, files] of dups.byId)
    failures.push(`${when}: report id ${id} stored ${files.length} times (in ${files.join(', ')})`);
  for (const [sub, files] of dups.bySubmission)
    failures.push(`${when}: submissionId ${sub} stored ${files.length} times (in ${files.join(', ')})`);
  const bySub = new Map<string, StoredReport[]>();
  for (const { file, report } of store.reports)
    bySub.set(report.submissionId, [...(bySub.get(report.submissionId) ?? []), { file, report }]);
  let found = 0;
  for (const [sub, info] of acked) {
    const copies = bySub.get(sub) ?? [];
    if (copies.length === 1) {
      found++;
      const expectedFile = `${info.data.week}.json`;
      if (copies[0]!.file !== expectedFile)
        failures.push(`${when}: acknowledged ${sub} is in ${copies[0]!.file}, expected ${expectedFile}`);
      // A fresh "saved" answer comes after the audit append; a retried in-flight one may not have one.
      if (!info.viaRetry && info.answers.split('+').includes('saved') && !store.created.has(copies[0]!.report.id))
        warnings.add(`acknowledged ${sub} (report ${copies[0]!.report.id}) has no report.created audit entry`);
    } else if (copies.length === 0 && !lostReported.has(sub)) {
      lostReported.add(sub); // one failure per lost report, in the round that finds it
      failures.push(
        `${when}: LOST acknowledged submissionId ${sub} (round ${info.round}, week ${info.data.week}${info.answers ? `, answers ${info.answers}` : ''}${info.viaRetry ? ', acknowledged on a retry' : ''}): in none of ${store.weekFiles.join(', ') || '(no week files)'}`,
      );
    }
  }
  for (const p of store.auditProblems) warnings.add(p);
  const withoutAudit = store.reports.filter(({ report }) => !store.created.has(report.id)).length;
  return {
    failures,
    found,
    withoutAudit,
    stored: store.reports.length,
    duplicates: dups.byId.length + dups.bySubmission.length,
    weekFiles: store.weekFiles.length,
    tempFiles: store.tempFiles,
    storedSubs: bySub,
  };
}

/**
 * Resubmits some acknowledged submissions (the bot must answer "already saved") and some that
 * were in flight at the kill (a retry: saved or already saved, never twice). Returns failures.
 */
async function resubmit(bot: BotProcess, round: number) {
  const failures: string[] = [];
  const ackedIds = [...acked.keys()];
  const chosen = new Set();
  for (let i = 0; i < RESUBMIT_ACKED && chosen.size < ackedIds.length; i++) chosen.add(pick(ackedIds));
  const retry = [...inFlight.keys()].slice(0, RESUBMIT_IN_FLIGHT);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const jobs = [...chosen]
      .map((sub) => ({ sub, info: acked.get(sub), wasAcked: true }))
      .concat(retry.map((sub) => ({ sub, info: inFlight.get(sub), wasAcked: false })));
    // Twice at once for each: a double click after the restart must not store it twice either.
    const answers = await Promise.all(
      jobs.flatMap((job) =>
        [0, 1].map(() =>
          postJson(bot.endpoint, cardAction('report.submit', job.info.data, job.info.user, stub.url), { agent }).then(
            (res) => ({ job, res }),
          ),
        ),
      ),
    );
    stats.resubmitted += answers.length;
    for (const { job, res } of answers) {
      const kind = res.error ? `transport error ${res.error}` : receiptKind(res);
      if (job.wasAcked && kind !== 'duplicate') {
        failures.push(
          `round ${round}: resubmitting acknowledged ${job.sub} after the restart answered ${kind === 'saved' ? 'a fresh "Rapporten är sparad" (the restarted bot did not know it)' : `${kind} (HTTP ${res.status})`}`,
        );
      }
      if (!job.wasAcked) {
        if (kind === 'saved' || kind === 'duplicate') {
          inFlight.delete(job.sub);
          acked.set(job.sub, { ...job.info, viaRetry: true });
        } else {
          failures.push(`round ${round}: retrying in-flight ${job.sub} answered ${kind} (HTTP ${res.status})`);
        }
      }
    }
  } finally {
    agent.destroy();
  }
  return failures;
}

/** A burst of fresh submissions, SIGKILL at a random moment. Returns { failures, summary }. */
async function burstAndKill(bot: BotProcess, round: number) {
  const failures: string[] = [];
  const killAfter = KILL_MIN_MS + Math.floor(rand() * (KILL_MAX_MS - KILL_MIN_MS + 1));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let killed = false;
  let sent = 0;
  let ackedNow = 0;
  let refused = 0;
  let inFlightNow = 0;
  const burstStart = Date.now();
  const killer = new Promise<ExitInfo>((r) =>
    setTimeout(() => {
      killed = true;
      bot.kill().then(r);
    }, killAfter),
  );
  const worker = async () => {
    while (!killed && sent < MAX_REQUESTS_PER_ROUND) {
      sent++;
      const week = pick(WEEKS);
      const info = {
        round,
        user: pick(users),
        data: reportData({
          submissionId: randomUUID(),
          week,
          date: pick(WEEK_DATES[week]),
          count: 1 + Math.floor(rand() * 20),
        }),
      };
      const send = () =>
        postJson(bot.endpoint, cardAction('report.submit', info.data, info.user, stub.url), {
          agent,
          timeoutMs: 10000,
        });
      const double = DOUBLE_SUBMIT && rand() < 0.3;
      let answers;
      if (double) {
        const first = send();
        await new Promise((r) => setTimeout(r, Math.floor(rand() * 6)));
        answers = await Promise.all([first, send()]);
      } else {
        answers = [await send()];
      }
      const kinds = [];
      let unanswered = false;
      for (const res of answers) {
        if (res.error) {
          if (res.error === 'ECONNREFUSED') {
            refused++; // never reached the bot
          } else {
            unanswered = true;
            if (!killed) failures.push(`round ${round}: transport error ${res.error} before the kill`);
          }
          kinds.push(res.error);
          continue;
        }
        const kind = receiptKind(res);
        kinds.push(kind);
        // A fresh submission is "saved"; its twin sent at the same moment may be "already saved".
        if (kind !== 'saved' && !(double && kind === 'duplicate')) {
          failures.push(
            `round ${round}: a fresh submission answered ${kind} (HTTP ${res.status}: ${String(res.text).slice(0, 200)})`,
          );
        }
      }
      if (kinds.includes('saved') || kinds.includes('duplicate')) {
        ackedNow++;
        acked.set(info.data.submissionId, { ...info, answers: kinds.join('+') });
      } else if (unanswered) {
        inFlightNow++;
        inFlight.set(info.data.submissionId, info);
        everInFlight.add(info.data.submissionId);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const exit = await killer;
  agent.destroy();
  if (exit.signal !== 'SIGKILL')
    failures.push(`round ${round}: the bot exited with ${JSON.stringify(exit)} before it was killed`);
  stats.sent += sent;
  stats.refused += refused;
  stats.inFlightAtKill += inFlightNow;
  return { failures, killAfter, sent, ackedNow, inFlightNow, refused, burstMs: Date.now() - burstStart };
}

let passed = 0;
let failed = 0;
let notRun = 0;
const allFailures = [];
let bot;
try {
  appendFileSync(logFile, `--- start (empty data file)\n`);
  bot = await startOnData();
} catch (err) {
  console.error(`crash test: the bot did not start: ${(err as Error).message}`);
  console.log('crash: 0 passed, 1 failed');
  process.exit(1);
}

let last = { found: 0, stored: 0, duplicates: 0, withoutAudit: 0, storedSubs: new Map() };
for (let round = 1; round <= ROUNDS; round++) {
  if ((Date.now() - t0) / 1000 > MAX_SECONDS) {
    notRun = ROUNDS - round + 1;
    break;
  }
  const burst = await burstAndKill(bot, round);
  const failures = [...burst.failures];
  // Restart on the same data file, then check.
  let startMs = NaN;
  try {
    appendFileSync(logFile, `--- restart after round ${round} (SIGKILL ${burst.killAfter} ms into the burst)\n`);
    bot = await startOnData();
    startMs = bot.startMs;
  } catch (err) {
    failures.push(`round ${round}: the bot did not start again on the same data file: ${(err as Error).message}`);
    bot = undefined;
  }
  let v = await verifyFiles(`after round ${round} restart`);
  failures.push(...v.failures);
  if (bot) {
    failures.push(...(await resubmit(bot, round)));
    v = await verifyFiles(`after round ${round} resubmissions`);
    failures.push(...v.failures);
  }
  if (round === ROUNDS && bot) {
    // The last round ends with a graceful stop: it must exit 0 and leave the same, intact files.
    const stop = await bot.stop('SIGTERM', 10000);
    if (stop.timedOut || stop.code !== 0)
      failures.push(
        `round ${round}: SIGTERM: the bot ${stop.timedOut ? 'did not exit within 10 s' : `exited with code ${stop.code} signal ${stop.signal}`}`,
      );
    v = await verifyFiles(`after the final SIGTERM`);
    failures.push(...v.failures);
    bot = undefined;
  }
  last = v;
  const unique = [...new Set(failures)];
  if (unique.length === 0) passed++;
  else {
    failed++;
    allFailures.push(...unique);
  }
  console.log(
    `round ${String(round).padStart(3)}/${ROUNDS} kill@${String(burst.killAfter).padStart(3)}ms sent ${String(burst.sent).padStart(3)} acked ${String(burst.ackedNow).padStart(3)} in-flight ${String(burst.inFlightNow).padStart(2)} | restart ${Number.isNaN(startMs) ? '  -  ' : `${startMs}ms`} | stored ${v.stored} acked-total ${acked.size} found ${v.found} dup ${v.duplicates}${v.tempFiles.length ? ` tmp ${v.tempFiles.join(',')}` : ''} | ${unique.length ? `FAIL (${unique.length})` : 'ok'} ${elapsed()}s`,
  );
  for (const f of unique.slice(0, 10)) console.log(`    ${f}`);
  if (unique.length > 10) console.log(`    ... and ${unique.length - 10} more`);
  if (!bot) {
    if (round < ROUNDS) notRun = ROUNDS - round;
    break;
  }
}
if (bot) await bot.stop('SIGTERM', 10000); // stopped early (time budget)
await stub.close();

console.log('');
console.log(
  `rounds:       ${passed + failed} of ${ROUNDS} run${notRun ? ` (${notRun} not run: ${failed && !bot ? 'the bot could not be restarted' : `time budget of ${MAX_SECONDS} s reached`})` : ''}`,
);
console.log(
  `submissions:  ${stats.sent} sent, ${stats.refused} refused (bot already dead), ${stats.inFlightAtKill} in flight at a kill, ${stats.resubmitted} resubmissions`,
);
console.log(`acknowledged: ${acked.size}`);
console.log(`found:        ${last.found} (exactly once each), ${last.stored} reports stored in all`);
console.log(
  `lost:         ${lostReported.size} acknowledged submission(s) missing after a restart${
    lostReported.size
      ? `: ${[...lostReported]
          .slice(0, 5)
          .map((sub) => `${sub} (${acked.get(sub)?.answers})`)
          .join(', ')}`
      : ''
  }`,
);
console.log(`duplicates:   ${last.duplicates}`);
const inFlightStored = [...everInFlight].filter((sub) => last.storedSubs?.has(sub)).length;
console.log(
  `in flight:    ${everInFlight.size} unanswered at a kill; ${inFlightStored} of them stored once (before the kill or on a retry), ${inFlight.size} never retried`,
);
console.log(
  `audit:        ${last.withoutAudit ?? 0} stored report(s) without a report.created audit entry (killed between the report write and the audit append)`,
);
if (warnings.size) {
  const uniq = [...warnings];
  console.log(`warnings (${uniq.length}, not failures):`);
  for (const w of uniq.slice(0, 10)) console.log(`    ${w}`);
}
console.log(`time:         ${elapsed()} s`);
const ok = failed === 0 && notRun === 0;
if (!ok) {
  if (allFailures.length)
    console.log(`FAILED: ${[...new Set(allFailures)].length} problem(s); first: ${allFailures[0]}`);
  if (notRun)
    console.log(
      `FAILED: only ${passed + failed} of ${ROUNDS} rounds ran${bot ? ` (a slow machine: raise CRASH_MAX_SECONDS=${MAX_SECONDS} or lower CRASH_ROUNDS)` : ''}`,
    );
  console.log(`data kept for inspection: ${tmp.dir}`);
} else if (!process.env.KEEP_TMP) {
  tmp.remove();
  if (schema) await dropSchema(DATABASE_URL, schema);
}
if (!ok && schema) console.log(`schema kept for inspection: ${schema}`);
console.log(`crash: ${passed} passed, ${failed} failed`);
process.exit(ok ? 0 : 1);
