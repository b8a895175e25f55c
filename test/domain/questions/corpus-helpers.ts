/** Builders for the expected structured queries of the question corpus (today: 2024-11-14, vecka 46, T3). */
import type { Question, Window } from '../../../src/domain/questions/index.js';

export const TODAY = '2024-11-14';

export const TRAFFIC = 'trafikkontroller';
export const RIKTADE = 'riktade-insatser-narkotika';
export const LOB = 'lob-och-polislagen';
export const KROG = 'krogkontroller';
export const LANGNING = 'langning-kampanjer';
export const MOTEN = 'samverkansmoten-sspf-est';

const pad = (n: number) => String(n).padStart(2, '0');
export const week = (n: number, y = 2024): Window => ({ kind: 'week', week: `${y}-W${pad(n)}` });
export const month = (m: number, y = 2024): Window => ({ kind: 'month', month: `${y}-${pad(m)}` });
export const tertial = (n: number, y = 2024): Window => ({ kind: 'tertial', tertial: `${y}-T${n}` });
export const year = (y = 2024): Window => ({ kind: 'year', year: y });
export const range = (from: string, to = TODAY): Window => ({ kind: 'range', from, to });
export const period: Window = { kind: 'period' };

type Extra = Partial<{
  party: 'Polisen' | 'Kommunen';
  area: string;
  ageBand: 'under18' | 'from18to21' | 'over21';
  groupBy: 'area' | 'party' | 'ageBand';
  pledgeNumber: number;
}>;

export const count = (activityIds: string[], window: Window = year(), extra: Extra = {}): Question =>
  ({ kind: 'count', activityIds, window, ...extra }) as Question;
export const summary = (window: Window, extra: Extra & { activityIds?: string[] } = {}): Question =>
  ({ kind: 'summary', window, ...extra }) as Question;
export const recent = (extra: Extra & { activityIds?: string[] } = {}): Question =>
  ({ kind: 'recent', ...extra }) as Question;
export const goal = (activityIds: string[] = [], extra: { pledgeNumber?: number } = {}): Question => ({
  kind: 'goal',
  activityIds,
  ...extra,
});
export const reports = (window: Window = year(), extra: { party?: 'Polisen' | 'Kommunen' } = {}): Question => ({
  kind: 'reports',
  window,
  ...extra,
});
export const compare = (activityIds: string[], window: Window, previous: Window, extra: Extra = {}): Question =>
  ({ kind: 'compare', activityIds, window, previous, ...extra }) as Question;
export const overall: Question = { kind: 'overallStatus' };
export const pledge = (n: number): Question => ({ kind: 'pledgeStatus', pledgeNumber: n });
export const activity = (id: string, n: number): Question => ({
  kind: 'activityStatus',
  activityId: id,
  pledgeNumber: n,
});
export const behind: Question = { kind: 'behind' };
export const missing: Question = { kind: 'missingReporters' };
export const nextMeeting: Question = { kind: 'nextMeeting' };
export const raise: Question = { kind: 'raise' };
export const targets = (extra: { activityIds?: string[]; pledgeNumber?: number } = {}): Question => ({
  kind: 'targets',
  ...extra,
});

export type CorpusEntry = [text: string, expected: Question];
/** A question that must be declined, with the words the decline must name. */
export type DeclineEntry = [text: string, named: string[]];
