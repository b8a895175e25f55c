import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { Actor } from '../../app/actor.js';
import type { SubmitResult } from '../../app/reports.js';
import type { Texts } from '../../texts/index.js';
import type { AdaptiveCardJson } from '../cards/card.js';
import {
  myReportsCard,
  nothingReceiptCard,
  receiptCard,
  reportCard,
  reportLauncherCard,
  weekReceiptCard,
  weekReportCard,
  type ReportValues,
} from '../cards/report-card.js';
import { DEFAULT_REPORT_ROWS, isNothingToReport, rowCountOf } from '../../domain/report.js';
import { freshValues } from './week.js';
import { actorOf, isSharedConversation, messageCard, sendCard, textsOf, type RouteContext } from '../turn.js';
import { Verbs } from '../verbs.js';

/** A card data field as text; anything but a string or a number (untrusted input) is empty. */
const textOf = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The weekly report: open, submit, edit, withdraw, list one's own. */
export function registerReportRoutes({ app, deps, onCommand }: RouteContext): void {
  /** No agreement in force: what to do; in local development mode also the way to the demo. */
  const noAgreementText = (t: Texts, periodEnd?: string): string =>
    deps.devMode ? `${t.report.noAgreement(periodEnd)} ${t.report.tryDemo}` : t.report.noAgreement(periodEnd);

  /** A new week card (optionally for the week a reminder named), with a fresh submission id. */
  async function openReportCard(context: TurnContext, week?: string): Promise<AdaptiveCardJson> {
    const t = textsOf(context);
    const form = await deps.reports.form(await actorOf(context, deps));
    if ('kind' in form) return messageCard(noAgreementText(t, form.periodEnd));
    return weekReportCard(t, form, {
      submissionId: randomUUID(),
      rows: DEFAULT_REPORT_ROWS,
      values: freshValues(form, week),
    });
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

  /** The receipt of `ids` rendered again (what "Ny rapport" leaves in place), if the actor may see them. */
  async function receiptAgain(
    context: TurnContext,
    actor: Actor,
    ids: string[],
  ): Promise<AdaptiveCardJson | undefined> {
    const t = textsOf(context);
    const { reports, agreement } = await deps.reports.visible(actor, ids);
    if (reports.length === 0 || !agreement) return undefined;
    const scopeIds = await deps.reports.scopeIds(actor);
    if (reports.length === 1 && isNothingToReport(reports[0]!))
      return nothingReceiptCard(t, reports[0]!, false, deps.reports.mayEdit(actor, reports[0]!, scopeIds));
    return weekReceiptCard(
      t,
      agreement,
      reports.filter((r) => !r.withdrawn),
      false,
      reports.length === 1 && deps.reports.mayEdit(actor, reports[0]!, scopeIds),
    );
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

  // "Ny rapport" on a receipt (in a personal chat) posts a NEW card and answers the invoke with the
  // receipt again, so what was just saved stays in the chat. In a channel or group chat a posted
  // form would be everyone's: there the answer is the form, for the presser alone, as before.
  app.adaptiveCards.actionExecute<ReportValues>(Verbs.openReport, async (context, _state, data) => {
    const week = textOf(data?.week) || undefined;
    const receipt = Array.isArray(data?.receipt) ? data.receipt.filter((x): x is string => typeof x === 'string') : [];
    if (receipt.length === 0 || isSharedConversation(context)) return openReportCard(context, week);
    const actor = await actorOf(context, deps);
    const kept = await receiptAgain(context, actor, receipt);
    if (!kept) return openReportCard(context, week);
    await sendCard(context, await openReportCard(context, week));
    return kept;
  });

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.submitReport, async (context, _state, data) => {
    const t = textsOf(context);
    const actor = await actorOf(context, deps);
    const result = await deps.reports.submitWeek(actor, data, context.activity.id);
    const submissionId = textOf(data.submissionId) || randomUUID();
    switch (result.kind) {
      case 'saved':
        return weekReceiptCard(
          t,
          result.agreement,
          result.reports,
          result.duplicate,
          result.reports.length === 1 &&
            deps.reports.mayEdit(actor, result.reports[0]!, await deps.reports.scopeIds(actor)),
        );
      case 'invalid':
        return weekReportCard(t, result.form, {
          submissionId,
          rows: rowCountOf(data),
          values: data,
          cardErrors: result.cardErrors,
          rowErrors: result.rowErrors,
        });
      case 'empty':
        return weekReportCard(t, result.form, {
          submissionId,
          rows: rowCountOf(data),
          values: data,
          notice: { text: t.week.empty, attention: true },
        });
      case 'noAgreement':
        return messageCard(noAgreementText(t, result.periodEnd));
    }
  });

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.editReport, async (context, _state, data) => {
    const t = textsOf(context);
    const form = await deps.reports.editForm(await actorOf(context, deps), textOf(data.reportId));
    if ('kind' in form) return messageCard(form.kind === 'forbidden' ? t.report.forbidden : t.report.notFound);
    // "Inget att rapportera" has nothing to edit: it can be taken back.
    if (form.existing && isNothingToReport(form.existing)) return nothingReceiptCard(t, form.existing, false, true);
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
    if (result.kind === 'withdrawn')
      return messageCard(isNothingToReport(result.report) ? t.week.nothingWithdrawn : t.report.withdrawn);
    return messageCard(result.kind === 'forbidden' ? t.report.forbidden : t.report.notFound);
  });
}
