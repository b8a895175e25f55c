import { z } from 'zod';
import { TargetSchema, type Agreement, type FollowUpCadence } from './agreement.js';
import { isValidLocalDate, tertialLocalDates, tertialOfLocalDate, addTertials } from './calendar.js';
import type {
  CommunicationChannel,
  FollowUpActivityOutcome,
  FollowUpDocument,
  FollowUpPeriod,
  FollowUpPledge,
} from './follow-up-document.js';
import { PartySchema, ReportingPartySchema, type ReportingParty } from './party.js';
import { personalDataKinds, type PrivacyFindingKind } from './privacy.js';
import { isCountable, type ReportTally } from './report-tally.js';
import type { WeeklyReport } from './report.js';

/**
 * The follow-up both parties sign (issue #15), the pure part: the follow-up points of an agreement
 * (tertial by default; quarter or half-year per agreement), the draft built from the running totals
 * and the reports, the stored record with its revisions and approvals, and the rules for the
 * narrative and the "kommunicerat till medborgarna" note. No I/O: src/app/follow-up-report.ts
 * reads the stores and calls these.
 */

// ---------------------------------------------------------------------------
// Follow-up periods
// ---------------------------------------------------------------------------

const pad2 = (n: number): string => String(n).padStart(2, '0');
const lastDayOfMonth = (year: number, month: number): string =>
  `${year}-${pad2(month)}-${pad2(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;

/** The months (1-based, inclusive) of a cadence's parts of the year. */
const PARTS: Record<FollowUpCadence, { suffix: string; months: [number, number] }[]> = {
  tertial: [
    { suffix: 'T1', months: [1, 4] },
    { suffix: 'T2', months: [5, 8] },
    { suffix: 'T3', months: [9, 12] },
  ],
  quarter: [
    { suffix: 'Q1', months: [1, 3] },
    { suffix: 'Q2', months: [4, 6] },
    { suffix: 'Q3', months: [7, 9] },
    { suffix: 'Q4', months: [10, 12] },
  ],
  'half-year': [
    { suffix: 'H1', months: [1, 6] },
    { suffix: 'H2', months: [7, 12] },
  ],
};

const KIND_OF: Record<FollowUpCadence, FollowUpPeriod['kind']> = {
  tertial: 'tertial',
  quarter: 'quarter',
  'half-year': 'half-year',
};

export const cadenceOf = (agreement: Agreement): FollowUpCadence => agreement.followUpCadence ?? 'tertial';

/** Clips a period to the agreement's own dates; undefined when they do not overlap. */
function clip(agreement: Agreement, p: FollowUpPeriod): FollowUpPeriod | undefined {
  const from = p.from < agreement.periodStart ? agreement.periodStart : p.from;
  const to = p.to > agreement.periodEnd ? agreement.periodEnd : p.to;
  return from <= to ? { ...p, from, to } : undefined;
}

/** Every follow-up point of the agreement, oldest first, clipped to its period. */
export function followUpPeriodsOf(agreement: Agreement): FollowUpPeriod[] {
  const cadence = cadenceOf(agreement);
  const out: FollowUpPeriod[] = [];
  const first = Number(agreement.periodStart.slice(0, 4));
  const last = Number(agreement.periodEnd.slice(0, 4));
  for (let year = first; year <= last; year++) {
    for (const part of PARTS[cadence]) {
      const p = clip(agreement, {
        kind: KIND_OF[cadence],
        key: `${year}-${part.suffix}`,
        from: `${year}-${pad2(part.months[0])}-01`,
        to: lastDayOfMonth(year, part.months[1]),
      });
      if (p) out.push(p);
    }
  }
  return out;
}

/** A calendar year of the agreement, clipped ("2024"). */
export function yearPeriod(agreement: Agreement, year: number): FollowUpPeriod | undefined {
  return clip(agreement, { kind: 'year', key: String(year), from: `${year}-01-01`, to: `${year}-12-31` });
}

/** The whole agreement period ("2023-2024"). */
export function wholePeriod(agreement: Agreement): FollowUpPeriod {
  const a = agreement.periodStart.slice(0, 4);
  const b = agreement.periodEnd.slice(0, 4);
  return { kind: 'period', key: a === b ? a : `${a}-${b}`, from: agreement.periodStart, to: agreement.periodEnd };
}

/**
 * The spans a KF report (återrapport to kommunfullmäktige) is drafted for: each calendar year of the
 * agreement, clipped to it, and the whole period when it spans more than one year.
 */
export function kfPeriodsOf(agreement: Agreement): FollowUpPeriod[] {
  const first = Number(agreement.periodStart.slice(0, 4));
  const last = Number(agreement.periodEnd.slice(0, 4));
  const out: FollowUpPeriod[] = [];
  for (let year = first; year <= last; year++) {
    const period = yearPeriod(agreement, year);
    if (period) out.push(period);
  }
  if (last > first) out.push(wholePeriod(agreement));
  return out;
}

/** The follow-up point with this key ("2024-T2"), if the agreement has it. */
export function followUpPeriodByKey(agreement: Agreement, key: string): FollowUpPeriod | undefined {
  return followUpPeriodsOf(agreement).find((p) => p.key === key);
}

/**
 * "uppföljning" without a period: the latest follow-up point that has ended by `today`, else the
 * one under way (the first of the period when none has started).
 */
export function defaultFollowUpPeriod(agreement: Agreement, today: string): FollowUpPeriod {
  const periods = followUpPeriodsOf(agreement);
  const ended = periods.filter((p) => p.to < today);
  return ended[ended.length - 1] ?? periods.find((p) => p.from <= today && today <= p.to) ?? periods[0]!;
}

/** The follow-up points that end on `date` (at most one). */
export function followUpPeriodEndingOn(agreement: Agreement, date: string): FollowUpPeriod | undefined {
  return followUpPeriodsOf(agreement).find((p) => p.to === date);
}

/**
 * What a coordinator named: "tertial 2" (this year's, or the agreement's last year when it has
 * ended), "tertial 2 2024", "t2 2024", "kvartal 3", "q3 2024", "halvår 1", "2024" (the year's
 * follow-ups: the follow-up of that year's last point), "" (the default). The cadence decides
 * which words fit: a tertial asked of a quarterly agreement is not found.
 */
export type FollowUpPeriodQuery =
  { ok: true; period: FollowUpPeriod } | { ok: false; reason: 'notUnderstood' | 'notInAgreement' };

const PART_WORDS: [FollowUpCadence, RegExp][] = [
  ['tertial', /^(?:tertial|tertialet|t)\s*([1-3])(?:\s+(\d{4}))?$/],
  ['quarter', /^(?:kvartal|kvartalet|quarter|q)\s*([1-4])(?:\s+(\d{4}))?$/],
  ['half-year', /^(?:halvar|halvaret|half year|half-year|h)\s*([12])(?:\s+(\d{4}))?$/],
];

export function parseFollowUpPeriod(folded: string, agreement: Agreement, today: string): FollowUpPeriodQuery {
  const text = folded.trim().replace(/\s+/g, ' ');
  if (text === '') return { ok: true, period: defaultFollowUpPeriod(agreement, today) };
  const periods = followUpPeriodsOf(agreement);
  const thisYear = Number(today.slice(0, 4));
  const lastYear = Number(agreement.periodEnd.slice(0, 4));
  const firstYear = Number(agreement.periodStart.slice(0, 4));
  const defaultYear = Math.min(Math.max(thisYear, firstYear), lastYear);
  // "2024-T2" as the machine key.
  const byKey = periods.find((p) => p.key.toLowerCase() === text);
  if (byKey) return { ok: true, period: byKey };
  for (const [cadence, re] of PART_WORDS) {
    const m = re.exec(text);
    if (!m) continue;
    const year = m[2] ? Number(m[2]) : defaultYear;
    const suffix = PARTS[cadence].find((_, i) => i + 1 === Number(m[1]))!.suffix;
    const p = periods.find((x) => x.key === `${year}-${suffix}`);
    return p ? { ok: true, period: p } : { ok: false, reason: 'notInAgreement' };
  }
  const year = /^(?:ar\s+)?(\d{4})$/.exec(text);
  if (year) {
    // A year: the last follow-up point of that year, which carries the year to date.
    const inYear = periods.filter((p) => p.key.startsWith(`${year[1]}-`));
    const last = inYear[inYear.length - 1];
    return last ? { ok: true, period: last } : { ok: false, reason: 'notInAgreement' };
  }
  return { ok: false, reason: 'notUnderstood' };
}

/** "kf-rapport 2024" / "kf-rapport" (the whole period) / "kf-rapport 2023-2024". */
export function parseKfPeriod(folded: string, agreement: Agreement): FollowUpPeriodQuery {
  const text = folded.trim();
  const whole = wholePeriod(agreement);
  if (text === '' || text === whole.key || text === whole.key.replace('-', ' ') || /^hela(?: perioden)?$/.test(text))
    return { ok: true, period: whole };
  const m = /^(?:ar\s+)?(\d{4})$/.exec(text);
  if (!m) return { ok: false, reason: 'notUnderstood' };
  const p = yearPeriod(agreement, Number(m[1]));
  return p ? { ok: true, period: p } : { ok: false, reason: 'notInAgreement' };
}

// ---------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------

const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
/** Days from `from` to `to`, both inclusive. */
const daysIn = (from: string, to: string): number => dayNumber(to) - dayNumber(from) + 1;

/** The tertials of the agreement from its start to `to`: the trend's buckets. */
function tertialsUpTo(agreement: Agreement, to: string): { key: string; from: string; to: string }[] {
  const out: { key: string; from: string; to: string }[] = [];
  for (let t = tertialOfLocalDate(agreement.periodStart); ; t = addTertials(t, 1)) {
    const { first, last } = tertialLocalDates(t);
    if (first > to) break;
    out.push({
      key: t,
      from: first < agreement.periodStart ? agreement.periodStart : first,
      to: last > to ? to : last,
    });
  }
  return out;
}

/** The summed count of an activity's cells dated within [from, to]. */
function countBetween(cells: Iterable<{ date: string; count: number }>, from: string, to: string): number {
  let n = 0;
  for (const c of cells) if (c.date >= from && c.date <= to) n += c.count;
  return n;
}

export interface DraftInput {
  agreement: Agreement;
  period: FollowUpPeriod;
  kind?: FollowUpDocument['kind'];
  /** Running totals of the agreement's reports (ReportRepository.tally). */
  tally: ReportTally;
  /**
   * The agreement's reports of the period (any may be withdrawn: they are skipped): only their
   * sub-counts are read, the counts come from the tally.
   */
  reports: ReadonlyArray<Readonly<WeeklyReport>>;
  /** Narrative per pledge number. */
  narratives?: Readonly<Record<string, string>>;
  /** The KF report: the signed narratives per pledge, oldest first. */
  signedNarratives?: Readonly<Record<string, { periodKey: string; narrative: string }[]>>;
  revision?: number;
  approvals?: FollowUpDocument['approvals'];
  communications?: FollowUpDocument['communications'];
  /** Local date the document is produced. */
  today: string;
}

/** Rounds a pro-rata target: 19.97 of 30 after two tertials of 2023 is 20. */
const roundTarget = (n: number): number => Math.round(n);

/**
 * The part of an activity's target due by the period's end. perYear: the yearly count pro rata of
 * the days of that year (within the agreement) up to the period's end; perPeriod: pro rata of the
 * agreement's days. For a year or the whole period, the whole target of that span.
 */
export function targetToDateOf(
  target: FollowUpActivityOutcome['target'],
  agreement: Agreement,
  period: FollowUpPeriod,
): number | undefined {
  if (target.kind === 'none') return undefined;
  const total = daysIn(agreement.periodStart, agreement.periodEnd);
  if (period.kind === 'period') {
    if (target.kind === 'perPeriod') return target.count;
    // Whole years count whole; a part-year pro rata of its days.
    let sum = 0;
    for (let y = Number(period.from.slice(0, 4)); y <= Number(period.to.slice(0, 4)); y++) {
      const yp = yearPeriod(agreement, y)!;
      sum += (target.count * daysIn(yp.from, yp.to)) / daysIn(`${y}-01-01`, `${y}-12-31`);
    }
    return roundTarget(sum);
  }
  const end = period.to;
  if (target.kind === 'perPeriod') return roundTarget((target.count * daysIn(agreement.periodStart, end)) / total);
  const year = end.slice(0, 4);
  const yearStart = `${year}-01-01`;
  const from = agreement.periodStart > yearStart ? agreement.periodStart : yearStart;
  return roundTarget((target.count * daysIn(from, end)) / daysIn(yearStart, `${year}-12-31`));
}

/** Sums the sub-counts of an activity's countable reports dated within the period. */
function subcountsOf(
  reports: ReadonlyArray<Readonly<WeeklyReport>>,
  activityId: string,
  subcategories: { id: string; name: string }[],
  period: FollowUpPeriod,
): FollowUpActivityOutcome['subcounts'] {
  if (subcategories.length === 0) return [];
  const sums = new Map(subcategories.map((s) => [s.id, 0]));
  for (const r of reports) {
    if (r.activityId !== activityId || !r.subcounts || !isCountable(r as WeeklyReport)) continue;
    if (r.date < period.from || r.date > period.to) continue;
    for (const [id, n] of Object.entries(r.subcounts)) if (sums.has(id)) sums.set(id, sums.get(id)! + n);
  }
  return subcategories.map((s) => ({ id: s.id, name: s.name, count: sums.get(s.id)! }));
}

/**
 * The follow-up document of a period (or the KF report of a year or the whole period): per pledge
 * each activity's count in the period, the year to date against the part of its target due by the
 * period's end, its sub-counts and its trend per tertial, with the narratives given. Pure: every
 * figure from the tally and reports handed in.
 */
export function buildFollowUpDocument(input: DraftInput): FollowUpDocument {
  const { agreement, period, tally } = input;
  const kind = input.kind ?? 'follow-up';
  const cellsOf = new Map<string, { date: string; count: number }[]>();
  for (const act of tally.activities(agreement.id)) {
    const list = cellsOf.get(act.activityId) ?? [];
    for (const c of act.cells.values()) list.push(c);
    cellsOf.set(act.activityId, list);
  }
  const year = period.to.slice(0, 4);
  const yearFrom = agreement.periodStart > `${year}-01-01` ? agreement.periodStart : `${year}-01-01`;
  const trendBuckets = tertialsUpTo(agreement, period.to);
  const pledges: FollowUpPledge[] = [...agreement.pledges]
    .sort((a, b) => a.number - b.number)
    .map((pledge) => ({
      number: pledge.number,
      wording: pledge.wording,
      activities: agreement.activities
        .filter((a) => a.pledgeNumber === pledge.number)
        .map((activity): FollowUpActivityOutcome => {
          const cells = cellsOf.get(activity.id) ?? [];
          const periodCount = countBetween(cells, period.from, period.to);
          const yearToDate = countBetween(cells, yearFrom, period.to);
          const targetToDate = targetToDateOf(activity.target, agreement, period);
          // Against what: a year or the whole period against its whole target; a follow-up point
          // against the part due by its end (perYear: the year to date; perPeriod: since the start).
          const measured =
            kind === 'kf-report' || period.kind === 'year' || period.kind === 'period'
              ? periodCount
              : activity.target.kind === 'perPeriod'
                ? countBetween(cells, agreement.periodStart, period.to)
                : yearToDate;
          return {
            activityId: activity.id,
            wording: activity.wording,
            unit: activity.unit,
            owner: activity.owner,
            target: activity.target,
            periodCount,
            subcounts: subcountsOf(input.reports, activity.id, activity.subcategories ?? [], period),
            yearToDate,
            ...(targetToDate !== undefined ? { targetToDate, met: measured >= targetToDate } : {}),
            trend: trendBuckets.map((b) => ({ key: b.key, count: countBetween(cells, b.from, b.to) })),
          };
        }),
      narrative: input.narratives?.[String(pledge.number)] ?? '',
      signedNarratives: [...(input.signedNarratives?.[String(pledge.number)] ?? [])],
    }));
  const approvals = [...(input.approvals ?? [])];
  return {
    kind,
    agreementId: agreement.id,
    municipality: agreement.municipality,
    policeArea: agreement.policeArea,
    agreementPeriod: `${agreement.periodStart.slice(0, 4)}–${agreement.periodEnd.slice(0, 4)}`.replace(
      /^(\d{4})–\1$/,
      '$1',
    ),
    period,
    revision: input.revision ?? 1,
    signed: isSigned(approvals),
    approvals,
    communications: [...(input.communications ?? [])],
    pledges,
    generatedOn: input.today,
  };
}

/** Both parties approved. */
export const isSigned = (approvals: readonly { party: ReportingParty }[]): boolean =>
  approvals.some((a) => a.party === 'Polisen') && approvals.some((a) => a.party === 'Kommunen');

/** Whether the figures of two drafts differ (a late or edited report since the revision was made). */
export function figuresDiffer(a: readonly FollowUpPledge[], b: readonly FollowUpPledge[]): boolean {
  const figures = (p: readonly FollowUpPledge[]) =>
    JSON.stringify(p.map((x) => x.activities.map((o) => [o.activityId, o.periodCount, o.yearToDate, o.subcounts])));
  return figures(a) !== figures(b);
}

// ---------------------------------------------------------------------------
// Narratives and the starting point from flagged reports
// ---------------------------------------------------------------------------

export const MAX_NARRATIVE_LENGTH = 2000;
export const MAX_STARTING_POINT_ITEMS = 8;

export type NarrativeError = { code: 'tooLong'; max: number } | { code: 'personalData'; kinds: PrivacyFindingKind[] };

/** A narrative as typed: trimmed, at most MAX_NARRATIVE_LENGTH, and through the privacy guard. */
export function validateNarrative(raw: unknown): { ok: true; value: string } | { ok: false; error: NarrativeError } {
  const text = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
  if (text.length > MAX_NARRATIVE_LENGTH) return { ok: false, error: { code: 'tooLong', max: MAX_NARRATIVE_LENGTH } };
  const kinds = personalDataKinds([text]);
  if (kinds.length > 0) return { ok: false, error: { code: 'personalData', kinds } };
  return { ok: true, value: text };
}

/**
 * A starting point for a pledge's narrative: the free texts of the period's reports flagged "ta upp
 * på nästa möte" for that pledge, newest first, one line each, only texts that pass the privacy
 * guard (a failing text is left out whole, never shortened or masked).
 */
export function narrativeStartingPoint(
  reports: ReadonlyArray<Readonly<WeeklyReport>>,
  pledgeNumber: number,
  period: FollowUpPeriod,
): { lines: string[]; leftOut: number } {
  const flagged = reports
    .filter(
      (r) =>
        r.raiseAtNextMeeting &&
        !r.withdrawn &&
        r.pledgeNumber === pledgeNumber &&
        r.date >= period.from &&
        r.date <= period.to &&
        r.description.trim() !== '',
    )
    .sort((a, b) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt));
  const lines: string[] = [];
  let leftOut = 0;
  for (const r of flagged) {
    const text = r.description.replace(/\s+/g, ' ').trim();
    if (personalDataKinds([text]).length > 0) {
      leftOut++;
      continue;
    }
    if (lines.length < MAX_STARTING_POINT_ITEMS && !lines.includes(`– ${text}`)) lines.push(`– ${text}`);
  }
  return { lines, leftOut };
}

// ---------------------------------------------------------------------------
// "Kommunicerat till medborgarna"
// ---------------------------------------------------------------------------

export const COMMUNICATION_CHANNELS: readonly CommunicationChannel[] = [
  'polisen.se',
  'kommunens-webbplats',
  'sociala-medier',
  'medborgardialog',
  'lokalpress',
  'annat',
];
export const MAX_NOTE_LENGTH = 500;
export const MAX_URL_LENGTH = 500;

export type CommunicationField = 'channel' | 'date' | 'url' | 'note';
export type CommunicationError =
  | { field: CommunicationField; code: 'required' | 'invalid' | 'future' | 'beforePeriod' | 'tooLong' }
  | { field: 'note' | 'url'; code: 'personalData'; kinds: PrivacyFindingKind[] };

export interface CommunicationInput {
  channel: CommunicationChannel;
  date: string;
  url?: string;
  note?: string;
}

/** A published-where-and-when as typed on the card: channel, date (not in the future), http(s) link, note. */
export function validateCommunication(
  raw: Record<string, unknown>,
  ctx: { today: string; periodFrom: string },
): { ok: true; value: CommunicationInput } | { ok: false; errors: CommunicationError[] } {
  const s = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const errors: CommunicationError[] = [];
  const channel = s(raw.channel);
  if (channel === '') errors.push({ field: 'channel', code: 'required' });
  else if (!(COMMUNICATION_CHANNELS as readonly string[]).includes(channel))
    errors.push({ field: 'channel', code: 'invalid' });
  const date = s(raw.date);
  if (date === '') errors.push({ field: 'date', code: 'required' });
  else if (!isValidLocalDate(date)) errors.push({ field: 'date', code: 'invalid' });
  else if (date > ctx.today) errors.push({ field: 'date', code: 'future' });
  else if (date < ctx.periodFrom) errors.push({ field: 'date', code: 'beforePeriod' });
  const url = s(raw.url);
  if (url.length > MAX_URL_LENGTH) errors.push({ field: 'url', code: 'tooLong' });
  else if (url !== '' && !isHttpUrl(url)) errors.push({ field: 'url', code: 'invalid' });
  const note = s(raw.note);
  if (note.length > MAX_NOTE_LENGTH) errors.push({ field: 'note', code: 'tooLong' });
  // The note and the link together: an e-mail address or a personnummer in a query string is refused too.
  const kinds = personalDataKinds([note, url]);
  if (kinds.length > 0) errors.push({ field: 'note', code: 'personalData', kinds });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      channel: channel as CommunicationChannel,
      date,
      ...(url ? { url } : {}),
      ...(note ? { note } : {}),
    },
  };
}

/** An absolute http: or https: URL with a host and no credentials. */
export function isHttpUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    const u = new URL(text);
    return (
      (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.') && !u.username && !u.password
    );
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// The stored follow-up: revisions, approvals, communications
// ---------------------------------------------------------------------------

const FollowUpOutcomeSchema = z.object({
  activityId: z.string(),
  wording: z.string(),
  unit: z.string(),
  owner: PartySchema,
  target: TargetSchema,
  periodCount: z.number(),
  subcounts: z.array(z.object({ id: z.string(), name: z.string(), count: z.number() })),
  yearToDate: z.number(),
  targetToDate: z.number().optional(),
  met: z.boolean().optional(),
  trend: z.array(z.object({ key: z.string(), count: z.number() })),
});

export const FollowUpPledgeSchema = z.object({
  number: z.number().int().positive(),
  wording: z.string(),
  activities: z.array(FollowUpOutcomeSchema),
  narrative: z.string(),
  signedNarratives: z.array(z.object({ periodKey: z.string(), narrative: z.string() })).default([]),
});

export const FOLLOW_UP_CHANGES = ['created', 'narrative', 'refreshed'] as const;

const ApprovalSchema = z.object({ party: ReportingPartySchema, at: z.string(), by: z.string() });

/**
 * One follow-up of one agreement and period, as stored. `pledges` are the figures and narratives
 * of the current revision: frozen when the revision was made (a late report changes nothing until
 * a coordinator refreshes, which makes a new revision). Any new revision clears the approvals;
 * `history` keeps what each earlier revision was and who of which party had approved it.
 * `version` grows with every write: the store writes only over the version it was given.
 */
export const StoredFollowUpSchema = z.object({
  agreementId: z.string().min(1),
  periodKey: z.string().min(1),
  period: z.object({
    kind: z.enum(['tertial', 'quarter', 'half-year', 'year', 'period']),
    key: z.string(),
    from: z.string(),
    to: z.string(),
  }),
  version: z.number().int().positive(),
  revision: z.number().int().positive(),
  revisionAt: z.string(),
  revisionBy: z.string(),
  revisionChange: z.enum(FOLLOW_UP_CHANGES),
  pledges: z.array(FollowUpPledgeSchema),
  approvals: z.array(ApprovalSchema),
  history: z.array(
    z.object({
      revision: z.number().int().positive(),
      at: z.string(),
      change: z.enum(FOLLOW_UP_CHANGES),
      approvals: z.array(ApprovalSchema),
    }),
  ),
  /** The narratives of the last revision both parties signed (for the KF report). */
  lastSigned: z
    .object({ revision: z.number().int().positive(), at: z.string(), narratives: z.record(z.string(), z.string()) })
    .optional(),
  communications: z.array(
    z.object({
      channel: z.enum(COMMUNICATION_CHANNELS as unknown as [CommunicationChannel, ...CommunicationChannel[]]),
      date: z.string(),
      url: z.string().optional(),
      note: z.string().optional(),
      at: z.string(),
      by: z.string(),
      party: ReportingPartySchema.optional(),
    }),
  ),
});
export type StoredFollowUp = z.infer<typeof StoredFollowUpSchema>;

export const followUpKey = (agreementId: string, periodKey: string): string => `${agreementId}:${periodKey}`;

/** The narratives of a revision's pledges by pledge number (empty ones left out). */
export function narrativesOf(pledges: readonly FollowUpPledge[]): Record<string, string> {
  return Object.fromEntries(pledges.filter((p) => p.narrative !== '').map((p) => [String(p.number), p.narrative]));
}

/**
 * A new revision of a follow-up (or its first): the given figures and narratives, approvals
 * cleared, the previous revision kept in the history.
 */
export function newRevision(
  previous: StoredFollowUp | undefined,
  next: {
    agreementId: string;
    period: FollowUpPeriod;
    pledges: FollowUpPledge[];
    at: string;
    by: string;
    change: StoredFollowUp['revisionChange'];
  },
): StoredFollowUp {
  return {
    agreementId: next.agreementId,
    periodKey: next.period.key,
    period: next.period,
    version: (previous?.version ?? 0) + 1,
    revision: (previous?.revision ?? 0) + 1,
    revisionAt: next.at,
    revisionBy: next.by,
    revisionChange: next.change,
    pledges: next.pledges,
    approvals: [],
    history: previous
      ? [
          ...previous.history,
          {
            revision: previous.revision,
            at: previous.revisionAt,
            change: previous.revisionChange,
            approvals: previous.approvals,
          },
        ]
      : [],
    ...(previous?.lastSigned ? { lastSigned: previous.lastSigned } : {}),
    communications: previous?.communications ?? [],
  };
}

/** The stored follow-up as the document the renderers consume (approvers never named). */
export function documentOf(stored: StoredFollowUp, agreement: Agreement, today: string): FollowUpDocument {
  return {
    kind: 'follow-up',
    agreementId: agreement.id,
    municipality: agreement.municipality,
    policeArea: agreement.policeArea,
    agreementPeriod: `${agreement.periodStart.slice(0, 4)}–${agreement.periodEnd.slice(0, 4)}`.replace(
      /^(\d{4})–\1$/,
      '$1',
    ),
    period: stored.period,
    revision: stored.revision,
    signed: isSigned(stored.approvals),
    approvals: stored.approvals.map((a) => ({ party: a.party, at: a.at })),
    communications: stored.communications.map((c) => ({
      channel: c.channel,
      date: c.date,
      ...(c.url ? { url: c.url } : {}),
      ...(c.note ? { note: c.note } : {}),
    })),
    pledges: stored.pledges.map((p) => ({ ...p, activities: p.activities.map((a) => ({ ...a })) })),
    generatedOn: today,
  };
}

/** Whether a follow-up was signed (at some revision) and nothing about it was communicated yet. */
export const awaitsCommunication = (f: StoredFollowUp): boolean => !!f.lastSigned && f.communications.length === 0;
