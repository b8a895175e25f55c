/**
 * Questions in chat, turned into structured queries. Where to find what:
 * - types.ts     the Question union, windows, filters, the examples shown on a decline
 * - parse.ts     the parser: cue → window → filters → subject → the rule (leftover words are named)
 * - kinds.ts     the cue words for each kind of question
 * - windows.ts   weeks, months, tertials, years, ranges, the period; resolving them against today
 * - filters.ts   pledge number, area, party, age band
 * - subjects.ts  activities and pledges from the agreement's own words (+ a small synonym table)
 * - text.ts      tokens, stems, typo-tolerant cue matching, stopwords
 */
export * from './types.js';
export { analyseQuestion, parseQuestion } from './parse.js';
export { ACTIVITY_SYNONYMS } from './subjects.js';
export { previousWindow, windowDates } from './windows.js';
