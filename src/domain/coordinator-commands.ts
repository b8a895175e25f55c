/**
 * What coordinators write in chat to steer the follow-up: set a status by hand ("sätt status löfte 2
 * risk: färre resurser i sommar"), lift it ("ta bort status löfte 2"), and change the agreement's
 * activities ("sätt mål trafikkontroller 35 per år", "ny aktivitet löfte 2: Trygghetsvandringar, …").
 *
 * Pure: the text and the agreement in, a structured draft and its problems out. Tolerant of missing
 * å/ä/ö, case and punctuation; the user's own spelling is kept for free text (reasons, wording).
 */
import type { Activity, Agreement, AgreementInput, Target } from './agreement.js';
import { isParty, type Party } from './party.js';
import { parseUnitForms } from './units.js';
import { personalDataKinds, type PrivacyFindingKind } from './privacy.js';
import { parseQuestion } from './questions/index.js';
import { STATUS_LEVELS, type StatusLevel } from './status.js';
import { closeTo, fold } from './text-match.js';

// ---------------------------------------------------------------------------
// Subjects: a pledge by number, an activity by name
// ---------------------------------------------------------------------------

export type StatusSubject =
  { kind: 'pledge'; pledgeNumber: number } | { kind: 'activity'; activityId: string; pledgeNumber: number };

/** A stable key for a subject, as carried in card data: 'p:2' or 'a:trafikkontroller'. */
export function subjectKey(s: StatusSubject): string {
  return s.kind === 'pledge' ? `p:${s.pledgeNumber}` : `a:${s.activityId}`;
}

export function subjectFromKey(key: string, agreement: Agreement): StatusSubject | undefined {
  const m = /^(p|a):(.+)$/.exec(key.trim());
  if (!m) return undefined;
  if (m[1] === 'p') {
    const n = Number(m[2]);
    return agreement.pledges.some((p) => p.number === n) ? { kind: 'pledge', pledgeNumber: n } : undefined;
  }
  const act = agreement.activities.find((a) => a.id === m[2]);
  return act ? { kind: 'activity', activityId: act.id, pledgeNumber: act.pledgeNumber } : undefined;
}

const FILLER = new Set(['till', 'som', 'pa', 'for', 'to', 'as', 'med', 'status', 'statusen', 'malet', 'mal']);

function stripFiller(words: string[]): string[] {
  const out = [...words];
  while (out.length > 0 && FILLER.has(fold(out[out.length - 1]!))) out.pop();
  while (out.length > 0 && FILLER.has(fold(out[0]!))) out.shift();
  return out;
}

/** An activity named by its id, its exact wording, or as the question parser understands it. */
export function resolveActivity(text: string, agreement: Agreement, today: string): Activity | undefined {
  const f = fold(text);
  if (f === '') return undefined;
  const exact = agreement.activities.find((a) => a.id === f.replace(/ /g, '-') || fold(a.wording) === f);
  if (exact) return exact;
  const q = parseQuestion(text, agreement, today);
  return q.kind === 'activityStatus' ? agreement.activities.find((a) => a.id === q.activityId) : undefined;
}

/** "löfte 2", "löfte nr 2", "trafikkontroller", "krogkontrollerna". Undefined when not clear. */
export function resolveSubject(text: string, agreement: Agreement, today: string): StatusSubject | undefined {
  const f = fold(text);
  if (f === '') return undefined;
  const pledge = /^(?:lofte|loftet|promise|pledge)(?: nr| nummer| number)? (\d{1,3})$/.exec(f);
  if (pledge) {
    const n = Number(pledge[1]);
    return agreement.pledges.some((p) => p.number === n) ? { kind: 'pledge', pledgeNumber: n } : undefined;
  }
  const act = resolveActivity(text, agreement, today);
  if (act) return { kind: 'activity', activityId: act.id, pledgeNumber: act.pledgeNumber };
  const q = parseQuestion(text, agreement, today);
  if (q.kind === 'pledgeStatus' && agreement.pledges.some((p) => p.number === q.pledgeNumber))
    return { kind: 'pledge', pledgeNumber: q.pledgeNumber };
  return undefined;
}

// ---------------------------------------------------------------------------
// Status overrides
// ---------------------------------------------------------------------------

/** The levels a coordinator can set. "Inget mål" is a fact of the agreement, not a judgement. */
export type OverrideLevel = Exclude<StatusLevel, 'noTarget'>;
export const OVERRIDE_LEVELS: readonly OverrideLevel[] = STATUS_LEVELS.filter(
  (l): l is OverrideLevel => l !== 'noTarget',
);

/** Level words (folded); multi-word phrases are tried first. */
const LEVEL_PHRASES: [OverrideLevel, string[]][] = [
  ['onTrack', ['i fas', 'ifas', 'on track']],
  ['atRisk', ['at risk', 'risk']],
  ['behind', ['ligger efter', 'efter', 'behind']],
  ['achieved', ['uppnatt', 'uppnadd', 'uppnadda', 'achieved']],
];

function foldWords(words: string[]): string[] {
  return words.map((w) => fold(w));
}

/** The first level phrase among the words: its level and the word range it covers. */
export function findLevel(words: string[]): { level: OverrideLevel; start: number; end: number } | undefined {
  const f = foldWords(words);
  for (let i = 0; i < f.length; i++) {
    for (const [level, phrases] of LEVEL_PHRASES) {
      for (const p of phrases) {
        const parts = p.split(' ');
        const hit = parts.every((part, k) => {
          const w = f[i + k];
          if (w === undefined) return false;
          // Typos only for long words ("uppnåt"); short ones ("risk", "efter") must be exact.
          return w === part || (part.length >= 7 && closeTo(w, part));
        });
        if (hit) return { level, start: i, end: i + parts.length };
      }
    }
  }
  return undefined;
}

export function levelFromWord(text: string): OverrideLevel | undefined {
  if ((OVERRIDE_LEVELS as readonly string[]).includes(text)) return text as OverrideLevel;
  const words = text.split(/\s+/).filter(Boolean);
  const found = findLevel(words);
  return found && found.start === 0 && found.end === words.length ? found.level : undefined;
}

export const MAX_REASON_LENGTH = 500;
export const MIN_REASON_LENGTH = 3;

export interface OverrideDraft {
  subject?: StatusSubject;
  /** What the user wrote for the subject, when it could not be resolved. */
  subjectText: string;
  level?: OverrideLevel;
  reason: string;
}

export type OverrideProblem = 'subject' | 'level' | 'reason' | 'reasonTooLong' | 'personalData';

/**
 * "löfte 2 risk: polisen har haft färre resurser i sommar", "trafikkontroller efter: …",
 * "risk löfte 2: …", "löfte 2: risk, …", "löfte 2 till i fas eftersom …".
 */
export function parseOverrideCommand(rest: string, agreement: Agreement, today: string): OverrideDraft {
  const text = rest.trim();
  const colon = text.indexOf(':');
  const head = colon >= 0 ? text.slice(0, colon) : text;
  const tail = colon >= 0 ? text.slice(colon + 1).trim() : undefined;
  const words = head.split(/\s+/).filter(Boolean);
  const found = findLevel(words);

  let subjectWords: string[];
  let level: OverrideLevel | undefined;
  let reason: string;
  if (found && found.start > 0) {
    // Subject first, then the level; anything after the level (before the colon) is part of the reason.
    subjectWords = words.slice(0, found.start);
    level = found.level;
    reason = [words.slice(found.end).join(' '), tail].filter((s) => s !== undefined && s !== '').join(': ');
  } else if (found) {
    // "risk löfte 2: …"
    level = found.level;
    subjectWords = tail !== undefined ? words.slice(found.end) : [];
    reason = tail ?? words.slice(found.end).join(' ');
  } else {
    subjectWords = words;
    reason = tail ?? '';
    // "löfte 2: risk, …": the level opens the reason.
    const tailWords = (tail ?? '').split(/\s+/).filter(Boolean);
    const inTail = findLevel(tailWords);
    if (inTail && inTail.start === 0) {
      level = inTail.level;
      reason = tailWords.slice(inTail.end).join(' ');
    }
  }
  reason = reason.replace(/^[\s,.;:–—-]+/, '').trim();
  const subjectText = stripFiller(subjectWords).join(' ');
  const subject = resolveSubject(subjectText, agreement, today);
  return { ...(subject ? { subject } : {}), subjectText, ...(level ? { level } : {}), reason };
}

/**
 * Everything that stops an override from being stored. `typed` is the whole message when it came by
 * chat: an identifier anywhere in it is refused, not only in the part read as the reason.
 */
export function overrideProblems(
  draft: OverrideDraft,
  typed = '',
): { problems: OverrideProblem[]; personalData: PrivacyFindingKind[] } {
  const problems: OverrideProblem[] = [];
  if (!draft.subject) problems.push('subject');
  if (!draft.level) problems.push('level');
  const reason = draft.reason.trim();
  if (reason.length < MIN_REASON_LENGTH) problems.push('reason');
  else if (reason.length > MAX_REASON_LENGTH) problems.push('reasonTooLong');
  const personalData = personalDataKinds([reason, typed]);
  if (personalData.length > 0) problems.push('personalData');
  return { problems, personalData };
}

// ---------------------------------------------------------------------------
// Activities and targets
// ---------------------------------------------------------------------------

export type ActivityCommandKind = 'list' | 'setTarget' | 'add' | 'edit';

/** Folded prefixes, as in app/commands.ts for the 'activities' command. */
const ACTIVITY_PREFIXES: [ActivityCommandKind, string[]][] = [
  ['setTarget', ['satt mal', 'set target']],
  ['add', ['ny aktivitet', 'lagg till aktivitet', 'new activity']],
  ['edit', ['andra aktivitet', 'edit activity']],
];

/**
 * The rest of the original text after `words` words, exactly as typed: the privacy guard must see
 * what was written (a zero-width no-break space inside a number is white space to /\s/).
 */
export function restAfterWords(text: string, words: number): string {
  const raw = text.trim();
  const word = /\S+/g;
  let end = 0;
  for (let n = 0; n < words; n++) {
    const m = word.exec(raw);
    if (!m) return '';
    end = m.index + m[0].length;
  }
  return raw.slice(end).trim();
}

/** Which activity command a message is, and the text after its command words. */
export function activityCommandOf(text: string): { kind: ActivityCommandKind; rest: string } {
  const raw = text.trim();
  const f = fold(raw);
  for (const [kind, prefixes] of ACTIVITY_PREFIXES) {
    for (const p of prefixes) {
      if (f === p || f.startsWith(`${p} `)) return { kind, rest: restAfterWords(raw, p.split(' ').length) };
    }
  }
  return { kind: 'list', rest: '' };
}

/**
 * "35 per år", "minst 35 om året", "10 under perioden", "inget". `fallbackKind` is used when no time
 * is named (the activity's current kind, else per year). Undefined when no target can be read.
 */
export function parseTarget(text: string, fallbackKind: 'perYear' | 'perPeriod' = 'perYear'): Target | undefined {
  const f = ` ${fold(text)} `;
  if (/ (inget|ingen|inga|none|no target) /.test(f)) return { kind: 'none' };
  const numbers = [...f.matchAll(/ (\d{1,6}) /g)].map((m) => Number(m[1]));
  if (numbers.length !== 1 || !(numbers[0]! > 0)) return undefined;
  const count = numbers[0]!;
  if (/ (per ar|om aret|i aret|varje ar|arligen|per year|a year|yearly|each year) /.test(f))
    return { kind: 'perYear', count };
  if (
    / (per period|under perioden|pa perioden|for perioden|hela perioden|totalt|in total|per period|for the period) /.test(
      f,
    )
  )
    return { kind: 'perPeriod', count };
  // Other time words ("per månad", "i veckan") are not targets the status can judge.
  if (/ (per|om|i|varje|a|each) /.test(f.replace(/ (minst|at least|mal) /g, ' '))) return undefined;
  return { kind: fallbackKind, count };
}

export function parseParty(text: string): Party | undefined {
  const f = fold(text);
  if (
    /^(bada|gemensamt|gemensam|both|joint|polisen och kommunen|kommunen och polisen|police and municipality)$/.test(f)
  )
    return 'Båda';
  if (/^(polisen|polis|police)$/.test(f)) return 'Polisen';
  if (/^(kommunen|kommun|municipality)$/.test(f) || f.endsWith(' kommun')) return 'Kommunen';
  return isParty(text) ? text : undefined;
}

export type ActivityProblem =
  | 'activity'
  | 'target'
  | 'pledge'
  | 'owner'
  | 'wording'
  | 'duplicate'
  | 'nothingToChange'
  | 'unknownPart'
  | 'markup'
  | 'tooLong'
  | 'personalData';

/** As in AgreementSchema: checked here too, so the refusal can say it in plain words. */
export const MAX_WORDING_LENGTH = 300;
export const MAX_UNIT_LENGTH = 40;

export interface ActivityFields {
  pledgeNumber?: number;
  wording?: string;
  unit?: string;
  /** Set with `unit` when known: written "kontroll/kontroller", or from the table of Swedish plurals. */
  unitSingular?: string;
  owner?: Party;
  target?: Target;
  id?: string;
  youthFocus?: boolean;
}

export interface ActivityDraft {
  kind: 'setTarget' | 'add' | 'edit';
  /** The activity changed (setTarget, edit). */
  activityId?: string;
  /** What the user wrote for the activity, when it could not be found. */
  activityText?: string;
  fields: ActivityFields;
  /** Parts of the text that were not understood (kept, to show back). */
  unknownParts: string[];
  problems: ActivityProblem[];
  /** The kinds of personal identifier found in the message (problem 'personalData'). */
  personalData: PrivacyFindingKind[];
}

const KEYS: [keyof ActivityFields | 'pledge', string[]][] = [
  ['pledge', ['lofte', 'loftet', 'pledge', 'promise']],
  ['unit', ['enhet', 'unit', 'raknas i']],
  ['target', ['mal', 'malet', 'target']],
  ['owner', ['agare', 'ansvarig', 'ansvar', 'owner']],
  ['id', ['id']],
  ['wording', ['text', 'namn', 'beskrivning', 'wording', 'name']],
  ['youthFocus', ['unga', 'ungdomar', 'youth']],
];

/** Text that would render as markup on a card; activity texts are shown on every status card. */
const MARKUP = /[[\]<>*_~`\\]/;

/** Splits "Trygghetsvandringar, enhet vandringar, mål 10 per år" into keyed and free segments. */
function readSegments(
  body: string,
  fields: ActivityFields,
  current: Activity | undefined,
  free: string[],
  problems: Set<ActivityProblem>,
): void {
  for (const segment of body
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const words = segment.split(/\s+/);
    const first = fold(words[0]!);
    const key = KEYS.find(([, names]) => names.includes(first))?.[0];
    const value = words
      .slice(1)
      .join(' ')
      .replace(/^[:=\s]+/, '')
      .trim();
    switch (key) {
      case 'pledge': {
        const m = /^(?:nr |nummer )?(\d{1,3})\b\s*(.*)$/.exec(value);
        if (m) {
          fields.pledgeNumber = Number(m[1]);
          if (m[2]!.trim() !== '') free.push(m[2]!.trim());
        } else problems.add('pledge');
        break;
      }
      case 'unit': {
        // "enhet kontroll/kontroller" gives both numbers; "enhet kontroller" finds the singular if known.
        const forms = value === '' ? undefined : parseUnitForms(value);
        if (!forms || forms.unit.includes('/')) problems.add('unknownPart');
        else {
          fields.unit = forms.unit;
          if (forms.unitSingular !== undefined) fields.unitSingular = forms.unitSingular;
        }
        break;
      }
      case 'target': {
        const fallback = current?.target.kind === 'perPeriod' ? 'perPeriod' : 'perYear';
        const target = parseTarget(value, fallback);
        if (target) fields.target = target;
        else problems.add('target');
        break;
      }
      case 'owner': {
        const owner = parseParty(value);
        if (owner) fields.owner = owner;
        else problems.add('owner');
        break;
      }
      case 'id':
        // Ids are never built from typed text (they travel into card data and the audit): refused below.
        fields.id = value;
        break;
      case 'wording':
        if (value === '') problems.add('wording');
        else fields.wording = value;
        break;
      case 'youthFocus':
        fields.youthFocus = !/^(nej|no|false|0)$/.test(fold(value));
        break;
      default:
        free.push(segment);
    }
  }
}

/**
 * The id of a new activity: "aktivitet-7", the next free number. Never built from the wording, so
 * nothing a coordinator types travels into ids, card data or the audit.
 */
export function nextActivityId(taken: readonly string[]): string {
  const used = taken
    .map((id) => /^aktivitet-(\d+)$/.exec(id)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  let n = Math.max(taken.length, ...used) + 1;
  while (taken.includes(`aktivitet-${n}`)) n++;
  return `aktivitet-${n}`;
}

/** Splits "<name>: <fields>" or "<name> <first key word> …" into the name and the fields. */
function splitHead(rest: string): { head: string; body: string } {
  const colon = rest.indexOf(':');
  if (colon >= 0) return { head: rest.slice(0, colon).trim(), body: rest.slice(colon + 1).trim() };
  const words = rest.split(/\s+/).filter(Boolean);
  const keyAt = words.findIndex((w, i) => i > 0 && KEYS.some(([, names]) => names.includes(fold(w))));
  if (keyAt < 0) return { head: rest.trim(), body: '' };
  return { head: words.slice(0, keyAt).join(' ').replace(/,\s*$/, ''), body: words.slice(keyAt).join(' ') };
}

/**
 * Parses the three ways to change activities:
 * - setTarget: "trafikkontroller 35 per år", "trafikkontroller: minst 35 per år", "krogkontroller inget"
 * - add: "löfte 2: Trygghetsvandringar, enhet vandringar, mål 10 per år, ägare Kommunen"
 * - edit: "trafikkontroller: ägare Båda, enhet kontroller, text …"
 */
export function parseActivityCommand(
  kind: 'setTarget' | 'add' | 'edit',
  rest: string,
  agreement: Agreement,
  today: string,
): ActivityDraft {
  const problems = new Set<ActivityProblem>();
  const fields: ActivityFields = {};
  const free: string[] = [];
  let activity: Activity | undefined;
  let activityText: string | undefined;

  if (kind === 'setTarget') {
    const words = rest.replace(/:/g, ' ').split(/\s+/).filter(Boolean);
    const at = words.findIndex((w) => /^\d+$/.test(fold(w)) || /^(inget|ingen|inga|none)$/.test(fold(w)));
    const name = stripFiller((at >= 0 ? words.slice(0, at) : words).filter((w) => !/^(minst|till)$/.test(fold(w))));
    activityText = name.join(' ');
    activity = resolveActivity(activityText, agreement, today);
    if (!activity) problems.add('activity');
    const fallback = activity?.target.kind === 'perPeriod' ? 'perPeriod' : 'perYear';
    const target = at >= 0 ? parseTarget(words.slice(at).join(' '), fallback) : undefined;
    if (target) fields.target = target;
    else problems.add('target');
  } else if (kind === 'edit') {
    const { head, body } = splitHead(rest);
    activityText = stripFiller(head.split(/\s+/).filter(Boolean)).join(' ');
    activity = resolveActivity(activityText, agreement, today);
    if (!activity) problems.add('activity');
    readSegments(body, fields, activity, free, problems);
    if (free.length > 0) problems.add('unknownPart');
    if (Object.keys(fields).length === 0 && problems.size === 0) problems.add('nothingToChange');
    if (fields.id !== undefined) {
      // Reports refer to the id: it never changes.
      delete fields.id;
      problems.add('unknownPart');
      free.push('id');
    }
  } else {
    const { head, body } = rest.includes(':') ? splitHead(rest) : { head: '', body: rest };
    const headPledge = /^(?:lofte|loftet|pledge|promise)(?: nr| nummer)? (\d{1,3})$/.exec(fold(head));
    if (headPledge) fields.pledgeNumber = Number(headPledge[1]);
    else if (head !== '') free.unshift(head);
    readSegments(body, fields, undefined, free, problems);
    if (fields.wording === undefined && free.length > 0) fields.wording = free.splice(0).join(', ');
    else if (free.length > 0) problems.add('unknownPart');
    if (fields.pledgeNumber === undefined || !agreement.pledges.some((p) => p.number === fields.pledgeNumber))
      problems.add('pledge');
    if (!fields.wording) problems.add('wording');
    if (!fields.owner) problems.add('owner');
    if (
      fields.wording &&
      agreement.activities.some(
        (a) => fold(a.wording) === fold(fields.wording!) && a.pledgeNumber === fields.pledgeNumber,
      )
    )
      problems.add('duplicate');
    if (fields.id !== undefined) {
      delete fields.id;
      problems.add('unknownPart');
      free.push('id');
    }
  }
  // The whole message, not only the parts read as wording and unit.
  const personalData = personalDataKinds([fields.wording, fields.unit, fields.unitSingular, rest]);
  if (personalData.length > 0) problems.add('personalData');
  if ([fields.wording, fields.unit, fields.unitSingular].some((s) => s !== undefined && MARKUP.test(s)))
    problems.add('markup');
  if (
    (fields.wording?.length ?? 0) > MAX_WORDING_LENGTH ||
    Math.max(fields.unit?.length ?? 0, fields.unitSingular?.length ?? 0) > MAX_UNIT_LENGTH
  )
    problems.add('tooLong');

  return {
    kind,
    ...(activity ? { activityId: activity.id } : {}),
    ...(activityText !== undefined && !activity && personalData.length === 0 ? { activityText } : {}),
    fields,
    // Text with an identifier is never kept to be shown back.
    unknownParts: personalData.length > 0 ? [] : free,
    problems: [...problems],
    personalData,
  };
}

/** A new unit drops the old one's singular: "kontroll" must not stay with "vandringar". */
function withoutSingularIf<T extends { unitSingular?: string | undefined }>(a: T, drop: boolean): T {
  if (!drop) return a;
  const { unitSingular: _dropped, ...rest } = a;
  return rest as T;
}

/** The agreement with the change applied, as input for validation (AgreementSchema) before saving. */
export function applyActivityDraft(agreement: Agreement, draft: ActivityDraft): AgreementInput {
  const next: AgreementInput = structuredClone(agreement);
  const f = draft.fields;
  if (draft.kind === 'add') {
    next.activities.push({
      id: nextActivityId(agreement.activities.map((a) => a.id)),
      pledgeNumber: f.pledgeNumber!,
      owner: f.owner!,
      wording: f.wording!,
      unit: f.unit ?? 'gånger',
      ...(f.unit === undefined
        ? { unitSingular: 'gång' }
        : f.unitSingular !== undefined
          ? { unitSingular: f.unitSingular }
          : {}),
      target: f.target ?? { kind: 'none' },
      youthFocus: f.youthFocus ?? false,
    });
    return next;
  }
  next.activities = next.activities.map((a) =>
    a.id !== draft.activityId
      ? a
      : {
          ...withoutSingularIf(a, f.unit !== undefined),
          ...(f.wording !== undefined ? { wording: f.wording } : {}),
          ...(f.unit !== undefined ? { unit: f.unit } : {}),
          ...(f.unitSingular !== undefined ? { unitSingular: f.unitSingular } : {}),
          ...(f.owner !== undefined ? { owner: f.owner } : {}),
          ...(f.target !== undefined ? { target: f.target } : {}),
          ...(f.youthFocus !== undefined ? { youthFocus: f.youthFocus } : {}),
        },
  );
  return next;
}
