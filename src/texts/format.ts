/** Formatting of numbers and dates for user text. Only texts/ formats. */

const svNumber = new Intl.NumberFormat('sv-SE');
const enNumber = new Intl.NumberFormat('en-GB');

export function formatNumber(n: number, locale: 'sv' | 'en' = 'sv'): string {
  // Most figures are small whole numbers, which both locales write as plain digits: no Intl call.
  if (Number.isInteger(n) && n >= 0 && n < 1000 && !Object.is(n, -0)) return String(n);
  return (locale === 'en' ? enNumber : svNumber).format(n);
}

/** An activity's unit: the plural ("kontroller") and, when known, the singular ("kontroll"). */
export interface UnitForms {
  unit: string;
  unitSingular?: string | undefined;
}

/**
 * A count with its unit in the right number: "1 kontroll", "2 kontroller", "1 000 kontroller".
 * The unit's singular comes from the agreement (`unitSingular`); without it the plural is used.
 */
export function formatQuantity(n: number, unit: UnitForms, locale: 'sv' | 'en' = 'sv'): string {
  const word = n === 1 && unit.unitSingular ? unit.unitSingular : unit.unit;
  return `${formatNumber(n, locale)} ${word}`;
}

/** "2023–2024" with an en dash. */
export function formatRange(from: string | number, to: string | number): string {
  return String(from) === String(to) ? String(from) : `${from}–${to}`;
}

/** Month names for dates and month windows in answers (one list per language). */
export const svMonths = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
];
export const enMonths = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "14 mars 2024" from a local date "2024-03-14". */
export function formatLocalDate(date: string, locale: 'sv' | 'en' = 'sv'): string {
  const [y, m, d] = date.split('-').map(Number);
  const month = (locale === 'en' ? enMonths : svMonths)[(m ?? 1) - 1];
  return locale === 'en' ? `${d} ${month} ${y}` : `${d} ${month} ${y}`;
}

/**
 * Escapes user-provided text for a TextBlock, which renders markdown: no links, emphasis, lists or
 * mentions can be injected.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]~]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** "11 mars" from "2024-03-11". */
export function formatShortDate(date: string, locale: 'sv' | 'en' = 'sv'): string {
  const [, m, d] = date.split('-').map(Number);
  const month = (locale === 'en' ? enMonths : svMonths)[(m ?? 1) - 1]!;
  return `${d} ${locale === 'en' ? month.slice(0, 3) : month}`;
}
