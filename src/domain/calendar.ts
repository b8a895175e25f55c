/**
 * Time in the product: ISO weeks, tertials, local dates and Swedish public holidays.
 *
 * Pure functions without I/O. Instants are plain JS `Date` (UTC); the time zone is always a
 * parameter defaulting to 'Europe/Stockholm'. Local dates are strings 'YYYY-MM-DD' and local
 * times 'HH:mm' (or 'HH:mm:ss').
 *
 * Invalid input (malformed strings, an unknown time zone, an invalid Date) throws `RangeError`,
 * except in `parseIsoWeek`/`parseTertial`/`parseLocalDate`, which return `null`.
 */
import { tzOffset } from '@date-fns/tz';

export const DEFAULT_ZONE = 'Europe/Stockholm';

/** ISO-8601 week, e.g. '2024-W12' (the week zero-padded). */
export type IsoWeek = string;
/** Tertial, e.g. '2024-T1' (T1 Jan–Apr, T2 May–Aug, T3 Sep–Dec). */
export type Tertial = string;
/** Local date 'YYYY-MM-DD'. */
export type LocalDate = string;

export interface SwedishHoliday {
  /** Local date 'YYYY-MM-DD'. */
  date: LocalDate;
  /** Swedish name, e.g. 'Kristi himmelsfärds dag'. */
  name: string;
  /**
   * true for days that are not public holidays by law but are days off in practice
   * (Midsummer Eve, Christmas Eve, New Year's Eve).
   */
  deFacto: boolean;
}

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------
// Internal helpers
// ---------------------------------------------------------------------------

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

interface Ymd {
  year: number;
  month: number; // 1–12
  day: number;
}

/**
 * Days since 1970-01-01 for a valid calendar date (proleptic Gregorian), computed without a
 * Date object (H. Hinnant's days_from_civil): called for every date compared.
 */
function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function ymdFromEpochDay(ed: number): Ymd {
  const d = new Date(ed * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function formatYmd({ year, month, day }: Ymd): LocalDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** ISO weekday: Monday = 1 … Sunday = 7. */
function isoWeekdayOfEpochDay(ed: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((ed + 3) % 7) + 7) % 7) + 1;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

function requireLocalDate(date: LocalDate): Ymd {
  const ymd = parseLocalDate(date);
  if (!ymd) throw new RangeError(`Ogiltigt datum (förväntat YYYY-MM-DD): ${JSON.stringify(date)}`);
  return ymd;
}

function requireInstant(instant: Date): number {
  const t = instant instanceof Date ? instant.getTime() : NaN;
  if (Number.isNaN(t)) throw new RangeError('Ogiltig tidpunkt (Invalid Date)');
  return t;
}

/** UTC offset in minutes of the zone at instant t (ms), straight from the time zone database. */
function zoneOffset(zone: string, t: number): number {
  const off = tzOffset(zone, new Date(t));
  if (Number.isNaN(off)) throw new RangeError(`Okänd tidszon: ${JSON.stringify(zone)}`);
  return off;
}

/**
 * Offsets by (zone, UTC minute). Every turn asks for today's date, so the same minute is asked
 * for again and again; Intl is slow. A minute is cached only when the offset at its first and at
 * its last millisecond agree, i.e. no transition falls inside it (zones change offset at most once
 * in a minute), so a cached value is exact for every instant of that minute. Bounded: started over
 * when full.
 */
const offsetCache = new Map<string, number>();
const MINUTE_MS = 60_000;

function offsetMinutes(zone: string, t: number): number {
  // Far outside any date the bot meets, the minute's end could fall outside the range of Date.
  if (!(Math.abs(t) < 8e15)) return zoneOffset(zone, t);
  const minute = Math.floor(t / MINUTE_MS);
  const key = `${zone} ${minute}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const start = minute * MINUTE_MS;
  const off = zoneOffset(zone, start);
  if (zoneOffset(zone, start + MINUTE_MS - 1) !== off) return zoneOffset(zone, t);
  if (offsetCache.size >= 4096) offsetCache.clear();
  offsetCache.set(key, off);
  return off;
}

function requireWeek(week: IsoWeek): { year: number; week: number } {
  const p = parseIsoWeek(week);
  if (!p) throw new RangeError(`Ogiltig ISO-vecka (förväntat YYYY-Www): ${JSON.stringify(week)}`);
  return p;
}

function requireTertial(t: Tertial): { year: number; tertial: 1 | 2 | 3 } {
  const p = parseTertial(t);
  if (!p) throw new RangeError(`Ogiltig tertial (förväntat YYYY-T1..T3): ${JSON.stringify(t)}`);
  return p;
}

// ---------------------------------------------------------------------------
// Local dates and times
// ---------------------------------------------------------------------------

/** Parses 'YYYY-MM-DD' and checks that the date exists. */
export function parseLocalDate(date: string): { year: number; month: number; day: number } | null {
  if (typeof date !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isValidLocalDate(date: string): boolean {
  return parseLocalDate(date) !== null;
}

/** The local date ('YYYY-MM-DD') of the instant in the zone. */
export function localDateOf(instant: Date, zone: string = DEFAULT_ZONE): LocalDate {
  const t = requireInstant(instant);
  const local = new Date(t + offsetMinutes(zone, t) * 60_000);
  return formatYmd({
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
  });
}

/** The local time ('HH:mm') of the instant in the zone. */
export function localTimeOf(instant: Date, zone: string = DEFAULT_ZONE): string {
  const t = requireInstant(instant);
  const local = new Date(t + offsetMinutes(zone, t) * 60_000);
  return `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

/**
 * Converts a local date + time ('HH:mm' or 'HH:mm:ss') in the zone to an instant.
 *
 * - Times that do not exist (the spring change to summer time, e.g. 2024-03-31 02:30 in
 *   Stockholm) are moved forward by the length of the gap (→ 03:30 CEST).
 * - Ambiguous times (the autumn change, e.g. 2024-10-27 02:30) give the first occurrence
 *   (02:30 CEST = 00:30Z).
 */
export function localDateTimeToInstant(date: LocalDate, time: string, zone: string = DEFAULT_ZONE): Date {
  const { year, month, day } = requireLocalDate(date);
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!m) throw new RangeError(`Ogiltigt klockslag (förväntat HH:mm): ${JSON.stringify(time)}`);
  const hh = Number(m[1]);
  const mm = Number(m[2]);
  const ss = m[3] === undefined ? 0 : Number(m[3]);
  if (hh > 23 || mm > 59 || ss > 59) throw new RangeError(`Ogiltigt klockslag: ${JSON.stringify(time)}`);

  // The wall clock read as if it were UTC.
  const wall = epochDay(year, month, day) * DAY_MS + ((hh * 60 + mm) * 60 + ss) * 1000;

  // The offsets before and after a possible change near the instant.
  const offBefore = offsetMinutes(zone, wall - DAY_MS);
  const offAfter = offsetMinutes(zone, wall + DAY_MS);

  const candidates: number[] = [];
  for (const off of offBefore === offAfter ? [offBefore] : [offBefore, offAfter]) {
    const t = wall - off * 60_000;
    if (offsetMinutes(zone, t) === off) candidates.push(t);
  }
  if (candidates.length > 0) return new Date(Math.min(...candidates));

  // Gap: read with the offset in force before the change, which gives an instant shown
  // locally the gap's length later (02:30 → 03:30).
  return new Date(wall - offBefore * 60_000);
}

/** Adds n days (may be negative) to a local date. */
export function addLocalDays(date: LocalDate, n: number): LocalDate {
  const { year, month, day } = requireLocalDate(date);
  return formatYmd(ymdFromEpochDay(epochDay(year, month, day) + Math.trunc(n)));
}

/** ISO weekday of a local date: Monday = 1 … Sunday = 7. */
export function isoWeekdayOfLocalDate(date: LocalDate): number {
  const { year, month, day } = requireLocalDate(date);
  return isoWeekdayOfEpochDay(epochDay(year, month, day));
}

// ---------------------------------------------------------------------------
// ISO weeks
// ---------------------------------------------------------------------------

/** Number of ISO weeks in the ISO week year (53 if 1 Jan is a Thursday, or a Wednesday in a leap year). */
export function weeksInYear(isoYear: number): 52 | 53 {
  const jan1 = isoWeekdayOfEpochDay(epochDay(isoYear, 1, 1));
  return jan1 === 4 || (jan1 === 3 && isLeapYear(isoYear)) ? 53 : 52;
}

function formatWeek(year: number, week: number): IsoWeek {
  return `${pad(year, 4)}-W${pad(week)}`;
}

/** Parses '2024-W12' and checks that the week exists in that year. */
export function parseIsoWeek(s: string): { year: number; week: number } | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{4})-W(\d{2})$/.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

export function isValidIsoWeek(s: string): boolean {
  return parseIsoWeek(s) !== null;
}

/** The ISO week of a local date 'YYYY-MM-DD'. */
export function isoWeekOfLocalDate(date: LocalDate): IsoWeek {
  const { year, month, day } = requireLocalDate(date);
  const ed = epochDay(year, month, day);
  // The week's Thursday decides the week year.
  const thursday = ed + (4 - isoWeekdayOfEpochDay(ed));
  const isoYear = ymdFromEpochDay(thursday).year;
  const week = Math.floor((thursday - epochDay(isoYear, 1, 1)) / 7) + 1;
  return formatWeek(isoYear, week);
}

/** The ISO week of the instant, judged in the zone's local time. */
export function isoWeekOf(instant: Date, zone: string = DEFAULT_ZONE): IsoWeek {
  return isoWeekOfLocalDate(localDateOf(instant, zone));
}

/** The Monday (local date) of the ISO week. */
export function mondayOfWeek(week: IsoWeek): LocalDate {
  const { year, week: w } = requireWeek(week);
  const jan4 = epochDay(year, 1, 4);
  const mondayWeek1 = jan4 - (isoWeekdayOfEpochDay(jan4) - 1);
  return formatYmd(ymdFromEpochDay(mondayWeek1 + (w - 1) * 7));
}

/** The week's start: Monday 00:00 local time, as an instant. */
export function weekStart(week: IsoWeek, zone: string = DEFAULT_ZONE): Date {
  return localDateTimeToInstant(mondayOfWeek(week), '00:00', zone);
}

/** The week's end (exclusive): the next Monday 00:00 local time, as an instant. */
export function weekEnd(week: IsoWeek, zone: string = DEFAULT_ZONE): Date {
  return localDateTimeToInstant(addLocalDays(mondayOfWeek(week), 7), '00:00', zone);
}

/** Adds n weeks (may be negative). */
export function addWeeks(week: IsoWeek, n: number): IsoWeek {
  return isoWeekOfLocalDate(addLocalDays(mondayOfWeek(week), Math.trunc(n) * 7));
}

/** Compares two ISO weeks: negative if a < b, 0 if equal, positive if a > b. */
export function compareWeeks(a: IsoWeek, b: IsoWeek): -1 | 0 | 1 {
  const pa = requireWeek(a);
  const pb = requireWeek(b);
  const d = pa.year !== pb.year ? pa.year - pb.year : pa.week - pb.week;
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Tertials
// ---------------------------------------------------------------------------

export function parseTertial(s: string): { year: number; tertial: 1 | 2 | 3 } | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{4})-T([123])$/.exec(s);
  if (!m) return null;
  return { year: Number(m[1]), tertial: Number(m[2]) as 1 | 2 | 3 };
}

/** The tertial of a local date, e.g. '2024-05-01' → '2024-T2'. */
export function tertialOfLocalDate(date: LocalDate): Tertial {
  const { year, month } = requireLocalDate(date);
  return `${pad(year, 4)}-T${Math.floor((month - 1) / 4) + 1}`;
}

/** The tertial of the instant, judged in the zone's local time. */
export function tertialOf(instant: Date, zone: string = DEFAULT_ZONE): Tertial {
  return tertialOfLocalDate(localDateOf(instant, zone));
}

/** First and last local date (inclusive) of the tertial. */
export function tertialLocalDates(t: Tertial): { first: LocalDate; last: LocalDate } {
  const { year, tertial } = requireTertial(t);
  const firstMonth = (tertial - 1) * 4 + 1;
  const lastMonth = firstMonth + 3;
  return {
    first: formatYmd({ year, month: firstMonth, day: 1 }),
    last: formatYmd({ year, month: lastMonth, day: daysInMonth(year, lastMonth) }),
  };
}

/** The tertial's span: from local midnight of its first day to local midnight after its last (exclusive). */
export function tertialRange(t: Tertial, zone: string = DEFAULT_ZONE): { start: Date; end: Date } {
  const { first, last } = tertialLocalDates(t);
  return {
    start: localDateTimeToInstant(first, '00:00', zone),
    end: localDateTimeToInstant(addLocalDays(last, 1), '00:00', zone),
  };
}

/** The last day (local date, inclusive) of the year's three tertials: [30 Apr, 31 Aug, 31 Dec]. */
export function tertialEndDates(year: number): [LocalDate, LocalDate, LocalDate] {
  return [
    tertialLocalDates(`${pad(year, 4)}-T1`).last,
    tertialLocalDates(`${pad(year, 4)}-T2`).last,
    tertialLocalDates(`${pad(year, 4)}-T3`).last,
  ];
}

/** Adds n tertials (may be negative). */
export function addTertials(t: Tertial, n: number): Tertial {
  const { year, tertial } = requireTertial(t);
  const idx = year * 3 + (tertial - 1) + Math.trunc(n);
  return `${pad(Math.floor(idx / 3), 4)}-T${(idx % 3) + 1}`;
}

// ---------------------------------------------------------------------------
// Swedish public holidays
// ---------------------------------------------------------------------------

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatYmd({ year, month, day });
}

/** The first day in [from, from+6] (within the month) with the given ISO weekday. */
function weekdayBetween(year: number, month: number, fromDay: number, isoWeekday: number): LocalDate {
  const start = epochDay(year, month, fromDay);
  const offset = (isoWeekday - isoWeekdayOfEpochDay(start) + 7) % 7;
  return formatYmd(ymdFromEpochDay(start + offset));
}

const holidayCache = new Map<number, SwedishHoliday[]>();

/**
 * Swedish public holidays of the year, sorted by date. Covers the public holidays by law and
 * the de facto days off Midsummer Eve, Christmas Eve and New Year's Eve (deFacto: true).
 */
export function swedishHolidays(year: number): SwedishHoliday[] {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new RangeError(`Ogiltigt år: ${year}`);
  }
  let list = holidayCache.get(year);
  if (!list) {
    const y = pad(year, 4);
    const easter = easterSunday(year);
    const legal = (date: LocalDate, name: string): SwedishHoliday => ({ date, name, deFacto: false });
    const deFacto = (date: LocalDate, name: string): SwedishHoliday => ({ date, name, deFacto: true });
    list = [
      legal(`${y}-01-01`, 'Nyårsdagen'),
      legal(`${y}-01-06`, 'Trettondedag jul'),
      legal(addLocalDays(easter, -2), 'Långfredagen'),
      legal(easter, 'Påskdagen'),
      legal(addLocalDays(easter, 1), 'Annandag påsk'),
      legal(`${y}-05-01`, 'Första maj'),
      legal(addLocalDays(easter, 39), 'Kristi himmelsfärds dag'),
      legal(`${y}-06-06`, 'Sveriges nationaldag'),
      legal(addLocalDays(easter, 49), 'Pingstdagen'),
      deFacto(weekdayBetween(year, 6, 19, 5), 'Midsommarafton'),
      legal(weekdayBetween(year, 6, 20, 6), 'Midsommardagen'),
      legal(weekdayBetween(year, 10, 31, 6), 'Alla helgons dag'),
      deFacto(`${y}-12-24`, 'Julafton'),
      legal(`${y}-12-25`, 'Juldagen'),
      legal(`${y}-12-26`, 'Annandag jul'),
      deFacto(`${y}-12-31`, 'Nyårsafton'),
    ];
    // Whit Sunday can in theory coincide with the National Day; keep both entries.
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    holidayCache.set(year, list);
  }
  return list.map((h) => ({ ...h }));
}

/** The name(s) of the holiday on the local date, or null. */
export function swedishHolidayName(date: LocalDate): string | null {
  const { year } = requireLocalDate(date);
  swedishHolidays(year); // fills the cache
  const names = holidayCache
    .get(year)!
    .filter((h) => h.date === date)
    .map((h) => h.name);
  return names.length > 0 ? names.join(' / ') : null;
}

/** true if the date is a holiday (including Midsummer Eve, Christmas Eve and New Year's Eve). */
export function isSwedishHoliday(date: LocalDate): boolean {
  return swedishHolidayName(date) !== null;
}

/** true if the date is Monday–Friday and not a holiday. */
export function isWorkingDay(date: LocalDate): boolean {
  return isoWeekdayOfLocalDate(date) <= 5 && !isSwedishHoliday(date);
}

/** The date itself if it is a working day, otherwise the nearest earlier working day. */
export function workingDayOnOrBefore(date: LocalDate): LocalDate {
  let d = date;
  while (!isWorkingDay(d)) d = addLocalDays(d, -1);
  return d;
}

/** The nearest earlier working day, strictly before the date. */
export function previousWorkingDay(date: LocalDate): LocalDate {
  return workingDayOnOrBefore(addLocalDays(date, -1));
}

/**
 * Goes n working days back from the date (the date itself does not count).
 * n = 0 returns the date unchanged; n = 1 is `previousWorkingDay`.
 * Example: subtractWorkingDays('2024-05-13', 2) → '2024-05-08'
 * (skips the weekend and Ascension Day on 9 May; Friday 10 May counts).
 */
export function subtractWorkingDays(date: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n måste vara ett heltal ≥ 0: ${n}`);
  let d = date;
  requireLocalDate(d);
  for (let i = 0; i < n; i++) d = previousWorkingDay(d);
  return d;
}

/** Month names and their usual short forms (folded), Swedish and English. */
export const MONTH_WORDS: readonly (readonly string[])[] = [
  ['januari', 'jan', 'january'],
  ['februari', 'feb', 'february'],
  ['mars', 'mar', 'march'],
  ['april', 'apr'],
  ['maj', 'may'],
  ['juni', 'jun', 'june'],
  ['juli', 'jul', 'july'],
  ['augusti', 'aug', 'august'],
  ['september', 'sep', 'sept'],
  ['oktober', 'okt', 'oct', 'october'],
  ['november', 'nov'],
  ['december', 'dec'],
];
