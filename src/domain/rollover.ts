/**
 * Rolling a medborgarlöfte over to its next period: the same pledges and activities under a new
 * id and period, with the targets as a coordinator edited them and some activities left out.
 *
 * Pure: the old agreement, the others stored and what was typed in; the new agreement or the
 * errors by field out. Card values are untrusted text, so every value is checked here again.
 */
import { addLocalDays, isValidLocalDate, parseLocalDate } from './calendar.js';
import { parseAgreement, type Agreement, type AgreementInput, type FieldError, type Target } from './agreement.js';
import { fold } from './text-match.js';

export const ROLLOVER_RULES = { maxYears: 10, maxTarget: 1_000_000 } as const;

export const TARGET_KINDS = ['perYear', 'perPeriod', 'none'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** What the card sends for one activity of the old agreement: its target, or that it is dropped. */
export interface RolloverActivityInput {
  kind?: string;
  count?: string | number;
  drop?: boolean;
}

/** The card's values as typed; an activity that is not named keeps its target. */
export interface RolloverInput {
  periodStart?: string;
  periodEnd?: string;
  /** By activity id of the old agreement. */
  activities?: Record<string, RolloverActivityInput>;
}

export type RolloverError =
  | { field: 'periodStart' | 'periodEnd'; code: 'required' | 'invalid' }
  | { field: 'periodEnd'; code: 'beforeStart' | 'past' | 'tooLong' }
  | { field: 'period'; code: 'overlap'; other: Pick<Agreement, 'id' | 'periodStart' | 'periodEnd'> }
  | { field: 'period'; code: 'idExists'; id: string }
  | { field: 'activity'; activityId: string; code: 'kind' | 'countRequired' | 'count' }
  /** The copied agreement fails AgreementSchema or the privacy guard (a definition stored before a rule). */
  | { field: 'agreement'; code: 'invalid'; errors: FieldError[] };

/** Whole months from `start` to the day after `end` when both fall on the same day of the month. */
function wholeMonths(start: string, end: string): number | undefined {
  const a = parseLocalDate(start)!;
  const b = parseLocalDate(addLocalDays(end, 1))!;
  if (a.day !== b.day) return undefined;
  return (b.year - a.year) * 12 + (b.month - a.month);
}

function addMonths(date: string, months: number): string | undefined {
  const { year, month, day } = parseLocalDate(date)!;
  const index = year * 12 + (month - 1) + months;
  const next = `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isValidLocalDate(next) ? next : undefined;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The next period: from the day after the old one ends, for the same length. Calendar years stay
 * calendar years (2023-01-01–2024-12-31 → 2025-01-01–2026-12-31), whatever the leap days; a period
 * that is no whole number of months keeps its number of days.
 */
export function nextPeriod(agreement: Pick<Agreement, 'periodStart' | 'periodEnd'>): {
  periodStart: string;
  periodEnd: string;
} {
  const periodStart = addLocalDays(agreement.periodEnd, 1);
  const months = wholeMonths(agreement.periodStart, agreement.periodEnd);
  const afterEnd = months !== undefined && months > 0 ? addMonths(periodStart, months) : undefined;
  const periodEnd = afterEnd
    ? addLocalDays(afterEnd, -1)
    : addLocalDays(periodStart, daysBetween(agreement.periodStart, agreement.periodEnd));
  return { periodStart, periodEnd };
}

/**
 * The id of the next period: the old id's stem with the new years ("tranas-2023-2024" →
 * "tranas-2025-2026"), else a slug of the municipality ("Eksjö kommun" → "eksjo-2025-2026").
 */
export function rolledOverId(
  from: Pick<Agreement, 'id' | 'municipality'>,
  periodStart: string,
  periodEnd: string,
): string {
  const stem =
    /^(.+?)-\d{4}(?:-\d{4})?$/.exec(from.id)?.[1] ??
    (fold(from.municipality.replace(/\s+kommun$/i, ''))
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') ||
      from.id);
  const [a, b] = [periodStart.slice(0, 4), periodEnd.slice(0, 4)];
  return `${stem.slice(0, 70)}-${a === b ? a : `${a}-${b}`}`;
}

/** The same municipality, however its name was capitalised or spelt with å ä ö. */
export function sameMunicipality(a: Pick<Agreement, 'municipality'>, b: Pick<Agreement, 'municipality'>): boolean {
  return fold(a.municipality) === fold(b.municipality);
}

/** The agreements of `from`'s municipality that start after `from`: periods already rolled over to. */
export function laterPeriodsOf(from: Agreement, all: readonly Agreement[]): Agreement[] {
  return all
    .filter((a) => a.id !== from.id && sameMunicipality(a, from) && a.periodStart > from.periodStart)
    .sort((a, b) => a.periodStart.localeCompare(b.periodStart));
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

function targetOf(
  input: RolloverActivityInput,
  current: Target,
): { ok: true; target: Target } | { ok: false; code: 'kind' | 'countRequired' | 'count' } {
  const kind = input.kind === undefined ? current.kind : text(input.kind);
  if (!(TARGET_KINDS as readonly string[]).includes(kind)) return { ok: false, code: 'kind' };
  if (kind === 'none') return { ok: true, target: { kind: 'none' } };
  const typed = input.count === undefined ? (current.kind === 'none' ? '' : String(current.count)) : text(input.count);
  if (typed === '') return { ok: false, code: 'countRequired' };
  if (!/^\d{1,7}$/.test(typed) || Number(typed) < 1 || Number(typed) > ROLLOVER_RULES.maxTarget)
    return { ok: false, code: 'count' };
  return { ok: true, target: { kind: kind as 'perYear' | 'perPeriod', count: Number(typed) } };
}

/**
 * The new agreement for `input`, or every error found. `all` is every stored agreement (for the id
 * and overlapping periods of the same municipality); `today` is the local date (a period that has
 * already ended is refused). The new agreement is checked by AgreementSchema and the privacy guard.
 */
export function buildRollover(
  from: Agreement,
  input: RolloverInput,
  ctx: { all: readonly Agreement[]; today: string },
): { ok: true; agreement: Agreement } | { ok: false; errors: RolloverError[] } {
  const errors: RolloverError[] = [];
  const proposed = nextPeriod(from);
  const dates = { periodStart: '', periodEnd: '' };
  for (const field of ['periodStart', 'periodEnd'] as const) {
    const typed = input[field] === undefined ? proposed[field] : text(input[field]);
    if (typed === '') errors.push({ field, code: 'required' });
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(typed) || !isValidLocalDate(typed)) errors.push({ field, code: 'invalid' });
    else dates[field] = typed;
  }
  const { periodStart, periodEnd } = dates;
  if (periodStart && periodEnd) {
    if (periodEnd < periodStart) errors.push({ field: 'periodEnd', code: 'beforeStart' });
    else if (periodEnd < ctx.today) errors.push({ field: 'periodEnd', code: 'past' });
    else if (daysBetween(periodStart, periodEnd) >= 366 * ROLLOVER_RULES.maxYears)
      errors.push({ field: 'periodEnd', code: 'tooLong' });
    else {
      const overlapping = ctx.all
        .filter((a) => sameMunicipality(a, from) && a.periodStart <= periodEnd && periodStart <= a.periodEnd)
        .sort((a, b) => a.periodStart.localeCompare(b.periodStart))[0];
      if (overlapping) {
        errors.push({
          field: 'period',
          code: 'overlap',
          other: { id: overlapping.id, periodStart: overlapping.periodStart, periodEnd: overlapping.periodEnd },
        });
      } else {
        const id = rolledOverId(from, periodStart, periodEnd);
        if (ctx.all.some((a) => a.id === id)) errors.push({ field: 'period', code: 'idExists', id });
      }
    }
  }

  const activities: Agreement['activities'] = [];
  for (const activity of from.activities) {
    const typed = input.activities?.[activity.id] ?? {};
    if (typed.drop === true) continue;
    const target = targetOf(typed, activity.target);
    if (target.ok) activities.push({ ...activity, target: target.target });
    else errors.push({ field: 'activity', activityId: activity.id, code: target.code });
  }
  if (errors.length > 0) return { ok: false, errors };

  // A new period is not signed yet, and the old one's source describes the old period.
  const { signedOn: _signedOn, source: _source, ...kept } = from;
  const next: AgreementInput = {
    ...kept,
    id: rolledOverId(from, periodStart, periodEnd),
    periodStart,
    periodEnd,
    activities,
  };
  const checked = parseAgreement(next);
  if (!checked.ok) return { ok: false, errors: [{ field: 'agreement', code: 'invalid', errors: checked.errors }] };
  return { ok: true, agreement: checked.value };
}
