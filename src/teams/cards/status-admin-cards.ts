import type { ActivitiesResult, ClearResult, OverrideResult, ReportingRateResult } from '../../app/coordination.js';
import type { StatusView } from '../../app/status.js';
import { activitiesOfPledge, type Agreement } from '../../domain/agreement.js';
import { addLocalDays, localDateOf, localTimeOf, mondayOfWeek, parseIsoWeek } from '../../domain/calendar.js';
import {
  MAX_REASON_LENGTH,
  OVERRIDE_LEVELS,
  subjectKey,
  type StatusSubject,
} from '../../domain/coordinator-commands.js';
import { REPORTING_PARTIES } from '../../domain/party.js';
import type { StatusLevel, StatusOverride } from '../../domain/status.js';
import { escapeMarkdown } from '../../texts/format.js';
import type { Texts } from '../../texts/index.js';
import { Verbs } from '../verbs.js';
import { card, execute, heading, textBlock, type AdaptiveCardJson, type CardElement } from './card.js';

type Invalid<R, K extends string = 'invalid'> = Extract<R, { kind: K }>;

/** A line of TextRuns: names and reasons are user text and must never render as markdown. */
function runs(
  parts: (string | { text: string; weight?: 'Bolder' })[],
  extra: Record<string, unknown> = {},
): CardElement {
  return {
    type: 'RichTextBlock',
    ...extra,
    inlines: parts.map((p) => (typeof p === 'string' ? { type: 'TextRun', text: p } : { type: 'TextRun', ...p })),
  };
}

function whenOf(t: Texts, at: string): string {
  const instant = new Date(at);
  return Number.isNaN(instant.getTime()) ? at : t.statusAdmin.when(localDateOf(instant), localTimeOf(instant));
}

function subjectName(t: Texts, agreement: Agreement, s: StatusSubject): string {
  if (s.kind === 'pledge') return t.statusAdmin.pledge(s.pledgeNumber);
  return agreement.activities.find((a) => a.id === s.activityId)?.wording ?? s.activityId;
}

function subjectCommandWord(t: Texts, s: StatusSubject): string {
  return s.kind === 'pledge' ? t.statusAdmin.pledgeCommandWord(s.pledgeNumber) : s.activityId;
}

/**
 * Who set a status, when and why, next to the computed status: shown on the status card under a
 * pledge or an activity whose level a coordinator has set by hand.
 */
export function overrideNote(t: Texts, view: StatusView, override: StatusOverride, computed: StatusLevel): CardElement {
  const who = view.overrideAuthors?.[override.by] ?? t.statusAdmin.aCoordinator;
  return {
    type: 'Container',
    style: 'emphasis',
    spacing: 'Small',
    items: [
      runs(
        [
          t.statusAdmin.overrideBy(t.levels[override.level]!, who, whenOf(t, override.at)),
          ' ',
          t.statusAdmin.computed(t.levels[computed]!),
        ],
        { spacing: 'None' },
      ),
      runs([{ text: t.statusAdmin.reasonLabel, weight: 'Bolder' }, override.reason], { spacing: 'None' }),
    ],
  };
}

export function forbiddenCard(t: Texts): AdaptiveCardJson {
  return card([textBlock(t.statusAdmin.forbidden)]);
}

// ---------------------------------------------------------------------------
// Overrides
// ---------------------------------------------------------------------------

function examples(t: Texts, list: readonly string[]): CardElement[] {
  return [
    textBlock(t.statusAdmin.examplesLabel, { spacing: 'Small' }),
    ...list.map((e) => runs([`• ${e}`], { spacing: 'None' })),
  ];
}

function subjectChoices(t: Texts, agreement: Agreement): { title: string; value: string }[] {
  const out: { title: string; value: string }[] = [];
  for (const p of [...agreement.pledges].sort((a, b) => a.number - b.number)) {
    out.push({ title: t.statusAdmin.choosePledge(p.number, p.wording), value: `p:${p.number}` });
    for (const a of activitiesOfPledge(agreement, p.number))
      out.push({ title: t.statusAdmin.chooseActivity(p.number, a.wording), value: `a:${a.id}` });
  }
  return out;
}

/** The form for a status by hand: the right way to write it, what was typed, and the same as inputs. */
export function overrideFormCard(t: Texts, result: Invalid<OverrideResult>): AdaptiveCardJson {
  const { agreement, draft, problems, personalData, typed } = result;
  const body: CardElement[] = [heading(t.statusAdmin.overrideTitle)];
  const shown =
    typed.trim() !== '' || draft.reason.trim() !== '' || draft.subject !== undefined || draft.level !== undefined;
  if (shown && problems.length > 0) {
    const lines = problems.map((p) =>
      p === 'personalData'
        ? t.statusAdmin.personalData(personalData.map((k) => t.report.kindNames[k] ?? k))
        : p === 'reasonTooLong'
          ? t.statusAdmin.overrideProblems.reasonTooLong(MAX_REASON_LENGTH)
          : t.statusAdmin.overrideProblems[p],
    );
    body.push({
      type: 'Container',
      style: 'attention',
      items: [
        textBlock(t.statusAdmin.notSaved, { weight: 'Bolder' }),
        ...lines.map((l) => textBlock(l, { spacing: 'None' })),
      ],
    });
  }
  if (typed.trim() !== '' && !problems.includes('personalData'))
    body.push(runs([{ text: t.statusAdmin.youWrote, weight: 'Bolder' }, typed]));
  body.push(runs([t.statusAdmin.overrideFormat]), ...examples(t, t.statusAdmin.overrideExamples));
  const pledges = [...agreement.pledges]
    .map((p) => p.number)
    .sort((a, b) => a - b)
    .join(', ');
  body.push(
    runs([t.statusAdmin.subjectsLabel(pledges, agreement.activities.map((a) => a.id).join(', '))], {
      spacing: 'Small',
    }),
  );
  body.push(
    textBlock(t.statusAdmin.orUseForm, { weight: 'Bolder', separator: true, spacing: 'Medium' }),
    {
      type: 'Input.ChoiceSet',
      id: 'subject',
      label: t.statusAdmin.fieldSubject,
      isRequired: true,
      errorMessage: t.statusAdmin.overrideProblems.subject,
      style: 'compact',
      choices: subjectChoices(t, agreement),
      ...(draft.subject ? { value: subjectKey(draft.subject) } : {}),
    },
    {
      type: 'Input.ChoiceSet',
      id: 'level',
      label: t.statusAdmin.fieldLevel,
      isRequired: true,
      errorMessage: t.statusAdmin.overrideProblems.level,
      style: 'expanded',
      choices: OVERRIDE_LEVELS.map((l) => ({ title: t.levels[l]!, value: l })),
      ...(draft.level ? { value: draft.level } : {}),
    },
    {
      type: 'Input.Text',
      id: 'reason',
      label: t.statusAdmin.fieldReason,
      isRequired: true,
      isMultiline: true,
      maxLength: MAX_REASON_LENGTH,
      errorMessage: t.statusAdmin.overrideProblems.reason,
      placeholder: t.statusAdmin.reasonPlaceholder,
      // A reason with personal data is not shown back, just as a refused report text is not echoed.
      ...(draft.reason.trim() !== '' && !problems.includes('personalData')
        ? { value: draft.reason.slice(0, MAX_REASON_LENGTH) }
        : {}),
    },
  );
  return card(body, [execute(t.statusAdmin.save, Verbs.saveOverride)]);
}

export function overrideSavedCard(t: Texts, result: Invalid<OverrideResult, 'saved'>): AdaptiveCardJson {
  const { override, subject, view } = result;
  const name = subjectName(t, view.agreement, subject);
  const computed =
    subject.kind === 'pledge'
      ? view.status.pledges.find((p) => p.pledgeNumber === subject.pledgeNumber)?.computedLevel
      : view.status.activities.find((a) => a.activityId === subject.activityId)?.computedLevel;
  const activity =
    subject.kind === 'activity' ? view.status.activities.find((a) => a.activityId === subject.activityId) : undefined;
  const body: CardElement[] = [
    runs([{ text: t.statusAdmin.overrideSaved(name, t.levels[override.level]!), weight: 'Bolder' }]),
    overrideNote(t, view, override, computed ?? 'noTarget'),
  ];
  if (activity?.window && activity.target !== undefined) {
    body.push({
      type: 'FactSet',
      facts: [
        {
          title: t.figures.thisYear(view.status.year),
          value: t.figures.ofTarget(activity.windowCount ?? 0, activity.window.target, activity.expectedByToday ?? 0),
        },
      ],
    });
  }
  body.push(
    textBlock(t.statusAdmin.overrideSavedNote, { isSubtle: true, size: 'Small' }),
    runs([t.statusAdmin.howToClear(subjectCommandWord(t, subject))], { spacing: 'Small' }),
  );
  return card(body, [
    execute(t.statusAdmin.showPledgeButton(subject.pledgeNumber), Verbs.showPledge, {
      pledgeNumber: subject.pledgeNumber,
    }),
    execute(t.statusAdmin.clearButton, Verbs.clearOverride, { subject: subjectKey(subject) }),
  ]);
}

export function clearCard(
  t: Texts,
  result: Exclude<ClearResult, { kind: 'forbidden' } | { kind: 'noAgreement' }>,
): AdaptiveCardJson {
  switch (result.kind) {
    case 'invalid': {
      const body: CardElement[] = [heading(t.statusAdmin.clearTitle)];
      if (result.typed.trim() !== '') {
        body.push({
          type: 'Container',
          style: 'attention',
          items: [textBlock(t.statusAdmin.overrideProblems.subject)],
        });
        body.push(runs([{ text: t.statusAdmin.youWrote, weight: 'Bolder' }, result.typed]));
      }
      body.push(runs([t.statusAdmin.clearFormat]));
      const pledges = [...result.agreement.pledges]
        .map((p) => p.number)
        .sort((a, b) => a - b)
        .join(', ');
      body.push(
        runs([t.statusAdmin.subjectsLabel(pledges, result.agreement.activities.map((a) => a.id).join(', '))], {
          spacing: 'Small',
        }),
      );
      return card(body);
    }
    case 'none':
      return card(
        [runs([t.statusAdmin.clearNone(subjectName(t, result.agreement, result.subject))])],
        [execute(t.help.statusButton, Verbs.showStatus)],
      );
    case 'cleared': {
      const name = subjectName(t, result.view.agreement, result.subject);
      const ps = result.view.status.pledges.find((p) => p.pledgeNumber === result.subject.pledgeNumber);
      const level =
        result.subject.kind === 'pledge'
          ? ps?.effectiveLevel
          : result.view.status.activities.find(
              (a) => result.subject.kind === 'activity' && a.activityId === result.subject.activityId,
            )?.effectiveLevel;
      return card(
        [
          runs([{ text: t.statusAdmin.cleared(name), weight: 'Bolder' }]),
          textBlock(`${t.statusAdmin.fieldLevel}: ${t.levels[level ?? 'noTarget']}`, { spacing: 'Small' }),
          textBlock(t.statusAdmin.clearedNote, { isSubtle: true, size: 'Small' }),
        ],
        [
          execute(t.statusAdmin.showPledgeButton(result.subject.pledgeNumber), Verbs.showPledge, {
            pledgeNumber: result.subject.pledgeNumber,
          }),
        ],
      );
    }
  }
}

// ---------------------------------------------------------------------------
// Activities
// ---------------------------------------------------------------------------

export function activitiesCard(t: Texts, result: Invalid<ActivitiesResult, 'list'>): AdaptiveCardJson {
  const a = result.agreement;
  const body: CardElement[] = [heading(t.statusAdmin.activitiesTitle)];
  for (const pledge of [...a.pledges].sort((x, y) => x.number - y.number)) {
    const items: CardElement[] = [
      textBlock(`${t.status.pledge(pledge.number)}`, { weight: 'Bolder', size: 'Medium' }),
      textBlock(escapeMarkdown(pledge.wording), { spacing: 'None', isSubtle: true }),
    ];
    for (const act of activitiesOfPledge(a, pledge.number)) {
      items.push(textBlock(escapeMarkdown(act.wording), { weight: 'Bolder', spacing: 'Small' }), {
        type: 'FactSet',
        spacing: 'None',
        facts: [
          { title: t.statusAdmin.activityFacts.id, value: act.id },
          { title: t.statusAdmin.activityFacts.owner, value: t.party(act.owner) },
          { title: t.statusAdmin.activityFacts.target, value: escapeMarkdown(t.targetLabel(act.target, act.unit)) },
          { title: t.statusAdmin.activityFacts.youth, value: act.youthFocus ? t.statusAdmin.yes : t.statusAdmin.no },
        ],
      });
    }
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items });
  }
  if (result.mayChange)
    body.push(
      textBlock(t.statusAdmin.howToChange, { weight: 'Bolder', separator: true, spacing: 'Medium' }),
      ...t.statusAdmin.changeExamples.map((e) => runs([`• ${e}`], { spacing: 'None' })),
    );
  return card(body, [execute(t.help.statusButton, Verbs.showStatus)]);
}

export function activityFormCard(t: Texts, result: Invalid<ActivitiesResult>): AdaptiveCardJson {
  const sa = t.statusAdmin;
  const body: CardElement[] = [heading(sa.activityTitles[result.command])];
  const lines: string[] = result.problems.map((p) => {
    if (p === 'pledge')
      return sa.activityProblems.pledge(
        [...result.agreement.pledges]
          .map((x) => x.number)
          .sort((x, y) => x - y)
          .join(', '),
      );
    if (p === 'unknownPart') return sa.activityProblems.unknownPart + (result.draft?.unknownParts.join(', ') ?? '');
    if (p === 'personalData')
      return sa.activityProblems.personalData(
        (result.draft?.personalData ?? []).map((k) => t.report.kindNames[k] ?? k),
      );
    return sa.activityProblems[p];
  });
  for (const e of result.errors) {
    const field =
      e.path
        .split('.')
        .filter((s) => !/^\d+$/.test(s))
        .pop() ?? e.path;
    // zod's own English messages are replaced; the agreement schema's Swedish ones are kept.
    const message = /^[a-zåäö]/.test(e.message) && t.locale === 'sv' ? e.message : sa.invalidValue;
    lines.push(sa.schemaError(sa.fieldNames[field] ?? field, message));
  }
  if (lines.length > 0)
    body.push({
      type: 'Container',
      style: 'attention',
      items: [
        textBlock(sa.activityNotSaved, { weight: 'Bolder' }),
        ...lines.map((l) => runs([l], { spacing: 'None' })),
      ],
    });
  // Text with a personal identifier is never shown back.
  if (result.typed.trim() !== '' && !result.problems.includes('personalData'))
    body.push(runs([{ text: sa.youWrote, weight: 'Bolder' }, result.typed]));
  body.push(runs([sa.activityFormats[result.command]]), ...examples(t, sa.activityExamples[result.command]));
  return card(body, [execute(t.help.statusButton, Verbs.showStatus)]);
}

export function activitySavedCard(t: Texts, result: Invalid<ActivitiesResult, 'saved'>): AdaptiveCardJson {
  const sa = t.statusAdmin;
  const act = result.activity;
  const title =
    result.command === 'setTarget'
      ? sa.targetSaved(act.wording)
      : result.command === 'add'
        ? sa.activityAdded(act.wording, act.pledgeNumber)
        : sa.activityChanged(act.wording);
  const facts =
    result.command === 'setTarget' && result.previous
      ? [
          {
            title: sa.previousTarget,
            value: escapeMarkdown(t.targetLabel(result.previous.target, result.previous.unit)),
          },
          { title: sa.newTarget, value: escapeMarkdown(t.targetLabel(act.target, act.unit)) },
        ]
      : [
          { title: sa.activityFacts.id, value: act.id },
          { title: t.status.pledge(act.pledgeNumber), value: escapeMarkdown(act.wording) },
          { title: sa.activityFacts.owner, value: t.party(act.owner) },
          { title: sa.activityFacts.target, value: escapeMarkdown(t.targetLabel(act.target, act.unit)) },
          { title: sa.activityFacts.youth, value: act.youthFocus ? sa.yes : sa.no },
        ];
  return card(
    [
      runs([{ text: title, weight: 'Bolder' }]),
      { type: 'FactSet', facts },
      textBlock(sa.savedNote, { isSubtle: true, size: 'Small' }),
    ],
    [execute(t.statusAdmin.showPledgeButton(act.pledgeNumber), Verbs.showPledge, { pledgeNumber: act.pledgeNumber })],
  );
}

// ---------------------------------------------------------------------------
// Reporting rate
// ---------------------------------------------------------------------------

export function reportingRateCard(t: Texts, result: Invalid<ReportingRateResult, 'rate'>): AdaptiveCardJson {
  const sa = t.statusAdmin;
  const body: CardElement[] = [heading(sa.rateTitle), textBlock(sa.rateIntro, { isSubtle: true, spacing: 'None' })];
  for (const w of result.weeks) {
    const p = parseIsoWeek(w.week)!;
    const monday = mondayOfWeek(w.week);
    body.push(
      textBlock(sa.rateWeek(p.week, p.year, monday, addLocalDays(monday, 6), w.current), {
        weight: 'Bolder',
        separator: true,
        spacing: 'Medium',
      }),
    );
    body.push({
      type: 'FactSet',
      spacing: 'Small',
      facts: REPORTING_PARTIES.map((party) => {
        const r = w.parties[party];
        return {
          title: sa.party[party],
          value:
            sa.rateValue(r.reporters, r.reports) +
            (r.registered > 0 ? sa.rateShare(r.registeredReported, r.registered) : ''),
        };
      }),
    });
  }
  if (!result.anyRegistered)
    body.push(textBlock(sa.rateNoRegistered, { isSubtle: true, size: 'Small', separator: true }));
  return card(body, [execute(t.help.statusButton, Verbs.showStatus)]);
}
