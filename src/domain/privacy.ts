/**
 * The privacy guard: finds personal identifiers in free text so that the caller can refuse to store
 * or show it. Pure (no I/O); returns only the kind and position of each finding, never the value,
 * and callers never echo the value either.
 *
 * Every check runs on `normaliseForCheck(text)`, never on the raw text: Word, Outlook and phone
 * keyboards insert characters on their own (non-breaking and soft hyphens, zero-width spaces, the
 * minus sign, fullwidth digits, newlines) and people write ordinary disguises ("anna(at)polisen.se",
 * "070.123.45.67"). Positions are positions in the normalised text. Text that passes is stored as
 * typed. `personalDataKinds(fields)` checks the free-text fields and numbers of one submission
 * together, so an identifier split over two fields is caught too.
 *
 * What is caught (see each finder for details):
 * - personnummer/samordningsnummer: YYMMDD or YYYYMMDD, then "-", "+", " - ", a space or nothing,
 *   then four digits; the date must exist (samordningsnummer: day 61–91) and the Luhn check digit
 *   must hold, so other ten-digit numbers are not taken for one.
 * - telefonnummer: Swedish numbers from 0 (not 00), +46 or 0046, digit groups separated by a space,
 *   "-", "." or " - ", 8–10 digits in national form, "(08)" and "+46 (0)70" forms. Amounts (kr, SEK,
 *   :-), percentages, counts (st), thousands groups continuing a number ("1 050 000 000"), times
 *   ("08.00-10.00", "0800-1000") and dates ("05.03.2024") are not phone numbers.
 * - registreringsnummer: three letters and three characters (old "ABC123", new "ABC12D"; the last
 *   letter never O; I, Q, V, Å, Ä, Ö never used), any case, with a space, a hyphen or nothing between.
 *   Written with a space or hyphen, a common Swedish three-letter word before a three-digit number
 *   ("med 120", "max 110", "sal 112") is not taken for a plate: see REG_WORDS.
 * - epost: ordinary addresses, also written "(at)", "[at]", " at ", "snabel-a", "＠", "(dot)".
 * - diarienummer: the police's "5000-K123456-24", "K123456-24", "K 123456-24" (prefix K, A or Ä),
 *   the prosecutors' "AM-123456-24", and any designation with three or more digits after a keyword
 *   such as "dnr", "diarienummer", "ärendenummer", "ärende nr".
 *
 * What it cannot catch: names, street addresses and descriptions of a person in words.
 *
 * Overlaps are resolved by priority: epost > diarienummer > personnummer/samordningsnummer >
 * telefonnummer > registreringsnummer. The result is sorted by position and free of overlaps.
 */

/** Bump when the guard catches more: stored text is checked again once per version (see app/privacy-sweep.ts). */
export const GUARD_VERSION = 2;

export type PrivacyFindingKind =
  'personnummer' | 'samordningsnummer' | 'registreringsnummer' | 'telefonnummer' | 'epost' | 'diarienummer';

/**
 * A finding: `start` is the index of its first character in the normalised text and `end` the
 * index after its last (as `String.prototype.slice`). The value itself is never returned.
 */
export interface PrivacyFinding {
  kind: PrivacyFindingKind;
  start: number;
  end: number;
}

interface Candidate extends PrivacyFinding {
  priority: number;
}

const PRIORITY: Record<PrivacyFindingKind, number> = {
  epost: 0,
  diarienummer: 1,
  personnummer: 2,
  samordningsnummer: 2,
  telefonnummer: 3,
  registreringsnummer: 4,
};

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

/** Format characters: zero-width space and joiners, soft hyphen, BOM, word joiner, bidi marks. */
const FORMAT_CHARS = /\p{Cf}/gu;
/** Every dash and minus: hyphen, non-breaking hyphen, en and em dash, minus sign, small and fullwidth hyphen-minus. */
const DASHES = /[\p{Pd}\u2212\u2796\u02D7\u2043\uFE63\uFF0D]/gu;
const DECIMAL_DIGIT = /\p{Nd}/u;
const NON_ASCII_DIGITS = /[^\P{Nd}0-9]/gu;
/** "(at)", "[at]", "{at}", "<at>", "(snabel-a)", with or without spaces around. */
const AT_BRACKETED = /\s?[([{<]\s?(?:at|snabel-?a)\s?[)\]}>]\s?/giu;
/** " at ", " snabel-a ", " @ ". */
const AT_WORD = /(?<=\S)\s(?:at|snabel-?a|@)\s(?=\S)|(?<=\S)\s@|@\s(?=\S)/giu;
/** "(dot)", "[dot]", "(punkt)": the usual disguise of the dots in a domain. */
const DOT_BRACKETED = /\s?[([{<]\s?(?:dot|punkt)\s?[)\]}>]\s?/giu;

/**
 * The value of a decimal digit of any script. Unicode encodes every set of decimal digits (general
 * category Nd) as one run of ten code points from zero to nine, and runs may follow each other
 * (mathematical digits), so the value is the digit's distance from the start of its run, modulo 10.
 * test/domain/privacy.test.ts checks this for every Nd code point.
 */
export function decimalDigitValue(ch: string): number | undefined {
  const cp = ch.codePointAt(0);
  if (cp === undefined || !DECIMAL_DIGIT.test(ch)) return undefined;
  let k = 0;
  while (k < cp && DECIMAL_DIGIT.test(String.fromCodePoint(cp - k - 1))) k++;
  return k % 10;
}

/**
 * The one normalisation every check runs on: Unicode NFKC; format characters dropped; every dash
 * and minus to "-"; every decimal digit to ASCII; newlines and runs of white space to one space;
 * "(at)", "[at]", " at ", "snabel-a" and "＠" to "@"; "(dot)" and "(punkt)" to ".".
 */
export function normaliseForCheck(text: string): string {
  if (typeof text !== 'string' || text === '') return '';
  let s = text.replace(FORMAT_CHARS, '').normalize('NFKC').replace(FORMAT_CHARS, '');
  s = s.replace(DASHES, '-');
  s = s.replace(NON_ASCII_DIGITS, (d) => String(decimalDigitValue(d) ?? d));
  s = s.replace(/\s+/gu, ' ');
  s = s.replace(AT_BRACKETED, '@').replace(DOT_BRACKETED, '.').replace(AT_WORD, '@');
  return s;
}

// ---------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------

/** Finds personal identifiers in `text` (after normalisation). Kind and position only. */
export function findPersonalData(text: string): PrivacyFinding[] {
  const s = normaliseForCheck(text);
  if (cannotHoldIdentifier(s)) return [];
  return scanNormalised(s);
}

/**
 * Whether a normalised text is too short of digits to hold any identifier the scan below knows:
 * each holds an "@" (an e-mail) or at least two digits next to three letters (a registration number,
 * ABC 12D) or three digits or more (a case number after its keyword; a personnummer, a phone number
 * and a police case number more still). Most fields of a report are such texts (a count, an area
 * name, a short note), and the scan runs eight regular expressions over each; the property test in
 * test/domain/privacy-generated.test.ts checks the scan finds nothing in what this lets through.
 */
export function cannotHoldIdentifier(s: string): boolean {
  if (s.includes('@')) return false;
  let digits = 0;
  let letters = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20; // ASCII letters to lower case; digits are unchanged
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c >= 0x61 && c <= 0x7a) letters++;
  }
  return digits < 2 || (digits < 3 && letters < 3);
}

/** The scan itself, over normalised text: every finder, overlaps resolved by priority. */
export function scanNormalised(s: string): PrivacyFinding[] {
  if (s === '') return [];
  const candidates: Candidate[] = [
    ...findEmails(s),
    ...findCaseNumbers(s),
    ...findPersonalIdentityNumbers(s),
    ...findPhoneNumbers(s),
    ...findRegistrationNumbers(s),
  ];

  candidates.sort((a, b) => a.priority - b.priority || a.start - b.start || b.end - a.end);

  const accepted: PrivacyFinding[] = [];
  for (const c of candidates) {
    if (accepted.some((a) => c.start < a.end && a.start < c.end)) continue;
    accepted.push({ kind: c.kind, start: c.start, end: c.end });
  }
  accepted.sort((a, b) => a.start - b.start);
  return accepted;
}

/** true when `text` holds at least one personal identifier. */
export function containsPersonalData(text: string): boolean {
  return findPersonalData(text).length > 0;
}

/** A field of a submission: free text, or a number typed into a number field. */
export type SubmittedField = string | number | undefined | null;

/**
 * The kinds of identifier in the fields of one submission, checked together: each field alone,
 * then every ordered pair of fields joined by a space and joined directly. A birth date in the
 * description and the last four digits in the count ("född 850709" + 1234) form a personnummer
 * candidate this way, which the date and Luhn checks then confirm or reject, so ordinary pairs
 * (a description ending in a number, a count) stay free. Fields are not joined directly where one ends
 * in punctuation and the next starts with a digit, so a sentence's full stop never becomes a phone
 * number's separator. Empty list: nothing found.
 */
export function personalDataKinds(fields: readonly SubmittedField[]): PrivacyFindingKind[] {
  const texts = fields
    .map((f) =>
      normaliseForCheck(
        typeof f === 'number' && Number.isFinite(f) ? String(f) : typeof f === 'string' ? f : '',
      ).trim(),
    )
    .filter((t) => t !== '');
  const kinds = new Set<PrivacyFindingKind>();
  const add = (t: string) => {
    for (const f of findPersonalData(t)) kinds.add(f.kind);
  };
  for (const t of texts) add(t);
  for (let i = 0; i < texts.length; i++) {
    for (let j = 0; j < texts.length; j++) {
      if (i === j) continue;
      // Only the meeting point of the two fields can hold a new identifier: the ends are enough.
      const a = texts[i]!.slice(-120);
      const b = texts[j]!.slice(0, 120);
      add(`${a} ${b}`);
      // Joined directly only where that cannot turn a full stop into a separator ("kl. 09.00." + 1000).
      if (!(/[.,;:!?]$/.test(a) && /^\d/.test(b))) add(`${a}${b}`);
    }
  }
  return [...kinds];
}

/**
 * Luhn check (modulus 10) over the whole string, the last digit being the check digit. Digits only
 * (at least two). For a personnummer pass the ten-digit form (YYMMDDNNNC).
 */
export function luhnValid(digits: string): boolean {
  if (typeof digits !== 'string' || !/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// ---------------------------------------------------------------------------
// E-mail
// ---------------------------------------------------------------------------

const EMAIL_RE =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-]+(?:\.[\p{L}\p{N}_%+-]+)*@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.\p{L}{2,}(?![\p{L}\p{N}])/gu;

function findEmails(text: string): Candidate[] {
  return matchAll(text, EMAIL_RE).map((m) => candidate('epost', m.index, m.index + m[0].length));
}

// ---------------------------------------------------------------------------
// Case numbers (diarienummer, ärendenummer)
// ---------------------------------------------------------------------------

/** The police's case numbers [NNNN-]K123456-24 (also A/Ä, also -2024) and the prosecutors' AM-123456-24. */
const POLICE_CASE_RE =
  /(?<![\p{L}\p{N}-])(?:\d{4} ?- ?)?(?:[KAÄkaä]|AM|am|Am) ?-? ?\d{4,8} ?- ?(?:\d{4}|\d{2})(?![\p{L}\p{N}]|-\d)/gu;

/** A keyword followed by a designation holding digits. */
const CASE_KEYWORD_RE =
  /(?<![\p{L}\p{N}])(?:dnr|diarienr|diarie-nr|diarienummer|ärendenr|ärende-nr|ärende nr|ärendenummer|ärende|ärendet|anmälningsnummer|anmälan nr|anm\.? ?nr|målnummer|mål nr)\.?(?:\s*[:#])?\s*/giu;

const CASE_TOKEN_RE = /(?:[\p{Lu}]{1,5}\s+)?[\p{L}\p{N}][\p{L}\p{N}/.:-]*/uy;

function findCaseNumbers(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matchAll(text, POLICE_CASE_RE)) {
    out.push(candidate('diarienummer', m.index, m.index + m[0].length));
  }
  for (const m of matchAll(text, CASE_KEYWORD_RE)) {
    const tokenStart = m.index + m[0].length;
    CASE_TOKEN_RE.lastIndex = tokenStart;
    const t = CASE_TOKEN_RE.exec(text);
    if (!t) continue;
    // Trailing punctuation belongs to the sentence, not to the number.
    const token = t[0].replace(/[/.:-]+$/u, '');
    const digitCount = (token.match(/\d/g) ?? []).length;
    if (digitCount < 3) continue;
    out.push(candidate('diarienummer', tokenStart, tokenStart + token.length));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Personnummer / samordningsnummer
// ---------------------------------------------------------------------------

const PNR_RE = /(?<!\d)(\d{2})?(\d{6})( ?[-+] ?| )?(\d{4})(?!\d)/g;

function findPersonalIdentityNumbers(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matchAll(text, PNR_RE)) {
    // Not the inner part of a longer digit sequence with separators ("1-121212-1212", "12 121212 1212").
    if (precededByDigitAndSeparator(text, m.index)) continue;
    const kind = classifyPersonalNumber(m[1], m[2]!, m[4]!);
    if (kind) out.push(candidate(kind, m.index, m.index + m[0].length));
  }
  return out;
}

function classifyPersonalNumber(
  century: string | undefined,
  datePart: string,
  rest: string,
): 'personnummer' | 'samordningsnummer' | null {
  const yy = Number(datePart.slice(0, 2));
  const month = Number(datePart.slice(2, 4));
  let day = Number(datePart.slice(4, 6));
  let kind: 'personnummer' | 'samordningsnummer' = 'personnummer';
  if (day > 60) {
    day -= 60;
    kind = 'samordningsnummer';
  }
  if (month < 1 || month > 12 || day < 1) return null;

  let maxDay: number;
  if (century !== undefined) {
    const c = Number(century);
    if (c < 18 || c > 20) return null;
    maxDay = daysInMonth(c * 100 + yy, month);
  } else {
    // Century unknown: 29 February is allowed when 1900+yy or 2000+yy is a leap year.
    maxDay = Math.max(daysInMonth(1900 + yy, month), daysInMonth(2000 + yy, month));
  }
  if (day > maxDay) return null;

  if (!luhnValid(datePart + rest)) return null;
  return kind;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// ---------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------

/** Possible starts: +46, 0046, 0X or (0X…). */
const PHONE_START_RE = /\+46|0046|\(0[1-9]\d{0,3}\)|0[1-9]/g;
/** What may separate digit groups (in the normalised text). */
const PHONE_SEPARATOR_RE = / - | -|- | |-|\./y;

const MIN_NATIONAL_DIGITS = 8;
const MAX_NATIONAL_DIGITS = 10;

/** Clock times, time ranges and lists of times: "08.00-10.00", "0800-1000", "07.00 09.00 11.00". */
const TIMES_RE = /^(?:(?:[01]\d|2[0-3])[.:]?[0-5]\d)(?:(?: ?- ?| )(?:[01]\d|2[0-3])[.:]?[0-5]\d)*$/;
/** Two or more clock times with a dot or colon, one after the other. */
const TIME_RUN_RE = /(?:[01]\d|2[0-3])[.:][0-5]\d(?:(?: ?- ?| )(?:[01]\d|2[0-3])[.:][0-5]\d)+/y;
/** Dates written day first: "05.03.2024", "05-03-2024", "05 03 2024". */
const DAY_FIRST_DATE_RE = /^(?:0[1-9]|[12]\d|3[01])[. -](?:0[1-9]|1[0-2])[. -](?:19|20)\d\d$/;

function findPhoneNumbers(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matchAll(text, PHONE_START_RE)) {
    const start = m.index;
    const allowed = phoneStartAllowed(text, start);
    if (allowed === 'no') continue;
    const end = parsePhoneAt(text, start, m[0]);
    if (end === null) continue;
    const raw = text.slice(start, end);
    // "1 050 000 000": thousands groups continuing a number.
    if (allowed === 'after-number' && /^\d{3}(?: \d{3})+$/.test(raw)) continue;
    // The personnummer form (6+4 or 8+4 with a hyphen) is not a phone number.
    if (/^\d{6}-\d{4}$|^\d{8}-\d{4}$/.test(raw)) continue;
    // Times: with a separator inside or between them ("0800 1000" too, never "08 00 10 00").
    if (TIMES_RE.test(raw) && /[.:-]|\d{4} \d{4}/.test(raw)) continue;
    // Inside a run of clock times written with a dot or colon ("08.00 10.00 12.00").
    TIME_RUN_RE.lastIndex = start;
    const run = TIME_RUN_RE.exec(text);
    if (run && end <= start + run[0].length) continue;
    if (DAY_FIRST_DATE_RE.test(raw)) continue;
    if (followedByAmountOrUnit(text, end)) continue;
    out.push(candidate('telefonnummer', start, end));
  }
  return out;
}

function phoneStartAllowed(text: string, start: number): 'yes' | 'no' | 'after-number' {
  if (start === 0) return 'yes';
  const prev = text[start - 1]!;
  if (/[\p{L}\p{N}+,/_@]/u.test(prev)) return 'no';
  const prevIsDigit = start >= 2 && isDigit(text[start - 2]!);
  // "13.0800", "12:0800", "2024-0314…": the continuation of another number.
  if (/[.:-]/.test(prev) && prevIsDigit) return 'no';
  if (prev === ' ' && start >= 3 && text[start - 2] === '-' && isDigit(text[start - 3]!)) return 'no';
  // After a space that follows a digit: phone numbers in a list are flagged, thousands groups are not.
  if (prev === ' ' && prevIsDigit) return 'after-number';
  return 'yes';
}

/**
 * Reads digit groups from `start` and returns the end of the longest prefix (at a group boundary)
 * with 8–10 digits in national form, else null.
 */
function parsePhoneAt(text: string, start: number, prefix: string): number | null {
  let pos = start;
  let nationalDigits = 0;
  let firstGroupMinLength = 2;
  const separatorAt = (at: number): number => {
    PHONE_SEPARATOR_RE.lastIndex = at;
    const m = PHONE_SEPARATOR_RE.exec(text);
    return m ? m[0].length : 0;
  };

  if (prefix === '+46' || prefix === '0046') {
    pos += prefix.length;
    nationalDigits = 1; // the leading zero the country code replaces
    firstGroupMinLength = 1; // "+46 8 123 456 78"
    pos += separatorAt(pos);
    if (text.startsWith('(0)', pos)) {
      pos += 3;
      pos += separatorAt(pos);
    }
    if (!/[1-9]/.test(text[pos] ?? '')) return null;
  } else if (prefix.startsWith('(')) {
    nationalDigits = prefix.length - 2;
    pos += prefix.length;
    pos += separatorAt(pos);
    if (!isDigit(text[pos] ?? '')) return null;
  }

  let best: number | null = null;
  let groupIndex = 0;
  for (;;) {
    const groupStart = pos;
    while (pos < text.length && isDigit(text[pos]!)) pos++;
    const len = pos - groupStart;
    const minLen = groupIndex === 0 ? firstGroupMinLength : 2;
    if (len < minLen) break;
    nationalDigits += len;
    if (nationalDigits > MAX_NATIONAL_DIGITS) break;
    if (nationalDigits >= MIN_NATIONAL_DIGITS) best = pos;
    groupIndex++;
    const sep = separatorAt(pos);
    if (sep === 0 || !isDigit(text[pos + sep] ?? '')) break;
    pos += sep;
  }
  return best;
}

function followedByAmountOrUnit(text: string, end: number): boolean {
  const after = text.slice(end, end + 12);
  return /^ ?(?:kr(?![\p{L}])|kronor|sek(?![\p{L}])|tkr|mkr|:-|%|st(?![\p{L}])|stycken)/iu.test(after);
}

// ---------------------------------------------------------------------------
// Registration numbers
// ---------------------------------------------------------------------------

const REG_RE = /(?<![\p{L}\p{N}])([A-Za-z]{3})( ?- ?| ?)(\d{2}[A-Za-z\d])(?![\p{L}\p{N}])/gu;

/** Letters Transportstyrelsen uses (not I, Q, V, Å, Ä, Ö). */
const REG_LETTERS = /^[A-HJ-PR-UW-Z]+$/;
/** The last character in the new format: a letter but not O (and not I, Q, V). */
const REG_LAST_LETTER = /^[A-HJ-NPR-UW-Z]$/;

/**
 * Three-letter words (any case) that stand before a three-digit number in ordinary report text:
 * written with a space or a hyphen ("med 120", "MAX 110", "sal 112") they are not taken for a
 * plate. Written together ("MED120") they are. The generated plates in the tests skip these words.
 */
export const REG_WORDS: ReadonlySet<string> = new Set([
  'SEK',
  'EUR',
  'USD',
  'NOK',
  'DKK',
  'GBP',
  'TKR',
  'MKR',
  'KKR',
  'KWH',
  'MWH',
  'KMH',
  'OCH',
  'MED',
  'SOM',
  'DEN',
  'DET',
  'TRE',
  'SEX',
  'TIO',
  'ELF',
  'PER',
  'MOT',
  'UTE',
  'TOT',
  'ANT',
  'NYA',
  'ALL',
  'HAR',
  'BLE',
  'FEM',
  'NIO',
  'ETT',
  'TOG',
  'GAV',
  'MAX',
  'MIN',
  'HUS',
  'RUM',
  'SAL',
  'KAP',
  'UPP',
  'NER',
  'NED',
  'MER',
  'SEN',
  'DAG',
  'ATT',
  'MEN',
  'GER',
  'TAR',
  'KAN',
  'SKA',
  'ANG',
  'ENL',
  'BLA',
  'OSV',
  'ETC',
  'TOM',
  'FOM',
  'JMF',
  'MKT',
  'LAG',
  'ORT',
  'TEL',
  'FAX',
  'MOB',
  'OBS',
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAJ',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OKT',
  'DEC',
  'PKT',
  'ARE',
  'AND',
  'SJU',
  'KOM',
  'SER',
  'BOR',
  'THE',
  'FOR',
  'WAS',
  'HAD',
  'OUT',
  'OFF',
  'TOP',
  'NUM',
  'NEW',
  'GOT',
  'SAW',
  'SET',
  'PUT',
  'GET',
  'RAN',
  'ANY',
  'HAS',
  'APP',
]);

function findRegistrationNumbers(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matchAll(text, REG_RE)) {
    const letters = m[1]!.toUpperCase();
    const separated = m[2] !== '';
    const tail = m[3]!;
    if (!REG_LETTERS.test(letters)) continue;
    const last = tail[2]!;
    if (!isDigit(last) && !REG_LAST_LETTER.test(last.toUpperCase())) continue;
    if (separated && REG_WORDS.has(letters)) continue;
    // "ABC123-45", "ABC 123:45", "ABC 123.456": part of something else.
    const end = m.index + m[0].length;
    if (/^[-/:.,]\d/.test(text.slice(end, end + 2))) continue;
    out.push(candidate('registreringsnummer', m.index, end));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

interface SimpleMatch {
  0: string;
  [group: number]: string | undefined;
  index: number;
}

function matchAll(text: string, re: RegExp): SimpleMatch[] {
  const out: SimpleMatch[] = [];
  for (const m of text.matchAll(re)) out.push(m as unknown as SimpleMatch);
  return out;
}

function candidate(kind: PrivacyFindingKind, start: number, end: number): Candidate {
  return { kind, start, end, priority: PRIORITY[kind] };
}

function isDigit(ch: string): boolean {
  return ch.length === 1 && ch >= '0' && ch <= '9';
}

function precededByDigitAndSeparator(text: string, index: number): boolean {
  if (index < 2) return false;
  return /[-+ ]/.test(text[index - 1]!) && isDigit(text[index - 2]!);
}
