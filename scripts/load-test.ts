// Load: 200 simulated Teams users against the built bot over loopback for LOAD_SECONDS.
//
//   npm run test:load             (builds first)
//   LOAD_SECONDS=15 LOAD_USERS=200 LOAD_MAX_SOCKETS=50 node dist/scripts/load-test.js
//
// Every user (a distinct from.aadObjectId and personal conversation) loops until the time is up:
// either submits a weekly report (an Action.Execute invoke; the receipt card is the HTTP answer) or
// sends "status" (a message; the answer card goes to the stub Bot Connector at serviceUrl). All
// users share one keep-alive http.Agent with at most LOAD_MAX_SOCKETS sockets.
// Then the bot is stopped with SIGTERM, and the checks run: no HTTP error, a receipt for every
// submission, one connector reply per status message, a clean exit, and every acknowledged report
// on disk exactly once. Latency figures are printed, never asserted.
import { existsSync } from 'node:fs';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  BOT_CLOCK,
  WEEK_DATES,
  cardAction,
  findDuplicates,
  installExitHooks,
  intFromEnv,
  makeUser,
  message,
  percentile,
  postJson,
  prng,
  readStore,
  receiptKind,
  reportData,
  sleep,
  startBot,
  startConnectorStub,
  tempDb,
  type BotProcess,
  type User,
} from './lib/bot-process.js';

installExitHooks();

const SECONDS = intFromEnv('LOAD_SECONDS', 15, { min: 1, max: 600 });
const USERS = intFromEnv('LOAD_USERS', 200, { min: 1, max: 5000 });
const MAX_SOCKETS = intFromEnv('LOAD_MAX_SOCKETS', 50, { min: 1, max: 1000 });
const SEED = intFromEnv('LOAD_SEED', Math.floor(Math.random() * 2 ** 31), { min: 0, max: 2 ** 32 - 1 });
const MAX_REQUESTS_PER_USER = 10000; // a bound besides the time
const rand = prng(SEED);
const pick = <T>(arr: readonly T[]): T => arr[Math.floor(rand() * arr.length)]!;
const WEEKS = Object.keys(WEEK_DATES);

const t0 = Date.now();
const tmp = tempDb('mlbot-load-');
const logFile = `${tmp.dir}/bot.log`;
const stub = await startConnectorStub();
console.log(
  `load test: ${USERS} users for ${SECONDS} s, keep-alive agent with at most ${MAX_SOCKETS} sockets, seed ${SEED}`,
);
console.log(`data: ${tmp.dbPath} (bot log ${logFile})`);

let bot: BotProcess;
try {
  bot = await startBot({ dbPath: tmp.dbPath, clock: BOT_CLOCK, logFile });
} catch (err) {
  console.error(`load test: the bot did not start: ${(err as Error).message}`);
  console.log('load: 0 passed, 1 failed');
  process.exit(1);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
const samples: Record<'report' | 'status', number[]> = { report: [], status: [] };
const queued: Record<'report' | 'status', number[]> = { report: [], status: [] };
const httpErrors: string[] = []; // non-2xx or transport errors
const notReceipts: string[] = [];
const acked = new Map(); // submissionId → data
const statusSent = new Map(); // activity id → conversation id
let inFlight = 0;
let maxInFlight = 0;

async function user(u: User): Promise<void> {
  for (let i = 0; i < MAX_REQUESTS_PER_USER && Date.now() < deadline; i++) {
    const type = rand() < 0.5 ? 'report' : 'status';
    let activity;
    let data: ReturnType<typeof reportData> | undefined;
    if (type === 'report') {
      const week = pick(WEEKS);
      data = reportData({
        submissionId: randomUUID(),
        week,
        date: pick(WEEK_DATES[week]!),
        count: 1 + Math.floor(rand() * 20),
        area: pick(['Centrum', 'Resecentrum', 'Skolor']),
      });
      activity = cardAction('report.submit', data, u, stub.url);
    } else {
      activity = message('status', u, stub.url);
      statusSent.set(activity.id, u.conversationId);
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const res = await postJson(bot.endpoint, activity, { agent, timeoutMs: 30000 });
    inFlight--;
    if (res.error || res.status === undefined || res.status < 200 || res.status > 299) {
      httpErrors.push(
        `${type}: ${res.error ? `transport error ${res.error}` : `HTTP ${res.status} ${String(res.text).slice(0, 200)}`}`,
      );
      continue;
    }
    samples[type].push(res.ms);
    queued[type].push(res.totalMs - res.ms);
    if (type === 'report') {
      if (receiptKind(res) === 'saved') acked.set(data!.submissionId, data!);
      else notReceipts.push(`${data!.submissionId}: ${String(res.text).slice(0, 200)}`);
    }
  }
}

const users = Array.from({ length: USERS }, (_, i) => makeUser(i + 1));
const startedAt = Date.now();
const deadline = startedAt + SECONDS * 1000;
await Promise.all(users.map(user));
const runSeconds = (Date.now() - startedAt) / 1000;

// Replies to status messages: give stragglers a moment (the HTTP answer to a message normally
// comes after the reply was posted).
for (let i = 0; i < 50 && stub.posted.length < statusSent.size; i++) await sleep(100);
const replyCount = new Map();
const strayReplies = [];
for (const p of stub.posted) {
  if (p.replyToId && statusSent.has(p.replyToId)) replyCount.set(p.replyToId, (replyCount.get(p.replyToId) ?? 0) + 1);
  else strayReplies.push(`${p.path}: ${JSON.stringify(p.body).slice(0, 160)}`);
}
const missingReplies = [...statusSent.keys()].filter((id) => !replyCount.has(id));
const doubleReplies = [...replyCount].filter(([, n]) => n > 1);
const wrongConversation = stub.posted.filter(
  (p) => p.replyToId && statusSent.has(p.replyToId) && statusSent.get(p.replyToId) !== p.conversationId,
);
const notCards = stub.posted.filter(
  (p) => !(p.body?.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive'),
);

// Graceful stop, with the keep-alive sockets still open (as a channel would keep them).
const stop = await bot.stop('SIGTERM', 10000);
agent.destroy();
await stub.close();
const lockLeft = existsSync(`${tmp.dbPath}.lock`);

const store = readStore(tmp.dbPath);
const dups = findDuplicates(store.reports);
const bySub = new Map();
for (const { report } of store.reports) bySub.set(report.submissionId, (bySub.get(report.submissionId) ?? 0) + 1);
const lost = [...acked.keys()].filter((s) => !bySub.has(s));
const unexpected = store.reports.filter(({ report }) => !acked.has(report.submissionId));

// Figures.
const fmt = (n: number): string => (Number.isNaN(n) ? '-' : n.toFixed(1));
console.log('');
console.log(`ran ${runSeconds.toFixed(1)} s; at most ${maxInFlight} requests outstanding (${MAX_SOCKETS} sockets)`);
console.log('type      count    req/s   p50 ms   p95 ms   p99 ms   max ms   (socket wait p50/p95 ms)');
for (const type of ['report', 'status'] as const) {
  const s = [...samples[type]].sort((a, b) => a - b);
  const q = [...queued[type]].sort((a, b) => a - b);
  console.log(
    `${type.padEnd(8)} ${String(s.length).padStart(6)} ${(s.length / runSeconds).toFixed(1).padStart(8)} ${fmt(percentile(s, 50)).padStart(8)} ${fmt(percentile(s, 95)).padStart(8)} ${fmt(percentile(s, 99)).padStart(8)} ${fmt(s.at(-1) ?? NaN).padStart(8)}   (${fmt(percentile(q, 50))}/${fmt(percentile(q, 95))})`,
  );
}
const all = [...samples.report, ...samples.status].sort((a, b) => a - b);
console.log(
  `${'all'.padEnd(8)} ${String(all.length).padStart(6)} ${(all.length / runSeconds).toFixed(1).padStart(8)} ${fmt(percentile(all, 50)).padStart(8)} ${fmt(percentile(all, 95)).padStart(8)} ${fmt(percentile(all, 99)).padStart(8)} ${fmt(all.at(-1) ?? NaN).padStart(8)}`,
);
console.log(`connector: ${stub.posted.length} activities posted for ${statusSent.size} status messages`);
console.log(
  `store: ${store.reports.length} reports in ${store.weekFiles.length} week files (${store.weekFiles.join(', ')}), ${acked.size} acknowledged`,
);
console.log(
  `shutdown: SIGTERM → ${stop.timedOut ? 'no exit within 10 s (SIGKILLed)' : `exit code ${stop.code}${stop.signal ? ` signal ${stop.signal}` : ''} after ${stop.ms} ms`}`,
);
console.log('');

// Checks.
const checks = [
  [
    'zero HTTP errors (non-2xx or transport)',
    httpErrors.length === 0,
    `${httpErrors.length} error(s); first: ${httpErrors[0]}`,
  ],
  [
    'every report.submit answered with a 200 receipt "Rapporten är sparad"',
    notReceipts.length === 0 && samples.report.length > 0,
    samples.report.length === 0
      ? 'no report was submitted'
      : `${notReceipts.length} not a receipt; first: ${notReceipts[0]}`,
  ],
  [
    'one connector reply per status message (to its conversation, as an Adaptive Card)',
    statusSent.size > 0 &&
      missingReplies.length === 0 &&
      doubleReplies.length === 0 &&
      strayReplies.length === 0 &&
      wrongConversation.length === 0 &&
      notCards.length === 0,
    `${statusSent.size} status messages; ${missingReplies.length} without a reply, ${doubleReplies.length} with more than one, ${strayReplies.length} stray, ${wrongConversation.length} to the wrong conversation, ${notCards.length} not a card${strayReplies[0] ? `; first stray: ${strayReplies[0]}` : ''}`,
  ],
  [
    'the bot exits with code 0 on SIGTERM within 10 s',
    !stop.timedOut && stop.code === 0,
    `timedOut ${stop.timedOut}, code ${stop.code}, signal ${stop.signal}`,
  ],
  ['the lock file is removed by the graceful stop', !lockLeft, `${tmp.dbPath}.lock is still there`],
  ['every data file parses (main file, week files)', store.problems.length === 0, store.problems.join('; ')],
  [
    'zero lost reports (every acknowledged submission is in the week files)',
    lost.length === 0,
    `${lost.length} of ${acked.size} acknowledged submissions missing; first: ${lost[0]}`,
  ],
  [
    'zero duplicates (by report id or submission id) and nothing unacknowledged stored',
    dups.byId.length === 0 && dups.bySubmission.length === 0 && unexpected.length === 0,
    `${dups.byId.length} ids and ${dups.bySubmission.length} submission ids twice, ${unexpected.length} stored reports never acknowledged`,
  ],
];
let passed = 0;
let failed = 0;
for (const [name, ok, detail] of checks) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `\n       ${detail}`}`);
}
if (store.auditProblems.length) console.log(`note: audit file: ${store.auditProblems.join('; ')}`);
console.log(`time: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
if (failed === 0 && !process.env.KEEP_TMP) tmp.remove();
else console.log(`data kept for inspection: ${tmp.dir}`);
console.log(`load: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
