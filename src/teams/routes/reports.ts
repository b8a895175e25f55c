import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../app/actor.js';
import type { SubmitResult } from '../../app/reports.js';
import type { Texts } from '../../texts/index.js';
import type { AdaptiveCardJson } from '../cards/card.js';
import { myReportsCard, receiptCard, reportCard, reportLauncherCard, type ReportValues } from '../cards/report-card.js';
import { actorOf, isSharedConversation, messageCard, sendCard, textsOf, type RouteContext } from '../turn.js';
import { Verbs } from '../verbs.js';

/** A card data field as text; anything but a string or a number (untrusted input) is empty. */
const textOf = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The weekly report: open, submit, edit, withdraw, list one's own. */
export function registerReportRoutes({ app, deps, onCommand }: RouteContext): void {
  /** No agreement in force: what to do; in local development mode also the way to the demo. */
  const noAgreementText = (t: Texts, periodEnd?: string): string =>
    deps.devMode ? `${t.report.noAgreement(periodEnd)} ${t.report.tryDemo}` : t.report.noAgreement(periodEnd);

  async function openReportCard(context: TurnContext): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    const form = await deps.reports.form(await actorOf(context, deps));
    if ('kind' in form) return messageCard(noAgreementText(t, form.periodEnd));
    return reportCard(t, form, { submissionId: randomUUID() });
  }

  async function renderSubmit(
    context: TurnContext,
    actor: Actor,
    result: SubmitResult,
    data: ReportValues,
    note: 'saved' | 'updated',
  ): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    switch (result.kind) {
      case 'saved':
        return receiptCard(
          t,
          result.agreement,
          result.report,
          result.duplicate && note === 'saved' ? 'duplicate' : note,
          deps.reports.mayEdit(actor, result.report, await deps.reports.scopeIds(actor)),
        );
      case 'invalid':
        return reportCard(t, result.form, {
          submissionId: textOf(data.submissionId) || randomUUID(),
          values: data,
          errors: result.errors,
        });
      case 'noAgreement':
        return messageCard(noAgreementText(t, result.periodEnd));
      case 'forbidden':
        return messageCard(t.report.forbidden);
      case 'notFound':
        return messageCard(t.report.notFound);
    }
  }

  // A card posted in a channel or group chat is one message for everyone: it carries no form and no
  // submission id, only a button whose invoke answer (a form with a fresh submission id, then the
  // receipt) Teams shows to the person who pressed it alone.
  onCommand('report', async (context) => {
    if (isSharedConversation(context)) await sendCard(context, reportLauncherCard(textsOf(context)));
    else await sendCard(context, await openReportCard(context));
  });
  onCommand('myReports', async (context) => {
    const mine = await deps.reports.mine(await actorOf(context, deps));
    await sendCard(context, myReportsCard(textsOf(context), await deps.agreements.list(), mine.reports, mine.editable));
  });

  onCommand('allReports', async (context) => {
    const t = textsOf(context);
    const result = await deps.reports.everyone(await actorOf(context, deps));
    if (result.kind === 'forbidden') {
      await sendCard(context, messageCard(t.report.allForbidden));
      return;
    }
    await sendCard(
      context,
      myReportsCard(t, await deps.agreements.list(), result.reports, new Set(result.reports.map((r) => r.id)), true),
    );
  });

  app.adaptiveCards.actionExecute(Verbs.openReport, async (context) => openReportCard(context));

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.submitReport, async (context, _state, data) => {
    const actor = await actorOf(context, deps);
    const result = await deps.reports.submit(actor, data, context.activity.id);
    return renderSubmit(context, actor, result, data, 'saved');
  });

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.editReport, async (context, _state, data) => {
    const t = textsOf(context);
    const form = await deps.reports.editForm(await actorOf(context, deps), textOf(data.reportId));
    if ('kind' in form) return messageCard(form.kind === 'forbidden' ? t.report.forbidden : t.report.notFound);
    return reportCard(t, form, { submissionId: randomUUID() });
  });

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.saveReport, async (context, _state, data) => {
    const actor = await actorOf(context, deps);
    const result = await deps.reports.edit(actor, textOf(data.reportId), data, context.activity.id);
    return renderSubmit(context, actor, result, data, 'updated');
  });

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.withdrawReport, async (context, _state, data) => {
    const t = textsOf(context);
    const result = await deps.reports.withdraw(
      await actorOf(context, deps),
      textOf(data.reportId),
      context.activity.id,
    );
    if (result.kind === 'withdrawn') return messageCard(t.report.withdrawn);
    return messageCard(result.kind === 'forbidden' ? t.report.forbidden : t.report.notFound);
  });
}
