/**
 * Integritetskontroll av fritext i rapporter.
 *
 * Rapporter i medborgarlöftet beskriver aktiviteter (vad, hur många, var på
 * områdesnivå) — aldrig personer. Den här modulen letar efter personuppgifter
 * och andra identifierare i fritext så att anroparen kan vägra spara texten
 * och be användaren formulera om sig.
 *
 * Modulen är ren (ingen I/O, inga ramverk) och returnerar ENDAST typ och
 * position för varje träff — aldrig det matchade värdet. Anroparen ska inte
 * heller eka tillbaka värdet (varken till användaren, i loggar eller i
 * felmeddelanden).
 *
 * Regler i korthet (se respektive hjälpfunktion för detaljer):
 *
 * - personnummer/samordningsnummer: ÅÅMMDD eller ÅÅÅÅMMDD, avskiljare '-',
 *   '+', '–', mellanslag eller ingen, följt av fyra siffror. Datumdelen måste
 *   vara giltig (samordningsnummer: dag 61–91) och kontrollsiffran måste
 *   stämma enligt Luhn räknat på tiosiffersformen. Nummer som inte klarar
 *   datum- eller Luhnkontrollen rapporteras inte som personnummer.
 * - telefonnummer: svenska nummer som börjar med 0 (inte 00) eller +46/0046,
 *   siffergrupper åtskilda av ett mellanslag eller bindestreck, 8–10 siffror
 *   i nationell form. Formen 6+4 resp. 8+4 siffror med bindestreck
 *   (personnummerform) räknas INTE som telefonnummer: den flaggas bara om den
 *   är ett giltigt personnummer. Belopp (följt av kr/kronor/SEK/:-), procent
 *   och antal (följt av "st") räknas inte som telefonnummer, inte heller
 *   tusentalsgrupper som fortsätter ett tal ("1 050 000 000") eller tal som
 *   direkt följer en siffra och '.', ':' eller '-' ("13.0800").
 * - registreringsnummer: exakt tre bokstäver + tre tecken som eget ord,
 *   "ABC123", "ABC 123", "ABC12A" (nytt format, sista tecknet bokstav utom O).
 *   Bokstäverna I, Q, V, Å, Ä, Ö används inte. Utan mellanslag flaggas alla
 *   skiftlägen ("abc123"). MED mellanslag krävs versaler ("ABC 123"), annars
 *   skulle vanlig text som "med 120 deltagare" flaggas; dessutom undantas ett
 *   fåtal vanliga svenska ord och valuta-/enhetsförkortningar ("SEK 500",
 *   "MED 120"). Andra versala trebokstavsord följda av exakt tre siffror
 *   (t.ex. "LOB 123") flaggas medvetet — hellre en falsk träff än en missad
 *   registreringsskylt.
 * - epost: vanliga e-postadresser.
 * - diarienummer: Polisens ärendenummer som "5000-K123456-24" eller
 *   "K123456-24" (prefix K, A eller Ä), samt vilken sifferbeteckning som helst
 *   (minst tre siffror) direkt efter ett nyckelord som "dnr", "diarienummer",
 *   "ärendenummer" eller "ärende nr".
 *
 * Överlapp löses med prioritet: epost > diarienummer > personnummer/
 * samordningsnummer > telefonnummer > registreringsnummer. Resultatet är
 * sorterat på position och fritt från överlapp.
 */

export type PrivacyFindingKind =
  | 'personnummer'
  | 'samordningsnummer'
  | 'registreringsnummer'
  | 'telefonnummer'
  | 'epost'
  | 'diarienummer';

/**
 * En träff. `start` är index för första tecknet och `end` index efter sista
 * tecknet (som `String.prototype.slice`). Värdet självt returneras aldrig.
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

/** Hittar personuppgifter/identifierare i `text`. Endast typ och position. */
export function findPersonalData(text: string): PrivacyFinding[] {
  if (typeof text !== 'string' || text.length === 0) return [];

  const candidates: Candidate[] = [
    ...findEmails(text),
    ...findCaseNumbers(text),
    ...findPersonalIdentityNumbers(text),
    ...findPhoneNumbers(text),
    ...findRegistrationNumbers(text),
  ];

  candidates.sort(
    (a, b) => a.priority - b.priority || a.start - b.start || b.end - a.end,
  );

  const accepted: PrivacyFinding[] = [];
  for (const c of candidates) {
    if (accepted.some((a) => c.start < a.end && a.start < c.end)) continue;
    // Nytt objekt med exakt nycklarna kind/start/end.
    accepted.push({ kind: c.kind, start: c.start, end: c.end });
  }
  accepted.sort((a, b) => a.start - b.start);
  return accepted;
}

/** true om `text` innehåller minst en personuppgift/identifierare. */
export function containsPersonalData(text: string): boolean {
  return findPersonalData(text).length > 0;
}

/**
 * Luhn-kontroll (modulus 10) över hela strängen, där sista siffran är
 * kontrollsiffran. Strängen får bara innehålla siffror (minst två).
 * För ett personnummer ska tiosiffersformen (ÅÅMMDDNNNK) skickas in.
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
// E-post
// ---------------------------------------------------------------------------

const EMAIL_RE =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-]+(?:\.[\p{L}\p{N}_%+-]+)*@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.\p{L}{2,}(?![\p{L}\p{N}])/gu;

function findEmails(text: string): Candidate[] {
  return matchAll(text, EMAIL_RE).map((m) => candidate('epost', m.index, m.index + m[0].length));
}

// ---------------------------------------------------------------------------
// Diarienummer / ärendenummer
// ---------------------------------------------------------------------------

/** Polisens ärendenummer: [NNNN-]K123456-24 (även A/Ä, även -2024). */
const POLICE_CASE_RE =
  /(?<![\p{L}\p{N}-])(?:\d{4}-)?[KAÄkaä][ -]?\d{4,8}-(?:\d{4}|\d{2})(?![\p{L}\p{N}]|-\d)/gu;

/** Nyckelord följt av en beteckning som innehåller siffror. */
const CASE_KEYWORD_RE =
  /(?<![\p{L}\p{N}])(?:dnr|diarienr|diarie-nr|diarienummer|ärendenr|ärende-nr|ärende nr|ärendenummer|anmälningsnummer|anm\.? ?nr)\.?(?:\s*[:#])?\s*/giu;

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
    let token = t[0];
    // Skiljetecken i slutet hör till meningen, inte till numret.
    token = token.replace(/[/.:-]+$/u, '');
    const digitCount = (token.match(/\d/g) ?? []).length;
    if (digitCount < 3) continue;
    out.push(candidate('diarienummer', tokenStart, tokenStart + token.length));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Personnummer / samordningsnummer
// ---------------------------------------------------------------------------

const PNR_RE = /(?<!\d)(\d{2})?(\d{6})([-+– ]?)(\d{4})(?!\d)/g;

function findPersonalIdentityNumbers(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matchAll(text, PNR_RE)) {
    const century = m[1];
    const datePart = m[2]!;
    const rest = m[4]!;
    // Undvik att ta den inre delen av en längre siffersekvens med
    // avskiljare, t.ex. "1-121212-1212" eller "12 121212 1212".
    if (precededByDigitAndSeparator(text, m.index)) continue;
    const kind = classifyPersonalNumber(century, datePart, rest);
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
    // Okänt århundrade: tillåt 29 februari om något av 1900/2000 ger skottår.
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
// Telefonnummer
// ---------------------------------------------------------------------------

/** Tecken som får skilja siffergrupper i ett telefonnummer. */
const PHONE_SEPARATORS = new Set([' ', '-', '\u00a0', '\u202f']);

/** Möjliga startpunkter: +46, 0046, 0X eller (0X…). */
const PHONE_START_RE = /\+46|0046|\(0[1-9]\d{0,3}\)|0[1-9]/g;

const MIN_NATIONAL_DIGITS = 8;
const MAX_NATIONAL_DIGITS = 10;

function findPhoneNumbers(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matchAll(text, PHONE_START_RE)) {
    const start = m.index;
    const allowed = phoneStartAllowed(text, start);
    if (allowed === 'no') continue;
    const end = parsePhoneAt(text, start, m[0]);
    if (end === null) continue;
    const raw = text.slice(start, end);
    // "1 050 000 000": tusentalsgruppering som fortsätter ett tal.
    if (allowed === 'after-number' && /^\d{3}(?:[ \u00a0\u202f]\d{3})+$/.test(raw)) continue;
    // Personnummerform (6+4 eller 8+4 med bindestreck) är inte telefonnummer.
    if (/^\d{6}-\d{4}$|^\d{8}-\d{4}$/.test(raw)) continue;
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
  // "13.0800", "12:0800", "2024-0314…": fortsättning på ett annat tal.
  if (/[.:\-–]/.test(prev) && prevIsDigit) return 'no';
  // Mellanslag efter en siffra: telefonnummer i en uppräkning ska flaggas,
  // men tusentalsgrupper i ett belopp ska det inte (se findPhoneNumbers).
  if (/[ \u00a0\u202f]/.test(prev) && prevIsDigit) return 'after-number';
  return 'yes';
}

/**
 * Läser siffergrupper från `start` och returnerar slutindex för det längsta
 * prefix (på gruppgräns) som har 8–10 siffror i nationell form, annars null.
 */
function parsePhoneAt(text: string, start: number, prefix: string): number | null {
  let pos = start;
  let nationalDigits = 0;
  let firstGroupMinLength = 2;

  if (prefix === '+46' || prefix === '0046') {
    pos += prefix.length;
    nationalDigits = 1; // den inledande nollan som ersätts av landsnumret
    firstGroupMinLength = 1; // "+46 8 123 456 78"
    if (PHONE_SEPARATORS.has(text[pos] ?? '')) pos++;
    if (text.startsWith('(0)', pos)) {
      pos += 3;
      if (PHONE_SEPARATORS.has(text[pos] ?? '')) pos++;
    }
    if (!/[1-9]/.test(text[pos] ?? '')) return null;
  } else if (prefix.startsWith('(')) {
    nationalDigits = prefix.length - 2;
    pos += prefix.length;
    if (PHONE_SEPARATORS.has(text[pos] ?? '')) pos++;
    firstGroupMinLength = 2;
    if (!/\d/.test(text[pos] ?? '')) return null;
  }

  let best: number | null = null;
  let groupIndex = 0;
  let dashes = 0;
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
    const sep = text[pos];
    if (sep === undefined || !PHONE_SEPARATORS.has(sep) || !isDigit(text[pos + 1] ?? '')) break;
    if (sep === '-' && ++dashes > 1) break;
    pos++;
  }
  return best;
}

function followedByAmountOrUnit(text: string, end: number): boolean {
  const after = text.slice(end, end + 12);
  return /^[\s\u00a0\u202f]*(?:kr(?![\p{L}])|kronor|sek(?![\p{L}])|tkr|mkr|:-|%|st(?![\p{L}])|stycken)/iu.test(
    after,
  );
}

// ---------------------------------------------------------------------------
// Registreringsnummer
// ---------------------------------------------------------------------------

const REG_RE = /(?<![\p{L}\p{N}])([A-Za-z]{3})( ?)(\d{2}[A-Za-z\d])(?![\p{L}\p{N}])/gu;

/** Bokstäver som Transportstyrelsen använder (ej I, Q, V, Å, Ä, Ö). */
const REG_LETTERS = /^[A-HJ-PR-UW-Z]+$/;
/** Sista tecknet i nytt format: bokstav utom O (och ej I, Q, V). */
const REG_LAST_LETTER = /^[A-HJ-NPR-UW-Z]$/;

/**
 * Versala trebokstavsord som ofta står före ett tresiffrigt tal i rapporter.
 * Undantas bara i formen med mellanslag ("SEK 500"); "SEK500" flaggas.
 */
const REG_SPACED_STOPWORDS = new Set([
  'SEK', 'EUR', 'USD', 'NOK', 'DKK', 'GBP', 'TKR', 'MKR', 'KKR',
  'OCH', 'MED', 'SOM', 'DEN', 'DET', 'TRE', 'SEX', 'TIO', 'ELF', 'PER',
  'MOT', 'UTE', 'TOT', 'ANT', 'NYA', 'ALL', 'HAR', 'BLE', 'FEM', 'NIO',
  'ETT', 'TOG', 'GAV',
]);

function findRegistrationNumbers(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of matchAll(text, REG_RE)) {
    const letters = m[1]!;
    const spaced = m[2] === ' ';
    const tail = m[3]!;
    const upperLetters = letters.toUpperCase();
    if (!REG_LETTERS.test(upperLetters)) continue;
    const last = tail[2]!;
    if (!isDigit(last) && !REG_LAST_LETTER.test(last.toUpperCase())) continue;
    if (spaced) {
      if (letters !== upperLetters) continue;
      if (!isDigit(last) && last !== last.toUpperCase()) continue;
      if (REG_SPACED_STOPWORDS.has(letters)) continue;
    }
    // "ABC123-45", "ABC 123:45", "ABC 123.456": del av något annat.
    const end = m.index + m[0].length;
    if (/^[-/:.,]\d/.test(text.slice(end, end + 2))) continue;
    out.push(candidate('registreringsnummer', m.index, end));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Hjälpfunktioner
// ---------------------------------------------------------------------------

interface SimpleMatch {
  0: string;
  [group: number]: string | undefined;
  index: number;
}

function matchAll(text: string, re: RegExp): SimpleMatch[] {
  const out: SimpleMatch[] = [];
  for (const m of text.matchAll(re)) {
    out.push(m as unknown as SimpleMatch);
  }
  return out;
}

function candidate(kind: PrivacyFindingKind, start: number, end: number): Candidate {
  return { kind, start, end, priority: PRIORITY[kind] };
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9' && ch.length === 1;
}

function precededByDigitAndSeparator(text: string, index: number): boolean {
  if (index < 2) return false;
  return /[-+– ]/.test(text[index - 1]!) && isDigit(text[index - 2]!);
}
