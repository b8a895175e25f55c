import type { RolloverProposal, RolloverResult } from '../../app/agreements.js';
import { activitiesOfPledge, type Activity, type Agreement } from '../../domain/agreement.js';
import {
  ROLLOVER_RULES,
  TARGET_KINDS,
  type RolloverActivityInput,
  type RolloverError,
  type RolloverInput,
} from '../../domain/rollover.js';
import { escapeMarkdown } from '../../texts/format.js';
import type { Texts } from '../../texts/index.js';
import { Verbs } from '../verbs.js';
import { card, execute, heading, textBlock, type AdaptiveCardJson, type CardElement } from './card.js';

/** The rollover card ("ny period"): the next period's dates and every activity's target, and its receipt. */

type Form = Extract<RolloverProposal, { kind: 'form' }>;
type Invalid = Extract<RolloverResult, { kind: 'invalid' }>;
type Saved = Extract<RolloverResult, { kind: 'saved' }>;

/** The card's input ids per activity, read back by parseRolloverData: written once, here. */
const FIELD = /^(count|kind|drop)\.([a-z0-9][a-z0-9-]{0,79})$/;
const fieldId = (part: 'count' | 'kind' | 'drop', activityId: string) => `${part}.${activityId}`;

/** At most this many activities are read from one card's data (the schema caps nothing; a card is small). */
const MAX_ACTIVITIES = 200;

/**
 * An activity costs up to ~1.3 KB of card at the longest wording: 45 keep the card under Teams'
 * limit (kept below 80 KB) even with an error under each; a larger agreement is rolled over with
 * the agreement CLI.
 */
export const MAX_CARD_ACTIVITIES = 45;

/**
 * The card's values as the use case takes them. Card data is untrusted JSON: only strings (and the
 * numbers some clients send for Input.Number) are read, ids must look like activity ids.
 */
export function parseRolloverData(data: Record<string, unknown>): RolloverInput {
  const str = (v: unknown): string | undefined =>
    typeof v === 'string' ? v.slice(0, 40) : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
  const input: RolloverInput = { periodStart: str(data.periodStart) ?? '', periodEnd: str(data.periodEnd) ?? '' };
  const activities: Record<string, RolloverActivityInput> = {};
  let seen = 0;
  for (const [key, value] of Object.entries(data)) {
    const m = FIELD.exec(key);
    if (!m) continue;
    const id = m[2]!;
    if (!Object.hasOwn(activities, id)) {
      if (++seen > MAX_ACTIVITIES) break;
      activities[id] = {};
    }
    const entry = activities[id]!;
    if (m[1] === 'drop') entry.drop = value === true || value === 'true';
    else if (m[1] === 'kind') entry.kind = str(value) ?? '';
    else entry.count = str(value) ?? '';
  }
  input.activities = activities;
  return input;
}

const errorLine = (text: string): CardElement =>
  textBlock(escapeMarkdown(text), { color: 'Attention', size: 'Small', spacing: 'None' });
const subtle = (text: string): CardElement => textBlock(text, { isSubtle: true, size: 'Small', spacing: 'None' });

function errorText(t: Texts, e: RolloverError, all: readonly Agreement[]): string[] {
  const r = t.rollover;
  switch (e.field) {
    case 'periodStart':
      return [r.errors.periodStart[e.code]!];
    case 'periodEnd':
      return [e.code === 'tooLong' ? r.errors.tooLong(ROLLOVER_RULES.maxYears) : r.errors.periodEnd[e.code]!];
    case 'period':
      if (e.code === 'idExists') return [r.errors.idExists(e.id)];
      return [
        r.errors.overlap(
          all.find((a) => a.id === e.other.id)?.municipality ?? e.other.id,
          e.other.periodStart,
          e.other.periodEnd,
        ),
      ];
    case 'activity':
      return [e.code === 'count' ? r.errors.count(ROLLOVER_RULES.maxTarget) : r.errors[e.code]];
    case 'agreement':
      return [r.errors.agreement, ...e.errors.map((x) => r.errors.field(x.path, x.message))];
  }
}

const isDate = (v: string | undefined): v is string => v !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(v);

function activityInputs(t: Texts, activity: Activity, typed: RolloverActivityInput | undefined, errors: string[]) {
  const r = t.rollover;
  const kind = typed?.kind ?? activity.target.kind;
  const countText =
    typed?.count !== undefined
      ? String(typed.count)
      : activity.target.kind === 'none'
        ? ''
        : String(activity.target.count);
  const count = /^\d{1,7}$/.test(countText.trim()) ? Number(countText.trim()) : undefined;
  return {
    type: 'Container',
    spacing: 'Medium',
    items: [
      textBlock(escapeMarkdown(activity.wording), { weight: 'Bolder' }),
      subtle(escapeMarkdown(r.targetNow(t.targetLabel(activity.target, activity.unit)))),
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
                id: fieldId('count', activity.id),
                label: r.count,
                placeholder: r.countPlaceholder,
                min: 1,
                max: ROLLOVER_RULES.maxTarget,
                ...(count !== undefined ? { value: count } : {}),
              },
            ],
          },
          {
            type: 'Column',
            width: 'stretch',
            items: [
              {
                type: 'Input.ChoiceSet',
                id: fieldId('kind', activity.id),
                label: r.kind,
                style: 'compact',
                isRequired: true,
                errorMessage: r.errors.kind,
                value: (TARGET_KINDS as readonly string[]).includes(kind) ? kind : activity.target.kind,
                choices: TARGET_KINDS.map((k) => ({ title: r.kindNames[k]!, value: k })),
              },
            ],
          },
        ],
      },
      ...errors.map(errorLine),
      {
        type: 'Input.Toggle',
        id: fieldId('drop', activity.id),
        title: r.drop,
        valueOn: 'true',
        valueOff: 'false',
        value: typed?.drop === true ? 'true' : 'false',
      },
    ],
  };
}

/**
 * The rollover form: proposed (`form`) or refused (`invalid`, with what was typed and the errors
 * next to their fields). `all` names the municipality of an overlapping period.
 */
export function rolloverCard(t: Texts, state: Form | Invalid, all: readonly Agreement[] = []): AdaptiveCardJson {
  const r = t.rollover;
  const from = state.from;
  if (from.activities.length > MAX_CARD_ACTIVITIES)
    return card([textBlock(r.tooMany(from.activities.length, MAX_CARD_ACTIVITIES))]);
  const input: RolloverInput =
    state.kind === 'invalid'
      ? state.input
      : { periodStart: state.proposed.periodStart, periodEnd: state.proposed.periodEnd };
  const errors = state.kind === 'invalid' ? state.errors : [];
  const textsFor = (pick: (e: RolloverError) => boolean) => errors.filter(pick).flatMap((e) => errorText(t, e, all));

  const body: CardElement[] = [heading(r.title)];
  if (errors.length > 0)
    body.push({ type: 'Container', style: 'attention', items: [textBlock(r.notSaved, { weight: 'Bolder' })] });
  body.push(textBlock(escapeMarkdown(r.intro(from.municipality, from.periodStart, from.periodEnd))));
  if (state.kind === 'form')
    for (const later of state.later)
      body.push(textBlock(r.later(later.periodStart, later.periodEnd), { weight: 'Bolder' }));

  const general = textsFor((e) => e.field === 'agreement');
  if (general.length > 0)
    body.push({ type: 'Container', style: 'attention', items: general.map((l) => textBlock(escapeMarkdown(l))) });

  body.push(
    {
      type: 'ColumnSet',
      columns: (['periodStart', 'periodEnd'] as const).map((field) => ({
        type: 'Column',
        width: 'stretch',
        items: [
          {
            type: 'Input.Date',
            id: field,
            label: r[field],
            isRequired: true,
            errorMessage: r.errors[field].required,
            ...(isDate(input[field]) ? { value: input[field] } : {}),
          },
          ...textsFor((e) => e.field === field).map(errorLine),
        ],
      })),
    },
    ...textsFor((e) => e.field === 'period').map(errorLine),
  );

  for (const pledge of [...from.pledges].sort((a, b) => a.number - b.number)) {
    const activities = activitiesOfPledge(from, pledge.number);
    body.push({
      type: 'Container',
      separator: true,
      spacing: 'Large',
      items: [
        textBlock(escapeMarkdown(r.pledge(pledge.number, pledge.wording)), { weight: 'Bolder', size: 'Medium' }),
        ...(activities.length === 0 ? [subtle(r.noActivities)] : []),
        ...activities.map((a) =>
          activityInputs(
            t,
            a,
            input.activities?.[a.id],
            textsFor((e) => e.field === 'activity' && e.activityId === a.id),
          ),
        ),
      ],
    });
  }
  body.push(subtle(t.privacyNote));
  return card(body, [
    { ...execute(r.save, Verbs.saveRollover, { fromAgreementId: from.id }), style: 'positive' },
    // Cancelling sends nothing typed: no validation of the inputs.
    { ...execute(r.cancel, Verbs.cancelRollover), associatedInputs: 'none' },
  ]);
}

/** The receipt: the new period, when it becomes the current one, what changed. */
export function rolloverSavedCard(t: Texts, result: Saved): AdaptiveCardJson {
  const r = t.rollover;
  const { from, agreement } = result;
  const body: CardElement[] = [
    heading(escapeMarkdown(r.saved(agreement.municipality, agreement.periodStart, agreement.periodEnd))),
    textBlock(r.savedPeriod(agreement.periodStart, agreement.periodEnd), { spacing: 'None' }),
    textBlock(result.inForce ? r.inForceNow : r.startsLater(agreement.periodStart, from.periodStart, from.periodEnd), {
      weight: 'Bolder',
    }),
    textBlock(r.activitiesKept(agreement.activities.length)),
  ];
  const changed = agreement.activities.flatMap((a) => {
    const before = from.activities.find((b) => b.id === a.id);
    return before && JSON.stringify(before.target) !== JSON.stringify(a.target)
      ? [r.changedTarget(a.wording, t.targetLabel(before.target, a.unit), t.targetLabel(a.target, a.unit))]
      : [];
  });
  if (changed.length > 0)
    body.push(
      textBlock(r.changedTargets, { weight: 'Bolder', spacing: 'Medium' }),
      ...changed.map((l) => textBlock(`• ${escapeMarkdown(l)}`, { spacing: 'None' })),
    );
  const dropped = from.activities.filter((a) => !agreement.activities.some((b) => b.id === a.id));
  if (dropped.length > 0)
    body.push(
      textBlock(r.dropped, { weight: 'Bolder', spacing: 'Medium' }),
      ...dropped.map((a) => textBlock(`• ${escapeMarkdown(a.wording)}`, { spacing: 'None' })),
    );
  body.push(subtle(r.oldKept));
  return card(body, [execute(r.showStatus, Verbs.showStatus)]);
}
