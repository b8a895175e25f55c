import { restAfterWords } from '../domain/coordinator-commands.js';
import { closeTo, fold } from '../domain/text-match.js';

/**
 * What a chat message asks for. Commands with arguments carry the rest of the text (`rest`, as the
 * user wrote it) for their handler to parse; anything else goes to the question parser.
 */
export const COMMAND_KINDS = [
  'help',
  'status',
  'report',
  'myReports',
  'allReports',
  'linkChannel',
  'registerReporter',
  'unregisterReporter',
  'absence',
  'reporters',
  'newMeeting',
  'meetings',
  'reminders',
  'override',
  'clearOverride',
  'reportingRate',
  'addCoordinator',
  'removeCoordinator',
  'exportData',
  'auditLog',
  'activities',
  'switchScope',
  'rollover',
  'minutes',
  'weeklySummary',
  'followUpReport',
  'kfReport',
] as const;
export type CommandKind = (typeof COMMAND_KINDS)[number];

/**
 * The longest message read as a command or question. Longer text is refused before any parsing:
 * the coordinator commands' parsers held the event loop for a second on 240 KB. A reason is at
 * most 500 characters and Teams itself caps a message near 28 KB; 4 000 leaves room for any real one.
 */
export const MAX_COMMAND_TEXT = 4000;

export type Command = { kind: CommandKind; rest: string } | { kind: 'unknown' };

/** Whole-message phrases (folded), and prefixes whose rest is the argument. */
const PHRASES: [CommandKind, string[], string[]?][] = [
  ['help', ['hjalp', 'help', 'hjalp mig', 'vad kan du', 'vad kan du gora', 'kommandon', 'meny']],
  [
    'status',
    ['status', 'visa status', 'lagesbild', 'oversikt', 'hur gar det', 'hur gar det for oss', 'how are we doing'],
  ],
  ['report', ['rapportera', 'rapport', 'veckorapport', 'ny rapport', 'report', 'new report']],
  ['myReports', ['mina rapporter', 'my reports']],
  ['allReports', ['alla rapporter', 'rapporter', 'all reports'], ['alla rapporter', 'rapporter vecka', 'rapporter v']],
  ['switchScope', ['byt kommun', 'valj kommun', 'vilken kommun', 'switch municipality', 'choose municipality']],
  ['linkChannel', ['koppla kanal', 'koppla kanalen', 'koppla den har kanalen', 'link channel']],
  [
    'registerReporter',
    ['anmal mig', 'anmal mig som rapportor', 'registrera mig', 'register me', 'register as reporter'],
    ['anmal mig som rapportor for', 'anmal mig for', 'anmal', 'register'],
  ],
  ['unregisterReporter', ['avanmal mig', 'avregistrera mig', 'unregister me']],
  ['absence', [], ['borta till', 'ledig till', 'franvarande till', 'away until', 'borta']],
  ['reporters', ['rapportorer', 'reporters', 'visa rapportorer']],
  ['newMeeting', ['nytt mote', 'nytt mote', 'lagg till mote', 'new meeting']],
  ['meetings', ['moten', 'mote', 'kommande moten', 'meetings']],
  ['reminders', ['paminnelser', 'reminders', 'visa paminnelser']],
  ['minutes', ['protokoll', 'motesprotokoll', 'beslut', 'skriv beslut', 'minutes', 'meeting minutes']],
  [
    'weeklySummary',
    ['veckosammanfattning', 'veckosammanfattningen', 'weekly summary'],
    ['veckosammanfattning', 'veckosammanfattningen', 'weekly summary'],
  ],
  ['override', ['satt status', 'andra status'], ['satt status', 'andra status', 'override']],
  ['clearOverride', ['ta bort status', 'aterstall status'], ['ta bort status', 'aterstall status', 'clear override']],
  ['reportingRate', ['rapporteringsgrad', 'rapporteringsgraden', 'reporting rate']],
  ['addCoordinator', ['lagg till samordnare', 'add coordinator'], ['lagg till samordnare', 'add coordinator']],
  ['removeCoordinator', ['ta bort samordnare', 'remove coordinator'], ['ta bort samordnare', 'remove coordinator']],
  ['exportData', ['exportera', 'export'], ['exportera', 'export']],
  ['auditLog', ['logg', 'granskningslogg', 'audit log'], ['granskningslogg', 'audit log']],
  [
    'activities',
    ['aktiviteter', 'activities', 'satt mal', 'ny aktivitet', 'andra aktivitet'],
    [
      'andra aktivitet',
      'ny aktivitet',
      'lagg till aktivitet',
      'satt mal',
      'edit activity',
      'new activity',
      'set target',
    ],
  ],
  [
    'rollover',
    [
      'ny period',
      'nasta period',
      'fornya loftet',
      'fornya loftena',
      'fornya medborgarloftet',
      'new period',
      'next period',
      'roll over',
    ],
  ],
  // The follow-up both parties sign: "uppföljning tertial 2", "uppföljning 2024", "uppföljning".
  [
    'followUpReport',
    ['uppfoljning', 'uppfoljningen', 'visa uppfoljning', 'visa uppfoljningen', 'follow-up', 'follow up'],
    ['visa uppfoljningen', 'visa uppfoljning', 'uppfoljningen', 'uppfoljning', 'follow-up', 'follow up'],
  ],
  [
    'kfReport',
    ['kf-rapport', 'kf rapport', 'kf-rapporten', 'aterrapport', 'aterrapporten', 'kf report'],
    ['kf-rapport', 'kf rapport', 'kf-rapporten', 'aterrapport till kf', 'aterrapport', 'aterrapporten', 'kf report'],
  ],
];

export function parseCommand(text: string | undefined): Command {
  const raw = (text ?? '').trim();
  if (raw === '?') return { kind: 'help', rest: '' };
  const folded = fold(raw);
  if (folded === '') return { kind: 'unknown' };
  for (const [kind, phrases] of PHRASES) {
    if (phrases.includes(folded)) return { kind, rest: '' };
  }
  for (const [kind, , prefixes] of PHRASES) {
    for (const p of prefixes ?? []) {
      if (folded.startsWith(`${p} `)) return { kind, rest: restAfterWords(raw, p.split(' ').length) };
    }
  }
  // One-word commands with a typo ("stauts", "hjälpp").
  if (!folded.includes(' ')) {
    for (const [kind, phrases] of PHRASES) {
      if (phrases.some((p) => !p.includes(' ') && p.length >= 5 && closeTo(folded, p))) return { kind, rest: '' };
    }
  }
  return { kind: 'unknown' };
}
