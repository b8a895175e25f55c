import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AgreementService } from './app/agreements.js';
import { runningClockFrom, systemClock, type Clock } from './app/clock.js';
import { ConversationService } from './app/conversations.js';
import { ReportService } from './app/reports.js';
import { StatusService } from './app/status.js';
import { CoordinationService } from './app/coordination.js';
import { QuestionService } from './app/questions.js';
import { QuestionTools } from './app/llm-questions.js';
import { RoleService } from './app/roles.js';
import { ScopeService } from './app/scopes.js';
import { AccessService, boundedId } from './app/access.js';
import { ChannelService } from './app/channel-links.js';
import { FollowUpReportService } from './app/follow-up-report.js';
import { MeetingService } from './app/meetings.js';
import { ReporterService } from './app/reporters.js';
import { reconcileAtStart } from './app/audit-reconcile.js';
import type { AuditLog } from './app/audit.js';
import type { FollowUpDocuments, Store } from './app/ports.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { listen, createHttpServer } from './http/server.js';
import { Downloads, downloadSecret } from './http/downloads.js';
import { meetingInviteMaker } from './http/meeting-invite.js';
import { MEETING_ICS } from './teams/routes/meeting-follow-up.js';
import { FOLLOW_UP_DOWNLOAD_KINDS } from './teams/cards/follow-up-downloads.js';
import { createLogger, type Logger } from './logger.js';
import { StoreOpenError } from './storage/lowdb-store.js';
import { openBackend } from './storage/backend.js';
import { createAdapter } from './teams/adapter.js';
import { DEFAULT_REPORT_RULES } from './domain/report.js';
import { createBot } from './teams/bot.js';
import { AuditExportService, ExportService } from './app/export.js';
import { PrivacySweep } from './app/privacy-sweep.js';
import { RetentionService } from './app/retention.js';
import { ScheduledJobs } from './scheduler/jobs.js';
import { DeliveryEngine } from './app/delivery/index.js';
import { TeamsProactiveSender } from './teams/proactive.js';
import { TeamsReminderRenderer } from './teams/reminder-messages.js';
import { ReminderService } from './app/reminders.js';
import { ReminderTicker } from './scheduler/reminders.js';
import { textsFor } from './texts/index.js';
import { isInForce, type Agreement } from './domain/agreement.js';
import { localDateOf } from './domain/calendar.js';

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface RunningBot {
  port: number;
  store: Store;
  clock: Clock;
  /** Retention and backups; tests call jobs.retention() / jobs.backup() directly. */
  jobs: ScheduledJobs;
  /** The teams-ai Application (for tests of its settings). */
  app: unknown;
  /** Tests call reminders.tick() on their clock. */
  reminders: ReminderTicker;
  delivery: DeliveryEngine;
  /** Signed download links (tests make and open them). */
  downloads: Downloads;
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  store?: Store;
  logger?: Logger;
  audit?: AuditLog;
  /** Extra Bot Framework auth settings (OpenID metadata overrides for offline tests). */
  authOverrides?: Record<string, unknown>;
  /** false: no HTTP server (turn tests drive `app` through botbuilder's TestAdapter); port is then 0. */
  listen?: boolean;
  /** The follow-up documents the download links serve (default: the stored follow-ups and KF reports). */
  followUpDocuments?: FollowUpDocuments;
}

/**
 * The follow-up documents behind signed download links: one kind per format, the file made from
 * the FollowUpDocuments port when the link is opened. The renderers (src/documents: docx, pdfkit)
 * are loaded on the first download, not at start-up. A document whose text fails the privacy guard
 * is not served (the link answers 500 and the log names the kinds found, never the text).
 */
export function registerFollowUpDownloads(downloads: Downloads, documents: FollowUpDocuments, logger: Logger): void {
  for (const format of ['docx', 'pdf', 'txt'] as const)
    downloads.register(FOLLOW_UP_DOWNLOAD_KINDS[format], async (params) => {
      const { agreement, period } = params;
      if (!agreement || !period) return undefined;
      const document = await documents.get(agreement, period);
      if (!document) return undefined;
      const { renderFollowUp, DocumentRefusedError } = await import('./documents/index.js');
      try {
        return await renderFollowUp(document, format, params.locale === 'en' ? 'en' : 'sv');
      } catch (err) {
        if (err instanceof DocumentRefusedError)
          logger.error({ agreement, period, kinds: err.kinds }, 'follow-up document refused by the privacy guard');
        throw err;
      }
    });
}

/**
 * The start-up warning when no stored agreement is in force on `today` (reports are refused and the
 * status shows the last period's outcome): what to do about it. Undefined when one is in force.
 */
export function periodNotice(stored: readonly Agreement[], today: string, devMode: boolean): string | undefined {
  if (stored.some((a) => isInForce(a, today))) return undefined;
  const latest = [...stored].sort((a, b) => b.periodEnd.localeCompare(a.periodEnd))[0];
  const what = latest
    ? `no medborgarlöfte is in force on ${today} (the latest, ${latest.id}, runs ${latest.periodStart}..${latest.periodEnd}): reports are refused.`
    : `no medborgarlöfte is stored: reports are refused.`;
  const fix =
    ' Add the next period: a coordinator writes "ny period" in chat, or npm run agreement -- import (docs/operations.md).';
  const demo = devMode
    ? ' Just trying the bot? npm run playground:demo (demo data, a clock inside the period, you a coordinator), or npm run demo && npm run start:demo.'
    : '';
  return what + fix + demo;
}

/** Composition root: config → store → services → Teams app → HTTP. */
export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? (config.clockStart ? runningClockFrom(config.clockStart) : systemClock);
  if (config.devMode) {
    logger.warn(
      'LOCAL DEVELOPMENT MODE: no BOT_ID is set, requests to /api/messages are NOT authenticated. Listening on 127.0.0.1 only.',
    );
  }
  if (config.clockStart)
    logger.warn({ clock: clock.now().toISOString() }, 'BOT_CLOCK is set: the bot runs on a shifted clock');
  if (!config.devMode && config.allowedTenantIds.length === 0) {
    logger.warn(
      'ALLOWED_TENANT_IDS is empty: users of ANY Microsoft 365 tenant can use the bot. Set it to the tenant ids of the police and the municipality.',
    );
  }

  const backend = await openBackend(config, clock, logger, { store: options.store, audit: options.audit });
  const { store, audit, auditTrail, ledger } = backend;
  const agreements = new AgreementService(store, clock, audit);
  const conversations = new ConversationService(store, clock);
  const reports = new ReportService(
    store,
    agreements,
    clock,
    {
      ...DEFAULT_REPORT_RULES,
      maxWeeksBack: config.reports.weeksBack,
      areas: config.reports.areas,
      editWeeks: config.reports.editWeeks,
      partyByTenant: config.reports.partyByTenant,
      partyByPerson: config.reports.partyByPerson,
    },
    audit,
  );
  if (await agreements.seedDefaults())
    logger.info('first start: wrote the Tranås 2023–2024 medborgarlöfte to the store');
  const outOfPeriod = periodNotice(await agreements.list(), localDateOf(clock.now()), config.devMode);
  if (outOfPeriod) logger.warn(outOfPeriod);
  const singulars = await agreements.fillUnitSingulars();
  if (singulars.length > 0)
    logger.info({ activities: singulars }, 'stored agreements: filled the singular of known units');
  // Text stored by earlier versions is checked with the current privacy guard, once per guard version.
  await new PrivacySweep(store, clock, audit, textsFor('sv').redactedText, logger).runOnce();

  const status = new StatusService(store, agreements, clock, {
    riskBelow: config.status.riskBelow,
    behindBelow: config.status.behindBelow,
  });
  const scopes = new ScopeService(store, clock, audit, {
    coordinatorIds: config.coordinatorIds,
    readerIds: config.readerIds,
  });
  const roles = new RoleService(scopes);
  const coordination = new CoordinationService(store, agreements, status, clock, audit);
  const access = new AccessService(store, clock, audit, {
    allowedTenantIds: config.allowedTenantIds,
    coordinatorIds: config.coordinatorIds,
  });
  const questions = new QuestionService(store, status, clock, config.reports.areas);
  // The optional language model only chooses among read-only query tools (LLM_PROVIDER; none by default).
  const llm = config.llm
    ? {
        settings: config.llm,
        tools: new QuestionTools(questions, status, config.reports.areas, {
          allowReportText: config.llm.allowReportText,
        }),
      }
    : undefined;
  if (config.llm)
    logger.info(
      { provider: config.llm.provider, model: config.llm.model, allowReportText: config.llm.allowReportText },
      'language model configured for questions the parser does not understand',
    );
  const channels = new ChannelService(store, agreements, clock, audit);
  const reporters = new ReporterService(store, reports, clock, audit);
  const meetings = new MeetingService(store, agreements, clock, audit);
  // The follow-up both parties sign: a coordinator's party is PARTY_BY_PERSON, else the party they
  // report for (anmäl mig), else their tenant's.
  const followUps = new FollowUpReportService({
    store,
    agreements,
    clock,
    audit,
    partyOf: async (actor, agreement) =>
      config.reports.partyByPerson[actor.id.toLowerCase()] ??
      (await store.reporters.get(actor.id))?.party ??
      reports.partyOf(actor, agreement),
  });
  // Stored changes whose audit line a crash or a full disk left out get it now, marked "reconciled".
  // Instances starting together check one after the other (the second finds the first's lines).
  const reconciled = await backend.exclusive('audit-reconcile', () =>
    reconcileAtStart(store, auditTrail, audit, clock.now(), backend.shared),
  );
  if (reconciled.added > 0) {
    logger.warn(
      { added: reconciled.added, byAction: reconciled.byAction },
      'audit reconciliation: stored changes had no audit line (a crash or a full disk); added them, marked "reconciled"',
    );
  }
  const exports = new ExportService(store, agreements, clock, audit, config.retention);
  const auditExports = new AuditExportService(clock, audit, auditTrail);
  const retention = new RetentionService(store, clock, audit, config.retention, logger, ledger);
  const jobs = new ScheduledJobs({
    retention,
    backups: backend.backups,
    logger,
  });
  const adapter = createAdapter(config, options.authOverrides, logger, (activity) =>
    access.refuseChannel(
      { id: boundedId(activity.from?.aadObjectId) ?? 'unknown', tenantId: boundedId(activity.conversation?.tenantId) },
      activity.channelId,
      boundedId(activity.id),
    ),
  );
  // Reminders: the pure policy decides what is due, the delivery engine sends each (occurrence,
  // recipient) once from its own ledger (created above, pruned by the retention job).
  let reminderService: ReminderService | undefined = undefined;
  const delivery = new DeliveryEngine({
    ledger,
    sender: new TeamsProactiveSender({
      adapter,
      conversations: store.conversations,
      botAppId: config.bot.id,
      clock,
      logger,
    }),
    conversations: store.conversations,
    clock,
    logger,
    onConversationGone: (id) => reminderService?.conversationGone(id),
    sendBudget: backend.sendBudget,
  });
  reminderService = new ReminderService({
    store,
    agreements,
    status,
    delivery,
    renderer: new TeamsReminderRenderer(textsFor('sv'), reports),
    clock,
    logger,
    settings: config.reminders.settings,
    botTenantId: config.bot.tenantId,
    followUps,
    coordinatorIds: async () => [
      ...config.coordinatorIds,
      ...(await store.coordinators.list()).filter((c) => !c.removedAt).map((c) => c.aadObjectId),
    ],
  });
  const reminders = new ReminderTicker({
    reminders: reminderService,
    clock,
    logger,
    leadership: backend.leadership,
    ...(backend.shared ? { sweep: () => delivery.sweep() } : {}),
  });
  const signing = downloadSecret(config.downloads.secret, config.bot.password);
  if (signing.source === 'random' && !config.devMode)
    logger.warn('download links are signed with a random key: set DOWNLOAD_LINK_SECRET (the same on every instance)');
  const downloads = new Downloads({
    secret: signing.secret,
    ...(config.downloads.publicBaseUrl ? { baseUrl: config.downloads.publicBaseUrl } : {}),
    ttlMinutes: config.downloads.ttlMinutes,
    clock,
    logger,
  });
  downloads.register(MEETING_ICS, meetingInviteMaker(meetings, clock));
  registerFollowUpDownloads(downloads, options.followUpDocuments ?? followUps.documents(), logger);
  const bot = createBot(adapter, {
    agreements,
    conversations,
    reports,
    status,
    coordination,
    questions,
    roles,
    scopes,
    access,
    channels,
    reporters,
    meetings,
    followUps,
    exports,
    auditExports,
    delivery,
    clock,
    logger,
    botAppId: config.bot.id,
    devMode: config.devMode,
    llm,
    downloads,
    downloadMinutes: config.downloads.ttlMinutes,
    reminderPlan: (scope) => reminderService!.plan(scope),
  });
  const server = createHttpServer({
    logger,
    maxBodyBytes: config.maxBodyBytes,
    extraRoutes: (s) => downloads.route(s),
    handleMessages: (req, res) => adapter.process(req, res, (context) => bot.run(context).then(() => undefined)),
    // /healthz answers anyone: status and version only. The details (the data file's path, the
    // report count, the mode) only in local development mode, which listens on 127.0.0.1 alone.
    health: () => {
      const status = store.health().state === 'open' ? 'ok' : 'degraded';
      return config.devMode
        ? { status, version, mode: 'local-development', store: store.health(), time: clock.now().toISOString() }
        : { status, version };
    },
  });
  const listening = options.listen !== false;
  const port = listening ? await listen(server, config.port, config.host) : 0;
  if (listening) {
    logger.info({ port, host: config.host, version }, `listening on http://${config.host}:${port}/api/messages`);
    if (!config.downloads.publicBaseUrl && !config.devMode)
      logger.warn('PUBLIC_BASE_URL is not set: download links point to the address the bot listens on');
    downloads.setDefaultBaseUrl(`http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`);
  }
  jobs.start();
  if (config.reminders.enabled) {
    void delivery
      .resume()
      .catch((err: Error) => logger.error({ err: { message: err.message } }, 'resuming deliveries failed'));
    // Every minute on real time; what is due is decided on the bot's clock (BOT_CLOCK runs on).
    reminders.start();
  }

  let stopped = false;
  return {
    port,
    store,
    clock,
    jobs,
    reminders,
    app: bot,
    delivery,
    downloads,
    async stop() {
      if (stopped) return;
      stopped = true;
      reminders.stopTicking();
      if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      await jobs.stop();
      await reminders.idle();
      await delivery.stop();
      await backend.close();
    },
  };
}

/** Exit codes (documented in docs/security.md). */
export const EXIT = { ok: 0, unexpected: 1, config: 2, dataFile: 3, diskFull: 4, noAccess: 5 } as const;

/**
 * A file-system fault an operator must fix (a full disk, missing permissions) as one clear line in
 * Swedish and English and its exit code; undefined for anything else (a bug keeps its stack trace).
 */
export function fsFault(err: unknown): { exitCode: number; message: string } | undefined {
  const e = err as NodeJS.ErrnoException | null;
  const where = typeof e?.path === 'string' ? ` (${e.syscall ?? 'write'} ${e.path})` : '';
  switch (e?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return {
        exitCode: EXIT.diskFull,
        message: `Disken är full${where}: gör plats och starta boten igen. / The disk is full${where}: free some space and start the bot again. [${e.code}]`,
      };
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'ENOTDIR':
      return {
        exitCode: EXIT.noAccess,
        message: `Boten får inte skriva eller läsa sina datafiler${where}: ge användaren som kör boten rätt till datamappen. / The bot may not read or write its data files${where}: give the user running the bot access to the data folder. [${e.code}]`,
      };
    default:
      return undefined;
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`The bot cannot start. ${err.message}`);
      process.exit(EXIT.config);
    }
    throw err;
  }
  try {
    const running = await startBot(config);
    const shutdown = () => {
      running.stop().then(
        () => process.exit(EXIT.ok),
        (err: unknown) => {
          const fault = fsFault(err);
          console.error(
            fault
              ? `The bot stopped, but not cleanly: ${fault.message}`
              : `The bot stopped, but not cleanly: ${(err as Error)?.message ?? err}`,
          );
          process.exit(fault?.exitCode ?? EXIT.unexpected);
        },
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (err) {
    if (err instanceof StoreOpenError) {
      console.error(`The bot cannot start: ${err.message}`);
      process.exit(EXIT.dataFile);
    }

    const fault = fsFault(err);
    if (fault) {
      console.error(`The bot cannot start: ${fault.message}`);
      process.exit(fault.exitCode);
    }
    throw err;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  void main();
}
