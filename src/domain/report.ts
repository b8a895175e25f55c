import { z } from 'zod';
import type { Activity, Agreement } from './agreement.js';
import {
  addWeeks,
  compareWeeks,
  isoWeekOfLocalDate,
  isValidIsoWeek,
  isValidLocalDate,
  mondayOfWeek,
  addLocalDays,
  type IsoWeek,
  type LocalDate,
} from './calendar.js';
import { isReportingParty, ReportingPartySchema, type ReportingParty } from './party.js';
import { personalDataKinds, type PrivacyFindingKind } from './privacy.js';

/**
 * A weekly activity report (veckorapport): what was done, how many and where, at area level.
 * Never who: the free text is checked for personal identifiers before anything is stored.
 */

/** "Övrigt" under a pledge: work for the pledge outside the signed activity list. */
export const otherActivityId = (pledgeNumber: number) => `ovrigt-lofte-${pledgeNumber}`;

const wholeCount = z.number().int().min(0);

/** People reached, by age band: asked for on youth activities only. */
export const AgeBandsSchema = z.object({ under18: wholeCount, from18to21: wholeCount, over21: wholeCount });
export type AgeBands = z.infer<typeof AgeBandsSchema>;

/** What a reporter states in a report; everything else on a report is bookkeeping. */
export const ReportContentSchema = z.object({
  week: z.string().regex(/^\d{4}-W\d{2}$/),
  activityId: z.string().min(1),
  pledgeNumber: z.number().int().positive(),
  count: wholeCount,
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  area: z.string().min(1),
  description: z.string(),
  ageBands: AgeBandsSchema.optional(),
  /**
   * How many of `count` were of each of the activity's sub-categories (agreement.ts), by sub-category
   * id: each at most `count`, their sum may be less. Absent when none was given.
   */
  subcounts: z.record(z.string().min(1).max(80), wholeCount).optional(),
  raiseAtNextMeeting: z.boolean(),
  party: ReportingPartySchema,
});
export type ReportContent = z.infer<typeof ReportContentSchema>;

/** 'purged': the retention job blanked the free text (description) here and in earlier versions. */
export const REPORT_ACTIONS = ['created', 'edited', 'withdrawn', 'purged'] as const;

export const ReportChangeSchema = z.object({
  at: z.string(),
  by: z.string(),
  action: z.enum(REPORT_ACTIONS),
  /** The fields that changed, with their earlier values: the history never loses a version. */
  previous: ReportContentSchema.partial().optional(),
  reason: z.string().optional(),
});
export type ReportChange = z.infer<typeof ReportChangeSchema>;

/**
 * What a stored report says: work done (absent, the default) or "inget att rapportera den här
 * veckan" — stored so that it counts as reported, never counted as work (see isCountable).
 */
export const REPORT_KINDS = ['activity', 'nothingToReport'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const WeeklyReportSchema = ReportContentSchema.extend({
  kind: z.enum(REPORT_KINDS).optional(),
  id: z.string().min(1),
  submissionId: z.string().min(1),
  agreementId: z.string().min(1),
  reporterId: z.string().min(1),
  reporterTenantId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  withdrawn: z.object({ at: z.string(), by: z.string(), reason: z.string().optional() }).optional(),
  history: z.array(ReportChangeSchema),
});
export type WeeklyReport = z.infer<typeof WeeklyReportSchema>;

export type ReportField =
  'week' | 'activityId' | 'count' | 'date' | 'area' | 'description' | 'ageBands' | 'subcounts' | 'party';

export type ReportError =
  | {
      field: ReportField;
      code:
        | 'required'
        | 'invalid'
        | 'futureWeek'
        | 'tooOld'
        | 'notInWeek'
        | 'futureDate'
        | 'outsidePeriod'
        | 'tooLong'
        | 'notWholeNumber'
        | 'tooLarge'
        | 'notYouthActivity'
        | 'moreThanCount'
        | 'noSubcategories';
    }
  | { field: 'description'; code: 'personalData'; kinds: PrivacyFindingKind[] };

export interface ReportRules {
  /** How many weeks back a report may be filed (0: only this week). */
  maxWeeksBack: number;
  areas: string[];
  maxDescriptionLength: number;
  maxCount: number;
}

export const DEFAULT_REPORT_RULES: ReportRules = {
  maxWeeksBack: 4,
  areas: ['Centrum', 'Resecentrum', 'Krogmiljön', 'Skolor', 'Hela kommunen', 'Annat'],
  maxDescriptionLength: 500,
  maxCount: 10_000,
};

/** The activities a report can be filed against: the agreement's own plus "Övrigt" per pledge. */
export function reportableActivities(
  agreement: Agreement,
): { id: string; pledgeNumber: number; activity?: Activity }[] {
  const out: { id: string; pledgeNumber: number; activity?: Activity }[] = [];
  for (const pledge of [...agreement.pledges].sort((a, b) => a.number - b.number)) {
    for (const activity of agreement.activities.filter((a) => a.pledgeNumber === pledge.number))
      out.push({ id: activity.id, pledgeNumber: pledge.number, activity });
    out.push({ id: otherActivityId(pledge.number), pledgeNumber: pledge.number });
  }
  return out;
}

/** Weeks offered on the card: this week and back to the limit, never future weeks. */
export function selectableWeeks(today: LocalDate, rules: ReportRules): IsoWeek[] {
  const current = isoWeekOfLocalDate(today);
  return Array.from({ length: rules.maxWeeksBack + 1 }, (_, i) => addWeeks(current, -i));
}

export type RawReportInput = Record<string, unknown>;

/** The card input of a sub-count: `sub.<sub-category id>` (one row of the report card). */
export const subcountInputId = (subcategoryId: string): string => `sub.${subcategoryId}`;

/**
 * The sub-counts as typed: from `raw.subcounts` (an object, as an API would send it) or the card's
 * `sub.<id>` inputs; empty inputs are left out.
 */
function rawSubcounts(raw: RawReportInput): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (raw.subcounts && typeof raw.subcounts === 'object' && !Array.isArray(raw.subcounts))
    for (const [k, v] of Object.entries(raw.subcounts as Record<string, unknown>)) out.set(k, v);
  for (const [k, v] of Object.entries(raw)) if (k.startsWith('sub.')) out.set(k.slice(4), v);
  for (const [k, v] of [...out]) if (str(v) === '') out.delete(k);
  return out;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '').trim();

function wholeNumber(v: unknown): number | 'empty' | 'invalid' {
  const s = str(v);
  if (s === '') return 'empty';
  if (!/^\d+$/.test(s)) return 'invalid';
  return Number(s);
}

/**
 * Validates what a user submitted (client-side validation is not trusted). Returns the content to
 * store, or every problem by field; never throws on odd input.
 */
export function validateReport(
  raw: RawReportInput,
  ctx: {
    agreement: Agreement;
    today: LocalDate;
    rules: ReportRules;
    editingWeek?: IsoWeek;
    /** selectableWeeks(today, rules), when the caller has it already. */ weeks?: readonly IsoWeek[];
  },
): { ok: true; value: ReportContent } | { ok: false; errors: ReportError[] } {
  const errors: ReportError[] = [];
  const { agreement, today, rules } = ctx;

  const week = str(raw.week);
  const weeks = ctx.weeks ?? selectableWeeks(today, rules);
  if (week === '') errors.push({ field: 'week', code: 'required' });
  else if (!isValidIsoWeek(week)) errors.push({ field: 'week', code: 'invalid' });
  else if (compareWeeks(week, weeks[0]!) > 0) errors.push({ field: 'week', code: 'futureWeek' });
  else if (compareWeeks(week, weeks[weeks.length - 1]!) < 0 && week !== ctx.editingWeek)
    errors.push({ field: 'week', code: 'tooOld' });

  const activityId = str(raw.activityId);
  const choice = reportableActivities(agreement).find((a) => a.id === activityId);
  if (activityId === '') errors.push({ field: 'activityId', code: 'required' });
  else if (!choice) errors.push({ field: 'activityId', code: 'invalid' });

  const count = wholeNumber(raw.count);
  if (count === 'empty') errors.push({ field: 'count', code: 'required' });
  else if (count === 'invalid') errors.push({ field: 'count', code: 'notWholeNumber' });
  else if (count > rules.maxCount) errors.push({ field: 'count', code: 'tooLarge' });

  const date = str(raw.date);
  if (date === '') errors.push({ field: 'date', code: 'required' });
  else if (!isValidLocalDate(date)) errors.push({ field: 'date', code: 'invalid' });
  else {
    if (date > today) errors.push({ field: 'date', code: 'futureDate' });
    else if (isValidIsoWeek(week) && (date < mondayOfWeek(week) || date > addLocalDays(mondayOfWeek(week), 6)))
      errors.push({ field: 'date', code: 'notInWeek' });
    else if (date < agreement.periodStart || date > agreement.periodEnd)
      errors.push({ field: 'date', code: 'outsidePeriod' });
  }

  const area = str(raw.area);
  if (area === '') errors.push({ field: 'area', code: 'required' });
  else if (!rules.areas.includes(area)) errors.push({ field: 'area', code: 'invalid' });

  const description = typeof raw.description === 'string' ? raw.description.trim() : '';
  if (description.length > rules.maxDescriptionLength) errors.push({ field: 'description', code: 'tooLong' });
  // The free text and the numbers as typed, together: a birth date in the description and the last
  // four digits in the count are one personnummer.
  const kinds = personalDataKinds([
    description,
    str(raw.count),
    str(raw.ageUnder18),
    str(raw.age18to21),
    str(raw.ageOver21),
  ]);
  if (kinds.length > 0) errors.push({ field: 'description', code: 'personalData', kinds });

  let ageBands: AgeBands | undefined;
  const bands = [raw.ageUnder18, raw.age18to21, raw.ageOver21].map(wholeNumber);
  if (bands.some((b) => b === 'invalid')) errors.push({ field: 'ageBands', code: 'notWholeNumber' });
  else if (bands.some((b) => typeof b === 'number')) {
    const [u, m, o] = bands.map((b) => (typeof b === 'number' ? b : 0)) as [number, number, number];
    ageBands = { under18: u, from18to21: m, over21: o };
    if (typeof count === 'number' && u + m + o > rules.maxCount) errors.push({ field: 'ageBands', code: 'tooLarge' });
    // Age bands describe young people reached by youth activities (and Övrigt); elsewhere they are
    // details about people that the report does not need.
    if (u + m + o > 0 && choice?.activity && !choice.activity.youthFocus)
      errors.push({ field: 'ageBands', code: 'notYouthActivity' });
  }

  // Sub-counts: only the chosen activity's sub-categories, whole numbers, each at most the count.
  let subcounts: Record<string, number> | undefined;
  const subs = rawSubcounts(raw);
  if (subs.size > 0) {
    const known = new Set((choice?.activity?.subcategories ?? []).map((c) => c.id));
    const parsed = [...subs].map(([id, v]) => [id, wholeNumber(v)] as const);
    if (choice && [...subs.keys()].some((id) => !known.has(id)))
      errors.push({ field: 'subcounts', code: 'noSubcategories' });
    else if (parsed.some(([, n]) => n === 'invalid')) errors.push({ field: 'subcounts', code: 'notWholeNumber' });
    else {
      subcounts = Object.fromEntries(parsed.filter(([, n]) => typeof n === 'number')) as Record<string, number>;
      if (typeof count === 'number' && Object.values(subcounts).some((n) => n > count))
        errors.push({ field: 'subcounts', code: 'moreThanCount' });
    }
  }
  // Digits typed in the sub-counts are checked with the rest (a personnummer split over fields).
  const subKinds = personalDataKinds([description, ...[...subs.values()].map(str)]);
  if (subKinds.length > 0 && kinds.length === 0)
    errors.push({ field: 'description', code: 'personalData', kinds: subKinds });

  const party = str(raw.party);
  if (party === '') errors.push({ field: 'party', code: 'required' });
  else if (!isReportingParty(party)) errors.push({ field: 'party', code: 'invalid' });

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      week,
      activityId,
      pledgeNumber: choice!.pledgeNumber,
      count: count as number,
      date,
      area,
      description,
      ageBands,
      ...(subcounts && Object.keys(subcounts).length > 0 ? { subcounts } : {}),
      raiseAtNextMeeting: raw.raiseAtNextMeeting === true || str(raw.raiseAtNextMeeting) === 'true',
      party: party as ReportingParty,
    },
  };
}

/** The fields of `next` that differ from `current`, with their earlier values. */
export function changedFields(current: ReportContent, next: ReportContent): Partial<ReportContent> {
  const previous: Partial<ReportContent> = {};
  for (const key of Object.keys(next) as (keyof ReportContent)[]) {
    if (JSON.stringify(current[key]) !== JSON.stringify(next[key]))
      (previous as Record<string, unknown>)[key] = current[key];
  }
  return previous;
}

// ---------------------------------------------------------------------------
// A whole week on one card (issue #16): several rows, "inget att rapportera"
// ---------------------------------------------------------------------------

/** The activity id a "nothing to report" record carries: no activity of any agreement has it. */
export const NOTHING_TO_REPORT_ACTIVITY = 'inget-att-rapportera';

/** Whether a stored report is "inget att rapportera den här veckan" (reported, but no work to count). */
export const isNothingToReport = (r: Pick<WeeklyReport, 'kind'>): boolean => r.kind === 'nothingToReport';

/** Rows a new week card shows, and the most it may hold ("Lägg till rad" adds one at a time). */
export const DEFAULT_REPORT_ROWS = 3;
export const MAX_REPORT_ROWS = 8;

/** The per-row fields of the week card; week, date and party are the card's. */
export const ROW_FIELDS = [
  'activityId',
  'count',
  'area',
  'description',
  'ageUnder18',
  'age18to21',
  'ageOver21',
  'raiseAtNextMeeting',
] as const;
export type RowField = (typeof ROW_FIELDS)[number];

/**
 * The card input id of a row's field: row 0 keeps the single-report card's ids (so a card posted
 * before rows existed, and every client that sends the flat fields, is a one-row card).
 */
export const rowInputId = (field: string, row: number): string => (row === 0 ? field : `${field}_${row}`);

/** The submission id of one row of a card: row 0 keeps the card's id (idempotent with the old cards). */
export const rowSubmissionId = (submissionId: string, row: number): string =>
  row === 0 ? submissionId : `${submissionId}-r${row}`;

/** How many rows a submitted card had: its `rows` field, else the highest row index seen + 1. */
export function rowCountOf(raw: RawReportInput): number {
  const said = Number(str(raw.rows));
  let seen = 1;
  for (const key of Object.keys(raw)) {
    const m = /^[A-Za-z0-9]+_(\d{1,2})$/.exec(key);
    if (m) seen = Math.max(seen, Number(m[1]) + 1);
  }
  const n = Number.isInteger(said) && said > 0 ? said : seen;
  return Math.min(MAX_REPORT_ROWS, Math.max(1, n));
}

/** One row's fields under the single-report names, with the card's week, date and party. */
export function rowInput(raw: RawReportInput, row: number): RawReportInput {
  const out: RawReportInput = { week: raw.week, date: raw.date, party: raw.party };
  for (const f of ROW_FIELDS) out[f] = raw[rowInputId(f, row)];
  // Sub-counts: `sub.<id>` (row 0, and `subcounts` as an API sends it) or `sub.<id>_<row>`.
  if (row === 0 && raw.subcounts !== undefined) out.subcounts = raw.subcounts;
  const suffix = row === 0 ? '' : `_${row}`;
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith('sub.') || !key.endsWith(suffix)) continue;
    const id = key.slice(4, key.length - suffix.length);
    if (id !== '' && !/_\d{1,2}$/.test(id)) out[subcountInputId(id)] = value;
  }
  return out;
}

/** A row the person left empty (no activity, count, text or age band): ignored. The area alone is not a row. */
export function isEmptyRow(row: RawReportInput): boolean {
  return (
    (['activityId', 'count', 'description', 'ageUnder18', 'age18to21', 'ageOver21'] as const).every(
      (f) => str(row[f]) === '',
    ) && rawSubcounts(row).size === 0
  );
}

const CARD_FIELDS: readonly ReportField[] = ['week', 'date', 'party'];

export type WeekCardResult =
  | { ok: true; rows: { row: number; value: ReportContent }[] }
  | {
      ok: false;
      /** Nothing filled in (and not "inget att rapportera"). */
      empty: boolean;
      /** Errors of the card's own fields (week, date, party) and of the card as a whole. */
      cardErrors: ReportError[];
      /** Errors by row index. */
      rowErrors: Map<number, ReportError[]>;
    };

/**
 * Validates a week card: every filled row as a report of its own (today's rules and privacy guard),
 * the card's week, date and party once. All rows or none: any error refuses the whole card.
 */
export function validateWeekCard(raw: RawReportInput, ctx: Parameters<typeof validateReport>[1]): WeekCardResult {
  const count = rowCountOf(raw);
  const filled: { row: number; input: RawReportInput }[] = [];
  for (let row = 0; row < count; row++) {
    const input = rowInput(raw, row);
    if (!isEmptyRow(input)) filled.push({ row, input });
  }
  if (filled.length === 0) return { ok: false, empty: true, cardErrors: [], rowErrors: new Map() };
  const cardErrors: ReportError[] = [];
  const rowErrors = new Map<number, ReportError[]>();
  const rows: { row: number; value: ReportContent }[] = [];
  for (const { row, input } of filled) {
    const checked = validateReport(input, ctx);
    if (checked.ok) {
      rows.push({ row, value: checked.value });
      continue;
    }
    const own = checked.errors.filter((e) => !CARD_FIELDS.includes(e.field));
    for (const e of checked.errors.filter((e) => CARD_FIELDS.includes(e.field)))
      if (!cardErrors.some((c) => c.field === e.field && c.code === e.code)) cardErrors.push(e);
    if (own.length > 0) rowErrors.set(row, own);
  }
  // The rows' texts and numbers together: a birth date in one row's note and the last four digits
  // in another row's count are one personnummer, and are refused like within one report.
  if (rowErrors.size === 0 && filled.length > 1) {
    const kinds = personalDataKinds(
      filled.flatMap(({ input }) => [
        typeof input.description === 'string' ? input.description : '',
        str(input.count),
        str(input.ageUnder18),
        str(input.age18to21),
        str(input.ageOver21),
      ]),
    );
    if (kinds.length > 0) cardErrors.push({ field: 'description', code: 'personalData', kinds });
  }
  if (cardErrors.length > 0 || rowErrors.size > 0) return { ok: false, empty: false, cardErrors, rowErrors };
  return { ok: true, rows };
}
