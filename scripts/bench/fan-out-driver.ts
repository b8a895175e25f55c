// Part c of the benchmark, run as a child process: the bot's own delivery engine
// (src/app/delivery/) with its file ledger (src/storage/ledger-file.ts) and its Teams
// sender (src/teams/proactive.ts, through the bot's TeamsAdapter in local development mode)
// sends one reminder occurrence to N reporters, each in a personal conversation of their own whose
// stored reference points at the rate-limited stub connector (FANOUT_SERVICE_URL). The reminder
// policy and the scheduler are not involved: the engine gets the N recipients directly.
//   FANOUT_SERVICE_URL=http://127.0.0.1:<port>/ FANOUT_N=1000 FANOUT_DIR=<tmp> [FANOUT_TENANT_LIMIT=27] node dist/scripts/bench/fan-out-driver.js
// Prints one JSON line: {seconds, overview, ledgerBytes, log: {warn, error}}.
// The benchmark runs this file from its snapshot of dist/, so the imports below are the modules
// of the build under measurement.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../../src/app/clock.js';
import { DeliveryEngine, type DeliveryItem } from '../../src/app/delivery/index.js';
import { LedgerFile } from '../../src/storage/ledger-file.js';
import type { Config } from '../../src/config.js';
import { createAdapter } from '../../src/teams/adapter.js';
import { TeamsProactiveSender } from '../../src/teams/proactive.js';

const serviceUrl = process.env.FANOUT_SERVICE_URL ?? '';
const n = Number(process.env.FANOUT_N ?? 1000);
const dir = process.env.FANOUT_DIR ?? '.';
const TENANT = '11111111-1111-4111-8111-111111111111';

const counts = { info: 0, warn: 0, error: 0 };
const messages = new Map<string, number>();
const note = (level: keyof typeof counts) => (objOrMsg: unknown, msg?: string) => {
  counts[level]++;
  const text = typeof objOrMsg === 'string' ? objOrMsg : msg;
  messages.set(`${level}: ${text}`, (messages.get(`${level}: ${text}`) ?? 0) + 1);
};
const logger: any = {
  info: note('info'),
  warn: note('warn'),
  error: note('error'),
  debug() {},
  trace() {},
  fatal: note('error'),
  child: () => logger,
};

const conversations = new Map<string, any>();
for (let i = 0; i < n; i++) {
  const aad = `aaaaaaaa-2000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  const id = `a:reporter-${i}`;
  conversations.set(id, {
    id,
    kind: 'personal',
    tenantId: TENANT,
    serviceUrl,
    userAadObjectId: aad,
    reference: {
      activityId: `act-${i}`,
      user: { id: `29:reporter-${i}`, name: `Rapportör ${i}`, aadObjectId: aad },
      bot: { id: '28:bot-id', name: 'Medborgarlöfte' },
      conversation: { id, conversationType: 'personal', tenantId: TENANT, isGroup: false },
      channelId: 'msteams',
      locale: 'sv-SE',
      serviceUrl,
    },
    active: true,
    updatedAt: new Date().toISOString(),
  });
}
const repo = {
  async get(id: string) {
    return conversations.get(id);
  },
  async setActive(id: string, active: boolean, at: string) {
    const c = conversations.get(id);
    if (c) conversations.set(id, { ...c, active, updatedAt: at });
  },
};

// A partial config: createAdapter reads devMode and bot only.
const adapter = createAdapter({ devMode: true, bot: {}, logLevel: 'warn' } as unknown as Config, {}, logger);
const sender = new TeamsProactiveSender({ adapter, conversations: repo, clock: systemClock, logger });
const ledgerPath = join(dir, 'db.ledger.json');
const ledger = await LedgerFile.open(ledgerPath);
// FANOUT_TENANT_LIMIT (a what-if): the engine paces the tenant at this many sends per second
// instead of its default (Teams' 30).
const tenantLimit = Number(process.env.FANOUT_TENANT_LIMIT ?? 0);
const options = tenantLimit > 0 ? { perTenant: [{ limit: tenantLimit, windowMs: 1000 }] } : undefined;
const engine = new DeliveryEngine({
  ledger,
  sender,
  conversations: repo,
  clock: systemClock,
  logger,
  ...(options ? { options } : {}),
});

const items: DeliveryItem[] = [...conversations.values()].map((c) => ({
  recipient: c.userAadObjectId,
  target: { conversationId: c.id, tenantId: TENANT },
  message: { text: 'Påminnelse: rapportera veckans aktiviteter för vecka 11 (skriv rapportera).' },
}));
// loop-monitor.mjs (preloaded by the benchmark) snapshots on SIGUSR2: start the measured phase
// here, so that the record written at exit covers the delivery only, not the module loading.
process.emit('SIGUSR2');
const t0 = performance.now();
const overview = await engine.deliver(
  { key: 'bench:weekly-reminder:2024-W11', kind: 'weeklyReminder', due: new Date().toISOString() },
  items,
);
const seconds = (performance.now() - t0) / 1000;
await engine.stop();
await ledger.close();
console.log(
  JSON.stringify({
    seconds,
    overview: {
      counts: overview.counts,
      failures: overview.failures.slice(0, 5),
      uncertain: overview.uncertain.length,
    },
    ledgerBytes: statSync(ledgerPath).size,
    log: { ...counts, top: [...messages].sort((a, b) => b[1] - a[1]).slice(0, 5) },
  }),
);
process.exit(0);
