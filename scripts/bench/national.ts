// Part e of the benchmark: national data on PostgreSQL (issue #14). 290 municipalities, 2 000 000
// reports (BENCH_E_REPORTS) in one schema of the test database (scripts/bench/seed-national.ts),
// two bot instances on it, the load spread over both instances and over the municipalities; the
// same turns against two bare stacks (the ratio, as part a) and against lowdb at 100 000 reports
// (one instance, as lowdb allows). Start-up to the first answer and idle RSS at 1 000 reports and
// at the full size, on both stores: neither may grow with history on PostgreSQL.
//
// The schemas are dropped at the end; BENCH_KEEP=1 keeps them and a later run reuses a finished
// seed of the same size. TEST_DATABASE_URL overrides postgres://postgres@127.0.0.1:5432/test.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  BOT_CLOCK,
  WEEK_DATES,
  cardAction,
  cardText,
  message,
  postJson,
  receiptKind,
  sleep,
  startBot,
  startConnectorStub,
  tempDb,
  type ConnectorStub,
  type PostResult,
  type User,
} from '../lib/bot-process.js';
import { runPhase, USERS } from './load.js';
import { loopProbe, memoryOf, nodeOptions, startNodeServer } from './proc.js';
import { seedReports } from './seed-reports.js';
import {
  MUNICIPALITIES,
  dropSchema,
  nationalUser,
  seedCoordination,
  seedNational,
  seededAlready,
  type NationalSeed,
} from './seed-national.js';

export interface NationalContext {
  /** The bot's entry (the snapshot of dist/bundle/start.cjs). */
  mainJs: string;
  /** The bare echo bot of part a. */
  bareBot: string;
  quick: boolean;
  log: (...args: unknown[]) => void;
}

export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const QUESTION = 'hur många trafikkontroller i år?';
const SMALL = 1000;
const LOWDB_SIZE = 100_000;
type Kind = 'status' | 'question' | 'submit';
const KINDS: Kind[] = ['status', 'question', 'submit'];

function reportsWanted(): number {
  const n = Number(process.env.BENCH_E_REPORTS ?? 2_000_000);
  if (!Number.isInteger(n) || n < 10_000 || n > 5_000_000) {
    throw new Error('BENCH_E_REPORTS: expected a whole number from 10000 to 5000000');
  }
  return n;
}

const isCard = (b: Record<string, any>): boolean =>
  b?.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive';
const WEEKS = Object.keys(WEEK_DATES);
let submitSeq = 0;

/**
 * The turns of part a, each request from the next municipality's user (PostgreSQL: request i from
 * municipality i × 7 mod 290, so consecutive requests hit different agreements); lowdb and the bare
 * stack have one agreement: part a's users.
 */
function build(kind: Kind, stubUrl: string, national: boolean) {
  const userOf = (worker: User, i: number): User =>
    national ? nationalUser((i * 7) % MUNICIPALITIES, Math.floor(i / MUNICIPALITIES) % 2) : worker;
  return (worker: User, i: number) => {
    const user = userOf(worker, i);
    if (kind === 'submit') {
      const week = WEEKS[submitSeq++ % WEEKS.length]!;
      const data = {
        submissionId: randomUUID(),
        week,
        activityId: 'trafikkontroller',
        count: '3',
        date: WEEK_DATES[week]![submitSeq % 4]!,
        area: 'Centrum',
        description: '',
        party: 'Polisen',
      };
      return { activity: cardAction('report.submit', data, user, stubUrl), expectReply: false, tag: kind };
    }
    return { activity: message(kind === 'status' ? 'status' : QUESTION, user, stubUrl), expectReply: true, tag: kind };
  };
}

const checks = {
  ours: {
    status: { replyCheck: isCard },
    question: {
      replyCheck: (b: Record<string, any>) => isCard(b) && /kontroller/.test(cardText(b.attachments[0].content)),
    },
    submit: { check: (res: PostResult) => receiptKind(res) === 'saved' },
  },
  bare: {
    status: { replyCheck: (b: Record<string, any>) => b?.text === 'echo: status' },
    question: { replyCheck: (b: Record<string, any>) => b?.text === `echo: ${QUESTION}` },
    submit: {
      check: (res: PostResult) =>
        res.body?.statusCode === 200 && res.body?.type === 'application/vnd.microsoft.card.adaptive',
    },
  },
} as const;

interface Instance {
  pid: number;
  endpoint: string;
  startMs: number;
  stop: () => Promise<unknown>;
  kill: () => Promise<unknown>;
}

interface Target {
  flavour: 'ours' | 'bare';
  national: boolean;
  instances: Instance[];
}

function phase(t: Target, stub: ConnectorStub, kind: Kind, concurrency: number, count: number, seconds: number) {
  return runPhase({
    name: kind,
    endpoint: t.instances[0]!.endpoint,
    endpoints: t.instances.map((x) => x.endpoint),
    pid: t.instances[0]!.pid,
    pids: t.instances.map((x) => x.pid),
    stub,
    concurrency,
    count,
    maxSeconds: seconds,
    build: build(kind, stub.url, t.national),
    ...checks[t.flavour][kind],
  });
}

async function startOurs(ctx: NationalContext, dir: string, env: Record<string, string>): Promise<Instance> {
  const tmp = join(dir, `db-${randomUUID()}.json`);
  const bot = await startBot({
    script: ctx.mainJs,
    dbPath: tmp,
    clock: BOT_CLOCK,
    logLevel: 'info',
    env: {
      LLM_PROVIDER: 'none',
      NODE_OPTIONS: nodeOptions(),
      BENCH_LOOP_FILE: join(dir, `loop-${randomUUID()}.jsonl`),
      ...env,
    },
    timeoutMs: 180000,
  });
  return bot;
}

const pgEnv = (schema: string): Record<string, string> => ({ DATABASE_URL, DATABASE_SCHEMA: schema });

/**
 * Spawn → first "status" answer (a user bound to the first municipality), idle RSS 2 s later, then
 * "status" and the count question at concurrency 1 on that one instance. Twice on PostgreSQL: the
 * first start on a freshly seeded schema, then a restart (what an operator's restart costs).
 */
async function startupProbe(
  ctx: NationalContext,
  label: string,
  env: Record<string, string>,
  national: boolean,
  dir: string,
  stub: ConnectorStub,
  counts: { status: number; question: number },
) {
  const t0 = Date.now();
  const bot = await startOurs(ctx, dir, env);
  try {
    const user = national ? nationalUser(0, 0) : USERS[0]!;
    const res = await postJson(bot.endpoint, message('status', user, stub.url), { timeoutMs: 120000 });
    if (res.status !== 200) throw new Error(`${label}: first status: HTTP ${res.status ?? res.error}`);
    const firstAnswerMs = Date.now() - t0;
    await sleep(2000);
    const idle = memoryOf(bot.pid);
    const target: Target = { flavour: 'ours', national, instances: [bot] };
    await phase(target, stub, 'status', 1, 10, 10);
    const status = await phase(target, stub, 'status', 1, counts.status, 15);
    const question = await phase(target, stub, 'question', 1, counts.question, 15);
    const out = {
      label,
      listeningMs: bot.startMs,
      firstAnswerMs,
      idleRssMiB: idle.rssMiB,
      status: pick(status),
      question: pick(question),
    };
    ctx.log(
      `e: ${label}: listening ${out.listeningMs} ms, first answer ${firstAnswerMs} ms, idle RSS ${idle.rssMiB.toFixed(0)} MiB; status p50 ${status.p50.toFixed(1)} ms, question p50 ${question.p50.toFixed(1)} ms (${status.failures + question.failures} failures)`,
    );
    return out;
  } finally {
    await bot.stop();
  }
}

type Phase = Awaited<ReturnType<typeof runPhase>>;
const pick = (r: Phase) => ({
  ok: r.ok,
  turnsPerSecond: r.turnsPerSecond,
  p50: r.p50,
  p99: r.p99,
  max: r.max,
  failures: r.failures,
  failureSamples: r.failureSamples,
  botCpuMsPerTurn: r.botCpuMsPerTurn,
  otherCpuPct: r.otherCpuPct,
});

/** Warm-up, then every kind at concurrency 1 and 20. */
async function loadCells(ctx: NationalContext, label: string, t: Target, stub: ConnectorStub) {
  const c = ctx.quick ? { warm: 40, c1: 30, c20: 100, seconds: 3 } : { warm: 300, c1: 300, c20: 1500, seconds: 6 };
  for (const kind of KINDS) await phase(t, stub, kind, 20, c.warm, 20);
  const cells: Record<string, any>[] = [];
  for (const kind of KINDS) {
    for (const concurrency of [1, 20]) {
      const r = await phase(t, stub, kind, concurrency, concurrency === 1 ? c.c1 : c.c20, c.seconds);
      cells.push({ kind, concurrency, ...pick(r) });
      ctx.log(
        `e: ${label.padEnd(18)} ${kind.padEnd(8)} c${String(concurrency).padEnd(2)} ${r.turnsPerSecond.toFixed(0).padStart(5)} turns/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  failures ${r.failures}  other CPU ${r.otherCpuPct.toFixed(0)} %`,
      );
    }
  }
  return cells;
}

export async function runNational(ctx: NationalContext) {
  const reports = reportsWanted();
  const keep = process.env.BENCH_KEEP === '1';
  const big = `bench_e_${reports}`;
  const small = `bench_e_${SMALL}`;
  const tmp = tempDb('mlbot-bench-e-');
  const stub = await startConnectorStub();
  const running: Instance[] = [];
  try {
    // 1. The data.
    const seeds: Record<string, NationalSeed | { reused: true; reports: number }> = {};
    for (const [schema, n] of [
      [small, SMALL],
      [big, reports],
    ] as const) {
      if (keep && (await seededAlready(DATABASE_URL, schema, n))) {
        ctx.log(`e: schema ${schema} holds a finished seed of ${n} reports (BENCH_KEEP=1): reused`);
        seeds[schema] = { reused: true, reports: n };
        continue;
      }
      ctx.log(`e: seeding ${n.toLocaleString('en-US')} reports over ${MUNICIPALITIES} municipalities into ${schema}`);
      const s = await seedNational(DATABASE_URL, schema, n, (m) => ctx.log(m));
      ctx.log(
        `e: seeded ${schema} in ${(s.ms.total / 1000).toFixed(0)} s (reports ${(s.ms.reports / 1000).toFixed(0)} s), ${(s.tableBytes / 2 ** 20).toFixed(0)} MiB`,
      );
      seeds[schema] = s;
    }
    const coordination: Record<string, number> = {};
    for (const schema of [small, big]) coordination[schema] = await seedCoordination(DATABASE_URL, schema);

    // 2. Start-up, idle RSS and the c1 status / question at 1 000 and the full size.
    const probeCounts = ctx.quick ? { status: 20, question: 20 } : { status: 200, question: 200 };
    const startup: Record<string, any>[] = [];
    for (const [schema, n] of [
      [small, SMALL],
      [big, reports],
    ] as const) {
      for (const when of ['first start', 'restart']) {
        startup.push({
          store: 'postgres',
          reports: n,
          when,
          ...(await startupProbe(ctx, `PostgreSQL ${n} (${when})`, pgEnv(schema), true, tmp.dir, stub, probeCounts)),
        });
      }
    }

    // 3. Two instances on the national data, then two bare stacks, under the same turns.
    const a = await startOurs(ctx, tmp.dir, pgEnv(big));
    running.push(a);
    const b = await startOurs(ctx, tmp.dir, pgEnv(big));
    running.push(b);
    const pgCells = await loadCells(ctx, `PostgreSQL ×2`, { flavour: 'ours', national: true, instances: [a, b] }, stub);
    const pgRss = [memoryOf(a.pid), memoryOf(b.pid)];
    await a.stop();
    await b.stop();
    running.length = 0;
    const bares: Instance[] = [];
    for (let i = 0; i < 2; i++) {
      const loopFile = join(tmp.dir, `loop-bare-${i}.jsonl`);
      const bare = await startNodeServer({
        script: ctx.bareBot,
        env: { NODE_OPTIONS: nodeOptions(), BENCH_LOOP_FILE: loopFile },
      });
      loopProbe(loopFile, bare.pid);
      bares.push(bare);
      running.push(bare);
    }
    const bareCells = await loadCells(ctx, 'bare ×2', { flavour: 'bare', national: false, instances: bares }, stub);
    for (const x of bares) await x.stop();
    running.length = 0;

    // 4. lowdb (one instance: its lock refuses a second) at 1 000 and 100 000 reports.
    const lowdb: Record<string, any> = { startup: [] };
    for (const n of [SMALL, LOWDB_SIZE]) {
      const db = tempDb(`mlbot-bench-e-lowdb${n}-`);
      try {
        const tSeed = Date.now();
        seedReports(db.dbPath, n);
        const seedMs = Date.now() - tSeed;
        const env = { DB_PATH: db.dbPath };
        for (const when of ['first start', 'restart'])
          lowdb.startup.push({
            store: 'lowdb',
            reports: n,
            when,
            seedMs,
            ...(await startupProbe(ctx, `lowdb ${n} (${when})`, env, false, db.dir, stub, probeCounts)),
          });
        if (n === LOWDB_SIZE) {
          const bot = await startOurs(ctx, db.dir, env);
          running.push(bot);
          lowdb.cells = await loadCells(
            ctx,
            `lowdb ${n}`,
            { flavour: 'ours', national: false, instances: [bot] },
            stub,
          );
          lowdb.rss = memoryOf(bot.pid);
          await bot.stop();
          running.length = 0;
        }
      } finally {
        db.remove();
      }
    }
    return {
      reports,
      municipalities: MUNICIPALITIES,
      seeds,
      coordination,
      startup,
      pg: { cells: pgCells, rss: pgRss },
      bare: { cells: bareCells },
      lowdb,
    };
  } finally {
    for (const x of running) await x.kill();
    await stub.close();
    tmp.remove();
    if (!keep) {
      await dropSchema(DATABASE_URL, big);
      await dropSchema(DATABASE_URL, small);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The report

const f0 = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US').replace(/,/g, ' ') : '–');
const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : '–');
const LABELS: Record<Kind, string> = {
  status: '"status"',
  question: `question "${QUESTION}"`,
  submit: 'report submission',
};

/** Part e's section of docs/benchmarks.md, from runNational's raw figures (loosely typed on purpose). */
export function renderNational(e: any): string {
  const L: string[] = [];
  L.push(`### e. National data on PostgreSQL: ${f0(e.reports)} reports over ${e.municipalities} municipalities`);
  L.push('');
  const seedLines = Object.entries(e.seeds).map(([schema, s]: [string, any]) =>
    s.reused
      ? `${schema}: ${f0(s.reports)} reports, reused from an earlier run (BENCH_KEEP=1)`
      : `${schema}: ${f0(s.reports)} reports in ${f1(s.ms.total / 1000)} s (agreements ${f1(s.ms.agreements / 1000)} s, ${s.users} bound chats and rapportörer ${f1(s.ms.conversations / 1000)} s, reports ${f1(s.ms.reports / 1000)} s, ANALYZE ${f1(s.ms.analyze / 1000)} s), ${f0(s.tableBytes / 2 ** 20)} MiB of tables and indexes; reports per municipality ${f0(s.perMunicipality.min)} to ${f0(s.perMunicipality.max)} (median ${f0(s.perMunicipality.median)})`,
  );
  L.push(
    `Seeded through the bot's own store (scripts/bench/seed-national.ts: PostgresReports.addMany, batches of 5 000 reports, two writers on disjoint agreements, so the running totals are the bot's own): the Tranås agreement and ${e.municipalities - 1} generated from it (own ids, names, wordings and targets), reports over 2023–2024 with part b's mix, municipality sizes skewed like populations; two bench users per municipality, each with a personal chat bound to it and registered as its rapportör.`,
  );
  L.push('');
  for (const line of seedLines) L.push(`- ${line}`);
  if (e.coordination)
    L.push(
      `- and in each schema what coordinators keep (scripts/bench/seed-national.ts seedCoordination): 8 follow-up meetings per municipality, a linked channel in every other one, a status override in every fifth (${Object.values(e.coordination)[0]} records)`,
    );
  L.push('');
  L.push(
    'Start-up: spawn → the first "status" answer, idle RSS (VmRSS) 2 s later, then "status" and the count question at concurrency 1 on that one instance (PostgreSQL: each request from another municipality). "First start" is the first start on the data (PostgreSQL: a freshly seeded schema; lowdb: fresh week files), "restart" the next one.',
  );
  L.push('');
  L.push(
    '| store | stored reports | start | spawn to listening ms | spawn to first answer ms | idle RSS MiB | "status" c1 p50 / p99 ms | question c1 p50 / p99 ms | failures |',
  );
  L.push('|---|---|---|---|---|---|---|---|---|');
  for (const s of [...e.startup, ...e.lowdb.startup])
    L.push(
      `| ${s.store === 'postgres' ? 'PostgreSQL' : 'lowdb'} | ${f0(s.reports)} | ${s.when} | ${f0(s.listeningMs)} | ${f0(s.firstAnswerMs)} | ${f0(s.idleRssMiB)} | ${f1(s.status.p50)} / ${f1(s.status.p99)} | ${f1(s.question.p50)} / ${f1(s.question.p99)} | ${s.status.failures + s.question.failures} |`,
    );
  L.push('');
  const probe = (store: string, n: number) =>
    [...e.startup, ...e.lowdb.startup].find((s: any) => s.store === store && s.reports === n && s.when === 'restart');
  const pgSmall = probe('postgres', SMALL);
  const pgBig = probe('postgres', e.reports);
  if (pgSmall && pgBig)
    L.push(
      `Same cost at ${f0(SMALL)} and ${f0(e.reports)} reports on PostgreSQL (restart): "status" p50 ${f1(pgSmall.status.p50)} → ${f1(pgBig.status.p50)} ms, count question p50 ${f1(pgSmall.question.p50)} → ${f1(pgBig.question.p50)} ms; first answer ${f0(pgSmall.firstAnswerMs)} → ${f0(pgBig.firstAnswerMs)} ms; idle RSS ${f0(pgSmall.idleRssMiB)} → ${f0(pgBig.idleRssMiB)} MiB.`,
    );
  L.push('');
  L.push(
    `Turns: two bot instances on the ${f0(e.reports)}-report schema, request i to instance i mod 2 and from municipality 7·i mod ${e.municipalities}; the same turns against two bare stacks (part a's echo bot) and against lowdb at ${f0(LOWDB_SIZE)} reports (one instance, one agreement). One round per cell after a warm-up; CPU ms per turn is the bot processes' own CPU summed.`,
  );
  L.push('');
  L.push(
    '| turn | conc. | PostgreSQL ×2 turns/s | bare ×2 turns/s | ratio | PostgreSQL p50 / p99 ms | bare p50 / p99 ms | PostgreSQL / bare CPU ms per turn | lowdb 100 000 turns/s | lowdb p50 / p99 ms | lowdb CPU ms per turn | other processes CPU % (pg / bare / lowdb) | failures |',
  );
  L.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const kind of KINDS)
    for (const c of [1, 20]) {
      const find = (cells: any[]) => cells?.find((x: any) => x.kind === kind && x.concurrency === c);
      const p = find(e.pg.cells);
      const x = find(e.bare.cells);
      const l = find(e.lowdb.cells);
      L.push(
        `| ${LABELS[kind]} | ${c} | ${f0(p.turnsPerSecond)} | ${f0(x.turnsPerSecond)} | **${(p.turnsPerSecond / x.turnsPerSecond).toFixed(2)}** | ${f1(p.p50)} / ${f1(p.p99)} | ${f1(x.p50)} / ${f1(x.p99)} | ${p.botCpuMsPerTurn.toFixed(2)} / ${x.botCpuMsPerTurn.toFixed(2)} | ${f0(l?.turnsPerSecond)} | ${f1(l?.p50)} / ${f1(l?.p99)} | ${l ? l.botCpuMsPerTurn.toFixed(2) : '–'} | ${f0(p.otherCpuPct)} / ${f0(x.otherCpuPct)} / ${f0(l?.otherCpuPct)} | ${p.failures + x.failures + (l?.failures ?? 0)}${[...p.failureSamples, ...(l?.failureSamples ?? [])].length ? ` (${[...p.failureSamples, ...(l?.failureSamples ?? [])].slice(0, 3).join('; ')})` : ''} |`,
      );
    }
  L.push('');
  L.push(
    `RSS after the load: PostgreSQL instances ${e.pg.rss.map((r: any) => f0(r.rssMiB)).join(' and ')} MiB (peak ${e.pg.rss.map((r: any) => f0(r.peakMiB)).join(' and ')}); lowdb at ${f0(LOWDB_SIZE)} reports ${f0(e.lowdb.rss?.rssMiB)} MiB (peak ${f0(e.lowdb.rss?.peakMiB)}). "Other processes" includes the PostgreSQL server: in the PostgreSQL cells that is the database work of the turns themselves.`,
  );
  return L.join('\n');
}
