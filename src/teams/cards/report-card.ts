import { addLocalDays, mondayOfWeek, parseIsoWeek } from '../../domain/calendar.js';
import type { Activity, Agreement } from '../../domain/agreement.js';
import { REPORTING_PARTIES } from '../../domain/party.js';
import {
  isNothingToReport,
  MAX_REPORT_ROWS,
  reportableActivities,
  rowInputId,
  subcountInputId,
  type ReportError,
  type WeeklyReport,
} from '../../domain/report.js';
import type { ReportForm } from '../../app/reports.js';
import { formatLocalDate, formatShortDate, type UnitForms } from '../../texts/format.js';
import type { Texts } from '../../texts/index.js';
import { Verbs } from '../verbs.js';
import { card, execute, heading, plainText, textBlock, type AdaptiveCardJson, type CardElement } from './card.js';

export type ReportValues = Record<string, unknown>;

const s = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const n = (v: unknown): number | undefined => {
  const str = s(v);
  return str !== undefined && /^\d+$/.test(str.trim()) ? Number(str.trim()) : undefined;
};

function valuesOf(report: Readonly<WeeklyReport>): ReportValues {
  return {
    week: report.week,
    activityId: report.activityId,
    count: String(report.count),
    date: report.date,
    area: report.area,
    description: report.description,
    ageUnder18: report.ageBands ? String(report.ageBands.under18) : '',
    age18to21: report.ageBands ? String(report.ageBands.from18to21) : '',
    ageOver21: report.ageBands ? String(report.ageBands.over21) : '',
    raiseAtNextMeeting: report.raiseAtNextMeeting ? 'true' : 'false',
    party: report.party,
    ...Object.fromEntries(Object.entries(report.subcounts ?? {}).map(([id, n]) => [subcountInputId(id), String(n)])),
  };
}

/** The three age-band inputs of a card row (ids as `id` names them for the row). */
function ageBandInputs(t: Texts, values: ReportValues, id: (field: string) => string): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'None',
    columns: (
      [
        ['ageUnder18', t.report.under18],
        ['age18to21', t.report.from18to21],
        ['ageOver21', t.report.over21],
      ] as const
    ).map(([field, label]) => {
      const value = n(values[id(field)]);
      return {
        type: 'Column',
        width: 'stretch',
        items: [{ type: 'Input.Number', id: id(field), label, min: 0, ...(value !== undefined ? { value } : {}) }],
      };
    }),
  };
}

/**
 * The sub-count inputs of a card row (issue #15): for each activity with sub-categories, "Varav"
 * and one number per sub-category ("hastighet", "nykterhet", "mobil"). Ids `sub.<id>` (+ the row's
 * suffix); only the chosen activity's may be filled (the server says so otherwise).
 */
function subcountInputs(
  t: Texts,
  agreement: { activities: readonly Activity[] },
  values: ReportValues,
  id: (field: string) => string,
): CardElement[] {
  return agreement.activities
    .filter((a) => (a.subcategories ?? []).length > 0)
    .flatMap((a) => [
      textBlock(t.week.subcountsOf(a.wording), { size: 'Small', isSubtle: true }),
      {
        type: 'ColumnSet',
        spacing: 'None',
        columns: (a.subcategories ?? []).map((sc) => {
          const inputId = id(subcountInputId(sc.id));
          const value = n(values[inputId]);
          return {
            type: 'Column',
            width: 'stretch',
            items: [
              { type: 'Input.Number', id: inputId, label: sc.name, min: 0, ...(value !== undefined ? { value } : {}) },
            ],
          };
        }),
      },
    ]);
}

/** The week and activity choices of a report card (the single report's and the week card's). */
function choicesOf(t: Texts, form: ReportForm) {
  const weekChoices = form.weeks.map((week) => {
    const p = parseIsoWeek(week)!;
    const monday = mondayOfWeek(week);
    return {
      title: t.report.weekChoice(
        p.week,
        p.year,
        formatShortDate(monday, t.locale),
        formatShortDate(addLocalDays(monday, 6), t.locale),
      ),
      value: week,
    };
  });
  const activityChoices = reportableActivities(form.agreement).map((a) => ({
    title: a.activity
      ? t.report.activityChoice(a.pledgeNumber, a.activity.wording, a.activity.unit)
      : t.report.otherChoice(a.pledgeNumber),
    value: a.id,
  }));
  return { weekChoices, activityChoices };
}

function errorText(t: Texts, e: ReportError, maxLength: number): string {
  if (e.code === 'personalData') return t.report.personalData(e.kinds.map((k) => t.report.kindNames[k] ?? k));
  if (e.field === 'description' && e.code === 'tooLong') return t.report.errors.description.tooLong(maxLength);
  const byField = t.report.errors[e.field] as Record<string, unknown>;
  const msg = byField?.[e.code];
  return typeof msg === 'string' ? msg : t.report.errorSummary;
}

/**
 * The weekly report card. On a refused submit it comes back with every value the user typed and
 * the errors next to their fields.
 */
export function reportCard(
  t: Texts,
  form: ReportForm,
  opts: { submissionId: string; values?: ReportValues; errors?: ReportError[] },
): AdaptiveCardJson {
  const editing = form.existing;
  const v: ReportValues =
    opts.values ??
    (editing
      ? valuesOf(editing)
      : { week: form.weeks[0], date: form.today, party: form.defaultParty ?? '', raiseAtNextMeeting: 'false' });
  const errors = opts.errors ?? [];
  const errorsFor = (field: string): CardElement[] =>
    errors
      .filter((e) => e.field === field)
      .map((e) =>
        textBlock(errorText(t, e, form.rules.maxDescriptionLength), {
          color: 'Attention',
          spacing: 'None',
          size: 'Small',
        }),
      );

  const { weekChoices, activityChoices } = choicesOf(t, form);
  const oldest = form.weeks[form.weeks.length - 1]!;

  const body: CardElement[] = [
    heading(editing ? t.report.editTitle : t.report.title),
    textBlock(t.report.intro(form.agreement.municipality), { spacing: 'Small' }),
  ];
  if (errors.length > 0)
    body.push({
      type: 'Container',
      style: 'attention',
      items: [textBlock(t.report.errorSummary, { weight: 'Bolder' })],
    });
  body.push(
    {
      type: 'Input.ChoiceSet',
      id: 'week',
      label: t.report.week,
      isRequired: true,
      errorMessage: t.report.errors.week.required,
      choices: weekChoices,
      value: s(v.week) ?? form.weeks[0],
      style: 'compact',
    },
    ...errorsFor('week'),
    {
      type: 'Input.ChoiceSet',
      id: 'activityId',
      label: t.report.activity,
      isRequired: true,
      errorMessage: t.report.errors.activityId.required,
      choices: activityChoices,
      ...(s(v.activityId) ? { value: s(v.activityId) } : {}),
      style: 'compact',
      placeholder: t.report.activity,
    },
    ...errorsFor('activityId'),
    {
      type: 'ColumnSet',
      columns: [
        {
          type: 'Column',
          width: 'stretch',
          items: [
            {
              type: 'Input.Number',
              id: 'count',
              label: t.report.count,
              isRequired: true,
              min: 0,
              max: form.rules.maxCount,
              errorMessage: t.report.errors.count.notWholeNumber,
              placeholder: t.report.countPlaceholder,
              ...(n(v.count) !== undefined ? { value: n(v.count) } : {}),
            },
            ...errorsFor('count'),
          ],
        },
        {
          type: 'Column',
          width: 'stretch',
          items: [
            {
              type: 'Input.Date',
              id: 'date',
              label: t.report.date,
              isRequired: true,
              errorMessage: t.report.errors.date.required,
              min: mondayOfWeek(oldest),
              max: form.today,
              ...(s(v.date) ? { value: s(v.date) } : {}),
            },
            ...errorsFor('date'),
          ],
        },
      ],
    },
    {
      type: 'Input.ChoiceSet',
      id: 'area',
      label: t.report.area,
      isRequired: true,
      errorMessage: t.report.errors.area.required,
      choices: form.rules.areas.map((a) => ({ title: a, value: a })),
      ...(s(v.area) ? { value: s(v.area) } : {}),
      style: 'compact',
      placeholder: t.report.area,
    },
    ...errorsFor('area'),
    {
      type: 'Input.Text',
      id: 'description',
      label: t.report.description,
      isMultiline: true,
      maxLength: form.rules.maxDescriptionLength,
      placeholder: t.report.descriptionPlaceholder,
      ...(s(v.description) ? { value: s(v.description) } : {}),
    },
    ...errorsFor('description'),
    textBlock(t.report.ageBands, { size: 'Small', weight: 'Bolder' }),
    textBlock(t.report.youthActivities(form.agreement.activities.filter((a) => a.youthFocus).map((a) => a.wording)), {
      size: 'Small',
      isSubtle: true,
      spacing: 'None',
    }),
    ageBandInputs(t, v, (f) => f),
    ...errorsFor('ageBands'),
    ...subcountInputs(t, form.agreement, v, (f) => f),
    ...errorsFor('subcounts'),
    {
      type: 'Input.ChoiceSet',
      id: 'party',
      label: t.report.party,
      isRequired: true,
      errorMessage: t.report.errors.party.required,
      choices: REPORTING_PARTIES.map((party) => ({ title: party, value: party })),
      style: 'expanded',
      ...(s(v.party) ? { value: s(v.party) } : {}),
    },
    ...errorsFor('party'),
    {
      type: 'Input.Toggle',
      id: 'raiseAtNextMeeting',
      title: t.report.raise,
      valueOn: 'true',
      valueOff: 'false',
      value: s(v.raiseAtNextMeeting) === 'true' ? 'true' : 'false',
    },
    textBlock(t.privacyNote, { isSubtle: true, size: 'Small', weight: 'Bolder' }),
  );
  const data: Record<string, unknown> = { submissionId: opts.submissionId };
  if (editing) data.reportId = editing.id;
  const actions: CardElement[] = [
    {
      ...execute(editing ? t.report.save : t.report.submit, editing ? Verbs.saveReport : Verbs.submitReport, data),
      style: 'positive',
    },
  ];
  // Whoever may edit a report may also withdraw it (a soft delete that keeps the history).
  if (editing)
    actions.push({
      ...execute(t.report.withdrawButton, Verbs.withdrawReport, { reportId: editing.id }),
      style: 'destructive',
    });
  return card(body, actions);
}

/**
 * What `rapportera` posts in a channel or group chat: no form, only a button. Each press is its
 * own Action.Execute invoke, answered with a form (a fresh submission id) for the presser only.
 */
export function reportLauncherCard(t: Texts): AdaptiveCardJson {
  return card(
    [
      heading(t.report.title),
      textBlock(t.report.launcherText),
      textBlock(t.privacyNote, { isSubtle: true, size: 'Small' }),
    ],
    [{ ...execute(t.help.reportButton, Verbs.openReport), style: 'positive' }],
  );
}

function activityName(
  t: Texts,
  agreement: Agreement,
  report: Readonly<WeeklyReport>,
): { name: string; unit?: UnitForms } {
  const act = agreement.activities.find((a) => a.id === report.activityId);
  // The receipt puts "Löfte N · " in front: Övrigt is named without its pledge here.
  return act ? { name: act.wording, unit: act } : { name: t.report.otherActivity };
}

/** "1 kontroll", "12 kontroller"; the bare number for Övrigt, which has no unit. */
const quantityOf = (t: Texts, count: number, unit: UnitForms | undefined): string =>
  unit ? t.quantity(count, unit) : t.number(count);

/** Replaces the report card after a successful submit: a summary and what to do next. */
export function receiptCard(
  t: Texts,
  agreement: Agreement,
  report: Readonly<WeeklyReport>,
  note: 'saved' | 'updated' | 'duplicate' | 'withdrawn',
  canEdit: boolean,
): AdaptiveCardJson {
  const { name, unit } = activityName(t, agreement, report);
  const p = parseIsoWeek(report.week)!;
  const title = note === 'updated' ? t.report.updated : note === 'withdrawn' ? t.report.withdrawn : t.report.saved;
  const facts = [
    { title: t.report.week, value: `${p.week} ${p.year}` },
    { title: t.report.activity, value: `${t.status.pledge(report.pledgeNumber)} · ${name}` },
    { title: t.report.count, value: quantityOf(t, report.count, unit) },
    { title: t.report.date, value: formatLocalDate(report.date, t.locale) },
    { title: t.report.area, value: report.area },
    { title: t.report.party, value: report.party },
    { title: t.report.raised, value: report.raiseAtNextMeeting ? t.report.yes : t.report.no },
  ];
  if (report.ageBands)
    facts.push({
      title: t.report.ageBands.split(' (')[0]!,
      value: `${t.report.under18}: ${t.number(report.ageBands.under18)} · ${t.report.from18to21}: ${t.number(report.ageBands.from18to21)} · ${t.report.over21}: ${t.number(report.ageBands.over21)}`,
    });
  const body: CardElement[] = [heading(`✅ ${title}`)];
  if (note === 'duplicate') body.push(textBlock(t.report.alreadySaved, { isSubtle: true }));
  body.push({ type: 'FactSet', facts });
  if (report.description) body.push(plainText(report.description));
  const actions: CardElement[] = [];
  if (canEdit && note !== 'withdrawn')
    actions.push(execute(t.report.editButton, Verbs.editReport, { reportId: report.id }));
  actions.push(execute(t.report.newButton, Verbs.openReport));
  return card(body, actions);
}

export function myReportsCard(
  t: Texts,
  agreements: Agreement[],
  reports: Readonly<WeeklyReport>[],
  editable: Set<string>,
  all = false,
): AdaptiveCardJson {
  const title = all ? t.report.allTitle : t.report.mine;
  if (reports.length === 0)
    return card(
      [heading(title), textBlock(all ? t.report.allEmpty : t.report.mineEmpty)],
      [execute(t.report.newButton, Verbs.openReport)],
    );
  const body: CardElement[] = [heading(title)];
  for (const r of reports.slice(0, 25)) {
    if (isNothingToReport(r)) {
      // "Inget att rapportera": the week and the party, nothing counted.
      const items: CardElement[] = [
        textBlock(t.week.nothingLine, { weight: 'Bolder' }),
        textBlock(`v. ${parseIsoWeek(r.week)!.week}${all ? ` · ${r.party}` : ''}`, { spacing: 'None', isSubtle: true }),
      ];
      if (editable.has(r.id))
        items.push({
          type: 'ActionSet',
          actions: [execute(t.report.withdrawButton, Verbs.withdrawReport, { reportId: r.id })],
        });
      body.push({ type: 'Container', separator: true, items });
      continue;
    }
    const act = agreements.find((a) => a.id === r.agreementId)?.activities.find((a) => a.id === r.activityId);
    const items: CardElement[] = [
      textBlock(`${t.status.pledge(r.pledgeNumber)} · ${act?.wording ?? t.report.otherActivity}`, { weight: 'Bolder' }),
      textBlock(
        `${t.report.mineLine(parseIsoWeek(r.week)!.week, quantityOf(t, r.count, act), r.area)}${all ? ` · ${r.party}` : ''}`,
        { spacing: 'None', isSubtle: true },
      ),
    ];
    if (editable.has(r.id))
      items.push({ type: 'ActionSet', actions: [execute(t.report.editButton, Verbs.editReport, { reportId: r.id })] });
    body.push({ type: 'Container', separator: true, items });
  }
  return card(body, [execute(t.report.newButton, Verbs.openReport)]);
}

// ---------------------------------------------------------------------------
// A whole week on one card (issue #16)
// ---------------------------------------------------------------------------

export interface WeekCardOptions {
  submissionId: string;
  /** Rows shown (Adaptive Cards cannot add inputs client-side: "Lägg till rad" sends the card back with one more). */
  rows: number;
  /** Everything typed so far, by input id (row 0 under the single-report ids, row i with `_i`). */
  values?: ReportValues;
  cardErrors?: ReportError[];
  rowErrors?: ReadonlyMap<number, ReportError[]>;
  /** A line above the form: why it came back, or where its rows came from. */
  notice?: { text: string; attention?: boolean };
}

const attention = (text: string): CardElement =>
  textBlock(text, { color: 'Attention', spacing: 'None', size: 'Small' });

/**
 * The week card: the week, the date and the party once, then one row per activity (activity,
 * count, area, a short note; age bands and "ta upp på nästa möte" behind a toggle). Refused, it
 * comes back with every value typed and each error next to its row. No input is `isRequired`:
 * "Lägg till rad", "Inget att rapportera" and "Samma som förra veckan" must work on a half-filled
 * card, and the server validates every row anyway.
 */
export function weekReportCard(t: Texts, form: ReportForm, opts: WeekCardOptions): AdaptiveCardJson {
  const rows = Math.min(MAX_REPORT_ROWS, Math.max(1, opts.rows));
  const v: ReportValues = opts.values ?? {
    week: form.weeks[0],
    date: form.today,
    party: form.defaultParty ?? '',
  };
  const cardErrors = opts.cardErrors ?? [];
  const rowErrors = opts.rowErrors ?? new Map<number, ReportError[]>();
  const errorsOf = (list: readonly ReportError[], field: string): CardElement[] =>
    list.filter((e) => e.field === field).map((e) => attention(errorText(t, e, form.rules.maxDescriptionLength)));

  const { weekChoices, activityChoices } = choicesOf(t, form);
  const oldest = form.weeks[form.weeks.length - 1]!;

  const body: CardElement[] = [
    heading(t.report.title),
    textBlock(t.week.intro(form.agreement.municipality), { spacing: 'Small' }),
  ];
  if (opts.notice)
    body.push({
      type: 'Container',
      style: opts.notice.attention ? 'attention' : 'emphasis',
      items: [textBlock(opts.notice.text, { weight: opts.notice.attention ? 'Bolder' : 'Default' })],
    });
  if (cardErrors.length > 0 || rowErrors.size > 0) {
    const items: CardElement[] = [textBlock(t.report.errorSummary, { weight: 'Bolder' })];
    if (rowErrors.size > 0) items.push(textBlock(t.week.rowErrors([...rowErrors.keys()].map((r) => r + 1))));
    if (cardErrors.some((e) => e.code === 'personalData')) items.push(textBlock(t.week.cardPersonalData));
    body.push({ type: 'Container', style: 'attention', items });
  }
  body.push({
    type: 'ColumnSet',
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        items: [
          {
            type: 'Input.ChoiceSet',
            id: 'week',
            label: t.report.week,
            choices: weekChoices,
            value: s(v.week) ?? form.weeks[0],
            style: 'compact',
          },
          ...errorsOf(cardErrors, 'week'),
        ],
      },
      {
        type: 'Column',
        width: 'stretch',
        items: [
          {
            type: 'Input.Date',
            id: 'date',
            label: t.report.date,
            min: mondayOfWeek(oldest),
            max: form.today,
            ...(s(v.date) ? { value: s(v.date) } : {}),
          },
          ...errorsOf(cardErrors, 'date'),
        ],
      },
    ],
  });
  body.push(
    {
      type: 'Input.ChoiceSet',
      id: 'party',
      label: t.report.party,
      choices: REPORTING_PARTIES.map((party) => ({ title: party, value: party })),
      style: 'expanded',
      ...(s(v.party) ? { value: s(v.party) } : {}),
    },
    ...errorsOf(cardErrors, 'party'),
  );

  const subcategoryIds = form.agreement.activities.flatMap((a) => (a.subcategories ?? []).map((sc) => sc.id));
  for (let row = 0; row < rows; row++) {
    const id = (field: string) => rowInputId(field, row);
    const errors = rowErrors.get(row) ?? [];
    const moreId = `more_${row}`;
    const hasMore =
      ['ageUnder18', 'age18to21', 'ageOver21'].some((f) => n(v[id(f)]) !== undefined) ||
      s(v[id('raiseAtNextMeeting')]) === 'true' ||
      subcategoryIds.some((sc) => n(v[id(subcountInputId(sc))]) !== undefined) ||
      errors.some((e) => e.field === 'ageBands' || e.field === 'subcounts');
    body.push({
      type: 'Container',
      separator: true,
      spacing: 'Medium',
      ...(errors.length > 0 ? { style: 'attention' } : {}),
      items: [
        textBlock(t.week.row(row + 1), { weight: 'Bolder', size: 'Small' }),
        {
          type: 'Input.ChoiceSet',
          id: id('activityId'),
          label: t.report.activity,
          choices: activityChoices,
          ...(s(v[id('activityId')]) ? { value: s(v[id('activityId')]) } : {}),
          style: 'compact',
          placeholder: t.report.activity,
        },
        ...errorsOf(errors, 'activityId'),
        {
          type: 'ColumnSet',
          spacing: 'Small',
          columns: [
            {
              type: 'Column',
              width: 'stretch',
              items: [
                {
                  type: 'Input.Number',
                  id: id('count'),
                  label: t.report.count,
                  min: 0,
                  max: form.rules.maxCount,
                  placeholder: t.report.countPlaceholder,
                  ...(n(v[id('count')]) !== undefined ? { value: n(v[id('count')]) } : {}),
                },
                ...errorsOf(errors, 'count'),
              ],
            },
            {
              type: 'Column',
              width: 'stretch',
              items: [
                {
                  type: 'Input.ChoiceSet',
                  id: id('area'),
                  label: t.report.area,
                  choices: form.rules.areas.map((a) => ({ title: a, value: a })),
                  ...(s(v[id('area')]) ? { value: s(v[id('area')]) } : {}),
                  style: 'compact',
                  placeholder: t.report.area,
                },
                ...errorsOf(errors, 'area'),
              ],
            },
          ],
        },
        {
          type: 'Input.Text',
          id: id('description'),
          label: t.week.note,
          maxLength: form.rules.maxDescriptionLength,
          placeholder: t.week.notePlaceholder,
          ...(s(v[id('description')]) ? { value: s(v[id('description')]) } : {}),
        },
        ...errorsOf(errors, 'description'),
        {
          type: 'ActionSet',
          spacing: 'None',
          actions: [
            {
              type: 'Action.ToggleVisibility',
              title: subcategoryIds.length > 0 ? t.week.moreWithSubcounts : t.week.more,
              targetElements: [moreId],
            },
          ],
        },
        {
          type: 'Container',
          id: moreId,
          isVisible: hasMore,
          spacing: 'None',
          items: [
            textBlock(t.report.ageBands, { size: 'Small', isSubtle: true }),
            ageBandInputs(t, v, id),
            ...errorsOf(errors, 'ageBands'),
            ...subcountInputs(t, form.agreement, v, id),
            ...errorsOf(errors, 'subcounts'),
            {
              type: 'Input.Toggle',
              id: id('raiseAtNextMeeting'),
              title: t.report.raise,
              valueOn: 'true',
              valueOff: 'false',
              value: s(v[id('raiseAtNextMeeting')]) === 'true' ? 'true' : 'false',
            },
          ],
        },
      ],
    });
  }
  if (rows >= MAX_REPORT_ROWS) body.push(textBlock(t.week.maxRows(MAX_REPORT_ROWS), { isSubtle: true, size: 'Small' }));
  body.push(textBlock(t.privacyNote, { isSubtle: true, size: 'Small', weight: 'Bolder' }));

  const data = { submissionId: opts.submissionId, rows };
  const actions: CardElement[] = [{ ...execute(t.report.submit, Verbs.submitReport, data), style: 'positive' }];
  if (rows < MAX_REPORT_ROWS) actions.push(execute(t.week.addRow, Verbs.addReportRow, data));
  actions.push(
    execute(t.week.nothingButton, Verbs.nothingToReport, { submissionId: opts.submissionId }),
    execute(t.week.sameButton, Verbs.sameAsLastWeek, { submissionId: opts.submissionId, rows }),
  );
  return card(body, actions);
}

/** "Ny rapport" on a receipt: the receipt stays (the invoke answers with it again) and a new card is posted. */
const newReportAction = (t: Texts, reportIds: string[]): CardElement =>
  execute(t.report.newButton, Verbs.openReport, { receipt: reportIds });

/**
 * The receipt of a week card. One row: today's receipt (Redigera on it). Several: the week, the
 * party and one compact line per row; each row is edited from Mina rapporter.
 */
export function weekReceiptCard(
  t: Texts,
  agreement: Agreement,
  reports: readonly Readonly<WeeklyReport>[],
  duplicate: boolean,
  canEdit: boolean,
): AdaptiveCardJson {
  if (reports.length === 1) {
    const single = receiptCard(t, agreement, reports[0]!, duplicate ? 'duplicate' : 'saved', canEdit);
    single.actions = (single.actions ?? []).map((a) =>
      a.verb === Verbs.openReport ? newReportAction(t, [reports[0]!.id]) : a,
    );
    return single;
  }
  const first = reports[0]!;
  const p = parseIsoWeek(first.week)!;
  const body: CardElement[] = [heading(`✅ ${t.week.savedRows(reports.length)}`)];
  if (duplicate) body.push(textBlock(t.report.alreadySaved, { isSubtle: true }));
  body.push({
    type: 'FactSet',
    facts: [
      { title: t.report.week, value: `${p.week} ${p.year}` },
      { title: t.report.date, value: formatLocalDate(first.date, t.locale) },
      { title: t.report.party, value: first.party },
    ],
  });
  for (const r of reports) {
    const { name, unit } = activityName(t, agreement, r);
    const line = t.week.receiptRow(
      `${t.status.pledge(r.pledgeNumber)} · ${name}`,
      quantityOf(t, r.count, unit),
      r.area,
    );
    const items: CardElement[] = [
      textBlock(r.raiseAtNextMeeting ? `${line} · ${t.week.raisedMark}` : line, { spacing: 'None' }),
    ];
    if (r.ageBands)
      items.push(
        textBlock(
          `${t.report.under18}: ${t.number(r.ageBands.under18)} · ${t.report.from18to21}: ${t.number(r.ageBands.from18to21)} · ${t.report.over21}: ${t.number(r.ageBands.over21)}`,
          { isSubtle: true, size: 'Small', spacing: 'None' },
        ),
      );
    if (r.description) items.push({ ...plainText(r.description, { isSubtle: true }), spacing: 'None' });
    body.push({ type: 'Container', separator: true, spacing: 'Small', items });
  }
  return card(body, [
    execute(t.week.myReportsButton, Verbs.myReports),
    newReportAction(
      t,
      reports.map((r) => r.id),
    ),
  ]);
}

/** The receipt of "inget att rapportera": the week, and a way to take it back. */
export function nothingReceiptCard(
  t: Texts,
  report: Readonly<WeeklyReport>,
  duplicate: boolean,
  canWithdraw: boolean,
): AdaptiveCardJson {
  const p = parseIsoWeek(report.week)!;
  const body: CardElement[] = [heading(`✅ ${t.week.nothingLine}`), textBlock(t.week.nothingSaved(p.week, p.year))];
  if (duplicate) body.push(textBlock(t.week.nothingAlready, { isSubtle: true }));
  body.push({ type: 'FactSet', facts: [{ title: t.report.party, value: report.party }] });
  const actions: CardElement[] = [];
  if (canWithdraw) actions.push(execute(t.report.withdrawButton, Verbs.withdrawReport, { reportId: report.id }));
  actions.push(newReportAction(t, [report.id]));
  return card(body, actions);
}
