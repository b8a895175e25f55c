import { ActivityTypes, type TurnContext } from 'botbuilder';
import { answerCard } from '../cards/answer-card.js';
import { card, textBlock, type AdaptiveCardJson } from '../cards/card.js';
import { helpCard, welcomeCard } from '../cards/help-card.js';
import { noAgreementCard, statusCard } from '../cards/status-card.js';
import { conversationOf } from '../conversation-reference.js';
import { actorOf, sendCard, textsOf, type RouteContext } from '../turn.js';
import type { Texts } from '../../texts/index.js';
import { Verbs } from '../verbs.js';

/** Conversation capture, welcome, help, status and questions. */
export function registerCoreRoutes({ app, deps, onCommand }: RouteContext): void {
  async function statusAnswer(context: TurnContext, t: Texts): Promise<AdaptiveCardJson> {
    const view = await deps.status.current((await actorOf(context, deps)).scope);
    if (!view) return noAgreementCard(t);
    const answer = statusCard(t, view);
    // After the period, in local development mode (a newcomer on today's date): the way to the demo.
    if (deps.devMode && !view.inForce && view.today > view.agreement.periodEnd)
      return { ...answer, body: [...answer.body, textBlock(t.report.tryDemo)] };
    return answer;
  }

  // Remember every conversation the bot hears from, so proactive messages work after a restart.
  app.turn('beforeTurn', async (context) => {
    const a = context.activity;
    if (
      a.type === ActivityTypes.Message ||
      a.type === ActivityTypes.ConversationUpdate ||
      a.type === ActivityTypes.InstallationUpdate
    ) {
      const removed =
        (a.type === ActivityTypes.InstallationUpdate && a.action === 'remove') ||
        (a.type === ActivityTypes.ConversationUpdate && (a.membersRemoved ?? []).some((m) => m.id === a.recipient?.id));
      const conv = conversationOf(a);
      try {
        if (conv && removed) await deps.conversations.forget(conv.id);
        else if (conv) await deps.conversations.remember(conv);
      } catch (err) {
        // A full disk must not take help and status with it: the reference is remembered at a later
        // turn (the failed write was undone in memory, so the next turn tries again).
        const e = err as NodeJS.ErrnoException;
        deps.logger.error(
          { err: { code: e.code, message: e.message } },
          'could not remember the conversation (the turn goes on)',
        );
      }
    }
    return true;
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const a = context.activity;
    if (!(a.membersAdded ?? []).some((m) => m.id === a.recipient?.id)) return;
    const inTeam = Boolean((a.channelData as { team?: unknown } | undefined)?.team);
    await sendCard(context, welcomeCard(textsOf(context), inTeam));
  });

  app.activity(ActivityTypes.InstallationUpdate, async () => {
    // Captured in beforeTurn; the welcome is sent on membersAdded, so a client that sends both
    // events does not get two welcomes.
  });

  onCommand('help', async (context) => {
    await sendCard(context, helpCard(textsOf(context)));
  });
  onCommand('status', async (context) => {
    await sendCard(context, await statusAnswer(context, textsOf(context)));
  });

  app.adaptiveCards.actionExecute(Verbs.showStatus, async (context) => statusAnswer(context, textsOf(context)));
  app.adaptiveCards.actionExecute<{ pledgeNumber?: unknown }>(Verbs.showPledge, async (context, _state, data) => {
    const view = await deps.status.current((await actorOf(context, deps)).scope);
    const t = textsOf(context);
    // Card data is untrusted: Number() of an object whose toString is not a function throws.
    const n =
      typeof data.pledgeNumber === 'number' || typeof data.pledgeNumber === 'string' ? Number(data.pledgeNumber) : NaN;
    return view && view.agreement.pledges.some((p) => p.number === n)
      ? statusCard(t, view, n)
      : statusAnswer(context, t);
  });
  app.adaptiveCards.actionExecute(Verbs.showAllStatus, async (context) => {
    const view = await deps.status.current((await actorOf(context, deps)).scope);
    return view ? statusCard(textsOf(context), view, undefined, true) : noAgreementCard(textsOf(context));
  });
  app.adaptiveCards.actionExecute(Verbs.showHelp, async (context) => helpCard(textsOf(context)));
}

/** Everything no command took: questions, then examples. */
export async function answerQuestion(
  context: Parameters<Parameters<RouteContext['onCommand']>[1]>[0],
  deps: RouteContext['deps'],
): Promise<void> {
  const actor = await actorOf(context, deps);
  const personal = context.activity.conversation?.conversationType === 'personal';
  const answer = await deps.questions.ask(context.activity.text ?? '', actor, { personal });
  await sendCard(context, answerCard(textsOf(context), answer));
}

/** Registered last: unknown verbs and stray invokes get an error card, never 501. */
export function registerFallbackRoutes({ app, deps }: RouteContext): void {
  app.adaptiveCards.actionExecute(/.*/, async (context) => {
    deps.logger.warn({ verb: String(context.activity.value?.action?.verb ?? '').slice(0, 64) }, 'unknown card verb');
    return card([textBlock(textsOf(context).errors.unknownAction)]);
  });

  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke,
    async (context) => {
      deps.logger.warn({ name: String(context.activity.name ?? '').slice(0, 64) }, 'unhandled invoke');
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: {
            statusCode: 200,
            type: 'application/vnd.microsoft.card.adaptive',
            value: card([textBlock(textsOf(context).errors.unknownAction)]),
          },
        },
      });
    },
    true,
  );
}
