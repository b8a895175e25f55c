// Where the bot spends its CPU on one kind of turn: runs the built bot (dist/) on a data path
// seeded with N reports, warms it up, profiles it (V8 profiler inside the process, started and
// stopped by SIGUSR2 through cpu-profile-preload.mjs, which stays JavaScript: node --import) while `count` turns are sent at concurrency 1,
// and prints the functions with the most self time (and the files they are in).
//   node dist/scripts/bench/profile.js <status|question|submit> [reports=1000] [count=200]
//   PROFILE_KEEP=/tmp/turns.cpuprofile keeps the profile (open it in Chrome DevTools or read it with a script).
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  BOT_CLOCK,
  WEEK_DATES,
  cardAction,
  installExitHooks,
  message,
  postJson,
  root,
  sleep,
  startBot,
  startConnectorStub,
  tempDb,
  type User,
} from '../lib/bot-process.js';
import { USERS } from './load.js';
import { seedReports } from './seed-reports.js';

installExitHooks();
const [kind = 'status', reportsArg = '1000', countArg = '200'] = process.argv.slice(2);
const tmp = tempDb('mlbot-profile-');
process.on('exit', () => tmp.remove());
const stub = await startConnectorStub();
seedReports(tmp.dbPath, Number(reportsArg));
const profFile = join(tmp.dir, 'turns.cpuprofile');
// dist/src/main.js rather than the bundle: the profile then names the bot's own files.
const bot = await startBot({
  script: join(root, 'dist', 'src', 'main.js'),
  dbPath: tmp.dbPath,
  clock: BOT_CLOCK,
  env: {
    NODE_OPTIONS: `--import=${join(root, 'scripts', 'bench', 'cpu-profile-preload.mjs')}`,
    BENCH_PROFILE_FILE: profFile,
    LLM_PROVIDER: 'none',
  },
  timeoutMs: 180000,
});
const week = '2024-W11';
const builders: Record<string, (u: User) => unknown> = {
  status: (u) => message('status', u, stub.url),
  question: (u) => message('hur många trafikkontroller i år?', u, stub.url),
  submit: (u) =>
    cardAction(
      'report.submit',
      {
        submissionId: randomUUID(),
        week,
        activityId: 'trafikkontroller',
        count: '3',
        date: WEEK_DATES[week]![2]!,
        area: 'Centrum',
        description: '',
        party: 'Polisen',
      },
      u,
      stub.url,
    ),
};
const build = builders[kind];
if (!build) throw new Error(`expected status, question or submit, got ${kind}`);
for (let i = 0; i < 20; i++) await postJson(bot.endpoint, build(USERS[0]!)); // warm-up
process.kill(bot.pid, 'SIGUSR2'); // start profiling
await sleep(200);
const t0 = Date.now();
for (let i = 0; i < Number(countArg); i++) await postJson(bot.endpoint, build(USERS[0]!));
const ms = Date.now() - t0;
process.kill(bot.pid, 'SIGUSR2'); // stop and write
for (let i = 0; i < 200 && !existsSync(profFile); i++) await sleep(50);
await sleep(200);
await bot.stop('SIGTERM', 30000);
if (process.env.PROFILE_KEEP) copyFileSync(profFile, process.env.PROFILE_KEEP);
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const prof = JSON.parse(readFileSync(profFile, 'utf8')) as {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let total = 0;
prof.samples.forEach((id, i) => {
  const f = byId.get(id)!.callFrame;
  const where = f.url.includes('/dist/src/')
    ? f.url.slice(f.url.indexOf('/dist/src/') + 1)
    : f.url.includes('node_modules/')
      ? f.url
          .slice(f.url.lastIndexOf('node_modules/') + 13)
          .split('/')
          .slice(0, 2)
          .join('/')
      : f.url.split('/').pop();
  const key = `${f.functionName || '(anonymous)'}  ${where}:${f.lineNumber + 1}`;
  const dt = (prof.timeDeltas[i] ?? 0) / 1000;
  total += dt;
  self.set(key, (self.get(key) ?? 0) + dt);
});
console.log(
  `${kind}, ${reportsArg} stored reports: ${countArg} turns in ${ms} ms; ${(total / 1000).toFixed(2)} s profiled (the turns only)`,
);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${v.toFixed(0).padStart(7)} ms  ${k}`);
// Inclusive time of the bot's own functions (dist/src): what each of them costs with all it calls.
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
prof.samples.forEach((id, i) => {
  const dt = (prof.timeDeltas[i] ?? 0) / 1000;
  const seen = new Set();
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    const f = byId.get(n)!.callFrame;
    if (!f.url.includes('/dist/src/')) continue;
    const key = `${f.functionName || '(anonymous)'}  ${f.url.slice(f.url.indexOf('/dist/src/') + 1)}:${f.lineNumber + 1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
  }
});
console.log("\nthe bot's own functions, inclusive (with everything they call):");
for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 20))
  console.log(`${v.toFixed(0).padStart(7)} ms  ${k}`);
await stub.close();
