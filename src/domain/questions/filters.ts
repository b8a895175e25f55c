/** Filters in a question: pledge number, area, party and age band. */
import type { ReportingParty } from '../party.js';
import {
  CATCH_ALL_AREAS,
  isWord,
  ORDINALS,
  STOPWORDS,
  tokenizeVocabulary,
  wordMatches,
  NUMBER_WORDS,
  type Token,
} from './text.js';
import type { AgeBand } from './types.js';

function smallNumber(w: string | undefined, max: number): number | undefined {
  if (w === undefined) return undefined;
  const n = /^\d{1,2}$/.test(w) ? Number(w) : NUMBER_WORDS.get(w);
  return n !== undefined && n >= 1 && n <= max ? n : undefined;
}

const PLEDGE_WORD = 'lofte/loftet/loften/loftena/*lofte/*loftet/promise/pledge/commitment';

/** "löfte 2", "löfte nr 2", "promise two", "andra löftet"; marks the words used. */
export function extractPledgeNumber(tokens: Token[]): number | undefined {
  const w = (i: number): string | undefined =>
    i >= 0 && i < tokens.length && !tokens[i]!.used ? tokens[i]!.w : undefined;
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
export function extractArea(tokens: Token[], areas: readonly string[]): string | undefined {
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
// Party
// ---------------------------------------------------------------------------

const POLICE = 'polisen/polis/polisens/police/poliserna/polisomradet/lpo';
const MUNICIPALITY = 'kommunen/kommun/kommunens/municipality/council';

/** "polisen", "kommunen", "Tranås kommun", "the police": the party a question is about; marks the words used. */
export function extractParty(tokens: Token[], municipalityWords: readonly string[]): ReportingParty | undefined {
  const w = (i: number): string | undefined =>
    i >= 0 && i < tokens.length && !tokens[i]!.used ? tokens[i]!.w : undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = w(i);
    if (t === undefined) continue;
    const party: ReportingParty | undefined = isWord(t, POLICE)
      ? 'Polisen'
      : isWord(t, MUNICIPALITY)
        ? 'Kommunen'
        : undefined;
    if (party === undefined) continue;
    // "hela kommunen" is an area when the areas have it; otherwise the whole municipality, not a party.
    if (party === 'Kommunen' && isWord(w(i - 1), 'hela/whole/all')) continue;
    tokens[i]!.used = true;
    if (isWord(w(i - 1), 'the/av/for/fran/by')) tokens[i - 1]!.used = true;
    // "Tranås kommun": the municipality's own name before the word.
    if (party === 'Kommunen' && municipalityWords.length > 0 && municipalityWords.includes(w(i - 1) ?? ''))
      tokens[i - 1]!.used = true;
    return party;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Age bands
// ---------------------------------------------------------------------------

const AGE_GROUP_WORDS = 'aldersgrupp/aldersgrupper/aldersgrupperna/aldrar/aldersfordelning/aldersband/ages';

/** "under 18", "18–21", "över 21", "per åldersgrupp"; marks the words used. */
export function extractAgeBand(tokens: Token[]): { band?: AgeBand; perBand?: boolean } {
  const w = (i: number): string | undefined =>
    i >= 0 && i < tokens.length && !tokens[i]!.used ? tokens[i]!.w : undefined;
  const use = (...idx: number[]): void => idx.forEach((i) => (tokens[i]!.used = true));
  const yearsAfter = (i: number): void => {
    if (isWord(w(i + 1), 'ar/aringar/years/year/yrs')) use(i + 1);
    if (w(i + 1) === 'old') use(i + 1);
  };
  let group = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = w(i);
    if (t === undefined) continue;
    if (isWord(t, AGE_GROUP_WORDS) || (isWord(t, 'age') && isWord(w(i + 1), 'bands/groups/band/group'))) {
      use(i);
      if (isWord(w(i + 1), 'bands/groups/band/group')) use(i + 1);
      if (isWord(w(i - 1), 'per/by/efter/i')) use(i - 1);
      // "åldersgrupp 18–21" names one band: read on; the noun alone asks for every band.
      group = true;
      continue;
    }
    if (
      isWord(t, PEOPLE_WORDS) &&
      (w(i + 1) === 'under' || w(i + 1) === '18' || isWord(w(i + 1), 'over/aldre/mellan'))
    ) {
      use(i);
      continue;
    }
    if (isWord(t, 'under/yngre/younger/below') && (w(i + 1) === '18' || w(i + 1) === '18s')) {
      use(i, i + 1);
      if (isWord(t, 'yngre/younger') || w(i + 1) === 'an' || w(i + 1) === 'than') use(i + 1);
      yearsAfter(i + 1);
      return { band: 'under18' };
    }
    if (isWord(t, 'yngre/younger') && isWord(w(i + 1), 'an/than') && w(i + 2) === '18') {
      use(i, i + 1, i + 2);
      yearsAfter(i + 2);
      return { band: 'under18' };
    }
    if (isWord(t, 'minderariga/minderarig/minors/barn/children')) {
      use(i);
      return { band: 'under18' };
    }
    if (t === '18' && (w(i + 1) === '21' || (isWord(w(i + 1), 'till/to/och/and') && w(i + 2) === '21'))) {
      const end = w(i + 1) === '21' ? i + 1 : i + 2;
      for (let k = i; k <= end; k++) use(k);
      if (isWord(w(i - 1), 'mellan/between/aged')) use(i - 1);
      yearsAfter(end);
      return { band: 'from18to21' };
    }
    if (isWord(t, 'over/aldre/older/above') && w(i + 1) === '21') {
      use(i, i + 1);
      yearsAfter(i + 1);
      return { band: 'over21' };
    }
    if (isWord(t, 'aldre/older') && isWord(w(i + 1), 'an/than') && w(i + 2) === '21') {
      use(i, i + 1, i + 2);
      yearsAfter(i + 2);
      return { band: 'over21' };
    }
    if (t === '22' && isWord(w(i + 1), 'och/and') && isWord(w(i + 2), 'aldre/older/uppat/over')) {
      use(i, i + 1, i + 2);
      return { band: 'over21' };
    }
  }
  if (group) return { perBand: true };
  // "hur många personer", "ungdomar": people are counted in the age bands, never as activities.
  const people = tokens.findIndex((t) => !t.used && isWord(t.w, PEOPLE_WORDS));
  if (people >= 0) {
    tokens[people]!.used = true;
    return { perBand: true };
  }
  return {};
}

const PEOPLE_WORDS = 'personer/person/ungdomar/ungdom/individer/people/persons/youths/youngsters/young';
