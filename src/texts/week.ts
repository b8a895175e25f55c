import { formatLocalDate, formatNumber } from './format.js';

/**
 * A reporter's week on one card (issue #16): rows, "inget att rapportera", "samma som förra
 * veckan", the weekly reminder's buttons and its snooze. Kept apart from sv.ts so other work on
 * the texts merges cleanly.
 */

const svWeekdays = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'];
const enWeekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const weekdayOf = (date: string, names: string[]) => names[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;

export const weekSv = {
  intro: (municipality: string) =>
    `Rapportera veckans arbete för medborgarlöftet i ${municipality}: en rad per aktivitet. Tomma rader hoppas över.`,
  row: (n: number) => `Rad ${n}`,
  note: 'Kort notering (valfritt)',
  notePlaceholder: 'Vad och var, utan namn',
  more: 'Åldrar och möte',
  moreWithSubcounts: 'Åldrar, varav och möte',
  subcountsOf: (activity: string) => `Varav, om raden gäller ${activity}:`,
  addRow: 'Lägg till rad',
  maxRows: (max: number) =>
    `Kortet rymmer högst ${formatNumber(max)} rader. Skicka de här och lämna en ny rapport för resten.`,
  nothingButton: 'Inget att rapportera',
  sameButton: 'Samma som förra veckan',
  rowErrors: (rows: number[]) =>
    rows.length === 1 ? `Rad ${rows[0]} behöver rättas.` : `Raderna ${rows.join(', ')} behöver rättas.`,
  cardPersonalData:
    'Raderna tillsammans innehåller något som ser ut som en personuppgift (till exempel ett födelsedatum på en rad och fyra siffror på en annan). Skriv om utan uppgifter om enskilda personer.',
  empty:
    'Du har inte fyllt i någon rad, så inget sparades. Välj aktivitet, hur många och område på minst en rad, eller tryck på Inget att rapportera om du inte har något den här veckan.',
  sameFilled: (week: number) =>
    `Ifyllt från din rapport för vecka ${week}. Ändra det som skiljer sig och tryck Skicka.`,
  sameNone: (week: number) =>
    `Du har inga rapporter för vecka ${week} att utgå från. Fyll i raderna, eller tryck Inget att rapportera.`,
  savedRows: (n: number) => (n === 1 ? 'Rapporten är sparad' : `Rapporten är sparad: ${formatNumber(n)} rader`),
  receiptRow: (what: string, quantity: string, area: string) => `${what}: ${quantity} · ${area}`,
  raisedMark: 'tas upp på nästa möte',
  nothingSaved: (week: number, year: number) =>
    `Sparat: inget att rapportera vecka ${week} ${year}. Du räknas som rapporterad för veckan och inga påminnelser kommer för den.`,
  nothingAlready: 'Det var redan sparat — inget sparades en gång till.',
  nothingLine: 'Inget att rapportera',
  nothingWithdrawn: 'Återkallat: veckan räknas inte längre som rapporterad.',
  myReportsButton: 'Mina rapporter',
  /** The weekly reminder (1:1). */
  reminderTitle: (week: number) => `Veckorapport för vecka ${week}`,
  reminderText:
    'Fyll i hela veckan på ett kort, eller tryck Inget att rapportera om du inte har något. Passar det inte nu kan jag påminna dig igen.',
  reminderChannelText:
    'Tryck på Rapportera för din egen veckorapport (bara du ser den), eller Inget att rapportera om du inte har något den här veckan.',
  reportButton: 'Rapportera',
  snoozeTomorrow: 'Påminn mig i morgon',
  snooze15: 'Påminn mig kl. 15',
  snoozed: (date: string, time: string, today: boolean, tomorrow: boolean) =>
    `Jag påminner dig ${today ? 'i dag' : tomorrow ? 'i morgon' : weekdayOf(date, svWeekdays)} ${formatLocalDate(date)} kl. ${time.replace(':', '.')} om veckorapporten — om du inte har rapporterat innan dess.`,
  snoozedLate: 'Klockan är redan över 15, så påminnelsen kommer i morgon kl. 15.00 i stället.',
  snoozeNotRegistered:
    'Jag påminner bara anmälda rapportörer. Skriv anmäl mig så får du veckans påminnelser, och kan skjuta upp dem.',
  snoozeAlreadyReported: (week: number) =>
    `Du har redan rapporterat för vecka ${week}, så det behövs ingen påminnelse.`,
};

export const weekEn: typeof weekSv = {
  intro: (municipality: string) =>
    `Report the week's work for the citizen promise in ${municipality}: one row per activity. Empty rows are skipped.`,
  row: (n: number) => `Row ${n}`,
  note: 'Short note (optional)',
  notePlaceholder: 'What and where, no names',
  more: 'Ages and meeting',
  moreWithSubcounts: 'Ages, of which and meeting',
  subcountsOf: (activity: string) => `Of which, if the row is ${activity}:`,
  addRow: 'Add row',
  maxRows: (max: number) =>
    `The card holds at most ${formatNumber(max, 'en')} rows. Send these and file a new report for the rest.`,
  nothingButton: 'Nothing to report',
  sameButton: 'Same as last week',
  rowErrors: (rows: number[]) =>
    rows.length === 1 ? `Row ${rows[0]} needs correcting.` : `Rows ${rows.join(', ')} need correcting.`,
  cardPersonalData:
    'The rows together hold something that looks like personal data (for example a birth date in one row and four digits in another). Rewrite them without details about individuals.',
  empty:
    'You have not filled in any row, so nothing was saved. Choose an activity, how many and an area on at least one row, or press Nothing to report if you have nothing this week.',
  sameFilled: (week: number) => `Filled in from your report for week ${week}. Change what differs and press Send.`,
  sameNone: (week: number) =>
    `You have no reports for week ${week} to start from. Fill in the rows, or press Nothing to report.`,
  savedRows: (n: number) => (n === 1 ? 'The report is saved' : `The report is saved: ${formatNumber(n, 'en')} rows`),
  receiptRow: (what: string, quantity: string, area: string) => `${what}: ${quantity} · ${area}`,
  raisedMark: 'raise at the next meeting',
  nothingSaved: (week: number, year: number) =>
    `Saved: nothing to report for week ${week} ${year}. You count as reported for the week and get no reminders for it.`,
  nothingAlready: 'That was saved already — nothing was saved twice.',
  nothingLine: 'Nothing to report',
  nothingWithdrawn: 'Withdrawn: the week no longer counts as reported.',
  myReportsButton: 'My reports',
  reminderTitle: (week: number) => `Weekly report for week ${week}`,
  reminderText:
    'Fill in the whole week on one card, or press Nothing to report if you have nothing. If now is not a good time, I can remind you again.',
  reminderChannelText:
    'Press Report for your own weekly report (only you see it), or Nothing to report if you have nothing this week.',
  reportButton: 'Report',
  snoozeTomorrow: 'Remind me tomorrow',
  snooze15: 'Remind me at 15:00',
  snoozed: (date: string, time: string, today: boolean, tomorrow: boolean) =>
    `I will remind you ${today ? 'today' : tomorrow ? 'tomorrow' : weekdayOf(date, enWeekdays)} ${formatLocalDate(date, 'en')} at ${time} about the weekly report — unless you have reported by then.`,
  snoozedLate: 'It is already past 15:00, so the reminder comes tomorrow at 15:00 instead.',
  snoozeNotRegistered:
    'I only remind registered reporters. Write register me to get the weekly reminders, and to put them off.',
  snoozeAlreadyReported: (week: number) => `You have already reported for week ${week}, so no reminder is needed.`,
};
