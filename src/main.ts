import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AgreementService } from './app/agreements.js';
import { runningClockFrom, systemClock, type Clock } from './app/clock.js';
import { ConversationService } from './app/conversations.js';
import { ReportService } from './app/reports.js';
import { StatusService } from './app/status.js';
import { QuestionService } from './app/questions.js';
import { RoleService } from './app/roles.js';
import { AuditFile } from './storage/audit-file.js';
import type { AuditLog } from './app/audit.js';
import type { Store } from './app/ports.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { listen, createHttpServer } from './http/server.js';
import { createLogger, type Logger } from './logger.js';
import { LowdbStore, StoreOpenError } from './storage/lowdb-store.js';
import { createAdapter } from './teams/adapter.js';
import { DEFAULT_REPORT_RULES } from './domain/report.js';
import { createBot } from './teams/bot.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface RunningBot {
  port: number;
  store: Store;
  clock: Clock;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  store?: Store;
  logger?: Logger;
  audit?: AuditLog;
  /** Extra Bot Framework auth settings (OpenID metadata overrides for offline tests). */
  authOverrides?: Record<string, unknown>;
}

/** Composition root: config → store → services → Teams app → HTTP. */
export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? (config.clockStart ? runningClockFrom(config.clockStart) : systemClock);
  if (config.devMode) {
    logger.warn('LOCAL DEVELOPMENT MODE: no BOT_ID is set, requests to /api/messages are NOT authenticated. Listening on 127.0.0.1 only.');
  }
  if (config.clockStart) logger.warn({ clock: clock.now().toISOString() }, 'BOT_CLOCK is set: the bot runs on a shifted clock');

  const store = options.store ?? (await LowdbStore.open(config.dbPath));
  const agreements = new AgreementService(store, clock);
  const conversations = new ConversationService(store, clock);
  const audit: AuditLog = options.audit ?? new AuditFile(AuditFile.pathFor(config.dbPath));
  const reports = new ReportService(store, agreements, clock, { ...DEFAULT_REPORT_RULES, maxWeeksBack: config.reports.weeksBack, areas: config.reports.areas, editWeeks: config.reports.editWeeks, partyByTenant: config.reports.partyByTenant, partyByPerson: config.reports.partyByPerson }, audit);
  if (await agreements.seedDefaults()) logger.info('first start: wrote the Tranås 2023–2024 medborgarlöfte to the store');

  const status = new StatusService(store, agreements, clock, { riskBelow: config.status.riskBelow, behindBelow: config.status.behindBelow });
  const roles = new RoleService(store, config.coordinatorIds);
  const questions = new QuestionService(store, status, clock, config.reports.areas);
  const adapter = createAdapter(config, options.authOverrides, logger);
  const bot = createBot(adapter, { agreements, conversations, reports, status, questions, roles, clock, logger, botAppId: config.bot.id });
  const server = createHttpServer({
    logger,
    maxBodyBytes: config.maxBodyBytes,
    handleMessages: (req, res) => adapter.process(req, res, (context) => bot.run(context).then(() => undefined)),
    health: () => ({ status: store.health().state === 'open' ? 'ok' : 'degraded', version, mode: config.devMode ? 'local-development' : 'authenticated', store: store.health(), time: clock.now().toISOString() }),
  });
  const port = await listen(server, config.port, config.host);
  logger.info({ port, host: config.host, version }, `listening on http://${config.host}:${port}/api/messages`);

  let stopped = false;
  return {
    port,
    store,
    clock,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`The bot cannot start. ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  try {
    const running = await startBot(config);
    const shutdown = () => {
      running.stop().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (err) {
    if (err instanceof StoreOpenError) {
      console.error(`The bot cannot start: ${err.message}`);
      process.exit(3);
    }
    throw err;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  void main();
}
