// Warm "status" and count-question turns on the national PostgreSQL seed (part e's kept schemas):
// one bot instance, every municipality asked once to warm its caches, then 580 turns at
// concurrency 1 spread over the 290 municipalities (request i from municipality 7·i mod 290), with
// no writes in between. It separates what a turn costs once an instance holds a municipality's
// totals from part e's cells, where the warm-up's submissions on the other instance leave most
// municipalities to be read and computed again.
//   BENCH_KEEP=1 BENCH_PARTS=e node dist/scripts/bench.js   (once: seeds bench_e_1000, bench_e_2000000)
//   node dist/scripts/bench/national-warm.js [schema=bench_e_2000000] [rounds=3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BOT_CLOCK,
  installExitHooks,
  message,
  postJson,
  root,
  startBot,
  startConnectorStub,
} from '../lib/bot-process.js';
import { MUNICIPALITIES, nationalUser } from './seed-national.js';

installExitHooks();
const [schema = 'bench_e_2000000', roundsArg = '3'] = process.argv.slice(2);
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dir = mkdtempSync(join(tmpdir(), 'mlbot-warm-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const stub = await startConnectorStub();
const bot = await startBot({
  script: join(root, 'dist', 'bundle', 'start.cjs'),
  dbPath: join(dir, 'db.json'),
  clock: BOT_CLOCK,
  env: { DATABASE_URL: url, DATABASE_SCHEMA: schema, LLM_PROVIDER: 'none' },
  timeoutMs: 180_000,
});
const TEXT = { status: 'status', question: 'hur många trafikkontroller i år?' } as const;
const request = (kind: keyof typeof TEXT, i: number) =>
  message(TEXT[kind], nationalUser((i * 7) % MUNICIPALITIES, 0), stub.url);
const TURNS = 2 * MUNICIPALITIES;
try {
  for (const kind of ['status', 'question'] as const) {
    for (let i = 0; i < MUNICIPALITIES; i++) await postJson(bot.endpoint, request(kind, i));
    const p50s: number[] = [];
    for (let round = 0; round < Number(roundsArg); round++) {
      const ms: number[] = [];
      for (let i = 0; i < TURNS; i++) {
        const t0 = performance.now();
        const res = await postJson(bot.endpoint, request(kind, i));
        if (res.status !== 200) throw new Error(`${kind}: HTTP ${res.status}`);
        ms.push(performance.now() - t0);
      }
      ms.sort((a, b) => a - b);
      p50s.push(ms[Math.floor(ms.length / 2)]!);
    }
    console.log(`${schema} warm ${kind}: p50 per round ${p50s.map((x) => x.toFixed(1)).join(' / ')} ms`);
  }
} finally {
  await bot.stop('SIGTERM', 30_000);
}
process.exit(0);
