// The benchmark: the built bot (as `npm start` runs it) as a child process over 127.0.0.1, next to a
// bare echo bot on the same stack, everything measured in one run on one machine.
//
//   npm run bench                      (builds first; about 4 minutes, plus up to BENCH_QUIET_WAIT=60 s
//                                      waiting for the other processes on the machine to calm down)
//   BENCH_QUICK=1 node dist/scripts/bench.js   (a short smoke run of the same steps, figures not comparable;
//                                          its report goes to test-results/bench/quick.md)
//   BENCH_SIZES=0,10000 node dist/scripts/bench.js
//   BENCH_PARTS=c node dist/scripts/bench.js   (only some parts, comma-separated from a,b,c,d,e; the report of
//                                          a run without all of a–d goes to test-results/bench/partial.md and
//                                          partial.json, never to docs/benchmarks.md)
//   BENCH_PARTS=a,b,c,d,e npm run bench   (everything, part e included: about 11 minutes more, needs
//                                          PostgreSQL; BENCH_E_REPORTS=200000 for a quicker part e,
//                                          BENCH_KEEP=1 keeps its schemas and reuses them next time)
//
// a. turns/s and p50/p99 for "status", a question and a report submission at concurrency 1 and 20,
//    ours against the bare stack (teams-ai Application + TeamsAdapter + restify), alternating
//    bare/ours five times per cell (1 000 turns at concurrency 1, 4 000 at 20) and keeping the best run
//    of each (the machine is shared).
// b. with 0, 10,000 and 100,000 stored reports (week files written before start): start-up,
//    submission / status / question latency, event-loop stalls measured inside the bot
//    (scripts/bench/loop-monitor.mjs, preloaded with --import), RSS; a cost breakdown of the
//    bot's own modules at the largest size (scripts/bench/cost-breakdown.ts).
// c. reminder fan-out to 1,000 reporters: the bot's delivery engine (scripts/bench/fan-out-driver.ts)
//    against a stub connector enforcing Teams' rate limits (the stub connector's rate-limit mode, scripts/bench/rate-limited-connector.ts);
//    the driver and the cost breakdown run from the snapshot of dist/ (their typed imports of src/
//    resolve to the snapshot's modules).
// d. cold start to the first "status" answer, idle RSS and RSS after load.
// e. national data on PostgreSQL (scripts/bench/national.ts): 290 municipalities, 2 000 000 reports,
//    two instances, the same turns as a against two bare stacks and lowdb at 100 000 reports;
//    start-up and idle RSS at 1 000 and at the full size on both stores. Not in the default run.
// The report goes to stdout and to docs/benchmarks.md (between the GENERATED markers; the
// hand-written analysis around them is kept), raw figures to test-results/bench/latest.json.
// Targets are printed with ✓/✗, never asserted. Every child process is killed at the end, even on failure.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import {
  BOT_CLOCK,
  WEEK_DATES,
  cardAction,
  cardText,
  installExitHooks,
  message,
  postJson,
  receiptKind,
  root,
  sleep,
  startBot,
  startConnectorStub,
  tempDb,
  type ConnectorStub,
  type PostResult,
  type User,
} from './lib/bot-process.js';
import { runPhase, USERS, type PhaseOptions } from './bench/load.js';
import {
  cpuMsOf,
  killAll,
  loopProbe,
  memoryOf,
  nodeOptions,
  snapshotDist,
  startEntry,
  startNodeServer,
  systemBusyMs,
} from './bench/proc.js';
import { selfCheck, startRateLimitedConnector } from './bench/rate-limited-connector.js';
import { renderNational, runNational } from './bench/national.js';
import { seedReports } from './bench/seed-reports.js';

installExitHooks();
process.on('exit', killAll);

// Part e (national data on PostgreSQL) is not in the default run: it needs PostgreSQL and about
// 11 minutes more (seeding 2 000 000 reports alone took 7 on a busy 2-core machine);
// BENCH_PARTS=a,b,c,d,e runs all.
const ALL_PARTS = ['a', 'b', 'c', 'd', 'e'];
const DEFAULT_PARTS = ['a', 'b', 'c', 'd'];
const PARTS = new Set(
  (process.env.BENCH_PARTS ?? DEFAULT_PARTS.join(','))
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean),
);
if (PARTS.size === 0 || [...PARTS].some((p) => !ALL_PARTS.includes(p))) {
  console.error('BENCH_PARTS: expected comma-separated parts from a,b,c,d,e');
  process.exit(2);
}
const PARTIAL = DEFAULT_PARTS.some((p) => !PARTS.has(p));

// The whole run measures one build: a private copy of dist/ (a rebuild meanwhile changes nothing).
if (!existsSync(startEntry())) {
  console.error(`${startEntry()} (what npm start runs) is missing: run npm run build first (npm run bench does)`);
  process.exit(2);
}
// A partial run (BENCH_PARTS) may run beside another one: a snapshot folder of its own.
const DIST = snapshotDist(PARTIAL ? `app-${[...PARTS].sort().join('')}-${process.pid}` : undefined);
const MAIN_JS = startEntry(dirname(DIST)); // what `npm start` runs: the bundle (scripts/build/bundle.mjs)

const QUICK = process.env.BENCH_QUICK === '1';
const SIZES = (process.env.BENCH_SIZES ?? '0,10000,100000').split(',').map((s) => Number(s.trim()));
if (SIZES.some((n) => !Number.isInteger(n) || n < 0 || n > 1_000_000)) {
  console.error('BENCH_SIZES: expected comma-separated whole numbers up to 1000000');
  process.exit(2);
}
const BASE_REPORTS = 1000; // part a: a realistic two-year history for one municipality
const COUNTS = QUICK
  ? {
      warm20: 40,
      warm1: 5,
      c1: 30,
      c20: 100,
      seconds: 3,
      rounds: 1,
      sizeSubmit: 20,
      sizeStatus: 5,
      sizeQuestion: 3,
      mixed: 60,
      mixedSeconds: 3,
      cold: 1,
    }
  : {
      warm20: 300,
      warm1: 30,
      c1: 1000,
      c20: 4000,
      seconds: 6,
      rounds: 5,
      sizeSubmit: 200,
      sizeStatus: 40,
      sizeQuestion: 15,
      mixed: 1000,
      mixedSeconds: 8,
      cold: 3,
    };
const BARE_BOT = join(DIST, 'scripts', 'bench', 'bare-bot.js');
const QUESTION = 'hur många trafikkontroller i år?';
const TARGETS = { ratio: 0.8, submitP99Ms: 50, stallMs: 50, fanOutFactor: 1.2, coldStartMs: 1500 };

const startedAt = new Date();
const tBench = Date.now();
const machine: Record<string, any> = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memGiB: os.totalmem() / 2 ** 30,
  node: process.version,
  os: `${os.type()} ${os.release()}`,
  date: startedAt.toISOString(),
  loadAvgStart: os.loadavg(),
};
const log = (...args: unknown[]): void =>
  console.error(`[bench ${((Date.now() - tBench) / 1000).toFixed(0).padStart(4)} s]`, ...args);
log(
  `${machine.cpu}, ${machine.cores} cores, node ${machine.node}, ${machine.date}${QUICK ? ' (QUICK: figures not comparable)' : ''}${PARTIAL ? ` (parts ${[...PARTS].join(',')} only)` : ''}`,
);

// ---------------------------------------------------------------------------------------------
// Requests

let submitSeq = 0;
const SUBMIT_WEEKS = Object.keys(WEEK_DATES); // 2024-W09..W11: open for reports at BOT_CLOCK
function submitData() {
  const week = SUBMIT_WEEKS[submitSeq++ % SUBMIT_WEEKS.length];
  return {
    submissionId: randomUUID(),
    week,
    activityId: 'trafikkontroller',
    count: '3',
    date: WEEK_DATES[week!]![submitSeq % 4]!,
    area: 'Centrum',
    description: '',
    party: 'Polisen',
  };
}
const isCard = (body: Record<string, any>): boolean =>
  body?.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive';

type Kind = 'status' | 'question' | 'submit';
type Flavour = 'ours' | 'bare';
type Scenario = { build: PhaseOptions['build'] } & Record<Flavour, Pick<PhaseOptions, 'check' | 'replyCheck'>>;

/** The three kinds of turn, for our bot and for the bare echo bot. */
function scenarios(stubUrl: string): Record<Kind, Scenario> {
  return {
    status: {
      build: (user: User) => ({ activity: message('status', user, stubUrl), expectReply: true, tag: 'status' }),
      ours: { replyCheck: isCard },
      bare: { replyCheck: (b: Record<string, any>) => b?.text === 'echo: status' },
    },
    question: {
      build: (user: User) => ({ activity: message(QUESTION, user, stubUrl), expectReply: true, tag: 'question' }),
      ours: {
        replyCheck: (b: Record<string, any>) => isCard(b) && /kontroller/.test(cardText(b.attachments[0].content)),
      },
      bare: { replyCheck: (b: Record<string, any>) => b?.text === `echo: ${QUESTION}` },
    },
    submit: {
      build: (user: User) => ({
        activity: cardAction('report.submit', submitData(), user, stubUrl),
        expectReply: false,
        tag: 'submit',
      }),
      ours: { check: (res: PostResult) => receiptKind(res) === 'saved' },
      bare: {
        check: (res: PostResult) =>
          res.body?.statusCode === 200 && res.body?.type === 'application/vnd.microsoft.card.adaptive',
      },
    },
  };
}

interface Target {
  endpoint: string;
  pid: number;
}

function phase(
  target: Target,
  stub: ConnectorStub,
  name: string,
  kind: Kind,
  concurrency: number,
  count: number,
  seconds: number,
  flavour: Flavour,
) {
  const sc = scenarios(stub.url)[kind];
  return runPhase({
    name,
    endpoint: target.endpoint,
    stub,
    pid: target.pid,
    concurrency,
    count,
    maxSeconds: seconds,
    build: sc.build,
    ...sc[flavour],
  });
}

function mixedPhase(
  target: Target,
  stub: ConnectorStub,
  name: string,
  count: number,
  seconds: number,
  flavour: Flavour = 'ours',
) {
  const sc = scenarios(stub.url);
  return runPhase({
    name,
    endpoint: target.endpoint,
    stub,
    pid: target.pid,
    concurrency: 20,
    count,
    maxSeconds: seconds,
    build: (user, i) => (i % 2 === 0 ? sc.status.build(user, i) : sc.submit.build(user, i)),
    check: (res, activity) => (activity.type === 'invoke' ? sc.submit[flavour].check!(res, activity) : true),
    replyCheck: sc.status[flavour].replyCheck,
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

const loopEnv = (file: string) => ({ NODE_OPTIONS: nodeOptions(), BENCH_LOOP_FILE: file });

/**
 * The bot as startBot (scripts/lib/bot-process.ts) runs it (local development mode, PORT=0), but
 * from the snapshot of dist/ and with the event-loop monitor preloaded. LOG_LEVEL=info: the
 * "listening on ..." line is an info record (at warn it is not written); the bot logs nothing per
 * request at info (the bench counts the lines written under load).
 */
async function startOurs(dbPath: string, dir: string, timeoutMs = 20000) {
  const loopFile = join(dir, `loop-${randomUUID()}.jsonl`);
  const bot = await startBot({
    script: MAIN_JS,
    dbPath,
    clock: BOT_CLOCK,
    logLevel: 'info',
    env: { LLM_PROVIDER: 'none', ...loopEnv(loopFile) },
    timeoutMs,
    keep: 5000,
  });
  return { ...bot, probe: loopProbe(loopFile, bot.pid) };
}

async function startBare(dir: string) {
  const loopFile = join(dir, `loop-bare-${randomUUID()}.jsonl`);
  const bare = await startNodeServer({ script: BARE_BOT, env: loopEnv(loopFile) });
  return { ...bare, probe: loopProbe(loopFile, bare.pid) };
}

async function firstAnswer(target: Target, stub: ConnectorStub, t0: number): Promise<number> {
  const res = await postJson(target.endpoint, message('status', USERS[0]!, stub.url), { timeoutMs: 120000 });
  if (res.status !== 200) throw new Error(`first status: HTTP ${res.status ?? res.error}`);
  return Date.now() - t0;
}

// ---------------------------------------------------------------------------------------------
// d. Cold start (first, while nothing else of ours runs)

async function coldStarts() {
  const out: { ours: Record<string, number>[]; bare: Record<string, number>[] } = { ours: [], bare: [] };
  for (let i = 0; i < COUNTS.cold; i++) {
    const tmp = tempDb('mlbot-bench-cold-');
    const stub = await startConnectorStub();
    try {
      const t0 = Date.now();
      const bot = await startOurs(tmp.dbPath, tmp.dir);
      const firstMs = await firstAnswer(bot, stub, t0);
      const cpuMs = cpuMsOf(bot.pid); // CPU time spawn → first answer: robust on a busy machine
      const startup = await bot.probe.mark();
      await sleep(2000);
      const idle = memoryOf(bot.pid);
      await bot.stop();
      out.ours.push({
        listeningMs: bot.startMs,
        firstAnswerMs: firstMs,
        cpuMs,
        startupStallMs: startup.maxMs,
        idleRssMiB: idle.rssMiB,
      });
      const t1 = Date.now();
      const bare = await startBare(tmp.dir);
      const bareFirst = await firstAnswer(bare, stub, t1);
      const bareCpuMs = cpuMsOf(bare.pid);
      await sleep(2000);
      const bareIdle = memoryOf(bare.pid);
      await bare.stop();
      out.bare.push({
        listeningMs: bare.startMs,
        firstAnswerMs: bareFirst,
        cpuMs: bareCpuMs,
        idleRssMiB: bareIdle.rssMiB,
      });
    } finally {
      await stub.close();
      tmp.remove();
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// a. Ours against the bare stack

async function versusBare() {
  const tmp = tempDb('mlbot-bench-a-');
  const stub = await startConnectorStub();
  let ours: Awaited<ReturnType<typeof startOurs>> | undefined;
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  try {
    seedReports(tmp.dbPath, BASE_REPORTS);
    ours = await startOurs(tmp.dbPath, tmp.dir);
    bare = await startBare(tmp.dir);
    const logLinesAtStart = ours.lineCount();
    const targets = { ours, bare };
    log(`a: warm-up (ours pid ${ours.pid}, bare pid ${bare.pid})`);
    for (const who of ['bare', 'ours'] as const) {
      for (const kind of ['status', 'question', 'submit'] as const) {
        await phase(targets[who], stub, `warm ${kind}`, kind, 20, COUNTS.warm20, 20, who);
        await phase(targets[who], stub, `warm ${kind}`, kind, 1, COUNTS.warm1, 10, who);
      }
      await targets[who].probe.mark();
    }
    const runs: Record<string, any>[] = [];
    for (const kind of ['status', 'question', 'submit'] as const) {
      for (const concurrency of [1, 20]) {
        for (let round = 0; round < COUNTS.rounds; round++) {
          const order: Flavour[] = round % 2 === 0 ? ['bare', 'ours'] : ['ours', 'bare'];
          for (const who of order) {
            const r = await phase(
              targets[who],
              stub,
              kind,
              kind,
              concurrency,
              concurrency === 1 ? COUNTS.c1 : COUNTS.c20,
              COUNTS.seconds,
              who,
            );
            const loop = await targets[who].probe.mark();
            runs.push({ who, kind, round, ...r, concurrency, stallMaxMs: loop.maxMs, stallP99Ms: loop.p99Ms });
            log(
              `a: ${who.padEnd(4)} ${kind.padEnd(8)} c${String(concurrency).padEnd(2)} ${r.turnsPerSecond.toFixed(0).padStart(5)} turns/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  failures ${r.failures}  other CPU ${r.otherCpuPct.toFixed(0)} %`,
            );
          }
        }
      }
    }
    const memAfter = { ours: memoryOf(ours.pid), bare: memoryOf(bare.pid) };
    const logLinesUnderLoad = ours.lineCount() - logLinesAtStart;
    const oursStop = await ours.stop();
    await bare.stop();
    return { runs, memAfter, logLinesUnderLoad, oursStop };
  } finally {
    await ours?.kill();
    await bare?.stop('SIGKILL', 1000);
    await stub.close();
    tmp.remove();
  }
}

// ---------------------------------------------------------------------------------------------
// b. With many stored reports

const run = promisify(execFile);

async function atSize(size: number) {
  const tmp = tempDb(`mlbot-bench-b${size}-`);
  const stub = await startConnectorStub();
  let bot: Awaited<ReturnType<typeof startOurs>> | undefined;
  try {
    const tSeed = Date.now();
    const seeded: { files: number; bytes: number; perWeekMax: number; perWeek: Record<string, number> } =
      size > 0 ? seedReports(tmp.dbPath, size) : { files: 0, bytes: 0, perWeekMax: 0, perWeek: {} };
    const seedMs = Date.now() - tSeed;
    let breakdown: Record<string, any> | undefined;
    if (size === Math.max(...SIZES) && size > 0) {
      log(`b: ${size}: cost breakdown of the bot's modules`);
      const { stdout } = await run(
        process.execPath,
        [join(DIST, 'scripts', 'bench', 'cost-breakdown.js'), tmp.dbPath],
        { cwd: root, timeout: 120000, maxBuffer: 1 << 20 },
      );
      breakdown = JSON.parse(stdout.trim().split('\n').pop() ?? '');
    }
    log(
      `b: ${size} reports (${seeded.files} week files, ${(seeded.bytes / 2 ** 20).toFixed(1)} MiB, seeded in ${seedMs} ms): starting the bot`,
    );
    const t0 = Date.now();
    bot = await startOurs(tmp.dbPath, tmp.dir, 180000);
    const firstMs = await firstAnswer(bot, stub, t0);
    const startup = await bot.probe.mark();
    await sleep(1000);
    const idle = memoryOf(bot.pid);
    await phase(bot, stub, 'warm submit', 'submit', 1, 20, 20, 'ours');
    await phase(bot, stub, 'warm status', 'status', 1, 3, 20, 'ours');
    await bot.probe.mark();
    const measured: Record<string, any> = {};
    for (const [kind, count, seconds] of <[Kind, number, number][]>[
      ['submit', COUNTS.sizeSubmit, 30],
      ['status', COUNTS.sizeStatus, 20],
      ['question', COUNTS.sizeQuestion, 20],
    ]) {
      const r = await phase(bot, stub, kind, kind, 1, count, seconds, 'ours');
      const loop = await bot.probe.mark();
      measured[kind] = { ...r, stallMaxMs: loop.maxMs, stallP99Ms: loop.p99Ms };
      log(
        `b: ${size}: ${kind.padEnd(8)} c1  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  (${r.ok} turns)  longest stall ${loop.maxMs} ms  failures ${r.failures}`,
      );
    }
    const mixed = await mixedPhase(bot, stub, 'mixed', COUNTS.mixed, COUNTS.mixedSeconds);
    const mixedLoop = await bot.probe.mark();
    measured.mixed = { ...mixed, stallMaxMs: mixedLoop.maxMs, stallP99Ms: mixedLoop.p99Ms };
    log(
      `b: ${size}: mixed c20 ${mixed.turnsPerSecond.toFixed(0)} turns/s, submit p99 ${mixed.tags.submit?.p99.toFixed(1)} ms, status p99 ${mixed.tags.status?.p99.toFixed(1)} ms, longest stall ${mixedLoop.maxMs} ms`,
    );
    const after = memoryOf(bot.pid);
    // The bot's own background jobs that ran meanwhile (a first start takes a backup of every data
    // file, the retention purge runs, reminder ticks every minute): seconds after "listening".
    const records: Record<string, any>[] = bot.lines().flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
    const listenedAt = Date.parse(records.find((r) => /^listening on /.test(r.msg ?? ''))?.time ?? '');
    const jobs = records
      .filter((r) => r.level >= 30 && !/^(listening on |first start|LOCAL DEVELOPMENT|BOT_CLOCK)/.test(r.msg ?? ''))
      .map((r) => ({
        atS: (Date.parse(r.time) - listenedAt) / 1000,
        msg: String(r.msg).slice(0, 80),
        ...(r.bytes ? { bytes: r.bytes, files: r.files } : {}),
      }));
    const stopped = await bot.stop();
    return {
      size,
      seeded: {
        files: seeded.files,
        bytes: seeded.bytes,
        perWeekMax: seeded.perWeekMax,
        week11: seeded.perWeek['2024-W11'] ?? 0,
      },
      seedMs,
      listeningMs: bot.startMs,
      firstAnswerMs: firstMs,
      startupStallMs: startup.maxMs,
      idleRssMiB: idle.rssMiB,
      afterRssMiB: after.rssMiB,
      peakRssMiB: after.peakMiB,
      measured,
      breakdown,
      jobs,
      stopped,
    };
  } finally {
    await bot?.kill();
    await stub.close();
    tmp.remove();
  }
}

/** The bare stack under the same mixed load (echo and one-line card): the stack's own latency and stalls at concurrency 20. */
async function bareMixed() {
  const tmp = tempDb('mlbot-bench-bare-mixed-');
  const stub = await startConnectorStub();
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  try {
    bare = await startBare(tmp.dir);
    await firstAnswer(bare, stub, Date.now());
    await mixedPhase(bare, stub, 'warm mixed', Math.min(200, COUNTS.mixed), COUNTS.mixedSeconds, 'bare');
    await bare.probe.mark();
    const r = await mixedPhase(bare, stub, 'mixed', COUNTS.mixed, COUNTS.mixedSeconds, 'bare');
    const loop = await bare.probe.mark();
    log(
      `b: bare stack mixed c20 ${r.turnsPerSecond.toFixed(0)} turns/s, invoke p99 ${r.tags.submit?.p99.toFixed(1)} ms, message p99 ${r.tags.status?.p99.toFixed(1)} ms, longest stall ${loop.maxMs} ms`,
    );
    return { ...r, stallMaxMs: loop.maxMs, stallP99Ms: loop.p99Ms };
  } finally {
    await bare?.kill();
    await stub.close();
    tmp.remove();
  }
}

// ---------------------------------------------------------------------------------------------
// c. Reminder fan-out

/** The driver of part c in the snapshot; its typed imports of the delivery engine make it part of the build. */
const FAN_OUT_DRIVER = join(DIST, 'scripts', 'bench', 'fan-out-driver.js');

/** One fan-out: the engine in a child process (fan-out-driver.ts) against a fresh rate-limited stub. */
async function fanOutRun(n: number, random429: number, engineTenantLimit?: number) {
  const tmp = tempDb('mlbot-bench-c-');
  const stub = await startRateLimitedConnector({ tenantPerSecond: 30, random429 });
  const loopFile = join(tmp.dir, 'loop-fanout.jsonl');
  try {
    const t0 = Date.now();
    let result: Record<string, any> | undefined;
    let error: string | undefined;
    try {
      const { stdout } = await run(process.execPath, [FAN_OUT_DRIVER], {
        cwd: root,
        timeout: 150000,
        maxBuffer: 1 << 20,
        env: {
          ...process.env,
          ...loopEnv(loopFile),
          FANOUT_SERVICE_URL: stub.url,
          FANOUT_N: String(n),
          FANOUT_DIR: tmp.dir,
          FANOUT_TENANT_LIMIT: String(engineTenantLimit ?? ''),
        },
      });
      result = JSON.parse(stdout.trim().split('\n').pop() ?? '');
    } catch (err) {
      const e = err as { stderr?: string; message?: string };
      error = String(e?.stderr || e?.message || err).slice(0, 600);
    }
    const loop = loopProbe(loopFile, 0).last();
    const distinct = new Set(stub.delivered.map((d) => d.conversationId)).size;
    return {
      n,
      random429,
      engineTenantLimit,
      wallSeconds: (Date.now() - t0) / 1000,
      engineSeconds: result?.seconds,
      minimumSeconds: n / 30,
      overview: result?.overview,
      ledgerBytes: result?.ledgerBytes,
      engineLog: result?.log,
      stub: { ...stub.stats },
      delivered: stub.delivered.length,
      distinct,
      duplicates: stub.duplicates().length,
      peakPerSecond: stub.peakPerSecond(),
      stallMaxMs: loop?.maxMs,
      error,
    };
  } finally {
    await stub.close();
    tmp.remove();
  }
}

async function fanOut() {
  const engine = existsSync(FAN_OUT_DRIVER);
  log(`c: delivery engine ${engine ? 'present' : 'absent'}; checking the rate-limited stub connector`);
  const check = await selfCheck({ n: QUICK ? 60 : 150 });
  const runs = [];
  if (engine) {
    const n = QUICK ? 100 : 1000;
    // The engine as configured; without random 429s (what pacing alone costs); and a what-if with
    // the engine pacing the tenant at 27/s, 90 % of the stub's limit (the engine's own option).
    const variants: [number, number?][] = QUICK ? [[0.01]] : [[0.01], [0], [0.01, 27]];
    for (const [random429, engineTenantLimit] of variants) {
      log(
        `c: fan-out to ${n} reporters, ${random429 * 100} % random 429s${engineTenantLimit ? `, engine paced at ${engineTenantLimit}/s` : ''}`,
      );
      const r = await fanOutRun(n, random429, engineTenantLimit);
      runs.push(r);
      log(
        `c: ${r.error ? `failed: ${r.error}` : `${f1(r.engineSeconds)} s (minimum ${f1(r.minimumSeconds)} s), ${r.distinct} of ${n} reached, ${r.duplicates} duplicates, ${r.stub.rejectedTenant + r.stub.rejectedConversation} over-limit 429s`}`,
      );
    }
  }
  return { engine, check, runs };
}

// ---------------------------------------------------------------------------------------------
// The report

const f0 = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US').replace(/,/g, ' ') : '–');
const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f2 = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : '–');
const mark = (ok: boolean): string => (ok ? '✓' : '✗');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// The report is rendered from the raw figures (also written as JSON): loosely typed on purpose.
function best(runs: any[], who: string, kind: string, concurrency: number): any {
  return runs
    .filter((r) => r.who === who && r.kind === kind && r.concurrency === concurrency)
    .sort((a, b) => b.turnsPerSecond - a.turnsPerSecond)[0];
}

function renderReport({ cold, a, b, c }: { cold?: any; a?: any; b?: any; c?: any }): string {
  const L: string[] = [];
  const kinds: Record<string, string> = {
    status: '"status" (message → card posted to the connector)',
    question: `question "${QUESTION}"`,
    submit: 'report submission (invoke → receipt)',
  };
  L.push(
    `Run ${machine.date} on **${machine.cpu}**, ${machine.cores} cores, ${machine.memGiB.toFixed(0)} GiB, Node ${machine.node}, ${machine.os}.`,
  );
  L.push(
    `Other processes used ${f0(machine.otherCpuAtStartPct)} % of a core just before the run. Load average at the start ${machine.loadAvgStart.map((x: number) => x.toFixed(2)).join(' / ')}, at the end ${machine.loadAvgEnd.map((x: number) => x.toFixed(2)).join(' / ')}; total run ${f0(machine.seconds)} s.${QUICK ? ' **QUICK run: small counts, figures not comparable.**' : ''}${PARTIAL ? ` **Partial run: part${PARTS.size > 1 ? 's' : ''} ${[...PARTS].sort().join(', ')} only.**` : ''}`,
  );
  const others: number[] = (a?.runs ?? []).map((r: any) => r.otherCpuPct).sort((x: number, y: number) => x - y);
  machine.otherCpuMedianPct = others[Math.floor(others.length / 2)];
  if (a && machine.otherCpuMedianPct > 20) {
    L.push(
      `> **The machine was busy during this run**: other processes used a median ${f0(machine.otherCpuMedianPct)} % of a core (of ${machine.cores * 100} %) during the measured runs of part a. Latencies and turns/s are lower than on a quiet machine; the ratios to the bare stack (measured alternately, under the same disturbance) and the CPU ms per turn are the more robust figures.`,
    );
    L.push('');
  }

  // Targets
  const ratios: { kind: string; c: number; ratio: number }[] = [];
  if (a)
    for (const kind of Object.keys(kinds))
      for (const c of [1, 20])
        ratios.push({
          kind,
          c,
          ratio: best(a.runs, 'ours', kind, c).turnsPerSecond / best(a.runs, 'bare', kind, c).turnsPerSecond,
        });
  const largest = (b ?? []).reduce((m: any, s: any) => (!m || s.size > m.size ? s : m), undefined);
  const coldMedian = cold ? median(cold.ours.map((r: any) => r.firstAnswerMs)) : NaN;
  const minRatio = Math.min(...ratios.map((r: any) => r.ratio));
  L.push('### Targets');
  L.push('');
  L.push('| target | measured | |');
  L.push('|---|---|---|');
  for (const r of ratios)
    L.push(
      `| turns/s ≥ ${TARGETS.ratio} × bare stack: ${r.kind}, concurrency ${r.c} | ${r.ratio.toFixed(2)} | ${mark(r.ratio >= TARGETS.ratio)} |`,
    );
  if (largest) {
    L.push(
      `| p99 submission ≤ ${TARGETS.submitP99Ms} ms at ${f0(largest.size)} stored reports (concurrency 1) | ${f1(largest.measured.submit.p99)} ms | ${mark(largest.measured.submit.p99 <= TARGETS.submitP99Ms)} |`,
    );
    const bare = b.bareMixed;
    const smallest = b.reduce((m: any, x: any) => (!m || x.size < m.size ? x : m), undefined);
    const context = (ours0: any, bareValue: any) =>
      ` (with ${f0(smallest.size)} stored reports: ${f1(ours0)} ms${bare ? `; the bare stack under the same load: ${f1(bareValue)} ms` : ''})`;
    L.push(
      `| p99 submission ≤ ${TARGETS.submitP99Ms} ms at ${f0(largest.size)} stored reports, mixed with "status" (concurrency 20) | ${f1(largest.measured.mixed.tags.submit?.p99)} ms${context(smallest.measured.mixed.tags.submit?.p99, bare?.tags.submit?.p99)} | ${mark(largest.measured.mixed.tags.submit?.p99 <= TARGETS.submitP99Ms)} |`,
    );
    const c1Stall = Math.max(...['submit', 'status', 'question'].map((k: any) => largest.measured[k].stallMaxMs));
    L.push(
      `| no event-loop stall over ${TARGETS.stallMs} ms while serving, ${f0(largest.size)} stored reports (concurrency 1) | longest ${f0(c1Stall)} ms | ${mark(c1Stall <= TARGETS.stallMs)} |`,
    );
    L.push(
      `| no event-loop stall over ${TARGETS.stallMs} ms while serving, ${f0(largest.size)} stored reports, mixed load (concurrency 20) | longest ${f0(largest.measured.mixed.stallMaxMs)} ms${context(smallest.measured.mixed.stallMaxMs, bare?.stallMaxMs)} | ${mark(largest.measured.mixed.stallMaxMs <= TARGETS.stallMs)} |`,
    );
  }
  const fan = c ? (c.runs.find((r: any) => r.random429 > 0 && !r.engineTenantLimit) ?? c.runs[0]) : undefined;
  if (c && !c.engine)
    L.push(
      `| reminder fan-out to 1 000 within ${TARGETS.fanOutFactor} × the rate-limit minimum (33 s), nothing lost | not measurable yet: no delivery engine | – |`,
    );
  else if (c && (!fan || fan.error))
    L.push(
      `| reminder fan-out to 1 000 within ${TARGETS.fanOutFactor} × the rate-limit minimum (33 s), nothing lost | the engine could not be driven${fan?.error ? `: ${fan.error.split('\n')[0].slice(0, 160)}` : ''} | ✗ |`,
    );
  else if (c) {
    const factor = fan.engineSeconds / fan.minimumSeconds;
    const lost = fan.n - fan.distinct;
    L.push(
      `| reminder fan-out to ${f0(fan.n)} within ${TARGETS.fanOutFactor} × the rate-limit minimum (${f1(fan.minimumSeconds)} s), nothing lost | ${f1(fan.engineSeconds)} s = ${factor.toFixed(2)} ×; ${lost} lost, ${fan.duplicates} duplicates | ${mark(factor <= TARGETS.fanOutFactor && lost === 0 && fan.duplicates === 0)} |`,
    );
  }
  if (cold)
    L.push(
      `| cold start to first answer ≤ ${f0(TARGETS.coldStartMs)} ms (median of ${cold.ours.length}, no stored reports) | ${f0(coldMedian)} ms | ${mark(coldMedian <= TARGETS.coldStartMs)} |`,
    );
  L.push('');

  // a
  if (a) {
    L.push(`### a. Turns per second against the bare stack (${f0(BASE_REPORTS)} stored reports)`);
    L.push('');
    L.push(
      `Closed loop over keep-alive HTTP; concurrency 1: up to ${COUNTS.c1} requests, 20: up to ${COUNTS.c20}, each at most ${COUNTS.seconds} s; ${COUNTS.rounds} rounds per cell alternating bare/ours, the best round of each shown. Latency is per request, from the socket to the end of the response (for a message, after the bot's reply was posted to the stub connector). CPU ms per turn is the bot process's own CPU time (/proc/<pid>/stat) divided by turns: the cost independent of the load generator, which shares the machine; "ratio by CPU per turn" = bare CPU per turn / ours, the throughput ratio when the bot's core is the bottleneck. "Other processes CPU %" is what the rest of the machine used meanwhile (100 % = one core): above ~20 % the run was disturbed.`,
    );
    L.push('');
    L.push(
      '| turn | conc. | ours turns/s | bare turns/s | ratio | ratio by CPU per turn | ours p50 / p99 ms | bare p50 / p99 ms | ours / bare CPU ms per turn | longest stall ours / bare ms | other processes CPU % ours / bare | failures |',
    );
    L.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const kind of Object.keys(kinds)) {
      for (const c of [1, 20]) {
        const o = best(a.runs, 'ours', kind, c);
        const x = best(a.runs, 'bare', kind, c);
        L.push(
          `| ${kinds[kind]} | ${c} | ${f0(o.turnsPerSecond)} | ${f0(x.turnsPerSecond)} | **${(o.turnsPerSecond / x.turnsPerSecond).toFixed(2)}** | ${(x.botCpuMsPerTurn / o.botCpuMsPerTurn).toFixed(2)} | ${f1(o.p50)} / ${f1(o.p99)} | ${f1(x.p50)} / ${f1(x.p99)} | ${o.botCpuMsPerTurn.toFixed(2)} / ${x.botCpuMsPerTurn.toFixed(2)} | ${f0(o.stallMaxMs)} / ${f0(x.stallMaxMs)} | ${f0(o.otherCpuPct)} / ${f0(x.otherCpuPct)} | ${o.failures + x.failures} |`,
        );
      }
    }
    L.push('');
    L.push(
      `Headline: ours / bare turns per second from ${Math.min(...ratios.map((r: any) => r.ratio)).toFixed(2)} to ${Math.max(...ratios.map((r: any) => r.ratio)).toFixed(2)} (lowest: ${ratios.find((r: any) => r.ratio === minRatio)!.kind}, concurrency ${ratios.find((r: any) => r.ratio === minRatio)!.c}). RSS after this load: ours ${f0(a.memAfter.ours.rssMiB)} MiB (peak ${f0(a.memAfter.ours.peakMiB)}), bare ${f0(a.memAfter.bare.rssMiB)} MiB (peak ${f0(a.memAfter.bare.peakMiB)}). Log lines the bot wrote under load: ${a.logLinesUnderLoad}. SIGTERM after the load: exit code ${a.oursStop.code}${a.oursStop.timedOut ? ' (timed out, killed)' : ''} in ${f0(a.oursStop.ms)} ms.`,
    );
    L.push('');
    L.push('<details><summary>Every measured run</summary>');
    L.push('');
    L.push(
      '| bot | turn | conc. | round | requests | turns/s | p50 | p99 | max ms | bot CPU % | load generator CPU % | other processes CPU % | failures |',
    );
    L.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of a.runs)
      L.push(
        `| ${r.who} | ${r.kind} | ${r.concurrency} | ${r.round + 1} | ${r.ok} | ${f0(r.turnsPerSecond)} | ${f1(r.p50)} | ${f1(r.p99)} | ${f1(r.max)} | ${f0(r.botCpuPct)} | ${f0(r.clientCpuPct)} | ${f0(r.otherCpuPct)} | ${r.failures}${r.failureSamples.length ? ` (${r.failureSamples.join('; ')})` : ''} |`,
      );
    L.push('');
    L.push('</details>');
    L.push('');
  }

  // b
  if (b) {
    L.push('### b. With many stored reports');
    L.push('');
    L.push(
      `Week files written before start, spread over the 104 ISO weeks of 2023–2024 and all six activities. Concurrency 1 (submission up to ${COUNTS.sizeSubmit}, status up to ${COUNTS.sizeStatus}, question up to ${COUNTS.sizeQuestion} requests), then a mixed load at concurrency 20 (half "status", half submissions, up to ${COUNTS.mixed} requests or ${COUNTS.mixedSeconds} s). Stalls: the longest event-loop delay inside the bot during that phase (monitorEventLoopDelay, resolution 10 ms).`,
    );
    L.push('');
    L.push(
      '| stored reports | week files (MiB) | reports in week 2024-W11 | spawn to listening ms | spawn to first answer ms | longest stall, spawn → first answer ms | submission p50 / p99 ms | stall ms | status p50 / p99 ms | stall ms | question p50 / p99 ms | stall ms | mixed c20: turns/s, submission p99 / status p99 ms | stall ms | RSS idle / after load MiB |',
    );
    L.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const s of b) {
      const m = s.measured;
      L.push(
        `| ${f0(s.size)} | ${s.seeded.files} (${f1(s.seeded.bytes / 2 ** 20)}) | ${f0(s.seeded.week11)} | ${f0(s.listeningMs)} | ${f0(s.firstAnswerMs)} | ${f0(s.startupStallMs)} | ${f1(m.submit.p50)} / ${f1(m.submit.p99)} | ${f0(m.submit.stallMaxMs)} | ${f1(m.status.p50)} / ${f1(m.status.p99)} | ${f0(m.status.stallMaxMs)} | ${f1(m.question.p50)} / ${f1(m.question.p99)} | ${f0(m.question.stallMaxMs)} | ${f0(m.mixed.turnsPerSecond)}: ${f1(m.mixed.tags.submit?.p99)} / ${f1(m.mixed.tags.status?.p99)} | ${f0(m.mixed.stallMaxMs)} | ${f0(s.idleRssMiB)} / ${f0(s.afterRssMiB)} |`,
      );
    }
    if (b.bareMixed) {
      const m = b.bareMixed;
      L.push('');
      L.push(
        `The bare stack under the same mixed load (its echo and its one-line card, no storage): ${f0(m.turnsPerSecond)} turns/s, invoke p99 ${f1(m.tags.submit?.p99)} ms, message p99 ${f1(m.tags.status?.p99)} ms, longest stall ${f0(m.stallMaxMs)} ms.`,
      );
    }
    const failuresB = b
      .flatMap((s: any) => Object.values(s.measured).map((m: any) => m.failures))
      .reduce((x: any, y: any) => x + y, 0);
    L.push('');
    L.push('The bot\'s own background work during these runs (from its log, seconds after "listening"):');
    L.push('');
    for (const s of b) {
      const jobs = s.jobs.length
        ? s.jobs
            .map(
              (j: any) =>
                `${j.msg}${j.bytes ? ` (${j.files} files, ${f1(j.bytes / 2 ** 20)} MiB)` : ''} at +${f1(j.atS)} s`,
            )
            .join('; ')
        : 'none logged';
      L.push(`- ${f0(s.size)} reports: ${jobs}`);
    }
    L.push('');
    const typingB = b
      .map(
        (s: any) =>
          `${Object.values(s.measured).reduce((x: any, m: any) => x + (m.typingIndicators ?? 0), 0)} with ${f0(s.size)} reports`,
      )
      .join(', ');
    L.push(
      `Typing indicators the bot posted before a reply (teams-ai 1.7.4 starts its 1 s typing timer on every message turn although the Application is built with startTypingTimer: false): ${typingB}${a ? `; in part a ${a.runs.filter((r: any) => r.who === 'ours').reduce((x: any, r: any) => x + (r.typingIndicators ?? 0), 0)} (bare stack: ${a.runs.filter((r: any) => r.who === 'bare').reduce((x: any, r: any) => x + (r.typingIndicators ?? 0), 0)})` : ''}.`,
    );
    L.push('');
    const samplesB = b.flatMap((s: any) =>
      Object.entries(s.measured)
        .filter(([, m]: [string, any]) => m.failures > 0)
        .map(([k, m]: [string, any]) => `${f0(s.size)} reports, ${k}: ${m.failureSamples.join('; ')}`),
    );
    L.push(
      `Failures (HTTP errors, missing or wrong replies, submissions without a receipt) across part b: ${failuresB}${samplesB.length ? ` (${samplesB.join(' | ')})` : ''}.`,
    );
    const bd = b.find((s: any) => s.breakdown)?.breakdown;
    if (bd) {
      L.push('');
      L.push(
        `Cost breakdown at ${f0(bd.reports)} reports (${bd.files} week files, ${f1(bd.totalBytes / 2 ** 20)} MiB), the bot's own modules timed step by step in a plain process (scripts/bench/cost-breakdown.ts):`,
      );
      L.push('');
      L.push('| step | ms |');
      L.push('|---|---|');
      L.push(`| start-up: read the week files | ${f0(bd.startup.readMs)} |`);
      L.push(`| start-up: JSON.parse | ${f0(bd.startup.jsonParseMs)} |`);
      L.push(
        `| start-up: zod ReportFileSchema (largest single file: ${f0(bd.startup.zodValidateMaxFileMs)} ms, synchronous) | ${f0(bd.startup.zodValidateMs)} |`,
      );
      L.push(
        `| start-up: ReportIndex.load (deepFreeze and running totals per report) | ${f0(bd.startup.indexLoadMs)} |`,
      );
      L.push(
        `| per status: computeStatus from the running totals (${f0(bd.perRequest.tallyCells)} cells of activity × date × week) | ${f2(bd.perRequest.computeStatusMs)} |`,
      );
      L.push(
        `| for comparison: computeStatus from a list of every report (the design before the running totals) | ${f1(bd.perRequest.computeStatusFromListMs)} |`,
      );
      L.push(
        `| per count question: countReports for one activity and year, from the running totals | ${f2(bd.perRequest.countReportsMs)} |`,
      );
      L.push(
        `| per submission: append one report to the week's journal (JSON.stringify + write(2)) | ${f2(bd.perRequest.journalAppendMs)} |`,
      );
      L.push(
        `| per fold (once per ${f0(bd.perRequest.foldEvery)} submissions to week 2024-W11): JSON.stringify of the week (${f0(bd.perRequest.weekReports)} reports, ${f0(bd.perRequest.weekFileBytes / 1024)} KiB) | ${f1(bd.perRequest.weekSerializeMs)} |`,
      );
      L.push(
        `| per fold: lowdb write of that file (stringify + temp file + rename) | ${f1(bd.perRequest.weekWriteMs)} |`,
      );
    }
    L.push('');
  }

  // c
  if (c) {
    L.push('### c. Reminder fan-out to 1 000 reporters');
    L.push('');
    const STUB =
      'The stub connector (its rate-limit mode, test/helpers/connector-stub.ts) enforces per conversation 7/1 s, 8/2 s, 60/30 s and per tenant 30/1 s, counted when a request arrives; a request over a limit gets 429 with Retry-After: 1 and is not delivered; on top, a share of requests within the limits gets 429 anyway (half of them without Retry-After).';
    if (!c.engine) {
      L.push(
        `**Not measurable yet: no delivery engine** (src/app/delivery/ did not exist when this run started). ${STUB}`,
      );
    } else {
      L.push(
        `The bot's delivery engine (src/app/delivery/: DeliveryEngine with the file ledger and the Teams sender through the bot's adapter) sends one reminder occurrence to each reporter's personal conversation, run in a child process (scripts/bench/fan-out-driver.ts; the reminder policy and scheduler are not involved). ${STUB}`,
      );
      L.push('');
      L.push(
        '| engine pacing | random 429s | time s | × minimum | reached / sent | duplicates | 429 over the tenant limit | 429 over a conversation limit | random 429 (with / without Retry-After) | requests | peak accepted per s | ledger KiB | longest stall in the engine process ms | engine warnings |',
      );
      L.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
      for (const r of c.runs) {
        const pacing = r.engineTenantLimit ? `${r.engineTenantLimit}/s (what-if)` : 'default';
        if (r.error) {
          L.push(
            `| ${pacing} | ${r.random429 * 100} % | failed: ${r.error.split('\n')[0].slice(0, 200)} |${' |'.repeat(11)}`,
          );
          continue;
        }
        L.push(
          `| ${pacing} | ${r.random429 * 100} % | ${f1(r.engineSeconds)} | ${(r.engineSeconds / r.minimumSeconds).toFixed(2)} | ${r.distinct} / ${r.n} (ledger: ${r.overview.counts.sent} sent, ${r.overview.counts.failed} failed, ${r.overview.counts.unknown} unknown) | ${r.duplicates} | ${r.stub.rejectedTenant} | ${r.stub.rejectedConversation} | ${r.stub.random429WithRetryAfter} / ${r.stub.random429WithoutRetryAfter} | ${r.stub.requests} | ${r.peakPerSecond} | ${f0(r.ledgerBytes / 1024)} | ${f0(r.stallMaxMs)} | ${r.engineLog.warn} |`,
        );
      }
    }
    const ck = c.check;
    L.push('');
    L.push('Self-check of the stub in this run:');
    L.push('');
    L.push(
      `- a naive sender (${ck.naive.sent} sends at once, concurrency 20, no retries): ${ck.naive.accepted} accepted, ${ck.naive.refused} refused with 429;`,
    );
    L.push(
      `- a sender paced at 30/s that retries every 429 after Retry-After (or 1 s): ${ck.paced.delivered} of ${ck.paced.sent} delivered, ${ck.paced.duplicates} duplicates, in ${f1(ck.paced.seconds)} s against a minimum of ${f1(ck.paced.minimumSeconds)} s (${(ck.paced.seconds / ck.paced.minimumSeconds).toFixed(2)} ×), ${ck.paced.attempts} attempts, peak ${ck.paced.peakPerSecond} accepted per second.`,
    );
    L.push('');
  }

  // d
  if (cold) {
    L.push('### d. Cold start and memory');
    L.push('');
    L.push(
      `Process spawn → the first "status" answer received (no stored reports; the bot writes the agreement on first start), each run on a fresh data file, the bot started as \`npm start\` runs it (\`node ${relative(dirname(DIST), MAIN_JS)}\`); the bare bot for comparison (spawn → first echo). CPU = the process's user + system time from spawn to the first answer (robust when the machine is busy). RSS = VmRSS from /proc/<pid>/status, 2 s after the first answer.`,
    );
    L.push('');
    L.push(
      '| run | ours: spawn to listening / to first answer ms | ours: CPU ms | longest stall, spawn → first answer ms | idle RSS MiB | bare: to listening / to first answer ms | bare: CPU ms | bare idle RSS MiB |',
    );
    L.push('|---|---|---|---|---|---|---|---|');
    cold.ours.forEach((o: any, i: any) => {
      const x = cold.bare[i];
      L.push(
        `| ${i + 1} | ${f0(o.listeningMs)} / ${f0(o.firstAnswerMs)} | ${f0(o.cpuMs)} | ${f0(o.startupStallMs)} | ${f0(o.idleRssMiB)} | ${f0(x.listeningMs)} / ${f0(x.firstAnswerMs)} | ${f0(x.cpuMs)} | ${f0(x.idleRssMiB)} |`,
      );
    });
    L.push('');
    if (a)
      L.push(
        `After the load of part a the bot's RSS was ${f0(a.memAfter.ours.rssMiB)} MiB (peak ${f0(a.memAfter.ours.peakMiB)}); with ${f0(largest?.size)} stored reports ${f0(largest?.idleRssMiB)} MiB idle and ${f0(largest?.afterRssMiB)} MiB after its load (peak ${f0(largest?.peakRssMiB)}).`,
      );
  }
  return L.join('\n');
}

const RAW_NAME = PARTIAL ? 'partial' : QUICK ? 'quick' : 'latest';
const BEGIN = '<!-- BEGIN GENERATED by npm run bench: this part is rewritten on every run -->';
const END = '<!-- END GENERATED -->';

function writeReport(markdown: string, raw: unknown): string {
  // A QUICK run's figures are not comparable: they never replace the report in docs/.
  // Neither does a partial run (BENCH_PARTS).
  const file = PARTIAL
    ? join(root, 'test-results', 'bench', 'partial.md')
    : QUICK
      ? join(root, 'test-results', 'bench', 'quick.md')
      : join(root, 'docs', 'benchmarks.md');
  const generated = `${BEGIN}\n\n${markdown}\n\n${END}`;
  let doc;
  if (existsSync(file) && readFileSync(file, 'utf8').includes(BEGIN) && readFileSync(file, 'utf8').includes(END)) {
    const old = readFileSync(file, 'utf8');
    doc = old.slice(0, old.indexOf(BEGIN)) + generated + old.slice(old.indexOf(END) + END.length);
  } else {
    doc = `# Benchmarks\n\n\`npm run bench\` measures the bot end to end; see scripts/bench.ts.\n\n## Latest run\n\n${generated}\n`;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, doc);
  const rawDir = join(root, 'test-results', 'bench');
  mkdirSync(rawDir, { recursive: true });
  writeFileSync(join(rawDir, `${RAW_NAME}.json`), JSON.stringify(raw, null, 2));
  return file;
}

// ---------------------------------------------------------------------------------------------

/**
 * The machine is shared: waits (up to BENCH_QUIET_WAIT s, default 60) until the other processes use
 * under 25 % of a core over 2 s. Returns the last measured share, in % of one core.
 */
async function waitForQuiet(): Promise<number> {
  const limit = Number(process.env.BENCH_QUIET_WAIT ?? 60);
  const deadline = Date.now() + limit * 1000;
  let busyPct;
  do {
    const b0 = systemBusyMs();
    const c0 = process.cpuUsage();
    await sleep(2000);
    const own = process.cpuUsage(c0);
    busyPct = ((systemBusyMs() - b0 - (own.user + own.system) / 1000) / 2000) * 100;
    if (busyPct < 25) return busyPct;
    log(`other processes use ${busyPct.toFixed(0)} % of a core: waiting for a quieter machine (up to ${limit} s)`);
  } while (Date.now() < deadline);
  return busyPct;
}

let exitCode = 0;
try {
  machine.otherCpuAtStartPct = await waitForQuiet();
  let cold: Awaited<ReturnType<typeof coldStarts>> | undefined;
  if (PARTS.has('d')) {
    log('d: cold starts');
    cold = await coldStarts();
    log(
      `d: ours first answer ${cold.ours.map((r) => r.firstAnswerMs).join(', ')} ms; bare ${cold.bare.map((r) => r.firstAnswerMs).join(', ')} ms`,
    );
  }
  const a = PARTS.has('a') ? await versusBare() : undefined;
  let b: (any[] & { bareMixed?: unknown }) | undefined;
  if (PARTS.has('b')) {
    b = [];
    for (const size of SIZES) b.push(await atSize(size));
    b.bareMixed = await bareMixed();
  }
  const c = PARTS.has('c') ? await fanOut() : undefined;
  const e = PARTS.has('e') ? await runNational({ mainJs: MAIN_JS, bareBot: BARE_BOT, quick: QUICK, log }) : undefined;
  machine.loadAvgEnd = os.loadavg();
  machine.seconds = (Date.now() - tBench) / 1000;
  const markdown = [renderReport({ cold, a, b, c }), ...(e ? [renderNational(e)] : [])].join('\n');
  const file = writeReport(markdown, { machine, counts: COUNTS, cold, a, b, bareMixed: b?.bareMixed, c, e });
  console.log(markdown);
  log(`report written to ${file} (raw figures in test-results/bench/${RAW_NAME}.json)`);
} catch (err) {
  console.error('bench failed:', (err as Error)?.stack ?? err);
  exitCode = 1;
} finally {
  killAll();
  rmSync(dirname(DIST), { recursive: true, force: true }); // the snapshot of dist/
}
process.exit(exitCode);
