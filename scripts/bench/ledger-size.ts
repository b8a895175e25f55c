// Delivery ledger size against fan-out time (issue #13, item 3): one reminder occurrence to N
// recipients (default 1,000) through the real delivery engine, the real ledger files (snapshot +
// journal) and the bot's Teams sender, against a rate-limited stub Bot Connector on 127.0.0.1, with
// 0, 10,000 and 50,000 settled occurrences already in the ledger. Wall and CPU time are measured
// over engine.deliver() only; opening the seeded ledger and the fold at close are reported apart.
//
//   npm run bench:ledger [-- --n 1000 --sizes 0,10000,50000 --rows 1 --tenant-limit 30 --runs 1]
//
// --tenant-limit is both the stub's limit and the engine's pace per tenant (Teams: 30 per second);
// a high value (e.g. 2000) makes the run CPU-bound instead of paced, a harsher test of the ledger.
// --rows is the number of recipients per seeded occurrence (1 = the issue's own measurement).
// CPU time is the whole process (the stub included; it does the same work for every size).
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../../src/app/clock.js';
import { DeliveryEngine, type DeliveryItem } from '../../src/app/delivery/index.js';
import type { StoredConversation } from '../../src/domain/conversation.js';
import type { Config } from '../../src/config.js';
import { LEDGER_VERSION, LedgerFile, type LedgerData } from '../../src/storage/ledger-file.js';
import { createAdapter } from '../../src/teams/adapter.js';
import { TeamsProactiveSender } from '../../src/teams/proactive.js';
import { ConnectorStub } from '../../test/helpers/connector-stub.js';

const TENANT = '11111111-1111-4111-8111-111111111111';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const N = Number(arg('n', '1000'));
const SIZES = arg('sizes', '0,10000,50000').split(',').map(Number);
const ROWS = Number(arg('rows', '1'));
const TENANT_LIMIT = Number(arg('tenant-limit', '30'));
const RUNS = Number(arg('runs', '1'));

/**
 * The one Bot Connector stub (test/helpers/connector-stub.ts) in its rate-limit mode: at most
 * `perSecond` per tenant per second (429 with Retry-After: 1 above), no random 429s, so every
 * size meets the same connector.
 */
async function startStub(perSecond: number) {
  const stub = await ConnectorStub.start({ rateLimit: { tenantPerSecond: perSecond, random429: 0 } });
  return {
    url: stub.url,
    stats: () => ({
      delivered: stub.delivered.length,
      distinct: new Set(stub.delivered.map((d) => d.conversationId)).size,
      duplicates: stub.duplicates().length,
      rejected: stub.stats.rejectedTenant + stub.stats.rejectedConversation,
    }),
    close: () => stub.close(),
  };
}

/** A ledger snapshot with `count` settled occurrences of `rows` sent rows each, a week apart going back. */
function seed(path: string, count: number, rows: number): void {
  const data: LedgerData = { version: LEDGER_VERSION, seq: 0, occurrences: [], goneNotices: [] };
  const start = Date.parse('2024-03-14T08:00:00.000Z');
  for (let i = 0; i < count; i++) {
    const due = new Date(start - i * 3_600_000).toISOString();
    data.occurrences.push({
      key: `weekly:seed-${i}`,
      kind: 'weeklyReport',
      due,
      createdAt: due,
      rows: Array.from({ length: rows }, (_, r) => ({
        recipient: `aaaaaaaa-1000-4000-8000-${(i * rows + r).toString(16).padStart(12, '0')}`,
        conversationId: `a:seeded-${i}-${r}`,
        state: 'sent' as const,
        attempts: 1,
        createdAt: due,
        updatedAt: due,
        activityId: `1:seeded-activity-${i}-${r}`,
      })),
    });
  }
  writeFileSync(path, JSON.stringify(data));
}

async function once(size: number) {
  const dir = mkdtempSync(join(tmpdir(), 'mlbot-bench-ledger-'));
  const stub = await startStub(TENANT_LIMIT);
  try {
    const ledgerPath = join(dir, 'db.ledger.json');
    if (size > 0) seed(ledgerPath, size, ROWS);
    const seededBytes = size > 0 ? statSync(ledgerPath).size : 0;

    const conversations = new Map<string, StoredConversation>();
    for (let i = 0; i < N; i++) {
      const aad = `aaaaaaaa-2000-4000-8000-${i.toString(16).padStart(12, '0')}`;
      const id = `a:reporter-${i}`;
      conversations.set(id, {
        id,
        kind: 'personal',
        tenantId: TENANT,
        serviceUrl: stub.url,
        userAadObjectId: aad,
        reference: {
          user: { id: `29:reporter-${i}`, name: `Rapportör ${i}`, aadObjectId: aad },
          bot: { id: '28:bot-id', name: 'Medborgarlöfte' },
          conversation: { id, conversationType: 'personal', tenantId: TENANT, isGroup: false },
          channelId: 'msteams',
          locale: 'sv-SE',
          serviceUrl: stub.url,
        },
        active: true,
        updatedAt: new Date().toISOString(),
      });
    }
    const repo = {
      get: async (id: string) => conversations.get(id),
      setActive: async (id: string, active: boolean, at: string) => {
        const c = conversations.get(id);
        if (c) conversations.set(id, { ...c, active, updatedAt: at });
      },
    };
    const adapter = createAdapter({ devMode: true, bot: {}, logLevel: 'warn' } as unknown as Config);
    const sender = new TeamsProactiveSender({ adapter, conversations: repo, clock: systemClock });

    const openStart = performance.now();
    const ledger = await LedgerFile.open(ledgerPath);
    const openMs = performance.now() - openStart;
    const engine = new DeliveryEngine({
      ledger,
      sender,
      conversations: repo,
      clock: systemClock,
      options: { perTenant: [{ limit: TENANT_LIMIT, windowMs: 1000 }] },
    });
    const items: DeliveryItem[] = [...conversations.values()].map((c) => ({
      recipient: c.userAadObjectId!,
      target: { conversationId: c.id, tenantId: TENANT },
      message: {
        text: `Hej <at>Rapportör ${c.id.slice(11)}</at>, rapportera veckans aktiviteter för vecka 11 (skriv rapportera).`,
        mentions: [{ aadObjectId: c.userAadObjectId!, name: `Rapportör ${c.id.slice(11)}` }],
      },
    }));
    await engine.recover();

    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const overview = await engine.deliver(
      { key: 'weekly:bench:2024-W11', kind: 'weeklyReport', due: new Date().toISOString() },
      items,
    );
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);

    await engine.stop();
    const closeStart = performance.now();
    await ledger.close();
    const closeMs = performance.now() - closeStart;
    return {
      size,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      openMs,
      closeMs,
      seededBytes,
      ledgerBytes: statSync(ledgerPath).size,
      counts: overview.counts,
      stub: stub.stats(),
    };
  } finally {
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => (ms / 1000).toFixed(2);

console.log(
  `fan-out to ${N} recipients, tenant limit ${TENANT_LIMIT}/s, seeded occurrences of ${ROWS} row(s), ${RUNS} run(s) per size`,
);
// A warm-up run (not counted): the first fan-out of a process pays for loading and compiling the code.
await once(0);
// Rounds of every size in turn, so warming up and a busy machine weigh on all sizes alike.
const bySize = new Map<number, { wallMs: number; cpuMs: number }[]>(SIZES.map((size) => [size, []]));
for (let r = 0; r < RUNS; r++) {
  for (const size of SIZES) {
    const result = await once(size);
    bySize.get(size)!.push(result);
    const ok = result.counts.sent === N && result.stub.distinct === N && result.stub.duplicates === 0;
    console.log(
      `${String(size).padStart(6)} settled: wall ${s(result.wallMs)} s, cpu ${s(result.cpuMs)} s | open ${s(result.openMs)} s, close ${s(result.closeMs)} s, ledger ${(result.seededBytes / 1e6).toFixed(1)} → ${(result.ledgerBytes / 1e6).toFixed(1)} MB | sent ${result.counts.sent}, 429s ${result.stub.rejected}${ok ? '' : ' | NOT ALL DELIVERED EXACTLY ONCE'}`,
    );
    if (!ok) process.exitCode = 1;
  }
}
console.log('medians:');
const results = SIZES.map((size) => ({
  size,
  wallMs: median(bySize.get(size)!.map((r) => r.wallMs)),
  cpuMs: median(bySize.get(size)!.map((r) => r.cpuMs)),
}));
const base = results[0]!;
for (const r of results)
  console.log(
    `${String(r.size).padStart(6)} settled: wall ${s(r.wallMs)} s (${((r.wallMs / base.wallMs - 1) * 100).toFixed(1)} %), cpu ${s(r.cpuMs)} s (${((r.cpuMs / base.cpuMs - 1) * 100).toFixed(1)} %)`,
  );
process.exit(process.exitCode ?? 0);
