import { personalDataKinds, type SubmittedField } from './privacy.js';

/**
 * The privacy guard on the way out: what the bot posts to a channel or quotes in an answer is
 * checked again with the current guard, item by item, where the items are built. Text stored by an
 * earlier, weaker guard (or a name Teams supplies) then never reaches others. An item that fails is
 * left out and counted; the caller says how many were left out (never which, never what).
 */

/** True when none of the texts, checked together, holds a personal identifier. */
export function passesGuard(texts: readonly SubmittedField[]): boolean {
  return personalDataKinds(texts).length === 0;
}

/** The text when it passes the guard, else undefined (the caller shows its own neutral wording). */
export function safeText(text: string | undefined): string | undefined {
  return text !== undefined && passesGuard([text]) ? text : undefined;
}

export interface Screened<T> {
  kept: T[];
  /** How many items were left out because their text failed the guard. */
  leftOut: number;
}

/** Keeps the items whose texts pass the guard, in order; counts the rest. */
export function screen<T>(items: readonly T[], textsOf: (item: T) => readonly SubmittedField[]): Screened<T> {
  const kept: T[] = [];
  let leftOut = 0;
  for (const item of items) {
    if (passesGuard(textsOf(item))) kept.push(item);
    else leftOut++;
  }
  return { kept, leftOut };
}

/** A report as it is quoted: its free text together with its numbers (as at submission). */
export function reportTexts(r: {
  description: string;
  count: number;
  ageBands?: { under18: number; from18to21: number; over21: number };
}): SubmittedField[] {
  return [r.description, r.count, r.ageBands?.under18, r.ageBands?.from18to21, r.ageBands?.over21];
}

/** Reports to quote: those whose text fails the guard are left out and counted. */
export function screenReports<T extends Parameters<typeof reportTexts>[0]>(reports: readonly T[]): Screened<T> {
  return screen(reports, reportTexts);
}

interface ActivityText {
  id: string;
  wording: string;
  unit: string;
  unitSingular?: string;
}

const activityTexts = (activities: readonly ActivityText[], id: string): SubmittedField[] => {
  const a = activities.find((x) => x.id === id);
  return a ? [a.id, a.wording, a.unit, a.unitSingular] : [id];
};

/**
 * The content of the pre-meeting digest as it may be posted to the shared channel: the meeting's
 * place and agenda, the activities behind, the reports flagged "ta upp på nästa möte" (with their
 * activity's wording). Failing texts are left out and counted. (The digest names nobody: who has not
 * reported is a count per party.)
 */
export function screenDigest<
  M extends { place?: string; agenda?: string },
  R extends Parameters<typeof reportTexts>[0] & { activityId: string },
  B extends { activityId: string },
>(input: {
  meeting: M;
  raised: readonly R[];
  behind: readonly B[];
  activities: readonly ActivityText[];
}): { meeting: M; raised: R[]; behind: B[]; leftOut: number } {
  const meeting = { ...input.meeting };
  let leftOut = 0;
  for (const field of ['place', 'agenda'] as const) {
    if (meeting[field] !== undefined && safeText(meeting[field]) === undefined) {
      delete meeting[field];
      leftOut++;
    }
  }
  // Place and agenda together too (an identifier split between them).
  if (!passesGuard([meeting.place, meeting.agenda])) {
    delete meeting.agenda;
    leftOut++;
  }
  const behind = screen(input.behind, (b) => activityTexts(input.activities, b.activityId));
  const raised = screen(input.raised, (r) => [...reportTexts(r), ...activityTexts(input.activities, r.activityId)]);
  return { meeting, raised: raised.kept, behind: behind.kept, leftOut: leftOut + behind.leftOut + raised.leftOut };
}

/** The activities a tertial summary lists, without those whose texts fail the guard. */
export function screenActivities<A extends ActivityText>(activities: readonly A[]): Screened<A> {
  return screen(activities, (a) => [a.id, a.wording, a.unit, a.unitSingular]);
}

/**
 * The last gate before anything is sent: a message rendered earlier (a reminder waiting in the
 * delivery ledger across an upgrade) is checked with the current guard. A card element whose
 * text, title or value fails is removed; a failing plain text is dropped. Returns a copy.
 */
export function screenMessage<M extends { text?: string; card?: Record<string, unknown> }>(
  message: M,
): { message: M; leftOut: number } {
  let leftOut = 0;
  const fails = (node: Record<string, unknown>) =>
    (['text', 'title', 'value'] as const).some((k) => typeof node[k] === 'string' && !passesGuard([node[k] as string]));
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      const kept = node.filter((item) => {
        if (item && typeof item === 'object' && !Array.isArray(item) && fails(item as Record<string, unknown>)) {
          leftOut++;
          return false;
        }
        return true;
      });
      return kept.map(walk);
    }
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v);
      return out;
    }
    return node;
  };
  const out = { ...message };
  if (out.card) out.card = walk(out.card) as Record<string, unknown>;
  if (typeof out.text === 'string' && !passesGuard([out.text])) {
    delete out.text;
    leftOut++;
  }
  return { message: out, leftOut };
}
