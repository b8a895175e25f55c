import { personalDataKinds, type PrivacyFindingKind } from '../domain/privacy.js';

/**
 * Defence in depth: a follow-up document holds counts, places and narratives that passed the
 * privacy guard when they were written. The renderers check every text they are about to write
 * once more with the current guard, and refuse the whole document when one fails: a file is
 * published and forwarded, so leaving a sentence out silently is not good enough, and the
 * coordinators must fix the text where it was written.
 */
export class DocumentRefusedError extends Error {
  constructor(readonly kinds: PrivacyFindingKind[]) {
    // The message names the kinds only, never the text or the value found.
    super(`follow-up document refused by the privacy guard: ${kinds.join(', ')}`);
    this.name = 'DocumentRefusedError';
  }
}

/** Every string inside a value (objects and arrays walked; functions skipped). */
export function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsOf(v, out);
  return out;
}

/** Throws DocumentRefusedError when any string in `composed` fails the guard. */
export function guardComposition(composed: unknown): void {
  const kinds = new Set<PrivacyFindingKind>();
  for (const text of stringsOf(composed)) for (const k of personalDataKinds([text])) kinds.add(k);
  if (kinds.size > 0) throw new DocumentRefusedError([...kinds]);
}

/** The last check, on a renderer's own output text (the PDF's and Word file's strings as written). */
export function guardText(text: string): string {
  const kinds = personalDataKinds([text]);
  if (kinds.length > 0) throw new DocumentRefusedError(kinds);
  return text;
}
