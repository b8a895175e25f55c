import type { FollowUpDocuments } from '../../src/app/ports.js';
import { join } from 'node:path';
import { ManualClock, type Clock } from '../../src/app/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { ConnectorStub } from './connector-stub.js';
import { tempDir } from './temp.js';

export interface Harness {
  bot: RunningBot;
  connector: ConnectorStub;
  dbPath: string;
  clock: Clock;
  config: Config;
  /** POSTs an activity to /api/messages; returns the HTTP status and body. */
  post(activity: unknown): Promise<{ status: number; body: any }>;
  /** Posts an activity and waits for `expected` new activities at the connector. */
  turn(activity: unknown, expected?: number): Promise<Record<string, any>[]>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function tempDbPath(): string {
  return join(tempDir(), 'db.json');
}

/** Starts the real bot on a free port of 127.0.0.1, with a lowdb file and a stub connector. */
export async function startHarness(
  opts: {
    dbPath?: string;
    clock?: Clock;
    env?: Record<string, string>;
    authOverrides?: Record<string, unknown>;
    /** The follow-up documents the download links serve (test/http/follow-up-downloads.test.ts). */
    followUpDocuments?: FollowUpDocuments;
  } = {},
): Promise<Harness> {
  const connector = await new ConnectorStub().start();
  const dbPath = opts.dbPath ?? tempDbPath();
  const clock = opts.clock ?? new ManualClock('2024-03-14T10:00:00Z');
  const config = loadConfig(
    { NODE_ENV: 'test', PORT: '0', DB_PATH: dbPath, LOG_LEVEL: 'silent', ...opts.env },
    '/nonexistent-env-dir',
  );
  const logger = createLogger('silent');
  // Started once the start-up backup and retention have run, so their audit lines never land mid-test.
  const start = async () => {
    const running = await startBot(config, {
      clock,
      logger,
      authOverrides: opts.authOverrides,
      ...(opts.followUpDocuments ? { followUpDocuments: opts.followUpDocuments } : {}),
    });
    await running.jobs.startup;
    return running;
  };
  let bot = await start();
  const h: Harness = {
    get bot() {
      return bot;
    },
    connector,
    dbPath,
    clock,
    config,
    async post(activity) {
      const res = await fetch(`http://127.0.0.1:${bot.port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body };
    },
    async turn(activity, expected = 1) {
      const before = connector.posted.length;
      const res = await h.post(activity);
      if (res.status >= 400) throw new Error(`bot answered ${res.status}: ${JSON.stringify(res.body)}`);
      await connector.waitFor(before + expected);
      return connector.posted.slice(before).map((r) => r.body);
    },
    async restart() {
      await bot.stop();
      bot = await start();
    },
    async stop() {
      await bot.stop();
      await connector.stop();
    },
  };
  return h;
}

/** All text of an Adaptive Card (TextBlocks, TextRuns, facts, action titles), for assertions. */
export function cardText(activity: Record<string, any>): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value']) if (typeof o[key] === 'string') out.push(o[key] as string);
      for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
    }
  };
  walk(activity.attachments ?? activity);
  if (typeof activity.text === 'string') out.push(activity.text);
  return out.join('\n');
}
