/** Time windows in a question: weeks, months, tertials, years, ranges and the whole period. */
import {
  addLocalDays,
  addTertials,
  addWeeks,
  isoWeekOfLocalDate,
  mondayOfWeek,
  MONTH_WORDS,
  parseIsoWeek,
  parseLocalDate,
  parseTertial,
  tertialOfLocalDate,
  weeksInYear,
  type LocalDate,
} from '../calendar.js';
import { isWord, NUMBER_WORDS, ORDINALS, type Token } from './text.js';
import type { Window } from './types.js';

const WEEK_WORD = 'vecka/veckan/veckor/v/w/week/wk';
const WEEKS_WORD = 'veckor/veckorna/weeks';
const TERTIAL_WORD = 'tertial/tertialen/tertialet/tertialer';
const MONTH_WORD = 'manad/manaden/month';
const MONTHS_WORD = 'manader/manaderna/months';
const DAYS_WORD = 'dagar/dagarna/days';
const THIS = 'denna/detta/this/current/innevarande/nuvarande/aktuella/aktuell/pagaende';
const LAST = 'forra/foregaende/last/previous/senaste';
const YEAR_WORD = 'ar/aret/year';

/** The month (1–12) a word names: exact, or a typo of a long name ("oktobr", "sepember"). */
export function monthOf(w: string | undefined): number | undefined {
  if (w === undefined) return undefined;
  const i = MONTH_WORDS.findIndex((names) => names.includes(w) || (w.length >= 6 && isWord(w, names[0]!)));
  return i < 0 ? undefined : i + 1;
}

/** The window words as read, before they are resolved against today. */
export interface WindowParts {
  week?: { n: number; year?: number } | 'this' | 'last';
  month?: { n: number; year?: number } | 'this' | 'last';
  tertial?: { n: number; year?: number } | 'this' | 'last';
  year?: number;
  period?: boolean;
  /** "totalt", "sammanlagt": the whole period when no other time is given, else only a filler. */
  total?: boolean;
  /** A day counted from today: -1 yesterday. */
  day?: number;
  /** "senaste månaden", "de senaste fyra veckorna": counted back from today. */
  lastDays?: number;
  /** "sedan 1 september", "sedan vecka 10": from a date to today. */
  since?: { day?: number; month: number; year?: number } | { week: number; year?: number };
  /** "från 1 mars till 31 maj": the end of a `since` given as a date or a month (else today). */
  until?: { day?: number; month: number; year?: number };
  /** A time we cannot answer for: "vecka 60", "tertial 4". */
  unsupported?: boolean;
}

function yearLiteral(w: string | undefined): number | undefined {
  return w !== undefined && /^(19|20)\d{2}$/.test(w) ? Number(w) : undefined;
}

function smallNumber(w: string | undefined, max: number): number | undefined {
  if (w === undefined) return undefined;
  const n = /^\d{1,2}$/.test(w) ? Number(w) : NUMBER_WORDS.get(w);
  return n !== undefined && n >= 1 && n <= max ? n : undefined;
}

/** Number words for counts of weeks, months and days ("fyra veckorna", "two weeks"). */
const COUNT_WORDS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    en: 1,
    ett: 1,
    one: 1,
    tva: 2,
    two: 2,
    tre: 3,
    three: 3,
    fyra: 4,
    four: 4,
    fem: 5,
    five: 5,
    sex: 6,
    six: 6,
    sju: 7,
    seven: 7,
    atta: 8,
    eight: 8,
    nio: 9,
    nine: 9,
    tio: 10,
    ten: 10,
    tolv: 12,
    twelve: 12,
  }),
);

function countNumber(w: string | undefined): number | undefined {
  if (w === undefined) return undefined;
  if (/^\d{1,3}$/.test(w)) return Number(w) > 0 ? Number(w) : undefined;
  return COUNT_WORDS.get(w);
}

/** Reads the window words, marks them used, and returns what they said (unresolved). */
export function extractWindow(tokens: Token[], todayYear: number): WindowParts {
  const parts: WindowParts = {};
  const w = (i: number): string | undefined =>
    i >= 0 && i < tokens.length && !tokens[i]!.used ? tokens[i]!.w : undefined;
  const use = (...idx: number[]): void => idx.forEach((i) => (tokens[i]!.used = true));
  /** An explicit year right after position i ("2023", "ar 2023", "of 2023"); marks it used. */
  const trailingYear = (i: number): number | undefined => {
    const y = yearLiteral(w(i + 1));
    if (y !== undefined) {
      use(i + 1);
      return y;
    }
    if (isWord(w(i + 1), 'ar/of/year') && yearLiteral(w(i + 2)) !== undefined) {
      use(i + 1, i + 2);
      return yearLiteral(tokens[i + 2]!.w);
    }
    return undefined;
  };

  // Each pass of the loop reads at most one time expression: counted by the words it used.
  let windowMatches = 0;
  let usedSoFar = tokens.filter((x) => x.used).length;
  const countMatch = (): void => {
    const now = tokens.filter((x) => x.used).length;
    if (now > usedSoFar) windowMatches++;
    usedSoFar = now;
  };
  for (let i = 0; i < tokens.length; i++) {
    countMatch();
    const t = w(i);
    if (t === undefined) continue;
    let m: RegExpExecArray | null;

    // Ranges counted back from today: "senaste månaden", "de senaste fyra veckorna", "last 30 days".
    if (isWord(t, 'senaste/last/past/forra')) {
      const n = countNumber(w(i + 1));
      const unitAt = n !== undefined ? i + 2 : i + 1;
      const unit = w(unitAt);
      const days = isWord(unit, WEEKS_WORD)
        ? 7
        : isWord(unit, MONTHS_WORD)
          ? 30
          : isWord(unit, DAYS_WORD)
            ? 1
            : undefined;
      if (days !== undefined && n !== undefined) {
        use(i, i + 1, unitAt);
        if (isWord(w(i - 1), 'de/the/dom')) use(i - 1);
        parts.lastDays = n * days;
        continue;
      }
      if (isWord(t, 'senaste/past') && isWord(unit, 'manaden/month') && n === undefined) {
        use(i, unitAt);
        parts.lastDays = 30;
        continue;
      }
      if (isWord(unit, MONTH_WORD) && n === undefined) {
        use(i, unitAt);
        parts.month = 'last';
        continue;
      }
    }
    // "idag", "i går", "yesterday": one day.
    if (t === 'idag' || t === 'today' || (t === 'i' && w(i + 1) === 'dag')) {
      use(i);
      if (t === 'i') use(i + 1);
      parts.lastDays = 1;
      continue;
    }
    if (t === 'igar' || t === 'yesterday' || (t === 'i' && w(i + 1) === 'gar')) {
      use(i);
      if (t === 'i') use(i + 1);
      parts.day = -1;
      continue;
    }
    // "sedan nyår", "since New Year": from 1 January of this year.
    if (isWord(t, 'sedan/sen/since') && isWord(w(i + 1), 'nyar/nyaret/arsskiftet/arskiftet/arsskiftet/newyear')) {
      use(i, i + 1);
      parts.since = { month: 1, day: 1, year: todayYear };
      continue;
    }
    if (isWord(t, 'since') && w(i + 1) === 'new' && w(i + 2) === 'year') {
      use(i, i + 1, i + 2);
      parts.since = { month: 1, day: 1, year: todayYear };
      continue;
    }
    // "sedan 1 september", "sedan september", "since 1 September 2023", "sedan vecka 10"
    if (isWord(t, 'sedan/sen/since/fran/from')) {
      const day = /^\d{1,2}$/.test(w(i + 1) ?? '') ? Number(w(i + 1)) : undefined;
      const monthAt = day !== undefined ? i + 2 : i + 1;
      const month = monthOf(w(monthAt));
      if (month !== undefined && (day === undefined || (day >= 1 && day <= 31))) {
        use(i, monthAt);
        if (day !== undefined) use(i + 1);
        const year = trailingYear(monthAt);
        parts.since = { month, ...(day !== undefined ? { day } : {}), ...(year !== undefined ? { year } : {}) };
        // "… till 31 maj", "… to 31 May 2024", "… t.o.m. maj": the end of the range.
        let j = monthAt + 1;
        while (j < tokens.length && tokens[j]!.used) j++;
        if (isWord(w(j), 'till/to/until/tom/t')) {
          const at = w(j) === 't' && w(j + 1) === 'o' && w(j + 2) === 'm' ? j + 3 : j + 1;
          const untilDay = /^\d{1,2}$/.test(w(at) ?? '') ? Number(w(at)) : undefined;
          const untilMonthAt = untilDay !== undefined ? at + 1 : at;
          const untilMonth = monthOf(w(untilMonthAt));
          if (untilMonth !== undefined && (untilDay === undefined || (untilDay >= 1 && untilDay <= 31))) {
            for (let k = j; k <= untilMonthAt; k++) use(k);
            const untilYear = trailingYear(untilMonthAt);
            parts.until = {
              month: untilMonth,
              ...(untilDay !== undefined ? { day: untilDay } : {}),
              ...(untilYear !== undefined ? { year: untilYear } : {}),
            };
          }
        }
        continue;
      }
      if (isWord(w(i + 1), 'vecka/v/week') && smallNumber(w(i + 2), 53) !== undefined) {
        const n = smallNumber(w(i + 2), 53)!;
        use(i, i + 1, i + 2);
        const year = trailingYear(i + 2);
        parts.since = { week: n, ...(year !== undefined ? { year } : {}) };
        continue;
      }
      const vm = /^(?:v|w|vecka|week)(\d{1,2})$/.exec(w(i + 1) ?? '');
      if (vm) {
        use(i, i + 1);
        const year = trailingYear(i + 1);
        parts.since = { week: Number(vm[1]), ...(year !== undefined ? { year } : {}) };
        continue;
      }
    }
    // this month / den här månaden / denna månad / i månaden
    if (isWord(t, THIS) && isWord(w(i + 1), MONTH_WORD)) {
      use(i, i + 1);
      parts.month = 'this';
      continue;
    }
    if (t === 'den' && w(i + 1) === 'har' && isWord(w(i + 2), MONTH_WORD)) {
      use(i, i + 1, i + 2);
      parts.month = 'this';
      continue;
    }
    if (t === 'i' && w(i + 1) === 'manaden') {
      use(i, i + 1);
      parts.month = 'this';
      continue;
    }
    // "oktober", "i oktober 2023", "okt -23" is not read (a bare 23 is no year)
    const month = monthOf(t);
    const longName = month !== undefined && t.length >= 5 && t !== 'march';
    if (
      month !== undefined &&
      (longName || isWord(w(i - 1), 'i/in/under/during/of') || yearLiteral(w(i + 1)) !== undefined)
    ) {
      use(i);
      if (isWord(w(i - 1), 'i/in/under/during')) use(i - 1);
      const year = trailingYear(i);
      parts.month = { n: month, ...(year !== undefined ? { year } : {}) };
      continue;
    }
    // 2024-W12, 2024-T1
    if ((m = /^(\d{4})-w(\d{1,2})$/.exec(t))) {
      use(i);
      parts.week = { n: Number(m[2]), year: Number(m[1]) };
      continue;
    }
    if ((m = /^(\d{4})-t([123])$/.exec(t))) {
      use(i);
      parts.tertial = { n: Number(m[2]), year: Number(m[1]) };
      continue;
    }
    // v12, w12, vecka12
    if ((m = /^(?:v|w|vecka|week)(\d{1,2})$/.exec(t))) {
      use(i);
      const year = trailingYear(i);
      parts.week = { n: Number(m[1]), ...(year !== undefined ? { year } : {}) };
      continue;
    }
    // vecka 12 [2023]
    if (isWord(t, WEEK_WORD) && smallNumber(w(i + 1), 53) !== undefined) {
      const n = smallNumber(w(i + 1), 53)!;
      use(i, i + 1);
      const year = trailingYear(i + 1);
      parts.week = { n, ...(year !== undefined ? { year } : {}) };
      continue;
    }
    // vecka 60, v. 0
    if (isWord(t, 'vecka/veckan/v/w/week') && /^\d{1,3}$/.test(w(i + 1) ?? '')) {
      use(i, i + 1);
      parts.unsupported = true;
      continue;
    }
    // tertial 4, T0
    if (isWord(t, TERTIAL_WORD) && /^\d{1,3}$/.test(w(i + 1) ?? '') && smallNumber(w(i + 1), 3) === undefined) {
      use(i, i + 1);
      parts.unsupported = true;
      continue;
    }
    // T2 [2023]
    if ((m = /^t([123])$/.exec(t))) {
      use(i);
      const year = trailingYear(i);
      parts.tertial = { n: Number(m[1]), ...(year !== undefined ? { year } : {}) };
      continue;
    }
    // tertial 2 [2023]
    if (isWord(t, TERTIAL_WORD) && smallNumber(w(i + 1), 3) !== undefined) {
      const n = smallNumber(w(i + 1), 3)!;
      use(i, i + 1);
      const year = trailingYear(i + 1);
      parts.tertial = { n, ...(year !== undefined ? { year } : {}) };
      continue;
    }
    // första tertialen [2023]
    const ordinal = ORDINALS.get(t);
    if (ordinal !== undefined && ordinal <= 3 && isWord(w(i + 1), TERTIAL_WORD)) {
      use(i, i + 1);
      const year = trailingYear(i + 1);
      parts.tertial = { n: ordinal, ...(year !== undefined ? { year } : {}) };
      continue;
    }
    // detta tertial / det här tertialet / förra tertialet
    if (isWord(t, THIS) && isWord(w(i + 1), TERTIAL_WORD)) {
      use(i, i + 1);
      parts.tertial = 'this';
      continue;
    }
    if (t === 'det' && w(i + 1) === 'har' && isWord(w(i + 2), TERTIAL_WORD)) {
      use(i, i + 1, i + 2);
      parts.tertial = 'this';
      continue;
    }
    if (isWord(t, LAST) && isWord(w(i + 1), TERTIAL_WORD)) {
      use(i, i + 1);
      parts.tertial = 'last';
      continue;
    }
    // denna vecka / den här veckan / i veckan / this week / förra veckan / last week
    if (isWord(t, THIS) && isWord(w(i + 1), 'vecka/veckan/week')) {
      use(i, i + 1);
      parts.week = 'this';
      continue;
    }
    if (t === 'den' && w(i + 1) === 'har' && isWord(w(i + 2), 'vecka/veckan')) {
      use(i, i + 1, i + 2);
      parts.week = 'this';
      continue;
    }
    if (t === 'i' && w(i + 1) === 'veckan') {
      use(i, i + 1);
      parts.week = 'this';
      continue;
    }
    // "senaste veckan" is read as the latest whole week, like "förra veckan".
    if (isWord(t, LAST) && isWord(w(i + 1), 'vecka/veckan/week')) {
      use(i, i + 1);
      parts.week = 'last';
      continue;
    }
    // i år / iår / detta år / det här året / under året / this year
    if (t === 'i' && w(i + 1) === 'ar') {
      use(i, i + 1);
      parts.year = todayYear;
      continue;
    }
    // "summera året", "hela året": this year ("förra året" is read above).
    if (
      (t === 'aret' && !isWord(w(i - 1), 'forra/foregaende/samma')) ||
      (t === 'year' && w(i - 1) === 'the' && !isWord(w(i + 1), 'before'))
    ) {
      use(i);
      parts.year = todayYear;
      continue;
    }
    if (t === 'iar') {
      use(i);
      parts.year = todayYear;
      continue;
    }
    if ((isWord(t, THIS) || t === 'under') && isWord(w(i + 1), YEAR_WORD)) {
      use(i, i + 1);
      parts.year = todayYear;
      continue;
    }
    if (t === 'det' && w(i + 1) === 'har' && w(i + 2) === 'aret') {
      use(i, i + 1, i + 2);
      parts.year = todayYear;
      continue;
    }
    // förra året / i fjol / last year
    if (isWord(t, 'forra/foregaende/last/previous') && isWord(w(i + 1), YEAR_WORD)) {
      use(i, i + 1);
      parts.year = todayYear - 1;
      continue;
    }
    if (t === 'ifjol' || t === 'fjol') {
      use(i);
      if (w(i - 1) === 'i') use(i - 1);
      parts.year = todayYear - 1;
      continue;
    }
    // 2023 / år 2023
    const y = yearLiteral(t);
    if (y !== undefined) {
      use(i);
      // Two different years ("1999 till 2001") are no single window: not answered as one of them.
      if (parts.year !== undefined && parts.year !== y) parts.unsupported = true;
      parts.year = y;
      continue;
    }
    // under perioden / hela perioden / avtalsperioden / totalt / since the start
    if (isWord(t, 'period/perioden/*perioden')) {
      use(i);
      if (isWord(w(i - 1), 'hela/whole/entire/the')) use(i - 1);
      parts.period = true;
      continue;
    }
    if (isWord(t, 'totalt/sammanlagt/total/alltotalt')) {
      use(i);
      if (w(i - 1) === 'in') use(i - 1);
      parts.total = true;
      usedSoFar = tokens.filter((x) => x.used).length; // not a time of its own: "totalt förra veckan"
      continue;
    }
    if (isWord(t, 'sedan/since') && isWord(w(i + 1), 'start/starten/borjan/beginning')) {
      use(i, i + 1);
      parts.period = true;
      continue;
    }
  }
  countMatch();
  // Two different times ("oktober och november", "vecka 10 och tertial 2") are no single window.
  // A year may come with one of them ("tertial 2 i fjol"); anything more is not answered as one.
  const kinds = [parts.week, parts.month, parts.tertial, parts.lastDays, parts.since, parts.day, parts.period].filter(
    (x) => x !== undefined,
  ).length;
  if (parts.total && kinds === 0 && parts.year === undefined) parts.period = true;
  if (kinds > 1 || windowMatches - (parts.year !== undefined ? 1 : 0) > 1) parts.unsupported = true;
  return parts;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The year a number without one belongs to: this year, or last year when that time is still ahead. */
function latestYear(n: number, current: number, todayYear: number, explicit?: number): number {
  return explicit ?? (n > current ? todayYear - 1 : todayYear);
}

/**
 * Turns window words into a Window. undefined when they name no valid time ("vecka 60"). Without
 * any window words: `fallback` (the year of today for counts).
 */
export function resolveWindow(
  parts: WindowParts,
  today: LocalDate,
  fallback: 'year' | 'none' = 'year',
): Window | undefined {
  if (parts.unsupported) return undefined;
  const t = parseLocalDate(today)!;
  const todayYear = t.year;
  if (parts.week !== undefined) {
    const thisWeek = isoWeekOfLocalDate(today);
    if (parts.week === 'this') return { kind: 'week', week: thisWeek };
    if (parts.week === 'last') return { kind: 'week', week: addWeeks(thisWeek, -1) };
    const cur = parseIsoWeek(thisWeek)!;
    const n = parts.week.n;
    const year = parts.week.year ?? parts.year ?? (n > cur.week ? cur.year - 1 : cur.year);
    if (n >= 1 && n <= weeksInYear(year)) return { kind: 'week', week: `${year}-W${pad2(n)}` };
    return undefined;
  }
  if (parts.month !== undefined) {
    if (parts.month === 'this') return { kind: 'month', month: today.slice(0, 7) };
    if (parts.month === 'last') {
      const y = t.month === 1 ? todayYear - 1 : todayYear;
      return { kind: 'month', month: `${y}-${pad2(t.month === 1 ? 12 : t.month - 1)}` };
    }
    const year = latestYear(parts.month.n, t.month, todayYear, parts.month.year ?? parts.year);
    return { kind: 'month', month: `${year}-${pad2(parts.month.n)}` };
  }
  if (parts.tertial !== undefined) {
    const thisTertial = tertialOfLocalDate(today);
    if (parts.tertial === 'this') return { kind: 'tertial', tertial: thisTertial };
    if (parts.tertial === 'last') return { kind: 'tertial', tertial: addTertials(thisTertial, -1) };
    const cur = parseTertial(thisTertial)!;
    const n = parts.tertial.n;
    const year = parts.tertial.year ?? parts.year ?? (n > cur.tertial ? cur.year - 1 : cur.year);
    return { kind: 'tertial', tertial: `${year}-T${n}` };
  }
  if (parts.lastDays !== undefined)
    return { kind: 'range', from: addLocalDays(today, -(parts.lastDays - 1)), to: today };
  if (parts.day !== undefined)
    return { kind: 'range', from: addLocalDays(today, parts.day), to: addLocalDays(today, parts.day) };
  if (parts.since !== undefined) {
    const s = parts.since;
    let from: LocalDate;
    if ('week' in s) {
      const cur = parseIsoWeek(isoWeekOfLocalDate(today))!;
      const year = latestYear(s.week, cur.week, cur.year, s.year ?? parts.year);
      if (s.week > weeksInYear(year)) return undefined;
      from = mondayOfWeek(`${year}-W${pad2(s.week)}`);
    } else {
      const day = s.day ?? 1;
      const year = s.year ?? parts.year ?? (s.month * 100 + day > t.month * 100 + t.day ? todayYear - 1 : todayYear);
      from = `${year}-${pad2(s.month)}-${pad2(day)}`;
      if (parseLocalDate(from) === null) return undefined;
    }
    if (parts.until !== undefined) {
      // The end in the year of the start, or the next when it comes before it ("från november till februari").
      const u = parts.until;
      const fromYear = Number(from.slice(0, 4));
      const untilYear =
        u.year ??
        (u.month * 100 + (u.day ?? 31) < Number(from.slice(5, 7)) * 100 + Number(from.slice(8, 10))
          ? fromYear + 1
          : fromYear);
      const lastDay = new Date(Date.UTC(untilYear, u.month, 0)).getUTCDate();
      const to = `${untilYear}-${pad2(u.month)}-${pad2(u.day ?? lastDay)}`;
      if (parseLocalDate(to) === null || to < from) return undefined;
      return { kind: 'range', from, to };
    }
    return { kind: 'range', from, to: today };
  }
  if (parts.year !== undefined) return { kind: 'year', year: parts.year };
  if (parts.period) return { kind: 'period' };
  return fallback === 'year' ? { kind: 'year', year: todayYear } : undefined;
}

export function hasWindow(parts: WindowParts): boolean {
  return Object.keys(parts).length > 0;
}

/** The window one step back: the year, tertial, month or week before; a range of the same length before. */
export function previousWindow(w: Window, by: 'same' | 'year' = 'same'): Window | undefined {
  if (by === 'year') {
    switch (w.kind) {
      case 'week': {
        const p = parseIsoWeek(w.week)!;
        return p.week <= weeksInYear(p.year - 1) ? { kind: 'week', week: `${p.year - 1}-W${pad2(p.week)}` } : undefined;
      }
      case 'month':
        return { kind: 'month', month: `${Number(w.month.slice(0, 4)) - 1}${w.month.slice(4)}` };
      case 'tertial':
        return { kind: 'tertial', tertial: `${Number(w.tertial.slice(0, 4)) - 1}${w.tertial.slice(4)}` };
      case 'year':
        return { kind: 'year', year: w.year - 1 };
      case 'range':
        return {
          kind: 'range',
          from: `${Number(w.from.slice(0, 4)) - 1}${w.from.slice(4)}`,
          to: `${Number(w.to.slice(0, 4)) - 1}${w.to.slice(4)}`,
        };
      case 'period':
        return undefined;
    }
  }
  switch (w.kind) {
    case 'week':
      return { kind: 'week', week: addWeeks(w.week, -1) };
    case 'month': {
      const y = Number(w.month.slice(0, 4));
      const m = Number(w.month.slice(5, 7));
      return { kind: 'month', month: m === 1 ? `${y - 1}-12` : `${y}-${pad2(m - 1)}` };
    }
    case 'tertial':
      return { kind: 'tertial', tertial: addTertials(w.tertial, -1) };
    case 'year':
      return { kind: 'year', year: w.year - 1 };
    case 'range': {
      const days = Math.round((Date.parse(w.to) - Date.parse(w.from)) / 86_400_000) + 1;
      return { kind: 'range', from: addLocalDays(w.from, -days), to: addLocalDays(w.from, -1) };
    }
    case 'period':
      return undefined;
  }
}

/** The inclusive local dates a window covers (the period's own dates for the whole period). */
export function windowDates(
  w: Window,
  period: { periodStart: LocalDate; periodEnd: LocalDate },
): { from: LocalDate; to: LocalDate } {
  switch (w.kind) {
    case 'week':
      return { from: mondayOfWeek(w.week), to: addLocalDays(mondayOfWeek(w.week), 6) };
    case 'month': {
      const y = Number(w.month.slice(0, 4));
      const m = Number(w.month.slice(5, 7));
      const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
      return { from: `${w.month}-01`, to: `${w.month}-${pad2(last)}` };
    }
    case 'tertial': {
      const p = parseTertial(w.tertial)!;
      const firstMonth = (p.tertial - 1) * 4 + 1;
      const last = new Date(Date.UTC(p.year, firstMonth + 3, 0)).getUTCDate();
      return { from: `${p.year}-${pad2(firstMonth)}-01`, to: `${p.year}-${pad2(firstMonth + 3)}-${pad2(last)}` };
    }
    case 'year':
      return { from: `${w.year}-01-01`, to: `${w.year}-12-31` };
    case 'range':
      return { from: w.from, to: w.to };
    case 'period':
      return { from: period.periodStart, to: period.periodEnd };
  }
}
