import { ActivityTypes, MemoryStorage, type TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { parseCommand } from '../app/commands.js';
import type { AgreementService } from '../app/agreements.js';
import type { Clock } from '../app/clock.js';
import type { ConversationService } from '../app/conversations.js';
import type { Actor } from '../app/actor.js';
import type { ReportService, SubmitResult } from '../app/reports.js';
import type { StatusService } from '../app/status.js';
import type { QuestionService } from '../app/questions.js';
import { answerCard } from './cards/answer-card.js';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { textsFor, type Texts } from '../texts/index.js';
import { attachment, card, textBlock, type AdaptiveCardJson } from './cards/card.js';
import { helpCard, welcomeCard } from './cards/help-card.js';
import { noAgreementCard, statusCard } from './cards/status-card.js';
import { myReportsCard, receiptCard, reportCard, type ReportValues } from './cards/report-card.js';
import { conversationOf } from './conversation-reference.js';
import { Verbs } from './verbs.js';

export interface BotDeps {
  agreements: AgreementService;
  conversations: ConversationService;
  reports: ReportService;
  status: StatusService;
  questions: QuestionService;
  coordinatorIds: string[];
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
    const view = await deps.status.current();
    return view ? statusCard(t, view) : noAgreementCard(t);
  }

  const send = (context: TurnContext, content: AdaptiveCardJson) => context.sendActivity({ attachments: [attachment(content)] });

  const actorOf = (context: TurnContext): Actor => {
    const a = context.activity;
    const id = a.from?.aadObjectId ?? a.from?.id ?? 'unknown';
    const tenantId = (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
    return { id, tenantId, isCoordinator: deps.coordinatorIds.includes(id.toLowerCase()) };
  };

  const messageCard = (text: string) => card([textBlock(text)]);

  async function openReportCard(context: TurnContext): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    const form = await deps.reports.form(actorOf(context));
    if ('kind' in form) return messageCard(t.report.noAgreement(form.periodEnd));
    return reportCard(t, form, { submissionId: randomUUID() });
  }

  function renderSubmit(context: TurnContext, result: SubmitResult, data: ReportValues): AdaptiveCardJson {
    const t = textsOf(context);
    switch (result.kind) {
      case 'saved':
        return receiptCard(t, result.agreement, result.report, result.duplicate ? 'duplicate' : 'saved', deps.reports.mayEdit(actorOf(context), result.report));
      case 'invalid':
        return reportCard(t, result.form, { submissionId: String(data.submissionId ?? randomUUID()), values: data, errors: result.errors });
      case 'noAgreement':
        return messageCard(t.report.noAgreement(result.periodEnd));
      case 'forbidden':
        return messageCard(t.report.forbidden);
      case 'notFound':
        return messageCard(t.report.notFound);
    }
  }

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
      case 'report':
        await send(context, await openReportCard(context));
        return;
      case 'myReports': {
        const mine = await deps.reports.mine(actorOf(context));
        await send(context, myReportsCard(t, await deps.agreements.list(), mine.reports, mine.editable));
        return;
      }
      default: {
        const question = await deps.questions.parse(context.activity.text ?? '');
        await send(context, answerCard(t, await deps.questions.answer(question, actorOf(context))));
      }
    }
  });

  app.adaptiveCards.actionExecute(Verbs.showStatus, async (context) => statusAnswer(textsOf(context)));
  app.adaptiveCards.actionExecute<{ pledgeNumber?: unknown }>(Verbs.showPledge, async (context, _state, data) => {
    const view = await deps.status.current();
    const t = textsOf(context);
    const n = Number(data.pledgeNumber);
    return view && view.agreement.pledges.some((p) => p.number === n) ? statusCard(t, view, n) : statusAnswer(t);
  });
  app.adaptiveCards.actionExecute(Verbs.showHelp, async (context) => helpCard(textsOf(context)));
  app.adaptiveCards.actionExecute(Verbs.openReport, async (context) => openReportCard(context));

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.submitReport, async (context, _state, data) => {
    const result = await deps.reports.submit(actorOf(context), data, context.activity.id);
    return renderSubmit(context, result, data);
  });

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.editReport, async (context, _state, data) => {
    const t = textsOf(context);
    const form = await deps.reports.editForm(actorOf(context), String(data.reportId ?? ''));
    if ('kind' in form) return messageCard(form.kind === 'forbidden' ? t.report.forbidden : t.report.notFound);
    return reportCard(t, form, { submissionId: randomUUID() });
  });

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.saveReport, async (context, _state, data) => {
    const result = await deps.reports.edit(actorOf(context), String(data.reportId ?? ''), data, context.activity.id);
    if (result.kind === 'saved') {
      return receiptCard(textsOf(context), result.agreement, result.report, 'updated', deps.reports.mayEdit(actorOf(context), result.report));
    }
    return renderSubmit(context, result, data);
  });

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.withdrawReport, async (context, _state, data) => {
    const t = textsOf(context);
    const result = await deps.reports.withdraw(actorOf(context), String(data.reportId ?? ''), context.activity.id);
    if (result.kind === 'withdrawn') return messageCard(t.report.withdrawn);
    return messageCard(result.kind === 'forbidden' ? t.report.forbidden : t.report.notFound);
  });

  // Any other verb (an old card, a forged payload) gets an error card, never 501.
  app.adaptiveCards.actionExecute(/.*/, async (context) => {
    const t = textsOf(context);
    deps.logger.warn({ verb: String(context.activity.value?.action?.verb ?? '').slice(0, 64) }, 'unknown card verb');
    return card([textBlock(t.errors.unknownAction)]);
  });

  // Any other invoke (no name, a card action without an action): an error card, never 501.
  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke,
    async (context) => {
      deps.logger.warn({ name: String(context.activity.name ?? '').slice(0, 64) }, 'unhandled invoke');
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card([textBlock(textsOf(context).errors.unknownAction)]) } },
      });
    },
    true,
  );

  app.error(async (context, error) => {
    deps.logger.error({ err: { message: error.message, stack: error.stack } }, 'turn failed');
    if (context.activity.type === ActivityTypes.Message) {
      await context.sendActivity(textsOf(context).errors.generic).catch(() => undefined);
    }
  });

  return app;
}
