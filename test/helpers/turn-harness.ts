import type { Activity, TurnContext } from 'botbuilder';
import { TestAdapter } from 'botbuilder';
import { MemoryAuditLog } from '../../src/app/audit.js';
import { ManualClock, type Clock } from '../../src/app/clock.js';
import type { Store } from '../../src/app/ports.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import type { Where } from './activities.js';
import { tempDbPath } from './harness.js';

/**
 * Turn tests: the real bot (startBot: the same services, routes and Teams application as in
 * production) driven through botbuilder's TestAdapter, as teams-ai's own spec tests do. No HTTP
 * server, no Bot Connector stub: a turn has ended when its promise resolves, and its replies and
 * invoke response are what the TestAdapter collected. Use test/helpers/harness.ts (HTTP) only where
 * the protocol is under test: authentication, /api/messages shapes, faults, proactive sends.
 */
export interface TurnHarness {
  bot: RunningBot;
  store: Store;
  clock: Clock;
  config: Config;
  /** The lowdb data file ('memory' store: a path nothing is written to except the delivery ledger). */
  dbPath: string;
  /** The audit entries of a memory store (undefined with lowdb: read the .audit.jsonl file). */
  audit?: MemoryAuditLog;
  /** The serviceUrl for activity builders (never contacted by a turn). */
  serviceUrl: string;
  where(extra?: Partial<Where>): Where;
  /** Runs a message turn; returns what the bot sent (JSON as on the wire). Fails if fewer than `expected`. */
  turn(activity: unknown, expected?: number): Promise<Record<string, any>[]>;
  /** Runs a turn the way /api/messages answers it: an invoke's response (501 without one), else 200. */
  post(activity: unknown): Promise<{ status: number; body: any; replies: Record<string, any>[] }>;
  /** Stops and starts the bot on the same data (lowdb only). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface TurnHarnessOptions {
  /** 'lowdb' (default: the production files in a temp folder) or 'memory' (no files for the data). */
  store?: 'lowdb' | 'memory';
  dbPath?: string;
  clock?: Clock;
  env?: Record<string, string>;
}

const SERVICE_URL = 'https://smba.turn-tests.invalid/';
const wire = (a: Partial<Activity>): Record<string, any> => JSON.parse(JSON.stringify(a)) as Record<string, any>;

export async function startTurnHarness(opts: TurnHarnessOptions = {}): Promise<TurnHarness> {
  const dbPath = opts.dbPath ?? tempDbPath();
  const clock = opts.clock ?? new ManualClock('2024-03-14T10:00:00Z');
  // Reminders are ticked by the tests themselves (bot.reminders.tick()), never by the real-time cron.
  const config = loadConfig(
    { NODE_ENV: 'test', PORT: '0', DB_PATH: dbPath, LOG_LEVEL: 'silent', REMINDERS_ENABLED: 'false', ...opts.env },
    '/nonexistent-env-dir',
  );
  const logger = createLogger('silent');
  const memory = opts.store === 'memory';
  const audit = memory ? new MemoryAuditLog() : undefined;
  // Started once the start-up backup and retention have run, so their audit lines never land mid-test.
  const start = async () => {
    const running = await startBot(config, {
      clock,
      logger,
      listen: false,
      ...(memory ? { store: new MemoryStore(), audit } : {}),
    });
    await running.jobs.startup;
    return running;
  };
  let bot = await start();
  const app = () => bot.app as { run(context: TurnContext): Promise<boolean> };

  /** One TestAdapter per turn: concurrent turns (a double submit) each keep their own replies. */
  async function run(activity: unknown): Promise<Partial<Activity>[]> {
    const adapter = new TestAdapter();
    await adapter.processActivity(structuredClone(activity) as Partial<Activity>, async (context) => {
      await app().run(context);
    });
    return adapter.activeQueue;
  }

  const h: TurnHarness = {
    get bot() {
      return bot;
    },
    get store() {
      return bot.store;
    },
    clock,
    config,
    dbPath,
    audit,
    serviceUrl: SERVICE_URL,
    where: (extra = {}) => ({ serviceUrl: SERVICE_URL, ...extra }),
    async turn(activity, expected = 1) {
      const sent = (await run(activity)).filter((a) => a.type !== 'invokeResponse').map(wire);
      if (sent.length < expected) throw new Error(`expected ${expected} activities from the bot, got ${sent.length}`);
      return sent;
    },
    async post(activity) {
      const sent = await run(activity);
      const replies = sent.filter((a) => a.type !== 'invokeResponse').map(wire);
      if ((activity as { type?: string }).type !== 'invoke') return { status: 200, body: undefined, replies };
      const response = sent.find((a) => a.type === 'invokeResponse');
      if (!response) return { status: 501, body: undefined, replies };
      const value = wire(response).value as { status: number; body?: unknown };
      return { status: value.status, body: value.body, replies };
    },
    async restart() {
      if (memory) throw new Error('restart: a memory store does not survive a restart');
      await bot.stop();
      bot = await start();
    },
    async stop() {
      await bot.stop();
    },
  };
  return h;
}
