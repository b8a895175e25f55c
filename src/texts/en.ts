import type { Target } from '../domain/agreement.js';
import type { Party } from '../domain/party.js';
import { formatLocalDate, formatNumber, formatQuantity, formatRange, type UnitForms } from './format.js';
import type { sv } from './sv.js';
import { accessEn } from './access.js';
import { scopesEn } from './scopes.js';
import { followUpEn } from './follow-up.js';
import { followUpReportEn } from './follow-up-report.js';
import { downloadsEn } from './downloads.js';
import { documentsEn } from './documents.js';
import { recordsEn } from './records.js';
import { llmEn } from './llm.js';
import { statusAdminEn } from './status-admin.js';
import { rolloverEn } from './rollover.js';
import { remindersEn } from './reminders.js';
import { weekEn } from './week.js';
import { planningEn } from './planning.js';
import { answersEn } from './answers.js';

export const en: typeof sv = {
  llm: llmEn,
  statusAdmin: statusAdminEn,
  rollover: rolloverEn,
  access: accessEn,
  scopes: scopesEn,
  followUp: followUpEn,
  followUpReport: followUpReportEn,
  downloads: downloadsEn,
  documents: documentsEn,
  reminders: remindersEn,
  // A reporter's week on one card (issue #16).
  week: weekEn,
  planning: planningEn,
  records: recordsEn,
  locale: 'en',
  appName: 'Citizen promise',
  privacyNote: 'No names or personal data — only what, how many and where.',
  redactedText: '[borttaget: personuppgift]',

  welcome: {
    title: 'Hi! I help the Police and the municipality follow up their citizen promise (medborgarlöfte).',
    body: 'Every week you report what you did for the promises: what, how many and where. I keep the status against the targets, answer questions and send reminders before follow-up meetings.',
    start: 'Type **help** to see what I can do, or **status** to see how it is going.',
    team: 'In a channel a coordinator can type **koppla kanal** (link channel) so reminders and digests before follow-up meetings are posted here.',
  },

  help: {
    title: 'What I can do',
    commands: [
      [
        'status',
        'Shows how each promise is doing on one screen; Show all gives the activities, targets and every figure.',
      ],
      ['report', 'Opens the weekly report: what you did, how many and where.'],
      ['mina rapporter', 'Shows your reports of recent weeks.'],
      ['how is traffic going?', 'Questions about status, counts and targets.'],
      ['anmäl mig', 'Registers you as a reporter to get reminders; borta till 2024-07-31 pauses them.'],
      ['möten', 'Shows upcoming follow-up meetings; nytt möte adds one, protokoll records decisions (coordinators).'],
      ['koppla kanal', 'Makes this channel the shared channel for reminders (coordinators).'],
      ['byt kommun', 'Chooses which municipality the chat is about, when the bot serves several.'],
      [
        'rapportörer, alla rapporter, påminnelser',
        'Coordinators: who has reported, everyone’s reports, reminders planned and sent.',
      ],
      [
        'sätt status, aktiviteter, rapporteringsgrad',
        'Coordinators: set a status with a reason, change targets, reporting rate.',
      ],
      ['ny period', 'Coordinators: copies the promises into the next period and adjusts the targets on a card.'],
      [
        'uppföljning tertial 2, kf-rapport 2024',
        'Coordinators: the follow-up to comment on, approve for the Police and the municipality and communicate; the report to the council.',
      ],
      ['exportera, granskningslogg', 'Coordinators: export for archives and requests, the audit log.'],
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
    expired: (end: string) =>
      `The citizen promise was valid until ${formatLocalDate(end, 'en')} and has expired. A coordinator adds the next period by writing ny period.`,
    notStarted: (start: string) => `The citizen promise takes effect on ${formatLocalDate(start, 'en')}.`,
    noAgreement: 'No citizen promise has been added yet. A coordinator can add one with npm run agreement -- import.',
  },

  levels: {
    onTrack: '🟢 On track',
    atRisk: '🟡 At risk',
    behind: '🔴 Behind',
    achieved: '✅ Achieved',
    noTarget: '⚪ No target',
  } as Record<string, string>,
  trend: { up: 'rising', down: 'falling', flat: 'unchanged' } as Record<string, string>,
  figures: {
    detailsButton: 'Show details',
    showAll: 'Show all',
    headline: (
      count: number,
      target: number,
      expected: number,
      unit: UnitForms,
      window: 'year' | 'period' | 'final',
    ) =>
      window === 'final'
        ? `${formatNumber(count, 'en')} of ${formatNumber(Math.round(target * 10) / 10, 'en')} ${unit.unit} (final outcome)`
        : `${formatNumber(count, 'en')} of ${formatNumber(Math.round(target * 10) / 10, 'en')} ${unit.unit} ${window === 'year' ? 'this year' : 'in the period'} (${formatNumber(Math.round(expected * 10) / 10, 'en')} expected)`,
    countedYear: (quantities: string[], finalYear?: number) =>
      `${quantities.join(', ')} ${finalYear === undefined ? 'this year' : `in ${finalYear}`}`,
    setByCoordinator: 'set by a coordinator',
    moreActivities: (n: number) => `+ ${formatNumber(n, 'en')} more ${n === 1 ? 'activity' : 'activities'}`,
    dataUpTo: (week: number, year: number) => `According to reports up to week ${week} ${year}.`,
    noData: 'No reports yet.',
    thisYear: (year: number) => `This year (${year})`,
    thisTertial: (n: number) => `Tertial ${n}`,
    thisWeek: (week: number) => `Week ${week}`,
    period: 'Whole period',
    ofTarget: (count: number, target: number, expected: number) =>
      `${formatNumber(count, 'en')} of ${formatNumber(target, 'en')} (expected so far ${formatNumber(Math.round(expected * 10) / 10, 'en')})`,
    trend: 'Trend last 4 weeks',
    finalOutcome: 'Final outcome',
    chartTitle: 'Outcome and expected so far this year',
    outcome: 'outcome',
    expected: 'expected',
    override: (level: string, reason: string, date: string) => `Set to ${level} by a coordinator on ${date}: ${reason}`,
  },
  answers: answersEn,
  /** A count in the locale's form: "1 000", "0,8". */
  number: (n: number): string => formatNumber(n, 'en'),
  /** A count with its unit in the right number: "1 kontroll", "2 kontroller". */
  quantity: (n: number, unit: UnitForms): string => formatQuantity(n, unit, 'en'),
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

  report: {
    title: 'Weekly report',
    editTitle: 'Edit report',
    intro: (municipality: string) => `Report what you did for the citizen promise in ${municipality}.`,
    week: 'Week',
    weekChoice: (week: number, year: number, from: string, to: string) => `week ${week} ${year} (${from}–${to})`,
    activity: 'Activity',
    activityChoice: (pledge: number, wording: string, unit: string) =>
      `Promise ${pledge} · ${wording} (number of ${unit})`,
    otherChoice: (pledge: number) => `Promise ${pledge} · Other (work outside the activity list)`,
    count: 'How many',
    countPlaceholder: 'Number, e.g. 3',
    date: 'Date',
    area: 'Area',
    description: 'What was done',
    descriptionPlaceholder: 'Short description: what, how many and where. No names.',
    ageBands: 'Number of people by age group (for activities about young people, optional)',
    youthActivities: (names: string[]) => `Applies to: ${names.join('; ')} and Other.`,
    allTitle: 'All reports',
    allEmpty: 'No reports in the last two weeks.',
    allForbidden: 'Only coordinators can see and change everyone’s reports. Type mina rapporter to see your own.',
    under18: 'Under 18',
    from18to21: '18–21',
    over21: 'Over 21',
    raise: 'Raise at the next meeting',
    party: 'Reporting for',
    submit: 'Send',
    save: 'Save',
    errorSummary: 'The report was not saved. Correct what is marked below; what you typed is still there.',
    errors: {
      week: {
        required: 'Choose a week.',
        invalid: 'Choose a week from the list.',
        futureWeek: 'You cannot report for a future week.',
        tooOld: 'That week is too far back to report.',
      },
      activityId: { required: 'Choose an activity.', invalid: 'Choose an activity from the list.' },
      count: {
        required: 'Fill in how many.',
        notWholeNumber: 'How many must be a whole number from 0.',
        tooLarge: 'The number is unreasonably large. Check it.',
      },
      date: {
        required: 'Fill in the date.',
        invalid: 'The date is not valid.',
        futureDate: 'The date is in the future.',
        notInWeek: 'The date must be in the chosen week.',
        outsidePeriod: 'The date is outside the period of the citizen promise.',
      },
      area: { required: 'Choose an area.', invalid: 'Choose an area from the list.' },
      description: { tooLong: (max: number) => `The text may be at most ${formatNumber(max, 'en')} characters.` },
      ageBands: {
        notWholeNumber: 'Age groups must be whole numbers from 0.',
        tooLarge: 'The numbers are unreasonably large.',
        notYouthActivity:
          'Age groups are only filled in for activities about young people. Clear the fields or choose such an activity.',
      },
      subcounts: {
        notWholeNumber: 'The sub-categories must be whole numbers from 0.',
        moreThanCount: 'A sub-category cannot be more than How many.',
        noSubcategories:
          'The chosen activity does not have those sub-categories. Empty the fields or choose the right activity.',
      },
      party: {
        required: 'Choose whether you report for the Police or the municipality.',
        invalid: 'Choose Polisen or Kommunen.',
      },
    },
    personalData: (kinds: string[]) =>
      `The text contains something that looks like ${kinds.join(' or ')}. Rewrite it without details about individuals — only counts and places. Reports must never contain personal data.`,
    kindNames: {
      personnummer: 'a personal identity number',
      samordningsnummer: 'a coordination number',
      registreringsnummer: 'a vehicle registration number',
      telefonnummer: 'a phone number',
      epost: 'an e-mail address',
      diarienummer: 'a case number',
    } as Record<string, string>,
    saved: 'The report is saved',
    updated: 'The report is changed',
    alreadySaved: 'The report was already saved — it was not saved twice.',
    withdrawn: 'The report is withdrawn. It stays in the history but no longer counts.',
    editButton: 'Edit',
    newButton: 'New report',
    withdrawButton: 'Withdraw',
    noAgreement: (end?: string) =>
      end
        ? `No citizen promise is in force now: the latest one was valid until ${formatLocalDate(end, 'en')}. The report has not been saved. A coordinator adds the next period by writing ny period.`
        : 'No citizen promise is in force now. A coordinator needs to add one.',
    tryDemo:
      'Just trying the bot? Run npm run playground:demo: demo data, a clock inside the citizen promise period, and you are a coordinator.',
    forbidden: 'You can only change your own reports of recent weeks. A coordinator can change all reports.',
    notFound: 'The report no longer exists (it may have been withdrawn).',
    mine: 'My reports',
    mineEmpty: 'You have no reports in recent weeks. Type report to file one.',
    mineLine: (week: number, quantity: string, area: string) => `w. ${week} · ${quantity} · ${area}`,
    raised: 'Raise at the next meeting',
    yes: 'Yes',
    no: 'No',
    otherActivity: 'Other',
    launcherText: 'Press Report to fill in your own weekly report. The form and the receipt are shown only to you.',
    receiptSentPrivately: 'The receipt is shown only to you.',
  },

  unknown: {
    examples: [
      'status',
      'report',
      'how is traffic going?',
      'how many traffic checks this year?',
      'what did the police do last week?',
      'summarise tertial 2',
      'have we reached the target?',
      'what is behind?',
      'what should we raise at the next meeting?',
      'help',
    ],
  },

  errors: {
    generic: 'Something went wrong on my side. Please try again in a moment.',
    notStored:
      'I could not save this just now: the bot cannot write its data files (the disk is full or read-only). Nothing of what you sent was saved. Please try again later; whoever runs the bot sees the error in the log.',
    noIdentity:
      'I cannot tell who you are (Teams sent no user id), so I can only show the help. Type help, or use the bot in Teams.',
    tooLong: (max: number) =>
      `The message is too long for me to read as a command or a question (at most ${formatNumber(max, 'en')} characters). Nothing was changed: write it shorter.`,
    unknownAction: 'I do not recognise this button. It may come from an older card: type help to start again.',
  },
};
