import fc from 'fast-check';
import { normaliseForCheck, REG_WORDS } from '../../src/domain/privacy.js';

/**
 * Generators of valid personal identifiers in the disguises that keyboards, Word and Outlook
 * produce on their own and that people use on purpose. Shared by the pure property test and the
 * tests that push generated samples through the bot's real paths.
 */

export type IdentifierClass =
  'personnummer' | 'samordningsnummer' | 'epost' | 'telefonnummer' | 'registreringsnummer' | 'diarienummer';
export const IDENTIFIER_CLASSES: readonly IdentifierClass[] = [
  'personnummer',
  'samordningsnummer',
  'epost',
  'telefonnummer',
  'registreringsnummer',
  'diarienummer',
];

/** A fixed seed, so a failure is reproducible; fast-check prints it with the counterexample. */
export const SEED = 20241114;

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
const pick = <T>(...items: T[]) => fc.constantFrom(...items);

/** The Luhn check digit of nine digits (independent of the guard's own luhnValid). */
export function checkDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

const pad = (n: number) => String(n).padStart(2, '0');
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** A real date of birth (1900–2025), three serial digits and the check digit. */
function personalNumber(coordination: boolean) {
  return fc
    .record({
      year: fc.integer({ min: 1900, max: 2025 }),
      month: fc.integer({ min: 1, max: 12 }),
      dayFraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      serial: digits(3),
      century: fc.boolean(),
      separator: pick('-', '+', ' ', '', ' - ', '-', '-'),
    })
    .map(({ year, month, dayFraction, serial, century, separator }) => {
      const day = 1 + Math.floor(dayFraction * daysIn(year, month)) + (coordination ? 60 : 0);
      const date = `${pad(year % 100)}${pad(month)}${pad(day)}`;
      const last4 = serial + String(checkDigit(date + serial));
      return `${century ? String(year).slice(0, 2) : ''}${date}${separator}${last4}`;
    });
}

const localPart = fc
  .array(fc.stringMatching(/^[a-zåäö0-9_]{1,10}$/), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('.'));
const domain = fc
  .tuple(
    fc.array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/), { minLength: 1, maxLength: 2 }),
    pick('se', 'com', 'nu', 'org', 'net', 'polisen.se', 'tranas.se'),
  )
  .map(([labels, tld]) => [...labels, tld].join('.'));

/** Addresses with the @ and dots written out in the usual disguises. */
const email = fc
  .record({
    local: localPart,
    domain,
    at: pick('@', '@', '(at)', '[at]', ' at ', ' (at) ', ' snabel-a ', '＠', '{at}', ' @ ', ' [at] '),
    dot: pick('.', '.', '(dot)', '[dot]', ' (punkt) '),
  })
  .map(({ local, domain, at, dot }) => `${local}${at}${domain.split('.').join(dot)}`);

/** Swedish phone numbers in their written forms: area code, groups, +46, parentheses, dots. */
const phone = fc
  .record({
    area: pick('70', '72', '73', '76', '79', '8', '31', '40', '36', '140', '13', '90'),
    rest: fc.integer({ min: 0, max: 99_999_999 }),
    international: pick('0', '0', '0', '+46 ', '+46', '0046 ', '+46 (0)', '(0'),
    areaSep: pick('-', ' ', '', ' - ', '.', '/'),
    groupSep: pick(' ', '', '.', '-', ' '),
  })
  .map(({ area, rest, international, areaSep, groupSep }) => {
    const mobile = area.startsWith('7');
    const restLen = mobile ? 7 : area === '8' ? (rest % 2 === 0 ? 7 : 8) : area.length === 3 ? 6 : 7;
    const restDigits = String(rest).padStart(8, '0').slice(0, restLen);
    const groups = restLen === 8 ? [3, 3, 2] : restLen === 7 ? [3, 2, 2] : [2, 2, 2];
    const parts: string[] = [];
    let at = 0;
    for (const g of groups) {
      parts.push(restDigits.slice(at, at + g));
      at += g;
    }
    const body = parts.join(groupSep);
    if (international === '(0') return `(0${area}) ${body}`;
    // "/" only after a national area code: "08/123 456 78" is read as a date otherwise.
    const sep = areaSep === '/' ? '-' : areaSep;
    return `${international}${area}${sep}${body}`;
  });

const REG_LETTER = pick(...'ABCDEFGHJKLMNOPRSTUWXYZ'.split(''));
const REG_LAST = pick(...'ABCDEFGHJKLMNPRSTUWXYZ'.split(''));

/** Old "ABC 123" and new "ABC 12D" plates in any case, with a space, a hyphen or nothing between. */
const plate = fc
  .record({
    letters: fc.array(REG_LETTER, { minLength: 3, maxLength: 3 }).map((l) => l.join('')),
    numbers: digits(2),
    last: fc.oneof(digit, REG_LAST),
    sep: pick('', ' ', '-', ' - '),
    casing: pick('upper', 'lower', 'mixed'),
  })
  // Written apart, a common three-letter word before a number is not a plate (documented limit).
  .filter(({ letters, sep }) => sep === '' || !REG_WORDS.has(letters))
  .map(({ letters, numbers, last, sep, casing }) => {
    const text = `${letters}${sep}${numbers}${last}`;
    if (casing === 'upper') return text.toUpperCase();
    if (casing === 'lower') return text.toLowerCase();
    return [...text].map((c, i) => (i % 2 ? c.toLowerCase() : c.toUpperCase())).join('');
  });

/** Police and prosecutors' case numbers, and designations after a keyword. */
const caseNumber = fc
  .record({
    unit: digits(4),
    serial: fc.integer({ min: 1000, max: 99_999_999 }),
    year: pick('24', '23', '2024', '2023'),
    form: fc.integer({ min: 0, max: 5 }),
    letter: pick('K', 'A', 'k'),
  })
  .map(
    ({ unit, serial, year, form, letter }) =>
      [
        `${unit}-${letter}${serial}-${year}`,
        `${letter}${serial}-${year}`,
        `${letter} ${serial}-${year}`,
        `AM-${serial}-${year}`,
        `dnr ${year.length === 4 ? year : `20${year}`}/${serial % 10000}`,
        `ärendenummer ${serial}`,
      ][form]!,
  );

export const identifierOf: Record<IdentifierClass, fc.Arbitrary<string>> = {
  personnummer: personalNumber(false),
  samordningsnummer: personalNumber(true),
  epost: email,
  telefonnummer: phone,
  registreringsnummer: plate,
  diarienummer: caseNumber,
};

// ---------------------------------------------------------------------------
// Disguises: what software inserts on its own and what a different script or keyboard gives
// ---------------------------------------------------------------------------

const FORMAT_CHARS = ['\u200B', '\u00AD', '\uFEFF', '\u200C', '\u200D', '\u2060', '\u200E', '\u180E'];
const DASHES = ['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\uFE63', '\uFF0D', '\u2015'];
const SPACES = ['\u00A0', '\u202F', '\u2009', '\n', '\r\n', '\t', '\u3000', '  ', ' \n '];
/** The zero of decimal digit sets in other scripts (each followed by one to nine). */
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0e50, 0x0f20, 0x1040, 0x1810, 0xff10, 0x1d7ce, 0x1d7d8, 0x1d7f6,
  0xa8d0, 0x104a0,
];

export type Disguise = (s: string, r: () => number) => string;

const choose = <T>(items: readonly T[], r: () => number): T => items[Math.floor(r() * items.length)]!;

export const DISGUISES: Record<string, Disguise> = {
  formatChars: (s, r) => [...s].map((c) => (r() < 0.35 ? c + choose(FORMAT_CHARS, r) : c)).join(''),
  dashes: (s, r) => s.replace(/-/g, () => choose(DASHES, r)),
  spaces: (s, r) => s.replace(/ /g, () => choose(SPACES, r)),
  otherScriptDigits: (s, r) => {
    const zero = choose(DIGIT_ZEROS, r);
    return s.replace(/[0-9]/g, (d) => (r() < 0.7 ? String.fromCodePoint(zero + Number(d)) : d));
  },
  fullwidth: (s, r) =>
    s.replace(/[!-~]/g, (c) => (r() < 0.5 ? String.fromCodePoint(c.charCodeAt(0) - 0x21 + 0xff01) : c)),
};

/** A deterministic stream of numbers in [0, 1) from a seed (so a sample is reproducible). */
function stream(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

export interface Disguised {
  kind: IdentifierClass;
  plain: string;
  disguises: string[];
  text: string;
}

/** An identifier of the class, with a random combination of disguises applied. */
export function disguised(kind: IdentifierClass): fc.Arbitrary<Disguised> {
  return fc
    .record({
      plain: identifierOf[kind],
      disguises: fc.subarray(Object.keys(DISGUISES), { minLength: 1 }),
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    })
    .map(({ plain, disguises, seed }) => {
      const r = stream(seed);
      const text = disguises.reduce((s, d) => DISGUISES[d]!(s, r), plain);
      return { kind, plain, disguises, text };
    });
}

/** Any class, disguised. */
export const anyDisguised: fc.Arbitrary<Disguised> = fc.constantFrom(...IDENTIFIER_CLASSES).chain(disguised);

/** Ordinary text around the identifier, as a report would put it. */
export const CONTEXTS: readonly [string, string][] = [
  ['', ''],
  ['Kontakt ', ' vid frågor.'],
  ['Personen uppgav ', ' vid kontrollen på Storgatan'],
  ['Trafikkontroll kl. 22.30 på väg 32, ', ', 45 fordon'],
  ['(', ')'],
  ['Uppgift: ', '.'],
  ['Ring ', '\ntack'],
];

export const inContext: fc.Arbitrary<Disguised & { context: [string, string] }> = fc
  .tuple(anyDisguised, fc.constantFrom(...CONTEXTS))
  .map(([d, context]) => ({ ...d, context, text: `${context[0]}${d.text}${context[1]}` }));

/** Splits text in two at a random point inside the identifier: two fields of one submission. */
export function splitInTwo(d: Disguised): fc.Arbitrary<[string, string]> {
  // Not right after punctuation before a digit: fields are not joined directly there (see personalDataKinds).
  return fc
    .integer({ min: 1, max: Math.max(1, d.text.length - 1) })
    .filter(
      (at) =>
        !(
          /[.,;:!?]$/.test(normaliseForCheck(d.text.slice(0, at)).trim()) &&
          /^\d/.test(normaliseForCheck(d.text.slice(at)).trim())
        ),
    )
    .map((at) => [`Noterat ${d.text.slice(0, at)}`, `${d.text.slice(at)} enligt uppgift`]);
}
