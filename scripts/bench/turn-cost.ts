// CPU time per turn, ours against the bare stack, for part a's three kinds of turn: a quicker and
// steadier figure than turns/s on a shared machine. Starts the bot (the bundle `npm start` runs)
// on 1,000 seeded reports and the bare bot (scripts/bench/bare-bot.ts), warms both up, then runs
// `rounds` rounds of `count` turns per kind, alternating bare/ours, and reads each process's own
// CPU time (/proc/<pid>/stat). Prints the lowest and the median CPU µs per turn of each, and
// bare / ours by the lowest (contention from other processes only ever adds CPU time), and the median
// turns/s of each (part a's figure, wall clock).
//   node dist/scripts/bench/turn-cost.js [concurrency=1] [count=1000] [rounds=5] [kinds=status,question,submit]
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BOT_CLOCK,
  WEEK_DATES,
  cardAction,
  cardText,
  installExitHooks,
  message,
  receiptKind,
  root,
  sleep,
  startBot,
  startConnectorStub,
  tempDb,
  type PostResult,
  type User,
} from '../lib/bot-process.js';
import { runPhase, type PhaseOptions } from './load.js';
import { startNodeServer } from './proc.js';
import { seedReports } from './seed-reports.js';

installExitHooks();
const [concArg = '1', countArg = '1000', roundsArg = '5', kindsArg = 'status,question,submit'] = process.argv.slice(2);
const concurrency = Number(concArg);
const count = Number(countArg);
const rounds = Number(roundsArg);
const kinds = kindsArg.split(',') as Kind[];
type Kind = 'status' | 'question' | 'submit';
type Who = 'ours' | 'bare';
const QUESTION = 'hur många trafikkontroller i år?';

let seq = 0;
const weeks = Object.keys(WEEK_DATES);
function submitData() {
  const week = weeks[seq++ % weeks.length]!;
  return {
    submissionId: randomUUID(),
    week,
    activityId: 'trafikkontroller',
    count: '3',
    date: WEEK_DATES[week]![seq % 4]!,
    area: 'Centrum',
    description: '',
    party: 'Polisen',
  };
}
const isCard = (b: Record<string, any>): boolean =>
  b?.attachments?.[0]?.contentType === 'application/vnd.microsoft.card.adaptive';

function options(kind: Kind, who: Who, stubUrl: string): Pick<PhaseOptions, 'build' | 'check' | 'replyCheck'> {
  const msg = (text: string) => (user: User) => ({
    activity: message(text, user, stubUrl),
    expectReply: true,
  });
  if (kind === 'status')
    return {
      build: msg('status'),
      replyCheck: who === 'ours' ? isCard : (b) => b?.text === 'echo: status',
    };
  if (kind === 'question')
    return {
      build: msg(QUESTION),
      replyCheck:
        who === 'ours'
          ? (b) => isCard(b) && /kontroller/.test(cardText(b.attachments[0].content))
          : (b) => b?.text === `echo: ${QUESTION}`,
    };
  return {
    build: (user: User) => ({
      activity: cardAction('report.submit', submitData(), user, stubUrl),
      expectReply: false,
    }),
    check:
      who === 'ours'
        ? (res: PostResult) => receiptKind(res) === 'saved'
        : (res: PostResult) => res.body?.statusCode === 200,
  };
}

// TURN_COST_PROFILE_DIR=<dir>: both processes run from dist/ (not the bundle, so that a profile names
// the packages and files) and write <dir>/<ours|bare>.cpuprofile covering the measured rounds only
// (scripts/bench/cpu-profile-preload.mjs, started and stopped by SIGUSR2).
const profileDir = process.env.TURN_COST_PROFILE_DIR;
function profileEnv(who: Who): Record<string, string> {
  if (!profileDir) return {};
  return {
    NODE_OPTIONS: `--import=${join(root, 'scripts', 'bench', 'cpu-profile-preload.mjs')}`,
    BENCH_PROFILE_FILE: join(profileDir, `${who}.cpuprofile`),
  };
}
const tmp = tempDb('mlbot-turn-cost-');
process.on('exit', () => tmp.remove());
const stub = await startConnectorStub();
seedReports(tmp.dbPath, 1000);
const ours = await startBot({
  dbPath: tmp.dbPath,
  clock: BOT_CLOCK,
  env: { LLM_PROVIDER: 'none', ...profileEnv('ours') },
  ...(profileDir ? { script: join(root, 'dist', 'src', 'main.js') } : {}),
  timeoutMs: 60000,
});
const bare = await startNodeServer({
  script: join(root, 'dist', 'scripts', 'bench', 'bare-bot.js'),
  env: profileEnv('bare'),
});
const targets = { ours, bare };
/** utime and stime (ms) of each thread of a process, by thread name. */
function threadTimes(pid: number): Map<string, { user: number; sys: number }> {
  const out = new Map<string, { user: number; sys: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const key = tid === String(pid) ? 'main' : name;
      const prev = out.get(key) ?? { user: 0, sys: 0 };
      out.set(key, { user: prev.user + Number(f[11]) * 10, sys: prev.sys + Number(f[12]) * 10 });
    } catch {
      // the thread ended
    }
  }
  return out;
}
const threads: Record<string, Map<string, { user: number; sys: number }>> = {};
const phase = async (who: Who, kind: Kind, n: number) => {
  const before = threadTimes(targets[who].pid);
  const r = await runPhase(phaseOptions(who, kind, n));
  const after = threadTimes(targets[who].pid);
  const acc = (threads[`${who} ${kind}`] ??= new Map());
  for (const [k, v] of after) {
    const b = before.get(k) ?? { user: 0, sys: 0 };
    const a = acc.get(k) ?? { user: 0, sys: 0 };
    acc.set(k, { user: a.user + (v.user - b.user) / r.ok, sys: a.sys + (v.sys - b.sys) / r.ok });
  }
  return r;
};
const phaseOptions = (who: Who, kind: Kind, n: number): PhaseOptions => ({
  name: kind,
  endpoint: targets[who].endpoint,
  stub,
  pid: targets[who].pid,
  concurrency,
  count: n,
  maxSeconds: 120,
  ...options(kind, who, stub.url),
});

for (const who of ['bare', 'ours'] as const) for (const kind of kinds) await phase(who, kind, 500);
const cpu: Record<string, number[]> = {};
const rate: Record<string, number[]> = {};
const signalBoth = async () => {
  if (!profileDir) return;
  for (const t of Object.values(targets)) process.kill(t.pid, 'SIGUSR2');
  await sleep(300);
};
await signalBoth(); // start profiling
let failures = 0;
for (let round = 0; round < rounds; round++) {
  for (const kind of kinds) {
    for (const who of (round % 2 === 0 ? ['bare', 'ours'] : ['ours', 'bare']) as Who[]) {
      const r = await phase(who, kind, count);
      failures += r.failures;
      (cpu[`${who} ${kind}`] ??= []).push(r.botCpuMsPerTurn * 1000);
      (rate[`${who} ${kind}`] ??= []).push(r.turnsPerSecond);
    }
  }
}
await signalBoth(); // stop and write
const min = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`concurrency ${concurrency}, ${count} turns × ${rounds} rounds; CPU µs per turn (lowest / median)`);
for (const kind of kinds) {
  const o = cpu[`ours ${kind}`]!;
  const b = cpu[`bare ${kind}`]!;
  console.log(
    `${kind.padEnd(9)} ours ${min(o).toFixed(0).padStart(5)} / ${median(o).toFixed(0).padStart(5)}   bare ${min(b).toFixed(0).padStart(5)} / ${median(b).toFixed(0).padStart(5)}   bare/ours ${(min(b) / min(o)).toFixed(2)} (by median ${(median(b) / median(o)).toFixed(2)})`,
  );
  const ro = rate[`ours ${kind}`]!;
  const rb = rate[`bare ${kind}`]!;
  console.log(
    `${''.padEnd(9)} turns/s (median) ours ${median(ro).toFixed(0).padStart(5)}   bare ${median(rb).toFixed(0).padStart(5)}   ours/bare ${(median(ro) / median(rb)).toFixed(2)}`,
  );
}
if (process.env.TURN_COST_THREADS)
  for (const [k, m] of Object.entries(threads))
    console.log(
      k,
      [...m]
        .filter(([, v]) => v.user + v.sys > 0)
        .map(
          ([t, v]) => `${t} user ${((v.user * 1000) / rounds).toFixed(0)} sys ${((v.sys * 1000) / rounds).toFixed(0)}`,
        )
        .join('; '),
    );
if (failures) console.log(`FAILURES: ${failures}`);
await ours.stop();
await bare.stop();
await stub.close();
