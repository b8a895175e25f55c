import { ActivityTypes, INVOKE_RESPONSE_KEY, MemoryStorage, type TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { MAX_COMMAND_TEXT, parseCommand, type CommandKind } from '../app/commands.js';
import type { BotDeps } from './deps.js';
import { registerAccessRoutes } from './routes/access.js';
import { answerQuestion, registerCoreRoutes, registerFallbackRoutes } from './routes/core.js';
import { createLanguageModelFallback } from './llm.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerWeekRoutes } from './routes/week.js';
import { registerReminderRoutes } from './routes/reminders.js';
import { registerRecordsRoutes } from './routes/records.js';
import { registerFollowUpRoutes } from './routes/follow-up.js';
import { registerMeetingFollowUpRoutes } from './routes/meeting-follow-up.js';
import { registerStatusAdminRoutes } from './routes/status-admin.js';
import { registerScopeRoutes } from './routes/scopes.js';
import { registerRolloverRoutes } from './routes/rollover.js';
import { registerFollowUpReportRoutes } from './routes/follow-up-report.js';
import { messageCard, textsOf, type CommandHandler, type RouteContext } from './turn.js';

export type { BotDeps };

/** A route module registers its card verbs on the app and its chat commands on the router. */
export type RouteModule = (ctx: RouteContext) => void;

/** The features, in order. A new feature adds its module here. */
const ROUTE_MODULES: RouteModule[] = [
  registerAccessRoutes,
  registerCoreRoutes,
  // After the core routes: their beforeTurn remembers the conversation a choice binds.
  registerScopeRoutes,
  registerReportRoutes,
  registerWeekRoutes,
  registerRecordsRoutes,
  registerFollowUpRoutes,
  registerMeetingFollowUpRoutes,
  registerStatusAdminRoutes,
  registerRolloverRoutes,
  registerFollowUpReportRoutes,
  registerReminderRoutes,
];

/**
 * Routes Teams activities to use cases and renders the answers. Handlers parse, call one use case
 * and render: no business rule lives here.
 */
export function createBot(
  adapter: TeamsAdapter,
  deps: BotDeps,
  extraModules: RouteModule[] = [],
): Application<TurnState> {
  // Optional language model (LLM_PROVIDER): undefined means it is never constructed or contacted.
  const languageModel = createLanguageModelFallback(deps);
  const app = new Application<TurnState>({
    ...(languageModel ? { ai: languageModel.aiOptions } : {}),
    adapter,
    botAppId: deps.botAppId,
    storage: new MemoryStorage(),
    removeRecipientMention: true,
    // The typing indicator costs one activity per second per turn; answers here are fast.
    startTypingTimer: false,
  });

  // teams-ai 1.7.4 starts its typing timer on every message turn whatever `startTypingTimer` says,
  // and keeps it in one field for all concurrent turns; answers here are fast, so no typing at all.
  (app as unknown as { startTypingTimer: (context: TurnContext) => void }).startTypingTimer = () => undefined;

  const commands = new Map<CommandKind, CommandHandler>();
  const ctx: RouteContext = {
    app,
    deps,
    onCommand: (kind, handler) => {
      if (commands.has(kind)) throw new Error(`command ${kind} registered twice`);
      commands.set(kind, handler);
    },
  };
  for (const register of [...ROUTE_MODULES, ...extraModules]) register(ctx);
  registerFallbackRoutes(ctx);
  languageModel?.register(app);

  app.activity(ActivityTypes.Message, async (context: TurnContext, state: TurnState) => {
    if ((context.activity.text ?? '').length > MAX_COMMAND_TEXT) {
      await context.sendActivity(textsOf(context).errors.tooLong(MAX_COMMAND_TEXT));
      return;
    }
    const command = parseCommand(context.activity.text);
    const handler = command.kind === 'unknown' ? undefined : commands.get(command.kind);
    if (handler && command.kind !== 'unknown') await handler(context, command.rest);
    else if (!(languageModel && (await languageModel.answer(app, context, state)))) await answerQuestion(context, deps);
  });

  app.error(async (context, error) => {
    const code = (error as NodeJS.ErrnoException).code;
    const storageFault =
      code === 'ENOSPC' || code === 'EDQUOT' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
    if (storageFault) {
      // An operator's problem, not a bug: one clear line, no stack. The change was undone.
      deps.logger.error(
        { err: { code, message: error.message } },
        code === 'ENOSPC' || code === 'EDQUOT'
          ? 'turn failed: the disk is full (the change was not stored)'
          : 'turn failed: no permission to write the data files (the change was not stored)',
      );
    } else deps.logger.error({ err: { message: error.message, stack: error.stack } }, 'turn failed');
    const t = textsOf(context);
    const text = storageFault ? t.errors.notStored : t.errors.generic;
    if (context.activity.type === ActivityTypes.Message) {
      await context.sendActivity(text).catch(() => undefined);
    } else if (context.activity.type === ActivityTypes.Invoke && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
      // A failed card action gets an error card, not the adapter's bare 501.
      const value = { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: messageCard(text) };
      await context
        .sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: value } })
        .catch(() => undefined);
    }
  });

  return app;
}
