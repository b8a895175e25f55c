/**
 * Påminnelsepolicy: vad som ska skickas när. Rena funktioner utan I/O och utan klocka — "nu" och
 * föregående kontroll är parametrar. Leveransen (ledger, omförsök, proaktiva meddelanden) ligger
 * i schemaläggaren; den här modulen bestämmer bara vilka förekomster (occurrences) som är aktuella.
 *
 * Fyra slag av förekomster, var och en med en stabil nyckel för exakt-en-gång-leverans:
 *
 * | kind             | nyckel                                             | när                                                           | giltig till (expiresAt)            |
 * |------------------|----------------------------------------------------|---------------------------------------------------------------|------------------------------------|
 * | `weekly`         | `weekly:2024-W11:<aadObjectId>`                    | veckodag + klockslag; helgdag → föregående arbetsdag i veckan  | veckans slut (måndag 00:00)        |
 * | `meetingDigest`  | `meeting-digest:<id>:r<revision>:3wd` / `:morning` | n arbetsdagar före mötet kl. digestTime; mötesdagens morgon   | mötets start                       |
 * | `tertialSummary` | `tertial-summary:<agreementId>:2024-T1`            | tertialens sista arbetsdag kl. tertialSummaryTime             | 7 dagar efter                      |
 * | `periodWarning`  | `period-warning:<agreementId>:90`                  | 90/30 dagar före periodEnd kl. 09:00 (→ föregående arbetsdag)  | slutet av periodEnd (00:00 dagen efter) |
 *
 * `dueReminders` ger förekomster med `lastCheck < dueAt <= now`: de som fortfarande är
 * användbara (`now < expiresAt`) i `due`, övriga i `expired` (loggas som överhoppade).
 * Schemaläggaren kontrollerar själv sin ledger för redan skickade nycklar.
 */
import { z } from 'zod';
import { REPORTING_PARTIES } from './party.js';
import {
  addLocalDays,
  DEFAULT_ZONE,
  isoWeekOfLocalDate,
  isWorkingDay,
  localDateOf,
  localDateTimeToInstant,
  mondayOfWeek,
  parseLocalDate,
  subtractWorkingDays,
  tertialLocalDates,
  tertialOfLocalDate,
  addTertials,
  addWeeks,
  compareWeeks,
  weekEnd,
  workingDayOnOrBefore,
  type IsoWeek,
  type LocalDate,
  type Tertial,
} from './calendar.js';

// ---------------------------------------------------------------------------
// Inställningar
// ---------------------------------------------------------------------------

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'ska vara ett klockslag på formen HH:mm, t.ex. 13:00');

export const ReminderSettingsSchema = z.object({
  /** ISO-veckodag för veckopåminnelsen: måndag = 1 … söndag = 7 (4 = torsdag). */
  weeklyWeekday: z.number().int().min(1, 'ska vara 1–7 (måndag–söndag)').max(7, 'ska vara 1–7 (måndag–söndag)'),
  weeklyTime: hhmm,
  /** Sammanfattning inför möte: så många arbetsdagar före mötesdagen (0 = samma dag). */
  digestWorkingDaysBefore: z.array(z.number().int().min(0, 'ska vara 0 eller fler arbetsdagar').max(60)).max(10),
  digestTime: hhmm,
  /** Sammanfattning på mötesdagens morgon (hoppas över om mötet börjar senast då). */
  morningDigest: z.boolean(),
  morningTime: hhmm,
  tertialSummaryTime: hhmm,
  /** Varningar så många kalenderdagar före periodEnd. */
  periodWarningDays: z.array(z.number().int().min(1, 'ska vara minst 1 dag').max(730)).max(10),
  periodWarningTime: hhmm,
  zone: z.string().min(1),
});
export type ReminderSettings = z.infer<typeof ReminderSettingsSchema>;

export const DEFAULT_REMINDER_SETTINGS: Readonly<ReminderSettings> = Object.freeze({
  weeklyWeekday: 4,
  weeklyTime: '13:00',
  digestWorkingDaysBefore: [3],
  digestTime: '08:00',
  morningDigest: true,
  morningTime: '07:30',
  tertialSummaryTime: '14:00',
  periodWarningDays: [90, 30],
  periodWarningTime: '09:00',
  zone: DEFAULT_ZONE,
});

/** Hur länge en missad tertialsammanfattning fortfarande skickas (dagar efter dueAt). */
export const TERTIAL_SUMMARY_GRACE_DAYS = 7;

/**
 * Slår ihop delvisa inställningar med standardvärdena och validerar. Fel anges per fält
 * (samma form som `parseAgreement`).
 */
export function parseReminderSettings(
  input: Partial<ReminderSettings> | undefined,
): { ok: true; value: ReminderSettings } | { ok: false; errors: { path: string; message: string }[] } {
  const merged = { ...DEFAULT_REMINDER_SETTINGS, ...(input ?? {}) };
  const result = ReminderSettingsSchema.safeParse(merged);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((i) => ({ path: i.path.join('.') || '(roten)', message: i.message })),
  };
}

// ---------------------------------------------------------------------------
// Indata och förekomster
// ---------------------------------------------------------------------------

/** Det policyn behöver av ett medborgarlöfte (en hel `Agreement` duger). */
export interface AgreementPeriod {
  id: string;
  periodStart: LocalDate;
  periodEnd: LocalDate;
}

/** Det policyn behöver av en rapportör (en `Reporter` från ports.ts duger). */
export interface ReporterLike {
  aadObjectId: string;
  active: boolean;
  /** Frånvarande till och med detta lokala datum. */
  absentUntil?: string;
}

/** Det policyn behöver av ett möte (en `Meeting` från ports.ts duger). */
export interface MeetingLike {
  id: string;
  /** Om satt och skilt från löftets id ignoreras mötet. */
  agreementId?: string;
  /** Lokalt datum 'YYYY-MM-DD' (i inställningarnas zon). */
  date: string;
  /** Lokalt klockslag 'HH:mm'. */
  time: string;
  revision: number;
  /** Inställt möte (truthy) ger inga förekomster. */
  cancelled?: unknown;
}

export type DueReminderKind = 'weekly' | 'meetingDigest' | 'tertialSummary' | 'periodWarning';

/** Tillfälle för en mötessammanfattning: `<n>wd` (n arbetsdagar före) eller `morning`. */
export type MeetingDigestSlot = `${number}wd` | 'morning';

export interface DueReminder {
  /** Stabil nyckel för exakt-en-gång-leverans (se modulkommentaren). */
  key: string;
  kind: DueReminderKind;
  /** När förekomsten ska skickas (tidpunkt). */
  dueAt: Date;
  /** Från och med denna tidpunkt skickas den inte längre (den loggas som överhoppad). */
  expiresAt: Date;
  agreementId: string;
  /** Det lokala datumet för dueAt (efter flytt från helgdag). */
  localDate: LocalDate;
  /** weekly: veckan påminnelsen gäller. */
  week?: IsoWeek;
  /** weekly: rapportören som ska påminnas (en förekomst per rapportör). */
  reporterId?: string;
  /** weekly: samma som [reporterId], för leveranser som skickar till en lista. */
  recipients?: string[];
  /** meetingDigest */
  meetingId?: string;
  meetingRevision?: number;
  meetingSlot?: MeetingDigestSlot;
  /** meetingDigest: mötets start (= expiresAt). */
  meetingStart?: Date;
  /** meetingDigest med slot `<n>wd`: n. */
  workingDaysBefore?: number;
  /** tertialSummary */
  tertial?: Tertial;
  /** periodWarning: kalenderdagar före periodEnd (före eventuell flytt till arbetsdag). */
  daysBefore?: number;
  /** periodWarning: löftets periodEnd. */
  periodEnd?: LocalDate;
}

export interface DueInput {
  now: Date;
  /**
   * Exklusiv nedre gräns: tidpunkten för förra kontrollen. Vid första start: `now` minus en
   * tillbakablick (t.ex. 7 dagar, se `DEFAULT_LOOKBACK_MS`).
   */
  lastCheck: Date;
  agreement: AgreementPeriod;
  reporters: readonly ReporterLike[];
  /** AAD-id:n för dem som har rapporterat den veckan. Anropas bara för veckor med en förekomst i fönstret. */
  reportedThisWeek: (week: IsoWeek) => ReadonlySet<string>;
  meetings: readonly MeetingLike[];
  settings?: ReminderSettings;
}

export interface DueResult {
  /** Ska skickas nu (sorterade på dueAt, sedan nyckel). */
  due: DueReminder[];
  /** Förföll medan boten var nere: loggas som överhoppade, skickas inte. */
  expired: DueReminder[];
  /** Möten med ogiltigt datum/klockslag; de ger inga förekomster. */
  invalidMeetings: string[];
}

/** Föreslagen tillbakablick för `lastCheck` vid första start. */
export const DEFAULT_LOOKBACK_MS = 7 * 86_400_000;

// ---------------------------------------------------------------------------
// Nycklar
// ---------------------------------------------------------------------------

export function weeklyKey(week: IsoWeek, aadObjectId: string): string {
  return `weekly:${week}:${aadObjectId}`;
}

export function meetingDigestKey(meetingId: string, revision: number, slot: MeetingDigestSlot): string {
  return `meeting-digest:${meetingId}:r${revision}:${slot}`;
}

export function tertialSummaryKey(agreementId: string, tertial: Tertial): string {
  return `tertial-summary:${agreementId}:${tertial}`;
}

export function periodWarningKey(agreementId: string, daysBefore: number): string {
  return `period-warning:${agreementId}:${daysBefore}`;
}

// ---------------------------------------------------------------------------
// Tidpunkter
// ---------------------------------------------------------------------------

/**
 * Det lokala datumet för veckopåminnelsen: veckans `weeklyWeekday`. Är den dagen inte en
 * arbetsdag (helg, helgdag, midsommarafton, julafton, nyårsafton) flyttas påminnelsen till
 * närmast föregående arbetsdag i samma ISO-vecka; finns ingen sådan (t.ex. annandag påsk en
 * måndag) till närmast följande arbetsdag i veckan; saknar veckan arbetsdagar helt gäller den
 * inställda dagen. Påminnelsen lämnar alltså aldrig sin vecka.
 */
export function weeklyReminderDate(week: IsoWeek, settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS): LocalDate {
  const monday = mondayOfWeek(week);
  const target = addLocalDays(monday, settings.weeklyWeekday - 1);
  for (let i = settings.weeklyWeekday - 1; i >= 0; i--) {
    const d = addLocalDays(monday, i);
    if (isWorkingDay(d)) return d;
  }
  for (let i = settings.weeklyWeekday; i <= 6; i++) {
    const d = addLocalDays(monday, i);
    if (isWorkingDay(d)) return d;
  }
  return target;
}

/** Veckopåminnelsens tidpunkt (se `weeklyReminderDate`), kl. `weeklyTime` i zonen. */
export function weeklyReminderInstant(week: IsoWeek, settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS): Date {
  return localDateTimeToInstant(weeklyReminderDate(week, settings), settings.weeklyTime, settings.zone);
}

export interface MeetingDigestInstant {
  slot: MeetingDigestSlot;
  /** För `<n>wd`: n; för `morning`: undefined. */
  workingDaysBefore?: number;
  dueAt: Date;
  /** Mötets start: förekomsten förfaller då. */
  meetingStart: Date;
}

/**
 * Sammanfattningarna inför ett möte, sorterade på tid. Inställt möte ger []. För varje n i
 * `digestWorkingDaysBefore`: n arbetsdagar före mötesdagen kl. `digestTime`; med `morningDigest`
 * mötesdagen kl. `morningTime`. Ett tillfälle som inte ligger före mötets start tas bort (t.ex.
 * morgonsammanfattningen för ett möte kl. 07:00). Dubbletter (samma tidpunkt) slås ihop till det
 * första tillfället. Ogiltigt datum/klockslag ger RangeError.
 */
export function meetingDigestInstants(
  meeting: MeetingLike,
  settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS,
): MeetingDigestInstant[] {
  if (meeting.cancelled) return [];
  const meetingStart = localDateTimeToInstant(meeting.date, meeting.time, settings.zone);
  const out: MeetingDigestInstant[] = [];
  const seen = new Set<number>();
  for (const n of [...new Set(settings.digestWorkingDaysBefore)].sort((a, b) => b - a)) {
    const dueAt = localDateTimeToInstant(subtractWorkingDays(meeting.date, n), settings.digestTime, settings.zone);
    if (dueAt.getTime() >= meetingStart.getTime() || seen.has(dueAt.getTime())) continue;
    seen.add(dueAt.getTime());
    out.push({ slot: `${n}wd`, workingDaysBefore: n, dueAt, meetingStart });
  }
  if (settings.morningDigest) {
    const dueAt = localDateTimeToInstant(meeting.date, settings.morningTime, settings.zone);
    if (dueAt.getTime() < meetingStart.getTime() && !seen.has(dueAt.getTime())) {
      out.push({ slot: 'morning', dueAt, meetingStart });
    }
  }
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** Tertialsammanfattningens lokala datum: tertialens sista arbetsdag (30 apr, 31 aug, 31 dec eller före). */
export function tertialSummaryDate(tertial: Tertial): LocalDate {
  return workingDayOnOrBefore(tertialLocalDates(tertial).last);
}

/** Tertialsammanfattningens tidpunkt: sista arbetsdagen kl. `tertialSummaryTime`. */
export function tertialSummaryInstant(tertial: Tertial, settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS): Date {
  return localDateTimeToInstant(tertialSummaryDate(tertial), settings.tertialSummaryTime, settings.zone);
}

/** Tertialer vars sista dag ligger inom löftets period, i tidsordning. */
export function tertialsEndingInPeriod(agreement: AgreementPeriod): Tertial[] {
  const out: Tertial[] = [];
  for (let t = tertialOfLocalDate(agreement.periodStart); ; t = addTertials(t, 1)) {
    const { last } = tertialLocalDates(t);
    if (last > agreement.periodEnd) break;
    if (last >= agreement.periodStart) out.push(t);
  }
  return out;
}

export interface PeriodWarningInstant {
  daysBefore: number;
  /** Lokalt datum efter flytt till arbetsdag. */
  localDate: LocalDate;
  dueAt: Date;
}

/**
 * Varningarna före periodens slut, störst antal dagar först: periodEnd minus n kalenderdagar,
 * flyttad till närmast föregående arbetsdag, kl. `periodWarningTime`. En varning som skulle
 * hamna före periodStart (kort period) utelämnas.
 */
export function periodWarningInstants(
  agreement: AgreementPeriod,
  settings: ReminderSettings = DEFAULT_REMINDER_SETTINGS,
): PeriodWarningInstant[] {
  const out: PeriodWarningInstant[] = [];
  for (const n of [...new Set(settings.periodWarningDays)].sort((a, b) => b - a)) {
    const localDate = workingDayOnOrBefore(addLocalDays(agreement.periodEnd, -n));
    if (localDate < agreement.periodStart) continue;
    out.push({ daysBefore: n, localDate, dueAt: localDateTimeToInstant(localDate, settings.periodWarningTime, settings.zone) });
  }
  return out;
}

/** Slutet av ett lokalt datum: midnatt dagen efter, som tidpunkt. */
function endOfLocalDate(date: LocalDate, zone: string): Date {
  return localDateTimeToInstant(addLocalDays(date, 1), '00:00', zone);
}

// ---------------------------------------------------------------------------
// Vad är aktuellt nu?
// ---------------------------------------------------------------------------

function requireInstant(d: Date, name: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(t)) throw new RangeError(`Ogiltig tidpunkt för ${name}`);
  return t;
}

/**
 * Förekomster med `lastCheck < dueAt <= now`, uppdelade i `due` (now < expiresAt) och `expired`.
 *
 * - weekly: en förekomst per aktiv rapportör som inte har rapporterat veckan och inte är
 *   frånvarande (absentUntil >= påminnelsens lokala datum). Bara om påminnelsens lokala datum
 *   ligger inom löftets period. Ingen förekomst om ingen saknas.
 * - meetingDigest: se `meetingDigestInstants`; inställda möten och möten för andra löften ger inga.
 *   Nyckeln innehåller mötets revision, så ett flyttat möte får nya förekomster.
 * - tertialSummary: tertialer som slutar inom perioden; giltig i 7 dagar.
 * - periodWarning: se `periodWarningInstants`; giltig till och med periodEnd.
 */
export function dueReminders(input: DueInput): DueResult {
  const settings = input.settings ?? DEFAULT_REMINDER_SETTINGS;
  const now = requireInstant(input.now, 'now');
  const lastCheck = requireInstant(input.lastCheck, 'lastCheck');
  const result: DueResult = { due: [], expired: [], invalidMeetings: [] };
  if (!parseLocalDate(input.agreement.periodStart) || !parseLocalDate(input.agreement.periodEnd)) {
    throw new RangeError(`Ogiltig period för löftet ${input.agreement.id}`);
  }
  if (lastCheck >= now) return result;

  const agreementId = input.agreement.id;
  const { zone } = settings;
  const inWindow = (dueAt: Date): boolean => dueAt.getTime() > lastCheck && dueAt.getTime() <= now;
  const place = (o: DueReminder): void => {
    (now < o.expiresAt.getTime() ? result.due : result.expired).push(o);
  };

  // Veckopåminnelser. En påminnelse ligger alltid i sin egen vecka, så det räcker att gå igenom
  // veckorna från lastCheck till now, begränsat till perioden (högst periodens längd i veckor).
  const { periodStart, periodEnd } = input.agreement;
  const fromDate = maxDate(localDateOf(input.lastCheck, zone), periodStart);
  const toDate = minDate(localDateOf(input.now, zone), periodEnd);
  if (fromDate <= toDate) {
    const lastWeek = isoWeekOfLocalDate(toDate);
    for (let week = isoWeekOfLocalDate(fromDate); compareWeeks(week, lastWeek) <= 0; week = addWeeks(week, 1)) {
      const localDate = weeklyReminderDate(week, settings);
      if (localDate < periodStart || localDate > periodEnd) continue;
      const dueAt = localDateTimeToInstant(localDate, settings.weeklyTime, zone);
      if (!inWindow(dueAt)) continue;
      const reported = input.reportedThisWeek(week);
      const expiresAt = weekEnd(week, zone);
      const seen = new Set<string>();
      for (const r of input.reporters) {
        if (!r.active || seen.has(r.aadObjectId)) continue;
        seen.add(r.aadObjectId);
        if (reported.has(r.aadObjectId)) continue;
        if (r.absentUntil !== undefined && r.absentUntil >= localDate) continue;
        place({
          key: weeklyKey(week, r.aadObjectId),
          kind: 'weekly',
          dueAt,
          expiresAt,
          agreementId,
          localDate,
          week,
          reporterId: r.aadObjectId,
          recipients: [r.aadObjectId],
        });
      }
    }
  }

  // Mötessammanfattningar.
  for (const m of input.meetings) {
    if (m.agreementId !== undefined && m.agreementId !== agreementId) continue;
    let instants: MeetingDigestInstant[];
    try {
      instants = meetingDigestInstants(m, settings);
    } catch (e) {
      if (e instanceof RangeError) {
        result.invalidMeetings.push(m.id);
        continue;
      }
      throw e;
    }
    for (const d of instants) {
      if (!inWindow(d.dueAt)) continue;
      place({
        key: meetingDigestKey(m.id, m.revision, d.slot),
        kind: 'meetingDigest',
        dueAt: d.dueAt,
        expiresAt: d.meetingStart,
        agreementId,
        localDate: localDateOf(d.dueAt, zone),
        meetingId: m.id,
        meetingRevision: m.revision,
        meetingSlot: d.slot,
        meetingStart: d.meetingStart,
        ...(d.workingDaysBefore !== undefined ? { workingDaysBefore: d.workingDaysBefore } : {}),
      });
    }
  }

  // Tertialsammanfattningar.
  for (const tertial of tertialsEndingInPeriod(input.agreement)) {
    const localDate = tertialSummaryDate(tertial);
    const dueAt = localDateTimeToInstant(localDate, settings.tertialSummaryTime, zone);
    if (!inWindow(dueAt)) continue;
    place({
      key: tertialSummaryKey(agreementId, tertial),
      kind: 'tertialSummary',
      dueAt,
      expiresAt: localDateTimeToInstant(addLocalDays(localDate, TERTIAL_SUMMARY_GRACE_DAYS), settings.tertialSummaryTime, zone),
      agreementId,
      localDate,
      tertial,
    });
  }

  // Varningar inför periodens slut.
  const periodEndsAt = endOfLocalDate(periodEnd, zone);
  for (const w of periodWarningInstants(input.agreement, settings)) {
    if (!inWindow(w.dueAt)) continue;
    place({
      key: periodWarningKey(agreementId, w.daysBefore),
      kind: 'periodWarning',
      dueAt: w.dueAt,
      expiresAt: periodEndsAt,
      agreementId,
      localDate: w.localDate,
      daysBefore: w.daysBefore,
      periodEnd,
    });
  }

  const order = (a: DueReminder, b: DueReminder): number =>
    a.dueAt.getTime() - b.dueAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  result.due.sort(order);
  result.expired.sort(order);
  return result;
}

function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}

function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}

// ---------------------------------------------------------------------------
// Innehållet i en sammanfattning inför möte
// ---------------------------------------------------------------------------

/** Det urvalet behöver av en rapport (en `WeeklyReport` duger). */
export interface FlaggableReport {
  date: LocalDate;
  createdAt: string;
  raiseAtNextMeeting?: boolean;
  withdrawn?: unknown;
}

/** Högst så många markerade rapporter i sammanfattningen; resten blir "och N till". */
export const MAX_DIGEST_ITEMS = 8;

/**
 * Rapporterna markerade "ta upp på nästa möte", nyast först (rapportens datum, sedan när den
 * skrevs), högst `limit`; `more` är hur många som inte fick plats. Återkallade tas aldrig med.
 * Det enda stället där sammanfattningens poster väljs: ett filter (t.ex. integritet) kan läggas runt.
 */
export function flaggedForMeeting<T extends FlaggableReport>(reports: readonly T[], limit: number = MAX_DIGEST_ITEMS): { items: T[]; more: number } {
  const flagged = reports
    .filter((r) => r.raiseAtNextMeeting && !r.withdrawn)
    .sort((a, b) => (a.date !== b.date ? (a.date < b.date ? 1 : -1) : a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  const n = Math.max(0, Math.floor(limit));
  return { items: flagged.slice(0, n), more: Math.max(0, flagged.length - n) };
}

/**
 * Hur många aktiva rapportörer per part som inte har rapporterat (och inte är borta `today`):
 * bara antal — namnen visas aldrig i en kanal.
 */
export function notReportedByParty<R extends ReporterLike & { party: string }>(
  reporters: readonly R[],
  reported: ReadonlySet<string>,
  today: LocalDate,
): { party: string; count: number }[] {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  for (const r of reporters) {
    if (!r.active || seen.has(r.aadObjectId)) continue;
    seen.add(r.aadObjectId);
    if (reported.has(r.aadObjectId) || (r.absentUntil !== undefined && r.absentUntil >= today)) continue;
    counts.set(r.party, (counts.get(r.party) ?? 0) + 1);
  }
  // In the order of REPORTING_PARTIES (Polisen, then Kommunen), then anything else in the order met.
  const rank = (p: string) => {
    const i = (REPORTING_PARTIES as readonly string[]).indexOf(p);
    return i < 0 ? REPORTING_PARTIES.length : i;
  };
  return [...counts].map(([party, count]) => ({ party, count })).sort((a, b) => rank(a.party) - rank(b.party));
}
