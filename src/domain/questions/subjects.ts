/**
 * Subjects: the activities and pledges a question names, found from the agreement's own data —
 * activity ids, wording, units and pledge keywords — so another municipality's agreement works
 * without code changes. ACTIVITY_SYNONYMS, keyed by generic word stems, adds words users say that
 * the agreement text does not contain ("razzior", "traffic checks").
 */
import type { Activity, Agreement } from '../agreement.js';
import { fold } from '../text-match.js';
import {
  compoundHead,
  STOPWORDS,
  stemmed,
  stemmedMatches,
  tokenize,
  tokenizeVocabulary,
  WORDING_STOPWORDS,
  type Stemmed,
  type Token,
} from './text.js';
import type { Question } from './types.js';

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
  'riktade insats': [
    'razzia',
    'razzior',
    'narkotikainsatser',
    'narkotikainsats',
    'tillslag',
    'targeted operations',
    'drug operations',
    'raids',
  ],
  narkotikainsats: ['narkotikainsatser', 'razzior', 'drug operations', 'raids'],
  krogkontroll: [
    'restaurangkontroller',
    'restaurangkontroll',
    'krogtillsyn',
    'krogbesok',
    'bar checks',
    'pub checks',
    'restaurant checks',
  ],
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
  samverkansmot: [
    'samverkansmote',
    'samverkansmoten',
    'mote',
    'moten',
    'motena',
    'sspf',
    'est',
    'meetings',
    'cooperation meetings',
  ],
  sspf: ['sspf', 'sspf moten'],
  trygghetsvandring: ['safety walks'],
};

interface ActivityTerms {
  /** Phrases that name the activity: its id's first word and the synonyms that apply to it. */
  strong: readonly (readonly Stemmed[])[];
  /** Words that point to it: its other id words, wording words and unit. */
  weak: readonly Stemmed[];
}

function computeActivityTerms(activity: Activity, placeWords: ReadonlySet<string>): ActivityTerms {
  const useful = (w: string): boolean =>
    !STOPWORDS.has(w) && !WORDING_STOPWORDS.has(w) && !placeWords.has(w) && !/^\d+$/.test(w);
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
/** One deployment serves up to 290 municipalities' agreements: room for all, bounded for odd data. */
const TERMS_CACHE_LIMIT = 2000;
/**
 * The same by object, for frozen agreements (the store hands out the same frozen object until the
 * agreement is saved): a frozen object cannot change, so its terms are found without building the key.
 */
const termsOfFrozen = new WeakMap<Agreement, readonly ActivityTerms[]>();

function activityTerms(agreement: Agreement): readonly ActivityTerms[] {
  const frozen =
    Object.isFrozen(agreement) && Object.isFrozen(agreement.activities) && agreement.activities.every(Object.isFrozen);
  if (frozen) {
    const known = termsOfFrozen.get(agreement);
    if (known) return known;
  }
  // JSON string literals as separators: no two different texts give the same key.
  let key = JSON.stringify(agreement.municipality) + JSON.stringify(agreement.policeArea);
  for (const a of agreement.activities)
    key += JSON.stringify(a.id) + JSON.stringify(a.wording) + JSON.stringify(a.unit);
  let terms = activityTermsCache.get(key);
  if (terms === undefined) {
    const placeWords = new Set([...tokenize(agreement.municipality), ...tokenize(agreement.policeArea)]);
    terms = agreement.activities.map((activity) => computeActivityTerms(activity, placeWords));
    if (activityTermsCache.size >= TERMS_CACHE_LIMIT) activityTermsCache.clear();
    activityTermsCache.set(key, terms);
  }
  if (frozen) termsOfFrozen.set(agreement, terms);
  return terms;
}

/** The words left that may name a subject: unused, not a stopword, not a bare number. */
export function contentTokens(tokens: Token[]): Token[] {
  return tokens.filter((t) => !t.used && t.w.length >= 2 && !STOPWORDS.has(t.w) && !/^\d+$/.test(t.w));
}

export interface Subject {
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

/**
 * English words for the units and generic nouns of an agreement's wording, read like the Swedish
 * word for the weak matching only (a Swedish agreement's wording says "kontroller", users may say
 * "checks"). Generic words, not activities: the agreement still decides what they point to.
 */
const ENGLISH_UNIT_WORDS: Readonly<Record<string, string>> = {
  checks: 'kontroller',
  check: 'kontroll',
  controls: 'kontroller',
  inspections: 'kontroller',
  meetings: 'moten',
  meeting: 'mote',
  campaigns: 'kampanjer',
  campaign: 'kampanj',
  operations: 'insatser',
  interventions: 'ingripanden',
  walks: 'vandringar',
};

export function findSubject(tokens: Token[], agreement: Agreement): Subject {
  const content = contentTokens(tokens);
  const contentWords = content.map((t) => stemmed(t.w));
  const weakWords = content.map((t) => stemmed(ENGLISH_UNIT_WORDS[t.w] ?? t.w));
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
    weakWords.forEach((t, i) => {
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
    if (strongAt[i]!.size > 0 || pledgesAt[i]!.size > 0 || weakAt[i]!.size > 0) t.used = true;
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
export function selectActivities(subject: Subject, agreement: Agreement, pledgeNumber: number | undefined): string[] {
  const ids = subject.strong.length > 0 ? subject.strong : subject.weak;
  if (pledgeNumber === undefined) return ids;
  return ids.filter((id) => agreement.activities.find((a) => a.id === id)?.pledgeNumber === pledgeNumber);
}

export function pledgeOf(agreement: Agreement, activityId: string): number {
  return agreement.activities.find((a) => a.id === activityId)!.pledgeNumber;
}

/** Status of one activity, one pledge, or everything. */
export function statusQuestion(subject: Subject, agreement: Agreement, explicitPledge: number | undefined): Question {
  if (explicitPledge !== undefined) return { kind: 'pledgeStatus', pledgeNumber: explicitPledge };
  const fromActivities = (ids: string[]): Question | undefined => {
    if (ids.length === 1)
      return { kind: 'activityStatus', activityId: ids[0]!, pledgeNumber: pledgeOf(agreement, ids[0]!) };
    const pledges = new Set(ids.map((id) => pledgeOf(agreement, id)));
    if (ids.length > 1 && pledges.size === 1) return { kind: 'pledgeStatus', pledgeNumber: [...pledges][0]! };
    return undefined;
  };
  if (subject.strong.length > 0) return fromActivities(subject.strong) ?? { kind: 'overallStatus' };
  if (subject.pledge !== undefined) return { kind: 'pledgeStatus', pledgeNumber: subject.pledge };
  return fromActivities(subject.weak) ?? { kind: 'overallStatus' };
}

export function hasSubject(subject: Subject): boolean {
  return subject.strong.length > 0 || subject.weak.length > 0 || subject.pledge !== undefined;
}
