import type { Party, Target } from '../domain/agreement.js';
import { formatLocalDate, formatNumber, formatRange } from './format.js';
import type { sv } from './sv.js';

export const en: typeof sv = {
  locale: 'en',
  appName: 'Citizen promise',
  privacyNote: 'No names or personal data — only what, how many and where.',

  welcome: {
    title: 'Hi! I help the Police and the municipality follow up their citizen promise (medborgarlöfte).',
    body: 'Every week you report what you did for the promises: what, how many and where. I keep the status against the targets, answer questions and send reminders before follow-up meetings.',
    start: 'Type **help** to see what I can do, or **status** to see how it is going.',
    team: 'In a channel a coordinator can type **koppla kanal** (link channel) so reminders and digests before follow-up meetings are posted here.',
  },

  help: {
    title: 'What I can do',
    commands: [
      ['status', 'Shows the promises, activities and targets.'],
      ['report', 'Opens the weekly report: what you did, how many and where.'],
      ['mina rapporter', 'Shows your reports of recent weeks.'],
      ['how is traffic going?', 'Questions about status, counts and targets.'],
      ['möten', 'Shows upcoming follow-up meetings.'],
      ['koppla kanal', 'Makes this channel the shared channel for reminders (coordinators).'],
      ['help', 'Shows this list.'],
    ],
    statusButton: 'Show status',
    reportButton: 'Report',
  },

  status: {
    title: 'Status of the citizen promise',
    agreementLine: (municipality: string, policeArea: string, from: string, to: string) =>
      `${municipality} and ${policeArea} · ${formatRange(from.slice(0, 4), to.slice(0, 4))}`,
    period: (from: string, to: string) => `Period: ${formatLocalDate(from, 'en')} – ${formatLocalDate(to, 'en')}`,
    pledge: (n: number) => `Promise ${n}`,
    owner: 'Owner',
    target: 'Target',
    activities: 'Activities',
    expired: (end: string) => `The citizen promise was valid until ${formatLocalDate(end, 'en')} and has expired. A coordinator needs to add the next period.`,
    notStarted: (start: string) => `The citizen promise takes effect on ${formatLocalDate(start, 'en')}.`,
    noAgreement: 'No citizen promise has been added yet. A coordinator can add one with npm run agreement -- import.',
  },

  party: (p: Party): string => ({ Polisen: 'Police', Kommunen: 'Municipality', Båda: 'Police and municipality' })[p],

  targetLabel: (t: Target, unit: string): string => {
    switch (t.kind) {
      case 'perYear':
        return `at least ${formatNumber(t.count, 'en')} ${unit} per year`;
      case 'perPeriod':
        return `at least ${formatNumber(t.count, 'en')} ${unit} in the period`;
      case 'none':
        return 'No target (counts are followed up)';
    }
  },

  unknown: {
    text: 'I did not quite understand that. You can for example type:',
    examples: ['status', 'report', 'how is traffic going?', 'how many targeted operations this year?', 'help'],
  },

  errors: {
    generic: 'Something went wrong on my side. Please try again in a moment.',
    unknownAction: 'I do not recognise this button. It may come from an older card: type help to start again.',
  },
};
