/** Words, tokens and cue patterns: the text machinery every part of the parser shares. */
import { closeTo, fold } from '../text-match.js';

/** Words that carry no subject. Removed before subjects are matched. */
export const STOPWORDS = new Set(
  // Swedish
  (
    'hej hejsan hallo tja tjena god morgon tack snalla kan du ni vi jag mig oss dig er man sag saga beratta visa ' +
    'saker kolla undrar undra vill veta skulle kunna vara hur vad vem vilka vilken vilket nar var ar har hade ha blir ' +
    'blev det den de dem denna detta dessa en ett i pa for med mot till av och eller som att inom under efter fran ' +
    'ligger ligga sa nu da ju val bara lite mycket gjort gjorts gjordes gor gora gjorda gjorde genomfort genomforts genomforda ' +
    'utfort utforts hant hander hande rapporterat rapporterats registrerat registrerats haft hallit hallits vart ' +
    'totalt sammanlagt hittills senaste senast tiden nyligen alla allt nagot nagra nagon stort overlag ' +
    'om aktivitet aktiviteter aktiviteterna aktiviteten lofte loftet loften loftena medborgarlofte medborgarloftet ' +
    'gang ganger stycken st antal nr nummer sjalva egentligen just typ ' +
    'oss vara varit ska skall bor borde maste behover finns fanns fick fatt far kunde igen ocksa aven annu redan ' +
    'fortfarande helt ganska riktigt sjalv sin sitt sina deras dess egen egna samma mer fler ofta ' +
    'ens nagonsin ungefar cirka ca sammantaget hela hittils hitils snabbt kort fort gang vi ni dom ' +
    'gjort gjorde fatt klarat klarade lyckats hunnit hann vid hos bland kring runt nara inne ute via genom ' +
    'in manga natt nadde nadd nas kommit komma kom inkommit inkomna kommer per fordelat fordelade uppdelat uppdelad ' +
    'skickat skickats skickade lamnat lamnats lamnade star holls hallits genomfordes traffat mott natts reached met enligt fragor punkter arenden ' +
    // English
    'hi hello hey there thanks please can could would you tell me us show what who how many much when where ' +
    'which the a an of in on for with about to from is are was were be been has have had do does did done ' +
    'we our it its s t this that so far yet any all activity activities promise pledge ' +
    'and or but yes i my your they them their here then than as at by up out into over since ' +
    'get got give make made going go doing some more also too very just still already ever being ' +
    'will shall should must may might let know see tell please our total overall anything something everything ' +
    'like want need give came come reach reached one ones get send sent submitted promises pledges against together ' +
    'tillsammans gemensamt mkt mycke sett right now currently along fordelning fordelningen breakdown weekly hit meet young rapporterade'
  ).split(' '),
);

/** Verbs and function words that also appear in activity wording but never name it. */
export const WORDING_STOPWORDS = new Set(
  'saker oka okad okat minska genom aktiv aktivt anvandning upplevda syfte framst personer aldern yngre bland arbeta ' +
    'langsiktigt langsiktig inom ska skall samt andra annan annat nationella nationell aterkommande arbetsmodellerna ' +
    'upptacka for att med och mot av'.split(' '),
);

/** Words that say "things done" without naming an activity: do not make a count question unknown. */
export const GENERIC_DONE = new Set(
  (
    'insats insatser insatserna saker grejer atgarder atgard arbete arbetet things actions operations work ' +
    'rapport rapporter rapporterna rapporten report reports'
  ).split(' '),
);

/** Area names that are a catch-all and not a place ("Annat"). */
export const CATCH_ALL_AREAS = new Set(['annat', 'ovrigt', 'other', 'others']);

export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    ett: 1,
    ettan: 1,
    tva: 2,
    tvaan: 2,
    tvan: 2,
    tre: 3,
    trean: 3,
    fyra: 4,
    fyran: 4,
    fem: 5,
    femman: 5,
    one: 1,
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    sex: 6,
    sju: 7,
    atta: 8,
    nio: 9,
    tio: 10,
    elva: 11,
    tolv: 12,
    tretton: 13,
    fjorton: 14,
    femton: 15,
    sexton: 16,
    sjutton: 17,
    arton: 18,
    nitton: 19,
    tjugo: 20,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    eleven: 11,
    twelve: 12,
  }),
);

export const ORDINALS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    forsta: 1,
    andra: 2,
    tredje: 3,
    fjarde: 4,
    femte: 5,
    first: 1,
    second: 2,
    third: 3,
    fourth: 4,
    fifth: 5,
    '1a': 1,
    '2a': 2,
    '3e': 3,
    '4e': 4,
    '5e': 5,
    '1st': 1,
    '2nd': 2,
    '3rd': 3,
    '4th': 4,
    '5th': 5,
  }),
);

// ---------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------

export interface Token {
  w: string;
  used: boolean;
  /** The word's cue verdicts (see tokenMatches), found at its first cue check. */
  verdicts?: Int8Array;
}

export function tokenize(text: string): string[] {
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
export function tokenizeVocabulary(text: string): readonly string[] {
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
export function stem(w: string): string {
  for (const s of SUFFIXES) if (w.length - s.length >= 4 && w.endsWith(s)) return w.slice(0, -s.length);
  return w;
}

/** A word with its stem, computed once (vocabulary terms once per vocabulary, user words once per message). */
export interface Stemmed {
  w: string;
  s: string;
}

export const stemmed = (w: string): Stemmed => ({ w, s: stem(w) });

/** A user word matches a term when equal, one/two typos off, or the same after endings are dropped. */
export function stemmedMatches(w: Stemmed, term: Stemmed): boolean {
  if (w.w === term.w) return true;
  if (w.w.length < 4 || term.w.length < 4) return false;
  if (w.w === term.s || w.s === term.w || w.s === term.s) return true;
  // Typos: people rarely miss the first letter, and allowing it pairs unrelated words ("vandringar"/"saneringar").
  if (w.w[0] !== term.w[0]) return false;
  // w.s follows from w.w, so the verdict is the word's against this term.
  let known = termMatches.get(w.w);
  if (known === undefined) {
    if (termMatches.size >= MATCH_MEMO_WORDS) termMatches.clear();
    termMatches.set(w.w, (known = new WeakMap()));
  }
  let close = known.get(term);
  if (close === undefined) {
    close = closeTo(w.w, term.w) || closeTo(w.w, term.s) || closeTo(w.s, term.w) || closeTo(w.s, term.s);
    known.set(term, close);
  }
  return close;
}

export function wordMatches(w: string, term: string): boolean {
  return w === term || stemmedMatches(stemmed(w), stemmed(term));
}

/** "kontroller" is the head of the compound "trafikkontroller". */
export function compoundHead(w: Stemmed, term: Stemmed): boolean {
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

/**
 * Matching a word against a cue's alternatives (typo matching above all) is the parser's largest
 * cost, and the same word meets the same alternatives in many scans of one message (every kind's
 * cues are tried) and in many messages (people use few words). So each user word's verdict against
 * each list of alternatives (compiled constants, see wordVerdicts) and each vocabulary term (kept
 * per agreement) is remembered, bounded by the number of distinct user words.
 */
const MATCH_MEMO_WORDS = 5000;
const termMatches = new Map<string, WeakMap<Stemmed, boolean>>();

/** A list of alternatives, compiled once, with a number of its own (its slot in a word's verdicts). */
interface Alternatives {
  slot: number;
  words: readonly CueWord[];
}

/** Cue words and patterns are constants of this module: each is split and classified once. */
const compiledAlternatives = new Map<string, Alternatives>();
function alternativesOf(alts: string): Alternatives {
  let compiled = compiledAlternatives.get(alts);
  if (compiled === undefined) {
    compiled = { slot: compiledAlternatives.size, words: alts.split('/').map(compileCueWord) };
    compiledAlternatives.set(alts, compiled);
  }
  return compiled;
}

const compiledPatterns = new Map<string, readonly Alternatives[]>();
function patternOf(pattern: string): readonly Alternatives[] {
  let compiled = compiledPatterns.get(pattern);
  if (compiled === undefined) {
    compiled = pattern.split(' ').map(alternativesOf);
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

/**
 * A word's verdicts against every list of alternatives, by the list's slot: 0 not known yet, 1 a
 * match, 2 none. One array per distinct word, kept across messages (bounded); a token holds its
 * word's array, so a scan of one message looks a verdict up by index, without hashing.
 */
const wordVerdicts = new Map<string, Int8Array>();
function verdictsOf(w: string, slot: number): Int8Array {
  let v = wordVerdicts.get(w);
  if (v === undefined || v.length <= slot) {
    if (v === undefined && wordVerdicts.size >= MATCH_MEMO_WORDS) wordVerdicts.clear();
    const grown = new Int8Array(Math.max(compiledAlternatives.size, slot + 1) + 32);
    if (v) grown.set(v);
    wordVerdicts.set(w, (v = grown));
  }
  return v;
}

function verdict(w: string, v: Int8Array, alts: Alternatives): boolean {
  let known = v[alts.slot]!;
  if (known === 0) {
    known = 2;
    for (const a of alts.words)
      if (cueWordMatches(w, a)) {
        known = 1;
        break;
      }
    v[alts.slot] = known;
  }
  return known === 1;
}

function matchesAny(w: string, alts: Alternatives): boolean {
  return verdict(w, verdictsOf(w, alts.slot), alts);
}

/** The same for a token of the message: its word's verdicts are looked up once per message. */
function tokenMatches(t: Token, alts: Alternatives): boolean {
  let v = t.verdicts;
  if (v === undefined || v.length <= alts.slot) t.verdicts = v = verdictsOf(t.w, alts.slot);
  return verdict(t.w, v, alts);
}

export function isWord(w: string | undefined, alts: string): boolean {
  return w !== undefined && matchesAny(w, alternativesOf(alts));
}

/** Finds a cue among unused tokens, in order, with at most maxGap tokens between its words. */
export function findCue(tokens: Token[], pattern: string, maxGap = 0): number[] | null {
  const parts = patternOf(pattern);
  for (let start = 0; start < tokens.length; start++) {
    if (tokens[start]!.used || !tokenMatches(tokens[start]!, parts[0]!)) continue;
    const hit = [start];
    let pos = start;
    for (let p = 1; p < parts.length; p++) {
      let found = -1;
      for (let j = pos + 1; j <= Math.min(tokens.length - 1, pos + 1 + maxGap); j++) {
        if (!tokens[j]!.used && tokenMatches(tokens[j]!, parts[p]!)) {
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
export function takeCue(tokens: Token[], patterns: readonly string[], maxGap = 0): boolean {
  for (const p of patterns) {
    const hit = findCue(tokens, p, maxGap);
    if (hit) {
      for (const i of hit) tokens[i]!.used = true;
      return true;
    }
  }
  return false;
}

export function hasCue(tokens: Token[], patterns: readonly string[], maxGap = 0): boolean {
  return patterns.some((p) => findCue(tokens, p, maxGap) !== null);
}
