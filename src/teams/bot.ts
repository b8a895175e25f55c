import { ActivityTypes, MemoryStorage, type TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { parseCommand } from '../app/commands.js';
import type { AgreementService } from '../app/agreements.js';
import type { Clock } from '../app/clock.js';
import type { ConversationService } from '../app/conversations.js';
import { localDateOf } from '../domain/calendar.js';
import type { Logger } from '../logger.js';
import { textsFor, type Texts } from '../texts/index.js';
import { attachment, card, textBlock, type AdaptiveCardJson } from './cards/card.js';
import { helpCard, unknownCard, welcomeCard } from './cards/help-card.js';
import { noAgreementCard, statusCard } from './cards/status-card.js';
import { conversationOf } from './conversation-reference.js';
import { Verbs } from './verbs.js';

export interface BotDeps {
  agreements: AgreementService;
  conversations: ConversationService;
  clock: Clock;
  logger: Logger;
  botAppId?: string;
}

const textsOf = (context: TurnContext): Texts => textsFor(context.activity.locale);

/**
 * Routes Teams activities to use cases and renders the answers. Handlers parse, call one use case
 * and render: no business rule lives here.
 */
export function createBot(adapter: TeamsAdapter, deps: BotDeps): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter,
    botAppId: deps.botAppId,
    storage: new MemoryStorage(),
    removeRecipientMention: true,
    // The typing indicator costs one activity per second per turn; answers here are fast.
    startTypingTimer: false,
  });

  async function statusAnswer(t: Texts): Promise<AdaptiveCardJson> {
    const current = await deps.agreements.current();
    if (!current) return noAgreementCard(t);
    return statusCard(t, { ...current, today: localDateOf(deps.clock.now()) });
  }

  const send = (context: TurnContext, content: AdaptiveCardJson) => context.sendActivity({ attachments: [attachment(content)] });

  // Remember every conversation the bot hears from, so proactive messages work after a restart.
  app.turn('beforeTurn', async (context) => {
    const a = context.activity;
    if (a.type === ActivityTypes.Message || a.type === ActivityTypes.ConversationUpdate || a.type === ActivityTypes.InstallationUpdate) {
      const removed =
        (a.type === ActivityTypes.InstallationUpdate && a.action === 'remove') ||
        (a.type === ActivityTypes.ConversationUpdate && (a.membersRemoved ?? []).some((m) => m.id === a.recipient?.id));
      const conv = conversationOf(a);
      if (conv && removed) await deps.conversations.forget(conv.id);
      else if (conv) await deps.conversations.remember(conv);
    }
    return true;
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const a = context.activity;
    if (!(a.membersAdded ?? []).some((m) => m.id === a.recipient?.id)) return;
    const inTeam = Boolean((a.channelData as { team?: unknown } | undefined)?.team);
    await send(context, welcomeCard(textsOf(context), inTeam));
  });

  app.activity(ActivityTypes.InstallationUpdate, async () => {
    // Captured in beforeTurn; the welcome is sent on membersAdded, so a client that sends both
    // events does not get two welcomes.
  });

  app.activity(ActivityTypes.Message, async (context) => {
    const t = textsOf(context);
    const command = parseCommand(context.activity.text);
    switch (command.kind) {
      case 'help':
        await send(context, helpCard(t));
        return;
      case 'status':
        await send(context, await statusAnswer(t));
        return;
      default:
        await send(context, unknownCard(t));
    }
  });

  app.adaptiveCards.actionExecute(Verbs.showStatus, async (context) => statusAnswer(textsOf(context)));
  app.adaptiveCards.actionExecute(Verbs.showHelp, async (context) => helpCard(textsOf(context)));

  // Any other verb (an old card, a forged payload) gets an error card, never 501.
  app.adaptiveCards.actionExecute(/.*/, async (context) => {
    const t = textsOf(context);
    deps.logger.warn({ verb: String(context.activity.value?.action?.verb ?? '').slice(0, 64) }, 'unknown card verb');
    return card([textBlock(t.errors.unknownAction)]);
  });

  app.error(async (context, error) => {
    deps.logger.error({ err: { message: error.message, stack: error.stack } }, 'turn failed');
    if (context.activity.type === ActivityTypes.Message) {
      await context.sendActivity(textsOf(context).errors.generic).catch(() => undefined);
    }
  });

  return app;
}
