/**
 * Questions in chat ("hur många trafikkontroller i år?", "vad gjorde polisen vecka 10?") turned into
 * a structured Question. Pure and deterministic: the answer depends only on the text, the agreement
 * and `today`. Tolerant of missing å/ä/ö, case, punctuation, extra words and small typos.
 *
 * The rule: every constraint in a question is honoured or named. Each step below marks the words it
 * used; a content word left over at the end (a time, a party, a place, a number, a name the parser
 * could not place) makes the question declined with that word named — never answered as a
 * different question.
 */
import type { Agreement } from '../agreement.js';
import { isoWeekOfLocalDate, parseLocalDate, type LocalDate } from '../calendar.js';
import type { ReportingParty } from '../party.js';
import { extractAgeBand, extractArea, extractParty, extractPledgeNumber } from './filters.js';
import {
  BEHIND,
  COMPARE,
  COUNT,
  GOAL,
  MEETING_WORD,
  MISSING_REPORTERS,
  NEXT_MEETING,
  PER_AREA,
  PER_PARTY,
  RAISE,
  RECENT_STRONG,
  RECENT_WEAK,
  REPORTS,
  STATUS,
  SUMMARY,
  TARGETS,
} from './kinds.js';
import { findSubject, hasSubject, selectActivities, statusQuestion, type Subject } from './subjects.js';
import { findCue, GENERIC_DONE, hasCue, STOPWORDS, takeCue, tokenize, tokenizeVocabulary, type Token } from './text.js';
import {
  DEFAULT_AREAS,
  type AgeBand,
  type GroupBy,
  type ParsedQuestion,
  type Question,
  type QuestionOptions,
  type Window,
} from './types.js';
import { extractWindow, hasWindow, previousWindow, resolveWindow, windowDates, type WindowParts } from './windows.js';

/** The window words of some tokens, without marking them used. */
function extractWindowDry(tokens: readonly Token[], todayYear: number): WindowParts {
  return extractWindow(
    tokens.map((t) => ({ ...t })),
    todayYear,
  );
}

type Kind =
  | 'missingReporters'
  | 'raise'
  | 'nextMeeting'
  | 'behind'
  | 'goal'
  | 'targets'
  | 'summary'
  | 'compare'
  | 'done'
  | 'reports'
  | 'count'
  | 'recent'
  | 'status'
  | 'bare';

/** The words of the text as typed (lower case, å/ä/ö kept), aligned with tokenize() when possible. */
function originalWords(text: string, folded: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .split(/\s+/)) {
    if (raw === '') continue;
    if (/^\d{4}-[wt]\d{1,2}$/.test(raw)) out.push(raw);
    else for (const part of raw.split('-')) if (part !== '') out.push(part);
  }
  return out.length === folded.length ? out : [...folded];
}

/** Runs an extraction and returns its result with the indices of the words it used. */
function tracked<T>(tokens: Token[], extract: () => T): { value: T; at: number[] } {
  // Plain loops: this runs a dozen times per question.
  const before: boolean[] = new Array<boolean>(tokens.length);
  for (let i = 0; i < tokens.length; i++) before[i] = tokens[i]!.used;
  const value = extract();
  const at: number[] = [];
  for (let i = 0; i < tokens.length; i++) if (tokens[i]!.used && !before[i]) at.push(i);
  return { value, at };
}

/** A word left over that carries meaning: a number, or a word that is no function word. */
function isContent(w: string, placeWords: ReadonlySet<string>): boolean {
  if (/\d/.test(w)) return true;
  return w.length >= 3 && !STOPWORDS.has(w) && !GENERIC_DONE.has(w) && !placeWords.has(w);
}

/** Parses a chat question about the agreement. See Question for the kinds. */
export function parseQuestion(
  text: string,
  agreement: Agreement,
  today: LocalDate,
  options: QuestionOptions = {},
): Question {
  return analyseQuestion(text, agreement, today, options).question;
}

/** Parses a question and reports the words it used and the words it did not understand. */
export function analyseQuestion(
  text: string,
  agreement: Agreement,
  today: LocalDate,
  options: QuestionOptions = {},
): ParsedQuestion {
  const folded = tokenize(text ?? '');
  const tokens: Token[] = folded.map((w) => ({ w, used: false }));
  const shown = originalWords(text ?? '', folded);
  const todayYear = parseLocalDate(today)?.year;
  if (todayYear === undefined) throw new RangeError(`Ogiltigt datum (förväntat YYYY-MM-DD): ${JSON.stringify(today)}`);
  const areas = options.areas ?? DEFAULT_AREAS;
  const placeWords = new Set([
    ...tokenizeVocabulary(agreement.municipality),
    ...tokenizeVocabulary(agreement.policeArea),
  ]);
  placeWords.delete('kommun');
  const municipalityWords = tokenizeVocabulary(agreement.municipality);

  const done = (question: Question, extra: number[] = []): ParsedQuestion => {
    const leftover = tokens.flatMap((t, i) => (!t.used && isContent(t.w, placeWords) ? [i] : []));
    const named = [...new Set([...extra, ...leftover])].sort((a, b) => a - b).map((i) => shown[i]!);
    const used = tokens.flatMap((t, i) => (t.used && !extra.includes(i) ? [shown[i]!] : []));
    if (named.length > 0) return { question: { kind: 'unknown', notUnderstood: named }, used, notUnderstood: named };
    return { question, used, notUnderstood: [] };
  };
  if (tokens.length === 0) return { question: { kind: 'unknown' }, used: [], notUnderstood: [] };

  // 1. Time first (so "senaste månaden" is a window, not "the latest"): one window, or for a
  // comparison the window before the cue and the one after it ("oktober jämfört med september",
  // "jämför oktober med september").
  let windowParts: WindowParts;
  let baseParts: WindowParts | undefined;
  let windowAt: number[];
  let sameTime = false;
  const compareAt = findCue(tokens, COMPARE[0]!);
  if (compareAt) {
    const c = compareAt[0]!;
    tokens[c]!.used = true;
    let before = tokens.slice(0, c);
    let after = tokens.slice(c + 1);
    const main0 = extractWindowDry(before, todayYear);
    if (!hasWindow(main0)) {
      const sep = after.findIndex((t) => ['med', 'mot', 'with', 'to', 'against', 'och', 'and', 'vs'].includes(t.w));
      if (sep > 0) {
        before = after.slice(0, sep);
        after = after.slice(sep + 1);
      }
    }
    const main = tracked(tokens, () => extractWindow(before, todayYear));
    const base = tracked(tokens, () => extractWindow(after, todayYear));
    windowParts = main.value;
    baseParts = base.value;
    windowAt = [...main.at, ...base.at];
    // "jämfört med förra året" / "compared to last year": the words around the cue.
    takeCue(tokens, ['med/mot/to/with/against/=vs/och/and']);
    // "… samma tid i fjol", "… same time last year": up to today's date, against the same dates a year before.
    sameTime = takeCue(tokens, ['samma/same tid/tidpunkt/period/perioden/time/point/date']);
    // "… with the last one", "… med den förra": the window before, said without its unit.
    if (!hasWindow(base.value)) takeCue(tokens, ['last/previous/forra/foregaende/senaste']);
  } else {
    const w = tracked(tokens, () => extractWindow(tokens, todayYear));
    windowParts = w.value;
    windowAt = w.at;
  }

  // 2. What kind of question: the cue words, most specific first; then the rest of that kind's cues.
  const kind = ((): Kind => {
    if (takeCue(tokens, MISSING_REPORTERS, 2)) {
      while (
        takeCue(
          tokens,
          [...MISSING_REPORTERS, 'rapport*/*rapport/*rapporten/*rapporter/*rapporterna/report/reports'],
          2,
        )
      );
      return 'missingReporters';
    }
    if (takeCue(tokens, RAISE, 2)) {
      takeCue(tokens, NEXT_MEETING, 2);
      takeCue(tokens, ['nasta/next/kommande/upcoming', MEETING_WORD]);
      return 'raise';
    }
    if (hasCue(tokens, NEXT_MEETING, 2) && !hasCue(tokens, ['senaste/senast/forra/last/previous'])) {
      takeCue(tokens, NEXT_MEETING, 2);
      while (takeCue(tokens, ['nasta/next/kommande/upcoming gang/time', 'nasta/next']));
      return 'nextMeeting';
    }
    if (takeCue(tokens, BEHIND, 2)) {
      // "riskerar att inte nå målet": the goal words belong to the same question.
      while (takeCue(tokens, [...BEHIND, 'inte/ej/not', 'na/nar/reach mal/malet/malen/target/goal', TARGETS[0]!], 2));
      return 'behind';
    }
    if (takeCue(tokens, GOAL, 2)) {
      // "har vi inte nått målet?" asks the same as "har vi nått målet?".
      while (
        takeCue(tokens, [...GOAL, TARGETS[0]!, 'behovs/behover/kravs/needed/required/need', 'inte/ej/not/annu/yet'], 2)
      );
      return 'goal';
    }
    // "hur ligger vi till mot målen?", "hur går det med målen?": progress, not the targets' wording.
    if (hasCue(tokens, TARGETS) && hasCue(tokens, STATUS, 3)) {
      takeCue(tokens, TARGETS);
      while (takeCue(tokens, [...STATUS, 'mot/against/towards/with/med'], 3));
      return 'goal';
    }
    if (takeCue(tokens, TARGETS)) return 'targets';
    if (takeCue(tokens, SUMMARY)) return 'summary';
    if (compareAt) {
      while (takeCue(tokens, STATUS, 3));
      return 'compare';
    }
    if (hasCue(tokens, REPORTS) && !(hasCue(tokens, RECENT_WEAK) && !hasCue(tokens, COUNT))) {
      takeCue(tokens, REPORTS);
      takeCue(tokens, COUNT);
      return 'reports';
    }
    if (takeCue(tokens, RECENT_STRONG, 2)) {
      while (takeCue(tokens, RECENT_WEAK));
      return 'done';
    }
    if (takeCue(tokens, COUNT)) return 'count';
    if (takeCue(tokens, RECENT_WEAK)) return 'recent';
    if (takeCue(tokens, STATUS, 3)) {
      while (takeCue(tokens, STATUS, 3));
      return 'status';
    }
    return 'bare';
  })();

  // "efter vecka 10", "before October", "fram till september": a bound, not the window itself.
  // Not supported, so named (never answered for vecka 10 itself).
  const boundAt = windowAt.length === 0 ? -1 : Math.min(...windowAt) - 1;
  const bounded =
    boundAt >= 0 &&
    !tokens[boundAt]!.used &&
    ['efter', 'after', 'fore', 'innan', 'before', 'until', 'tills', 'till', 'to'].includes(tokens[boundAt]!.w) &&
    !(compareAt && boundAt === compareAt[0]);
  const windowGiven = hasWindow(windowParts) || (baseParts !== undefined && hasWindow(baseParts));

  // 3. Filters.
  const pledge = tracked(tokens, () => extractPledgeNumber(tokens));
  const statusKind =
    kind === 'status' ||
    (kind === 'bare' && !windowGiven) ||
    kind === 'behind' ||
    kind === 'targets' ||
    kind === 'goal';
  let area = statusKind
    ? { value: undefined as string | undefined, at: [] as number[] }
    : tracked(tokens, () => extractArea(tokens, areas));
  // A second area ("i resecentrum och centrum") is not answered as the first: named.
  const secondArea =
    area.value === undefined
      ? { value: undefined, at: [] as number[] }
      : tracked(tokens, () => extractArea(tokens, areas));
  const party = tracked(tokens, () => {
    const first = extractParty(tokens, municipalityWords);
    const second = first === undefined ? undefined : extractParty(tokens, municipalityWords);
    return second !== undefined && second !== first ? 'both' : first;
  });
  const age = tracked(tokens, () => extractAgeBand(tokens));
  const perArea = tracked(tokens, () => {
    const found = takeCue(tokens, PER_AREA, 1);
    // "vilket område har flest …": the counts per area answer it, every area with its figure; a
    // superlative without a per-area cue stays unused and is named.
    if (found) takeCue(tokens, ['flest/mest/most/hogst/storst']);
    return found;
  });
  const perParty = tracked(tokens, () => takeCue(tokens, PER_PARTY));

  // 4. The subject: activities and pledges named by the agreement's own words.
  const subject: Subject = findSubject(tokens, agreement);
  if (statusKind && area.value === undefined) area = tracked(tokens, () => extractArea(tokens, areas));

  const explicitPledge = pledge.value;
  const pledgeNumber = explicitPledge ?? subject.pledge;
  const activityIds = selectActivities(subject, agreement, pledgeNumber);
  const named = hasSubject(subject) || explicitPledge !== undefined;
  const partyValue: ReportingParty | undefined = party.value === 'both' ? undefined : party.value;
  // "åldersgrupp 18–21" names one band: the noun alone is no request to split by band.
  const groupBy: GroupBy | undefined = perArea.value
    ? 'area'
    : age.value.perBand && age.value.band === undefined
      ? 'ageBand'
      : party.value === 'both' || perParty.value
        ? 'party'
        : undefined;
  const ageBand: AgeBand | undefined = age.value.band;

  const pledgeKey = pledgeNumber !== undefined ? { pledgeNumber } : {};
  const filters = {
    ...(partyValue !== undefined ? { party: partyValue } : {}),
    ...(area.value !== undefined ? { area: area.value } : {}),
  };
  /** The words of constraints a kind cannot honour: named, never dropped. */
  const notFor = (...parts: ('window' | 'party' | 'area' | 'age' | 'group' | 'pledge')[]): number[] =>
    parts.flatMap((p) =>
      p === 'window'
        ? windowAt
        : p === 'party'
          ? party.at
          : p === 'area'
            ? area.at
            : p === 'age'
              ? age.at
              : p === 'group'
                ? [...perArea.at, ...perParty.at]
                : pledge.at,
    );
  const window = (fallback: 'year' | 'tertial' | 'week' = 'year'): Window | undefined => {
    const w = resolveWindow(windowParts, today, hasWindow(windowParts) ? 'year' : 'none');
    if (w !== undefined || hasWindow(windowParts)) return w;
    if (fallback === 'year') return { kind: 'year', year: todayYear };
    if (fallback === 'tertial') return resolveWindow({ tertial: 'this' }, today);
    return { kind: 'week', week: isoWeekOfLocalDate(today) };
  };
  /** A time that names no valid window ("vecka 60"): declined with its words. */
  const badWindow = (): ParsedQuestion => done({ kind: 'unknown' }, windowAt.length > 0 ? windowAt : [0]);

  const counting = (): ParsedQuestion => {
    const w = window();
    if (w === undefined) return badWindow();
    if (groupBy === 'ageBand' && ageBand !== undefined) return done({ kind: 'unknown' }, notFor('age'));
    return done({
      kind: 'count',
      activityIds,
      ...pledgeKey,
      window: w,
      ...filters,
      ...(party.value === 'both' && groupBy !== 'party' ? {} : {}),
      ...(ageBand !== undefined ? { ageBand } : {}),
      ...(groupBy !== undefined ? { groupBy } : {}),
    });
  };
  const summary = (fallback: 'year' | 'tertial'): ParsedQuestion => {
    const w = window(fallback);
    if (w === undefined) return badWindow();
    return done(
      { kind: 'summary', window: w, ...pledgeKey, ...(activityIds.length > 0 ? { activityIds } : {}), ...filters },
      notFor('age', 'group'),
    );
  };
  const recent = (): ParsedQuestion =>
    done(
      {
        kind: 'recent',
        ...(area.value !== undefined ? { area: area.value } : {}),
        ...pledgeKey,
        ...(activityIds.length > 0 ? { activityIds } : {}),
        ...(partyValue !== undefined ? { party: partyValue } : {}),
      },
      notFor('age', 'group'),
    );
  const hasFilter =
    partyValue !== undefined || area.value !== undefined || ageBand !== undefined || groupBy !== undefined;

  if (secondArea.value !== undefined) return done({ kind: 'unknown' }, secondArea.at);
  // "hur många rapporter har jag skickat?", "mina krogkontroller": about the asker's own reports,
  // which answers do not filter by (the command "mina rapporter" lists them). Named, not dropped.
  if (kind !== 'missingReporters') {
    const mine =
      findCue(tokens, '=har/=gjorde/=skickade/=rapporterade/=lamnade =jag') ??
      findCue(tokens, '=did/=have/=do =i') ??
      findCue(tokens, '=jag =har/=gjorde/=skickade/=rapporterade/=lamnade') ??
      findCue(tokens, '=mina/=my/=mine');
    if (mine)
      return done(
        { kind: 'unknown' },
        mine.filter((i) => ['jag', 'i', 'mina', 'my', 'mine'].includes(tokens[i]!.w)),
      );
  }
  if (bounded) {
    if (tokens[boundAt - 1]?.w === 'fram') tokens[boundAt - 1]!.used = true;
    return done({ kind: 'unknown' }, [boundAt, ...windowAt]);
  }
  switch (kind) {
    case 'missingReporters': {
      const w = window('week');
      const thisWeek = isoWeekOfLocalDate(today);
      // A week of the period up to this one; any other time is named.
      const asked =
        w?.kind === 'week' && w.week <= thisWeek && w.week >= isoWeekOfLocalDate(agreement.periodStart)
          ? w.week
          : undefined;
      return done({ kind: 'missingReporters', ...(asked !== undefined && asked !== thisWeek ? { week: asked } : {}) }, [
        ...(asked !== undefined ? [] : windowAt),
        ...notFor('area', 'age', 'group', 'pledge'),
      ]);
    }
    case 'raise':
      return done({ kind: 'raise' }, notFor('window', 'party', 'area', 'age', 'group', 'pledge'));
    case 'nextMeeting':
      return done({ kind: 'nextMeeting' }, notFor('window', 'party', 'area', 'age', 'group', 'pledge'));
    case 'behind': {
      // Risk and Efter are judged for this year (the status card's window): "i år" is honoured, another time named.
      const w = window();
      const thisYear = w !== undefined && w.kind === 'year' && w.year === todayYear;
      const whenNot = thisYear ? [] : windowAt;
      if (named)
        return done(statusQuestion(subject, agreement, explicitPledge), [
          ...whenNot,
          ...notFor('party', 'area', 'age', 'group'),
        ]);
      return done({ kind: 'behind' }, [...whenNot, ...notFor('party', 'area', 'age', 'group')]);
    }
    case 'goal': {
      // Goals are judged for this year (or the period): another time is named, not answered for today.
      const w = window();
      const current = w !== undefined && ((w.kind === 'year' && w.year === todayYear) || w.kind === 'period');
      // A past year of the period ("nådde vi målet 2023?") is judged as it ended.
      const periodFrom = Number(agreement.periodStart.slice(0, 4));
      const past =
        w?.kind === 'year' &&
        w.year < todayYear &&
        w.year >= periodFrom &&
        w.year <= Number(agreement.periodEnd.slice(0, 4))
          ? w.year
          : undefined;
      return done({ kind: 'goal', activityIds, ...pledgeKey, ...(past !== undefined ? { year: past } : {}) }, [
        ...(current || past !== undefined ? [] : windowAt),
        ...notFor('party', 'area', 'age', 'group'),
      ]);
    }
    case 'targets':
      return done(
        { kind: 'targets', ...(activityIds.length > 0 ? { activityIds } : {}), ...pledgeKey },
        notFor('window', 'party', 'area', 'age', 'group'),
      );
    case 'summary':
      return summary('tertial');
    case 'compare': {
      const main = resolveWindow(windowParts, today, 'none');
      const base = baseParts ? resolveWindow(baseParts, today, 'none') : undefined;
      if ((hasWindow(windowParts) && main === undefined) || (baseParts && hasWindow(baseParts) && base === undefined))
        return badWindow();
      let w: Window;
      let previous: Window | undefined;
      if (main === undefined) {
        // "jämfört med förra året" alone: this year against the one named; "… förra tertialet": this tertial.
        w =
          base?.kind === 'tertial'
            ? resolveWindow({ tertial: 'this' }, today)!
            : base?.kind === 'month'
              ? { kind: 'month', month: today.slice(0, 7) }
              : base?.kind === 'week'
                ? { kind: 'week', week: isoWeekOfLocalDate(today) }
                : { kind: 'year', year: todayYear };
        previous = base ?? previousWindow(w);
      } else if (base === undefined) {
        w = main;
        previous = previousWindow(main);
      } else {
        w = main;
        previous = base.kind === 'year' && main.kind !== 'year' ? previousWindow(main, 'year') : base;
        if (base.kind === 'year' && main.kind !== 'year' && previous !== undefined) {
          const shift =
            Number(
              ('tertial' in main
                ? main.tertial
                : 'month' in main
                  ? main.month
                  : 'week' in main
                    ? main.week
                    : String(todayYear)
              ).slice(0, 4),
            ) - base.year;
          for (let i = 1; i < shift; i++) previous = previousWindow(previous!, 'year');
        }
      }
      if (sameTime) {
        // Clip the window to today and compare with the same dates a year earlier.
        const { from, to } = windowDates(w, agreement);
        if (from <= today && today <= to) w = { kind: 'range', from, to: today };
        previous = previousWindow(w, 'year');
      }
      if (previous === undefined) return done({ kind: 'unknown' }, windowAt);
      return done(
        { kind: 'compare', activityIds, ...pledgeKey, window: w, previous, ...filters },
        notFor('age', 'group'),
      );
    }
    case 'done':
      return windowGiven ? summary('year') : recent();
    case 'reports': {
      const w = window();
      if (w === undefined) return badWindow();
      return done({ kind: 'reports', window: w, ...(partyValue !== undefined ? { party: partyValue } : {}) }, [
        ...notFor('area', 'age', 'group', 'pledge'),
        ...(hasSubject(subject) ? [] : []),
      ]);
    }
    case 'count': {
      // "hur många bilar?" — a count of something the agreement does not know is declined (leftover words).
      return counting();
    }
    case 'recent':
      if (windowGiven) return summary('year');
      return recent();
    case 'status':
    case 'bare':
      // A status question with a time, a party or a place is a count or a summary of exactly that.
      if (windowGiven || hasFilter) {
        if (ageBand !== undefined || groupBy !== undefined || named) return counting();
        return summary('year');
      }
      if (named || kind === 'status') return done(statusQuestion(subject, agreement, explicitPledge));
      return done({ kind: 'unknown' });
  }
}
