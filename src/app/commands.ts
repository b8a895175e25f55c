import { closeTo, fold } from '../domain/text-match.js';

/** What a chat message asks for. Questions about status grow in the questions module. */
export type Command =
  | { kind: 'help' }
  | { kind: 'status' }
  | { kind: 'report' }
  | { kind: 'myReports' }
  | { kind: 'unknown' };

const PHRASES: [Command['kind'], string[]][] = [
  ['help', ['hjalp', 'help', 'hjalp mig', 'vad kan du', 'vad kan du gora', 'kommandon', 'meny', '?']],
  ['status', ['status', 'visa status', 'lagesbild', 'oversikt', 'hur gar det', 'hur gar det for oss', 'how are we doing']],
  ['report', ['rapportera', 'rapport', 'veckorapport', 'ny rapport', 'report', 'new report']],
  ['myReports', ['mina rapporter', 'my reports']],
];

export function parseCommand(text: string | undefined): Command {
  if (text && text.trim() === '?') return { kind: 'help' };
  const folded = fold(text ?? '');
  if (folded === '') return { kind: 'unknown' };
  for (const [kind, phrases] of PHRASES) {
    if (phrases.includes(folded)) return { kind } as Command;
  }
  // One-word commands with a typo ("stauts", "hjälpp").
  if (!folded.includes(' ')) {
    for (const [kind, phrases] of PHRASES) {
      if (phrases.some((p) => !p.includes(' ') && p.length >= 5 && closeTo(folded, p))) return { kind } as Command;
    }
  }
  return { kind: 'unknown' };
}
