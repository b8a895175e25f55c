import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { ReportForm, RowValues } from '../../app/reports.js';
import { addLocalDays, addWeeks, mondayOfWeek, parseIsoWeek } from '../../domain/calendar.js';
import { DEFAULT_REPORT_ROWS, MAX_REPORT_ROWS, rowCountOf, rowInputId, ROW_FIELDS } from '../../domain/report.js';
import { isSnoozeOption } from '../../domain/snooze.js';
import { myReportsCard, nothingReceiptCard, weekReportCard, type ReportValues } from '../cards/report-card.js';
import { actorOf, messageCard, textsOf, type RouteContext } from '../turn.js';
import { Verbs } from '../verbs.js';

/** A card data field as text; anything but a string or a number (untrusted input) is empty. */
const textOf = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The date a new card for `week` starts with: today in this week, else that week's Sunday. */
export function dateFor(form: ReportForm, week: string): string {
  const sunday = addLocalDays(mondayOfWeek(week), 6);
  return sunday < form.today ? sunday : form.today;
}

/** The values a new card starts with: the week (a reminder's, else this one), its date, the default party. */
export function freshValues(form: ReportForm, week?: string): ReportValues {
  const w = week && form.weeks.includes(week) ? week : form.weeks[0]!;
  return { week: w, date: dateFor(form, w), party: form.defaultParty ?? '' };
}

/**
 * A reporter's week on one card (issue #16): "Lägg till rad" (the card again with one more row and
 * every value kept), "Inget att rapportera", "Samma som förra veckan", the reminder's snooze, and
 * the "Mina rapporter" button of a multi-row receipt.
 */
export function registerWeekRoutes({ app, deps }: RouteContext): void {
  const noAgreement = (context: TurnContext, periodEnd?: string) => {
    const t = textsOf(context);
    return messageCard(
      deps.devMode ? `${t.report.noAgreement(periodEnd)} ${t.report.tryDemo}` : t.report.noAgreement(periodEnd),
    );
  };

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.addReportRow, async (context, _state, data) => {
    const t = textsOf(context);
    const form = await deps.reports.form(await actorOf(context, deps));
    if ('kind' in form) return noAgreement(context, form.periodEnd);
    return weekReportCard(t, form, {
      submissionId: textOf(data.submissionId) || randomUUID(),
      rows: Math.min(MAX_REPORT_ROWS, rowCountOf(data) + 1),
      values: data,
    });
  });

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.nothingToReport, async (context, _state, data) => {
    const t = textsOf(context);
    const actor = await actorOf(context, deps);
    const result = await deps.reports.nothingToReport(actor, data ?? {}, context.activity.id);
    switch (result.kind) {
      case 'saved':
        return nothingReceiptCard(
          t,
          result.report,
          result.duplicate,
          deps.reports.mayEdit(actor, result.report, await deps.reports.scopeIds(actor)),
        );
      case 'invalid':
        return weekReportCard(t, result.form, {
          submissionId: textOf(data?.submissionId) || randomUUID(),
          rows:
            data && Object.keys(data).some((k) => k.startsWith('activityId')) ? rowCountOf(data) : DEFAULT_REPORT_ROWS,
          values: { ...freshValues(result.form, textOf(data?.week)), ...(data ?? {}) },
          cardErrors: result.errors,
        });
      case 'noAgreement':
        return noAgreement(context, result.periodEnd);
    }
  });

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.sameAsLastWeek, async (context, _state, data) => {
    const t = textsOf(context);
    const actor = await actorOf(context, deps);
    const form = await deps.reports.form(actor);
    if ('kind' in form) return noAgreement(context, form.periodEnd);
    // The card's week and party when it came from a card; a reminder's week otherwise.
    const base = { ...freshValues(form, textOf(data?.week)), ...pick(data ?? {}, ['week', 'date', 'party']) };
    const week = textOf(base.week);
    const rows = await deps.reports.rowsOfWeekBefore(actor, week);
    const lastWeekNumber = parseIsoWeek(addWeeks(week, -1))?.week ?? 0;
    const values: ReportValues = { ...base, ...rowsToValues(rows) };
    return weekReportCard(t, form, {
      submissionId: textOf(data?.submissionId) || randomUUID(),
      rows: Math.max(DEFAULT_REPORT_ROWS, Math.min(MAX_REPORT_ROWS, rows.length)),
      values,
      notice: { text: rows.length > 0 ? t.week.sameFilled(lastWeekNumber) : t.week.sameNone(lastWeekNumber) },
    });
  });

  app.adaptiveCards.actionExecute<ReportValues>(Verbs.snoozeReminder, async (context, _state, data) => {
    const t = textsOf(context);
    const option = data?.snooze;
    if (!isSnoozeOption(option)) return messageCard(t.errors.unknownAction);
    const result = await deps.reporters.snooze(
      await actorOf(context, deps),
      option,
      textOf(data.week) || undefined,
      context.activity.id,
    );
    switch (result.kind) {
      case 'snoozed': {
        const tomorrow = result.date === addLocalDays(result.today, 1);
        const text = t.week.snoozed(result.date, result.time, result.date === result.today, tomorrow);
        return messageCard(result.late ? `${t.week.snoozedLate} ${text}` : text);
      }
      case 'alreadyReported':
        return messageCard(t.week.snoozeAlreadyReported(parseIsoWeek(result.week)?.week ?? 0));
      case 'notRegistered':
        return messageCard(t.week.snoozeNotRegistered);
    }
  });

  app.adaptiveCards.actionExecute(Verbs.myReports, async (context) => {
    const mine = await deps.reports.mine(await actorOf(context, deps));
    return myReportsCard(textsOf(context), await deps.agreements.list(), mine.reports, mine.editable);
  });
}

function pick(data: ReportValues, keys: string[]): ReportValues {
  const out: ReportValues = {};
  for (const k of keys) if (textOf(data[k]) !== '') out[k] = data[k];
  return out;
}

/** Last week's rows as card values: row i under rowInputId(field, i). */
function rowsToValues(rows: RowValues[]): ReportValues {
  const out: ReportValues = {};
  rows.slice(0, MAX_REPORT_ROWS).forEach((row, i) => {
    for (const f of ROW_FIELDS) if (row[f] !== undefined) out[rowInputId(f, i)] = row[f];
  });
  return out;
}
