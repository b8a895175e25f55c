/**
 * Questions in chat ("hur många trafikkontroller i år?", "vad har gjorts i centrum?") turned into a
 * structured Question. Pure and deterministic: the answer depends only on the text, the agreement and
 * `today`. Tolerant of missing å/ä/ö, case, punctuation, extra words and small typos.
 *
 * Subjects are found from the agreement's own data — activity ids, activity wording, units and pledge
 * keywords — so another municipality's agreement works without code changes. A small synonym table
 * (ACTIVITY_SYNONYMS), keyed by generic word stems, adds words users say that the agreement text does
 * not contain ("razzior", "traffic checks").
 */
import type { Activity, Agreement } from './agreement.js';
import {
  addTertials,
  addWeeks,
  isoWeekOfLocalDate,
  parseIsoWeek,
  parseLocalDate,
  parseTertial,
  tertialOfLocalDate,
  weeksInYear,
  type IsoWeek,
  type LocalDate,
  type Tertial,
} from './calendar.js';
import { closeTo, fold } from './text-match.js';

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/** The time a count question is about, resolved against today. */
export type Window =
  | { kind: 'week'; week: IsoWeek }
  | { kind: 'tertial'; tertial: Tertial }
  | { kind: 'year'; year: number }
  | { kind: 'period' };

export type Question =
  /** "hur går det?", "läget?", "how are we doing" */
  | { kind: 'overallStatus' }
  /** "hur går löfte 2", "hur går det med trafiken", "narkotikan" */
  | { kind: 'pledgeStatus'; pledgeNumber: number }
  /** "hur går det med krogkontrollerna" — an activity clearly named; pledgeNumber is its pledge. */
  | { kind: 'activityStatus'; activityId: string; pledgeNumber: number }
  /**
   * "hur många trafikkontroller i år?". activityIds empty = all activities (of pledgeNumber when set).
   * pledgeNumber is set whenever the question names a pledge (by number or by a pledge keyword).
   */
  | { kind: 'count'; activityIds: string[]; pledgeNumber?: number; window: Window }
  /** "vad har gjorts i centrum?" — optional keys are left out, never undefined. */
  | { kind: 'recent'; area?: string; pledgeNumber?: number; activityIds?: string[] }
  | { kind: 'behind' }
  | { kind: 'missingReporters' }
  | { kind: 'nextMeeting' }
  /** "vilka är målen?", "vad är målet för trafikkontroller" */
  | { kind: 'targets'; activityIds?: string[]; pledgeNumber?: number }
  | { kind: 'unknown' };

export const DEFAULT_AREAS: readonly string[] = ['Centrum', 'Resecentrum', 'Krogmiljön', 'Skolor', 'Hela kommunen', 'Annat'];

export interface QuestionOptions {
  /** Area names reports use; "vad har gjorts i centrum" picks one of them. */
  areas?: readonly string[];
}

/** Shown when a question is not understood. */
export const QUESTION_EXAMPLES_SV: string[] = [
  'Hur går det?',
  'Hur går löfte 2?',
  'Hur går det med trafiken?',
  'Hur många trafikkontroller i år?',
  'Riktade insatser vecka 12',
  'Hur många insatser i tertial 1?',
  'Vad har gjorts i Centrum?',
  'Vilka aktiviteter ligger efter?',
  'Vem har inte rapporterat?',
  'När är nästa möte?',
  'Vilka är målen?',
];

export const QUESTION_EXAMPLES_EN: string[] = [
  'How are we doing?',
  'How is promise 2 going?',
  'How many traffic checks this year?',
  'How many raids last week?',
  'What was done in Centrum?',
  'What is behind?',
  'Who has not reported?',
  'When is the next meeting?',
  'What are the targets?',
];

/**
 * Extra words for activities, keyed by a generic stem. A key applies to every activity whose id or
 * wording (folded) has a word starting with the key; its synonyms then name that activity as clearly
 * as its id does. Synonyms may be phrases ("traffic checks"). All entries are folded (no å/ä/ö).
 */
export const ACTIVITY_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  trafikkontroll: [
    'trafikkontroll',
    'hastighetskontroller',
    'nykterhetskontroller',
    'alkoholkontroller',
    'traffic checks',
    'traffic controls',
    'traffic stops',
    'speed checks',
  ],
  'riktade insats': ['razzia', 'razzior', 'narkotikainsatser', 'narkotikainsats', 'tillslag', 'targeted operations', 'drug operations', 'raids'],
  narkotikainsats: ['narkotikainsatser', 'razzior', 'drug operations', 'raids'],
  krogkontroll: ['restaurangkontroller', 'restaurangkontroll', 'krogtillsyn', 'krogbesok', 'bar checks', 'pub checks', 'restaurant checks'],
  lob: ['lob', 'omhandertaganden', 'omhandertagande', 'ingripanden', 'polislagen', 'interventions', 'detentions'],
  langning: [
    'langning',
    'langningskampanj',
    'langningskampanjer',
    'kampanj',
    'kampanjer',
    'informationsinsatser',
    'informationskampanjer',
    'campaigns',
    'information campaigns',
  ],
  kampanj: ['kampanj', 'kampanjer', 'campaigns'],
  samverkansmot: ['samverkansmote', 'samverkansmoten', 'mote', 'moten', 'motena', 'sspf', 'est', 'meetings', 'cooperation meetings'],
  sspf: ['sspf', 'sspf moten'],
  trygghetsvandring: ['safety walks'],
};

// ---------------------------------------------------------------------------
// Word lists (folded)
// ---------------------------------------------------------------------------

/** Words that carry no subject. Removed before subjects are matched. */
const STOPWORDS = new Set(
  (
    // Swedish
    'hej hejsan hallo tja tjena god morgon tack snalla kan du ni vi jag mig oss dig er man sag saga beratta visa ' +
    'saker kolla undrar undra vill veta skulle kunna vara hur vad vem vilka vilken vilket nar var ar har hade ha blir ' +
    'blev det den de dem denna detta dessa en ett i pa for med mot till av och eller som att inom under efter fran ' +
    'ligger ligga sa nu da ju val bara lite mycket gjort gjorts gjordes gor gora gjorda gjorde genomfort genomforts genomforda ' +
    'utfort utforts hant hander hande rapporterat rapporterats registrerat registrerats haft hallit hallits vart ' +
    'totalt sammanlagt hittills senaste senast tiden nyligen alla allt nagot nagra nagon ingen inga stort overlag ' +
    'om aktivitet aktiviteter aktiviteterna aktiviteten lofte loftet loften loftena medborgarlofte medborgarloftet ' +
    'polisen kommunen polis kommun gang ganger stycken st antal nr nummer sjalva egentligen just typ ' +
    // English
    'hi hello hey there thanks please can could would you tell me us show what who how many much when where ' +
    'which the a an of in on for with about to from is are was were be been has have had do does did done ' +
    'we our it its s t this that so far yet any all activity activities promise pledge police municipality'
  ).split(' '),
);

/** Verbs and function words that also appear in activity wording but never name it. */
const WORDING_STOPWORDS = new Set(
  'saker oka okad okat minska genom aktiv aktivt anvandning upplevda syfte framst personer aldern yngre bland arbeta ' +
    'langsiktigt langsiktig inom ska skall samt andra annan annat nationella nationell aterkommande arbetsmodellerna ' +
    'upptacka for att med och mot av'.split(' '),
);

/** Words that say "things done" without naming an activity: do not make a count question unknown. */
const GENERIC_DONE = new Set(
  'insats insatser insatserna saker grejer atgarder atgard arbete arbetet things actions operations work'.split(' '),
);

/** Area names that are a catch-all and not a place ("Annat"). */
const CATCH_ALL_AREAS = new Set(['annat', 'ovrigt', 'other', 'others']);

const NUMBER_WORDS: ReadonlyMap<string, number> = new Map(Object.entries({
  ett: 1, ettan: 1, tva: 2, tvaan: 2, tvan: 2, tre: 3, trean: 3, fyra: 4, fyran: 4, fem: 5, femman: 5,
  one: 1, two: 2, three: 3, four: 4, five: 5,
}));

const ORDINALS: ReadonlyMap<string, number> = new Map(Object.entries({
  forsta: 1, andra: 2, tredje: 3, fjarde: 4, femte: 5, first: 1, second: 2, third: 3, fourth: 4, fifth: 5,
  '1a': 1, '2a': 2, '3e': 3, '4e': 4, '5e': 5, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4, '5th': 5,
}));

// ---------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------

interface Token {
  w: string;
  used: boolean;
}

function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of fold(text).split(' ')) {
    if (raw === '') continue;
    if (/^\d{4}-[wt]\d{1,2}$/.test(raw)) {
      out.push(raw);
      continue;
    }
    for (const part of raw.split('-')) if (part !== '') out.push(part);
  }
  return out;
}

/**
 * Tokens of vocabulary text (area names, pledge keywords, activity wording, synonyms): the same
 * strings every message, so they are tokenized once. Bounded, in case the vocabulary ever changes
 * often (an edited agreement): the cache is simply started over.
 */
const vocabularyTokens = new Map<string, readonly string[]>();
function tokenizeVocabulary(text: string): readonly string[] {
  let words = vocabularyTokens.get(text);
  if (words === undefined) {
    if (vocabularyTokens.size >= 2000) vocabularyTokens.clear();
    words = Object.freeze(tokenize(text));
    vocabularyTokens.set(text, words);
  }
  return words;
}

const SUFFIXES = ['arna', 'erna', 'orna', 'ena', 'na', 'en', 'et', 'er', 'ar', 'or', 'n', 't', 's', 'a', 'e'];

/** A light Swedish/English stem: drops one plural/definite ending, keeping at least four letters. */
function stem(w: string): string {
  for (const s of SUFFIXES) if (w.length - s.length >= 4 && w.endsWith(s)) return w.slice(0, -s.length);
  return w;
}

/** A word with its stem, computed once (vocabulary terms once per vocabulary, user words once per message). */
interface Stemmed {
  w: string;
  s: string;
}

const stemmed = (w: string): Stemmed => ({ w, s: stem(w) });

/** A user word matches a term when equal, one/two typos off, or the same after endings are dropped. */
function stemmedMatches(w: Stemmed, term: Stemmed): boolean {
  if (w.w === term.w) return true;
  if (w.w.length < 4 || term.w.length < 4) return false;
  if (w.w === term.s || w.s === term.w || w.s === term.s) return true;
  // Typos: people rarely miss the first letter, and allowing it pairs unrelated words ("vandringar"/"saneringar").
  return (
    w.w[0] === term.w[0] && (closeTo(w.w, term.w) || closeTo(w.w, term.s) || closeTo(w.s, term.w) || closeTo(w.s, term.s))
  );
}

function wordMatches(w: string, term: string): boolean {
  return w === term || stemmedMatches(stemmed(w), stemmed(term));
}

/** "kontroller" is the head of the compound "trafikkontroller". */
function compoundHead(w: Stemmed, term: Stemmed): boolean {
  return w.s.length >= 6 && term.s.length > w.s.length + 2 && term.s.endsWith(w.s);
}

/**
 * A cue pattern: words separated by spaces, alternatives by '/'. 'x*' = starts with x, '*x' = ends
 * with x, '=x' = exactly x. Other words of six letters or more allow typos; shorter ones must be exact.
 */
type CueWord = { kind: 'exact' | 'prefix' | 'suffix' | 'close'; s: string };

function compileCueWord(alt: string): CueWord {
  if (alt.startsWith('=')) return { kind: 'exact', s: alt.slice(1) };
  if (alt.endsWith('*')) return { kind: 'prefix', s: alt.slice(0, -1) };
  if (alt.startsWith('*')) return { kind: 'suffix', s: alt.slice(1) };
  return { kind: alt.length >= 6 ? 'close' : 'exact', s: alt };
}

function cueWordMatches(w: string, alt: CueWord): boolean {
  switch (alt.kind) {
    case 'exact':
      return w === alt.s;
    case 'prefix':
      return w.startsWith(alt.s);
    case 'suffix':
      return w.endsWith(alt.s);
    case 'close':
      return closeTo(w, alt.s);
  }
}

/** Cue words and patterns are constants of this module: each is split and classified once. */
const compiledAlternatives = new Map<string, readonly CueWord[]>();
function alternativesOf(alts: string): readonly CueWord[] {
  let compiled = compiledAlternatives.get(alts);
  if (compiled === undefined) {
    compiled = alts.split('/').map(compileCueWord);
    compiledAlternatives.set(alts, compiled);
  }
  return compiled;
}

const compiledPatterns = new Map<string, readonly (readonly CueWord[])[]>();
function patternOf(pattern: string): readonly (readonly CueWord[])[] {
  let compiled = compiledPatterns.get(pattern);
  if (compiled === undefined) {
    compiled = pattern.split(' ').map(alternativesOf);
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

function matchesAny(w: string, alts: readonly CueWord[]): boolean {
  for (const a of alts) if (cueWordMatches(w, a)) return true;
  return false;
}

function isWord(w: string | undefined, alts: string): boolean {
  return w !== undefined && matchesAny(w, alternativesOf(alts));
}

/** Finds a cue among unused tokens, in order, with at most maxGap tokens between its words. */
function findCue(tokens: Token[], pattern: string, maxGap = 0): number[] | null {
  const parts = patternOf(pattern);
  for (let start = 0; start < tokens.length; start++) {
    if (tokens[start]!.used || !matchesAny(tokens[start]!.w, parts[0]!)) continue;
    const hit = [start];
    let pos = start;
    for (let p = 1; p < parts.length; p++) {
      let found = -1;
      for (let j = pos + 1; j <= Math.min(tokens.length - 1, pos + 1 + maxGap); j++) {
        if (!tokens[j]!.used && matchesAny(tokens[j]!.w, parts[p]!)) {
          found = j;
          break;
        }
      }
      if (found < 0) break;
      hit.push(found);
      pos = found;
    }
    if (hit.length === parts.length) return hit;
  }
  return null;
}

/** Whether any of the patterns is present; marks the matched tokens used. */
function takeCue(tokens: Token[], patterns: readonly string[], maxGap = 0): boolean {
  for (const p of patterns) {
    const hit = findCue(tokens, p, maxGap);
    if (hit) {
      for (const i of hit) tokens[i]!.used = true;
      return true;
    }
  }
  return false;
}

function hasCue(tokens: Token[], patterns: readonly string[], maxGap = 0): boolean {
  return patterns.some((p) => findCue(tokens, p, maxGap) !== null);
}

// ---------------------------------------------------------------------------
// Windows
// ---------------------------------------------------------------------------

const WEEK_WORD = 'vecka/veckan/veckor/v/w/week/wk';
const TERTIAL_WORD = 'tertial/tertialen/tertialet/tertialer';
const THIS = 'denna/detta/this/current/innevarande/nuvarande/aktuella/aktuell/pagaende';
const LAST = 'forra/foregaende/last/previous/senaste';
const YEAR_WORD = 'ar/aret/year';

interface WindowParts {
  week?: { n: number; year?: number } | 'this' | 'last';
  tertial?: { n: number; year?: number } | 'this' | 'last';
  year?: number;
  period?: boolean;
  /** A time we cannot answer for: "vecka 60", "förra månaden" (months are no window). */
  unsupported?: boolean;
}

const MONTH_WORDS =
  'manad/manaden/manader/manadens/month/months/januari/februari/mars/april/maj/juni/juli/augusti/september/oktober/november/december/' +
  'january/february/march/june/july/august/october';

function yearLiteral(w: string | undefined): number | undefined {
  return w !== undefined && /^20\d{2}$/.test(w) ? Number(w) : undefined;
}

function smallNumber(w: string | undefined, max: number): number | undefined {
  if (w === undefined) return undefined;
  const n = /^\d{1,2}$/.test(w) ? Number(w) : NUMBER_WORDS.get(w);
  return n !== undefined && n >= 1 && n <= max ? n : undefined;
}

/** Reads the window words, marks them used, and returns what they said (unresolved). */
function extractWindow(tokens: Token[], todayYear: number): WindowParts {
  const parts: WindowParts = {};
  const w = (i: number): string | undefined => (i >= 0 && i < tokens.length && !tokens[i]!.used ? tokens[i]!.w : undefined);
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

  for (let i = 0; i < tokens.length; i++) {
    const t = w(i);
    if (t === undefined) continue;
    let m: RegExpExecArray | null;

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
    if (isWord(t, MONTH_WORDS)) {
      use(i);
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
      parts.period = true;
      continue;
    }
    if (isWord(t, 'sedan/since') && isWord(w(i + 1), 'start/starten/borjan/beginning')) {
      use(i, i + 1);
      parts.period = true;
      continue;
    }
  }
  return parts;
}

/** Turns window words into a Window (undefined when they name no valid time). Without any: the year of today. */
function resolveWindow(parts: WindowParts, today: LocalDate): Window | undefined {
  if (parts.unsupported) return undefined;
  const todayYear = parseLocalDate(today)!.year;
  if (parts.week !== undefined) {
    const thisWeek = isoWeekOfLocalDate(today);
    if (parts.week === 'this') return { kind: 'week', week: thisWeek };
    if (parts.week === 'last') return { kind: 'week', week: addWeeks(thisWeek, -1) };
    const cur = parseIsoWeek(thisWeek)!;
    const n = parts.week.n;
    const year = parts.week.year ?? parts.year ?? (n > cur.week ? cur.year - 1 : cur.year);
    if (n >= 1 && n <= weeksInYear(year)) return { kind: 'week', week: `${year}-W${String(n).padStart(2, '0')}` };
    return undefined;
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
  if (parts.year !== undefined) return { kind: 'year', year: parts.year };
  if (parts.period) return { kind: 'period' };
  return { kind: 'year', year: todayYear };
}

function hasWindow(parts: WindowParts): boolean {
  return (
    parts.week !== undefined || parts.tertial !== undefined || parts.year !== undefined || parts.period === true || parts.unsupported === true
  );
}

// ---------------------------------------------------------------------------
// Pledge numbers and areas
// ---------------------------------------------------------------------------

const PLEDGE_WORD = 'lofte/loftet/loften/loftena/*lofte/*loftet/promise/pledge/commitment';

/** "löfte 2", "löfte nr 2", "promise two", "andra löftet"; marks the words used. */
function extractPledgeNumber(tokens: Token[]): number | undefined {
  const w = (i: number): string | undefined => (i >= 0 && i < tokens.length && !tokens[i]!.used ? tokens[i]!.w : undefined);
  for (let i = 0; i < tokens.length; i++) {
    const t = w(i);
    if (t === undefined || !isWord(t, PLEDGE_WORD)) continue;
    let j = i + 1;
    if (isWord(w(j), 'nr/nummer/number/no')) j++;
    const n = smallNumber(w(j), 99);
    if (n !== undefined) {
      for (let k = i; k <= j; k++) tokens[k]!.used = true;
      return n;
    }
    const before = w(i - 1);
    const ord = before === undefined ? undefined : ORDINALS.get(before);
    if (ord !== undefined) {
      tokens[i - 1]!.used = true;
      tokens[i]!.used = true;
      return ord;
    }
  }
  return undefined;
}

interface AreaCandidate {
  name: string;
  words: readonly string[];
}

/** The areas a question may name, longest first; computed once per list of areas. */
const areaCandidateCache = new Map<string, readonly AreaCandidate[]>();
function areaCandidates(areas: readonly string[]): readonly AreaCandidate[] {
  const key = areas.join('\u0000');
  let candidates = areaCandidateCache.get(key);
  if (candidates === undefined) {
    candidates = areas
      .map((name) => ({ name, words: tokenizeVocabulary(name) }))
      .filter((a) => a.words.length > 0 && !(a.words.length === 1 && CATCH_ALL_AREAS.has(a.words[0]!)))
      .sort((a, b) => b.words.length - a.words.length || b.words.join('').length - a.words.join('').length);
    if (areaCandidateCache.size >= 100) areaCandidateCache.clear();
    areaCandidateCache.set(key, candidates);
  }
  return candidates;
}

/** The area the question names, if any; marks its words used. */
function extractArea(tokens: Token[], areas: readonly string[]): string | undefined {
  const candidates = areaCandidates(areas);
  const areaWordMatches = (w: string, aw: string): boolean => {
    if (wordMatches(w, aw)) return true;
    // "krogen" → Krogmiljön, "skolan" → Skolor, "centrala" → Centrum: a shared beginning of 4+ letters.
    if (w.length < 4 || STOPWORDS.has(w)) return false;
    let k = 0;
    while (k < w.length && k < aw.length && w[k] === aw[k]) k++;
    return k >= 4 && k >= Math.min(w.length, aw.length) - 3;
  };
  for (const area of candidates) {
    const hits: number[] = [];
    for (const aw of area.words) {
      const i = tokens.findIndex((t, idx) => !t.used && !hits.includes(idx) && areaWordMatches(t.w, aw));
      if (i < 0) break;
      hits.push(i);
    }
    if (hits.length === area.words.length) {
      for (const i of hits) tokens[i]!.used = true;
      return area.name;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Subjects: activities and pledges, from the agreement's data
// ---------------------------------------------------------------------------

interface ActivityTerms {
  /** Phrases that name the activity: its id's first word and the synonyms that apply to it. */
  strong: readonly (readonly Stemmed[])[];
  /** Words that point to it: its other id words, wording words and unit. */
  weak: readonly Stemmed[];
}

function computeActivityTerms(activity: Activity, placeWords: ReadonlySet<string>): ActivityTerms {
  const useful = (w: string): boolean => !STOPWORDS.has(w) && !WORDING_STOPWORDS.has(w) && !placeWords.has(w) && !/^\d+$/.test(w);
  const idWords = activity.id.split('-').filter((w) => w !== '' && useful(w));
  const wordingWords = tokenize(activity.wording).filter((w) => w.length >= 4 && useful(w));
  const unitWords = tokenize(activity.unit).filter(useful);
  const text = ` ${[...tokenize(activity.id.replace(/-/g, ' ')), ...tokenize(activity.wording)].join(' ')}`;
  const strong: string[][] = [];
  if (idWords.length > 0) strong.push([idWords[0]!]);
  for (const [key, synonyms] of Object.entries(ACTIVITY_SYNONYMS)) {
    if (text.includes(` ${fold(key)}`)) for (const s of synonyms) strong.push(tokenize(s));
  }
  const weak = [...new Set([...idWords.slice(1), ...wordingWords, ...unitWords])];
  return { strong: strong.map((phrase) => phrase.map(stemmed)), weak: weak.map(stemmed) };
}

/**
 * The agreement's vocabulary, by activity in agreement order. It depends only on the agreement's
 * text, not on the message, so it is computed once per distinct text (the key holds every field it
 * is computed from; an edited agreement gets a new entry) instead of on every question.
 */
const activityTermsCache = new Map<string, readonly ActivityTerms[]>();
/** The same, by object, for agreements whose fields read here cannot change (the store freezes what it holds). */
const frozenAgreementTerms = new WeakMap<Agreement, readonly ActivityTerms[]>();

function activityTerms(agreement: Agreement): readonly ActivityTerms[] {
  const immutable = Object.isFrozen(agreement) && Object.isFrozen(agreement.activities) && agreement.activities.every((a) => Object.isFrozen(a));
  if (immutable) {
    const known = frozenAgreementTerms.get(agreement);
    if (known !== undefined) return known;
  }
  // JSON string literals as separators: no two different texts give the same key.
  let key = JSON.stringify(agreement.municipality) + JSON.stringify(agreement.policeArea);
  for (const a of agreement.activities) key += JSON.stringify(a.id) + JSON.stringify(a.wording) + JSON.stringify(a.unit);
  let terms = activityTermsCache.get(key);
  if (terms === undefined) {
    const placeWords = new Set([...tokenize(agreement.municipality), ...tokenize(agreement.policeArea)]);
    terms = agreement.activities.map((activity) => computeActivityTerms(activity, placeWords));
    if (activityTermsCache.size >= 100) activityTermsCache.clear();
    activityTermsCache.set(key, terms);
  }
  if (immutable) frozenAgreementTerms.set(agreement, terms);
  return terms;
}

/** The words left that may name a subject: unused, not a stopword, not a bare number. */
function contentTokens(tokens: Token[]): Token[] {
  return tokens.filter((t) => !t.used && t.w.length >= 2 && !STOPWORDS.has(t.w) && !/^\d+$/.test(t.w));
}

interface Subject {
  /** Activities clearly named (by id's first word or a synonym), in agreement order. */
  strong: string[];
  /** Activities only pointed to (by wording, unit, other id words) with the highest score. */
  weak: string[];
  /** The pledge the pledge keywords point to, when exactly one scores highest. */
  pledge?: number;
  /** Content words that matched nothing. */
  unrecognized: string[];
}

/** Finds a phrase among content words (in order, one extra word allowed between). */
function phraseAt(content: readonly Stemmed[], words: readonly Stemmed[]): number[] | null {
  for (let s = 0; s < content.length; s++) {
    if (!stemmedMatches(content[s]!, words[0]!)) continue;
    const hit = [s];
    for (let p = 1; p < words.length; p++) {
      const prev = hit[hit.length - 1]!;
      const next = [prev + 1, prev + 2].find((j) => j < content.length && stemmedMatches(content[j]!, words[p]!));
      if (next === undefined) break;
      hit.push(next);
    }
    if (hit.length === words.length) return hit;
  }
  return null;
}

/** A pledge keyword's words with their stems, computed once per keyword. */
const keywordCache = new Map<string, readonly Stemmed[]>();
function keywordWords(keyword: string): readonly Stemmed[] {
  let words = keywordCache.get(keyword);
  if (words === undefined) {
    if (keywordCache.size >= 2000) keywordCache.clear();
    words = tokenizeVocabulary(keyword).map(stemmed);
    keywordCache.set(keyword, words);
  }
  return words;
}

function findSubject(tokens: Token[], agreement: Agreement): Subject {
  const content = contentTokens(tokens);
  const contentWords = content.map((t) => stemmed(t.w));
  const terms = activityTerms(agreement);
  const strongAt = content.map(() => new Set<string>());
  const weakAt = content.map(() => new Set<string>());
  const pledgesAt = content.map(() => new Set<number>());

  agreement.activities.forEach((activity, a) => {
    const { strong, weak } = terms[a]!;
    for (const phrase of strong) {
      const hit = phraseAt(contentWords, phrase);
      if (hit) for (const i of hit) strongAt[i]!.add(activity.id);
    }
    contentWords.forEach((t, i) => {
      if (weak.some((term) => stemmedMatches(t, term) || compoundHead(t, term))) weakAt[i]!.add(activity.id);
    });
  });
  for (const pledge of agreement.pledges) {
    for (const keyword of pledge.keywords) {
      const words = keywordWords(keyword);
      if (words.length === 0) continue;
      const hit = phraseAt(contentWords, words);
      if (hit) for (const i of hit) pledgesAt[i]!.add(pledge.number);
    }
  }

  // Each word counts once: a clear activity name first, then a pledge keyword, then weaker activity hints.
  const strongIds = new Set<string>();
  const weakScore = new Map<string, number>();
  const pledgeScore = new Map<number, number>();
  const unrecognized: string[] = [];
  content.forEach((t, i) => {
    if (strongAt[i]!.size > 0) strongAt[i]!.forEach((id) => strongIds.add(id));
    else if (pledgesAt[i]!.size > 0) pledgesAt[i]!.forEach((n) => pledgeScore.set(n, (pledgeScore.get(n) ?? 0) + 1));
    else if (weakAt[i]!.size > 0) weakAt[i]!.forEach((id) => weakScore.set(id, (weakScore.get(id) ?? 0) + 1));
    else unrecognized.push(t.w);
  });

  const order = agreement.activities.map((a) => a.id);
  const maxWeak = Math.max(0, ...weakScore.values());
  const weak = maxWeak > 0 ? order.filter((id) => weakScore.get(id) === maxWeak) : [];
  const maxPledge = Math.max(0, ...pledgeScore.values());
  const topPledges = [...pledgeScore.entries()].filter(([, s]) => s === maxPledge && s > 0).map(([n]) => n);
  return {
    strong: order.filter((id) => strongIds.has(id)),
    weak,
    ...(topPledges.length === 1 ? { pledge: topPledges[0]! } : {}),
    unrecognized,
  };
}

/** The activities a question is about, restricted to the pledge when one is named. */
function selectActivities(subject: Subject, agreement: Agreement, pledgeNumber: number | undefined): string[] {
  const ids = subject.strong.length > 0 ? subject.strong : subject.weak;
  if (pledgeNumber === undefined) return ids;
  return ids.filter((id) => agreement.activities.find((a) => a.id === id)?.pledgeNumber === pledgeNumber);
}

function pledgeOf(agreement: Agreement, activityId: string): number {
  return agreement.activities.find((a) => a.id === activityId)!.pledgeNumber;
}

/** Status of one activity, one pledge, or everything. */
function statusQuestion(subject: Subject, agreement: Agreement, explicitPledge: number | undefined): Question {
  if (explicitPledge !== undefined) return { kind: 'pledgeStatus', pledgeNumber: explicitPledge };
  const fromActivities = (ids: string[]): Question | undefined => {
    if (ids.length === 1) return { kind: 'activityStatus', activityId: ids[0]!, pledgeNumber: pledgeOf(agreement, ids[0]!) };
    const pledges = new Set(ids.map((id) => pledgeOf(agreement, id)));
    if (ids.length > 1 && pledges.size === 1) return { kind: 'pledgeStatus', pledgeNumber: [...pledges][0]! };
    return undefined;
  };
  if (subject.strong.length > 0) return fromActivities(subject.strong) ?? { kind: 'overallStatus' };
  if (subject.pledge !== undefined) return { kind: 'pledgeStatus', pledgeNumber: subject.pledge };
  return fromActivities(subject.weak) ?? { kind: 'overallStatus' };
}

function hasSubject(subject: Subject): boolean {
  return subject.strong.length > 0 || subject.weak.length > 0 || subject.pledge !== undefined;
}

// ---------------------------------------------------------------------------
// Cues
// ---------------------------------------------------------------------------

const MISSING_REPORTERS = [
  'inte/ej/icke rapporterat/rapporterar/rapporterats/lamnat/skickat',
  'inte/ej lamnat/skickat rapport*',
  'saknas/saknar/fattas rapport*',
  'rapport* saknas/fattas',
  'alla rapporterat',
  'not reported',
  'hasn/haven/hasnt/havent/didn/didnt reported',
  'missing report*',
];
const MEETING_WORD = 'mote/motet/moten/*mote/*motet/meeting/meetings/styrgrupp/styrgruppen/uppfoljning/uppfoljningen';
const NEXT_MEETING = ['nasta/next/kommande/upcoming ' + MEETING_WORD, 'nar/when ' + MEETING_WORD, 'nar traffas/ses'];
const BEHIND = ['ligger/ligga/slapar/slapa/hamnat efter', 'slapar/efterslapar/efterslapning/behind/lagging', 'off track'];
const TARGETS = ['mal/malet/malen/malsattning/malsattningen/malsattningar/malvarde/malvarden/=target/=targets/=goal/=goals'];
const RECENT_STRONG = [
  'vad gjorts/gjort/gjordes/hant/hande/rapporterats/gors/hander',
  'what done/happened/reported',
];
const RECENT_WEAK = ['senaste/senast/nyligen/recent/recently/latest'];
const COUNT = ['hur manga/mnga/mang/manag', 'antal/antalet', 'how many', 'number of', 'count', 'hur ofta', 'how often'];
const STATUS = [
  'hur gar/gick/ligger',
  'hur ser ut',
  'i fas',
  'laget/lagesbild/lagesbilden/lagesrapport/status/statusen/oversikt/oversikten/sammanfattning/progress/overview',
  'how doing/going/things/look/looking',
];

// ---------------------------------------------------------------------------
// The parser
// ---------------------------------------------------------------------------

/** Parses a chat question about the agreement. See Question for the kinds. */
export function parseQuestion(text: string, agreement: Agreement, today: LocalDate, options: QuestionOptions = {}): Question {
  const tokens: Token[] = tokenize(text ?? '').map((w) => ({ w, used: false }));
  if (tokens.length === 0) return { kind: 'unknown' };
  const areas = options.areas ?? DEFAULT_AREAS;
  const todayYear = parseLocalDate(today)?.year;
  if (todayYear === undefined) throw new RangeError(`Ogiltigt datum (förväntat YYYY-MM-DD): ${JSON.stringify(today)}`);

  // Questions without a subject, recognised by their words alone.
  if (hasCue(tokens, MISSING_REPORTERS, 2)) return { kind: 'missingReporters' };
  if (hasCue(tokens, NEXT_MEETING, 2) && !hasCue(tokens, ['senaste/senast/forra/last/previous'])) return { kind: 'nextMeeting' };
  if (hasCue(tokens, BEHIND, 2)) return { kind: 'behind' };

  const windowParts = extractWindow(tokens, todayYear);
  const explicitPledge = extractPledgeNumber(tokens);

  if (takeCue(tokens, TARGETS)) {
    const subject = findSubject(tokens, agreement);
    const pledgeNumber = explicitPledge ?? subject.pledge;
    const activityIds = selectActivities(subject, agreement, pledgeNumber);
    return {
      kind: 'targets',
      ...(activityIds.length > 0 ? { activityIds } : {}),
      ...(pledgeNumber !== undefined ? { pledgeNumber } : {}),
    };
  }

  const recent = (): Question => {
    const area = extractArea(tokens, areas);
    const subject = findSubject(tokens, agreement);
    const pledgeNumber = explicitPledge ?? subject.pledge;
    const activityIds = selectActivities(subject, agreement, pledgeNumber);
    return {
      kind: 'recent',
      ...(area !== undefined ? { area } : {}),
      ...(pledgeNumber !== undefined ? { pledgeNumber } : {}),
      ...(activityIds.length > 0 ? { activityIds } : {}),
    };
  };
  const count = (subject: Subject): Question => {
    const window = resolveWindow(windowParts, today);
    // "vecka 60", "förra månaden": a count for another time than asked would mislead.
    if (window === undefined) return { kind: 'unknown' };
    const pledgeNumber = explicitPledge ?? subject.pledge;
    const activityIds = selectActivities(subject, agreement, pledgeNumber);
    return { kind: 'count', activityIds, ...(pledgeNumber !== undefined ? { pledgeNumber } : {}), window };
  };

  if (takeCue(tokens, RECENT_STRONG, 2)) return recent();

  if (takeCue(tokens, COUNT)) {
    const subject = findSubject(tokens, agreement);
    // "hur många bilar?" — a count of something the agreement does not know is not answered with all.
    const unknownThing = subject.unrecognized.some((w) => !GENERIC_DONE.has(w) && w.length >= 3);
    if (!hasSubject(subject) && explicitPledge === undefined && unknownThing) return { kind: 'unknown' };
    return count(subject);
  }

  if (takeCue(tokens, RECENT_WEAK)) return recent();

  if (takeCue(tokens, STATUS, 3)) return statusQuestion(findSubject(tokens, agreement), agreement, explicitPledge);

  // No question words: a bare subject ("narkotikan", "löfte 3?") or subject with a time ("trafikkontroller 2023").
  const subject = findSubject(tokens, agreement);
  const named = hasSubject(subject) || explicitPledge !== undefined;
  const recognised = contentTokens(tokens).length - subject.unrecognized.length + (explicitPledge !== undefined ? 1 : 0);
  if (subject.unrecognized.length > recognised) return { kind: 'unknown' };
  if (hasWindow(windowParts) && (named || subject.unrecognized.length === 0)) return count(subject);
  if (named) return statusQuestion(subject, agreement, explicitPledge);
  return { kind: 'unknown' };
}
