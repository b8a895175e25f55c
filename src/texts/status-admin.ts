import type { ReportingParty } from '../domain/party.js';
import { formatLocalDate, formatNumber, formatShortDate } from './format.js';

/** Coordinators: status set by hand, activities and targets, reporting rate. */

const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;
/** "11–17 mars"; across months "26 februari–3 mars". */
function dayRange(from: string, to: string, locale: 'sv' | 'en'): string {
  if (from.slice(0, 7) === to.slice(0, 7)) return `${Number(from.slice(8))}–${formatShortDate(to, locale)}`;
  return `${formatShortDate(from, locale)}–${formatShortDate(to, locale)}`;
}
const pluralEn = (n: number, one: string, many: string) => `${formatNumber(n, 'en')} ${n === 1 ? one : many}`;

export const statusAdminSv = {
  forbidden: 'Det här kan bara samordnare göra: kommunpolis eller säkerhetssamordnare.',
  aCoordinator: 'en samordnare',
  pledge: (n: number) => `Löfte ${n}`,
  /** How a subject is written in a command: "löfte 2", "trafikkontroller". */
  pledgeCommandWord: (n: number) => `löfte ${n}`,
  when: (date: string, time: string) => `${formatLocalDate(date)} kl. ${time.replace(':', '.')}`,

  // Overrides on the status card
  overrideBy: (level: string, who: string, when: string) => `Satt till ${level} av ${who}, ${when}.`,
  computed: (level: string) => `Beräknad status: ${level}.`,
  reasonLabel: 'Skäl: ',

  // Setting a status
  overrideTitle: 'Sätt status',
  overrideFormat: 'Skriv: sätt status <löfte eller aktivitet> <i fas, risk, efter eller uppnått>: <skäl>',
  overrideExamples: [
    'sätt status löfte 2 risk: polisen har haft färre resurser i sommar',
    'sätt status trafikkontroller efter: två kontroller ställdes in i juni',
  ],
  examplesLabel: 'Till exempel:',
  youWrote: 'Du skrev: ',
  orUseForm: 'Eller fyll i här:',
  notSaved: 'Statusen sparades inte.',
  overrideProblems: {
    subject:
      'Jag hittade inget löfte eller ingen aktivitet. Skriv löftets nummer (löfte 2) eller aktivitetens namn (trafikkontroller).',
    level: 'Jag hittade ingen status. Skriv i fas, risk, efter eller uppnått.',
    reason: 'Skriv ett skäl efter kolon, så att alla förstår varför statusen är satt.',
    reasonTooLong: (max: number) => `Skälet får vara högst ${formatNumber(max)} tecken.`,
  },
  personalData: (kinds: string[]) =>
    `Skälet innehåller något som ser ut som ${kinds.join(' eller ')}. Skriv om utan uppgifter om enskilda personer.`,
  subjectsLabel: (pledges: string, activities: string) => `Löften: ${pledges}. Aktiviteter: ${activities}.`,
  fieldSubject: 'Löfte eller aktivitet',
  fieldLevel: 'Status',
  fieldReason: 'Skäl',
  reasonPlaceholder: 'Varför? Till exempel: polisen har haft färre resurser i sommar.',
  save: 'Spara',
  choosePledge: (n: number, wording: string) => `Löfte ${n} · ${wording}`,
  chooseActivity: (n: number, wording: string) => `Löfte ${n} · ${wording}`,
  overrideSaved: (subject: string, level: string) => `${subject} är satt till ${level}`,
  overrideSavedNote:
    'Siffrorna på statuskortet räknas fortfarande fram ur rapporterna; den satta statusen visas bredvid, med skälet.',
  howToClear: (command: string) => `Skriv ta bort status ${command} för att gå tillbaka till den beräknade statusen.`,
  clearButton: 'Ta bort satt status',
  showPledgeButton: (n: number) => `Visa löfte ${n}`,

  // Clearing
  clearTitle: 'Ta bort satt status',
  clearFormat:
    'Skriv: ta bort status <löfte eller aktivitet>, till exempel ta bort status löfte 2 eller ta bort status trafikkontroller.',
  cleared: (subject: string) => `Den satta statusen för ${subject} är borttagen`,
  clearedNote:
    'Statusen räknas nu fram ur rapporterna igen. Det borttagna finns kvar i historiken, med vem som tog bort det och när.',
  clearNone: (subject: string) => `${subject} har ingen satt status. Statusen räknas fram ur rapporterna.`,

  // Activities
  activitiesTitle: 'Aktiviteter i medborgarlöftet',
  activityFacts: { id: 'Id', owner: 'Ägare', target: 'Mål', unit: 'Enhet', youth: 'Frågar om åldersgrupper' },
  yes: 'Ja',
  no: 'Nej',
  howToChange: 'Så ändrar du (samordnare):',
  changeExamples: [
    'sätt mål trafikkontroller 35 per år',
    'ny aktivitet löfte 2: Trygghetsvandringar, enhet vandringar, mål 10 per år, ägare Kommunen',
    'ändra aktivitet krogkontroller: ägare Båda, enhet kontroller',
  ],
  activityTitles: { setTarget: 'Sätt mål', add: 'Ny aktivitet', edit: 'Ändra aktivitet' } as Record<
    'setTarget' | 'add' | 'edit',
    string
  >,
  activityFormats: {
    setTarget: 'Skriv: sätt mål <aktivitet> <antal> per år (eller under perioden, eller inget).',
    add: 'Skriv: ny aktivitet löfte <nummer>: <namn>, enhet <vad som räknas>, mål <antal> per år, ägare <Polisen, Kommunen eller Båda>. Enhet och mål kan utelämnas. Enheten kan skrivas i ental/flertal: enhet vandring/vandringar.',
    edit: 'Skriv: ändra aktivitet <aktivitet>: och det som ska ändras, till exempel text <nytt namn>, enhet <…>, mål <antal> per år, ägare <…>, unga ja.',
  } as Record<'setTarget' | 'add' | 'edit', string>,
  activityExamples: {
    setTarget: [
      'sätt mål trafikkontroller 35 per år',
      'sätt mål krogkontroller 20 under perioden',
      'sätt mål krogkontroller inget',
    ],
    add: ['ny aktivitet löfte 2: Trygghetsvandringar, enhet vandringar, mål 10 per år, ägare Kommunen'],
    edit: [
      'ändra aktivitet krogkontroller: ägare Båda, enhet kontroller',
      'ändra aktivitet trafikkontroller: text Trafikkontroller i hela kommunen',
    ],
  } as Record<'setTarget' | 'add' | 'edit', string[]>,
  activityNotSaved: 'Ändringen sparades inte.',
  activityProblems: {
    activity: 'Jag hittade ingen aktivitet med det namnet. Skriv aktiviteter för att se namnen och id:n.',
    target: 'Skriv målet som ett antal och en tid: 35 per år, 10 under perioden, eller inget.',
    pledge: (numbers: string) => `Skriv vilket löfte aktiviteten hör till: löfte ${numbers}.`,
    owner: 'Skriv vem som ansvarar för aktiviteten: ägare Polisen, Kommunen eller Båda.',
    wording: 'Skriv vad aktiviteten heter, direkt efter kolon.',
    duplicate: 'Det finns redan en sådan aktivitet under det löftet.',
    nothingToChange: 'Skriv vad som ska ändras: text, enhet, mål, ägare eller unga.',
    unknownPart: 'Det här förstod jag inte: ',
    markup: 'Namn och enhet får inte innehålla tecknen [ ] < > * _ ~ ` eller \\.',
    tooLong: 'Namnet får vara högst 300 tecken och enheten högst 40.',
    personalData: (kinds: string[]) =>
      `Texten innehåller något som ser ut som ${kinds.join(' eller ')}. Skriv om utan uppgifter om enskilda personer.`,
  },
  invalidValue: 'har ett värde som inte går att spara',
  fieldNames: {
    wording: 'namn',
    unit: 'enhet',
    owner: 'ägare',
    target: 'mål',
    count: 'antal',
    pledgeNumber: 'löfte',
    id: 'id',
    youthFocus: 'unga',
  } as Record<string, string>,
  schemaError: (field: string, message: string) => `Fältet ${field} ${message}.`,
  targetSaved: (wording: string) => `Målet för ${wording} är ändrat`,
  activityAdded: (wording: string, pledge: number) => `${wording} är tillagd i löfte ${pledge}`,
  activityChanged: (wording: string) => `${wording} är ändrad`,
  previousTarget: 'Tidigare mål',
  newTarget: 'Nytt mål',
  savedNote:
    'Ändringen syns direkt på statuskortet och på rapportkortet. Rapporter som redan finns räknas mot det nya målet.',

  // Reporting rate
  rateTitle: 'Rapporteringsgrad',
  rateIntro: 'De senaste fyra veckorna, per part. Räknar rapporter och rapportörer, inte antalen i rapporterna.',
  rateWeek: (week: number, year: number, from: string, to: string, current: boolean) =>
    `Vecka ${week} ${year} (${dayRange(from, to, 'sv')})${current ? ' – pågår' : ''}`,
  rateValue: (reporters: number, reports: number) =>
    `${plural(reporters, 'rapportör', 'rapportörer')}, ${plural(reports, 'rapport', 'rapporter')}`,
  rateShare: (reported: number, registered: number) =>
    ` · ${formatNumber(reported)} av ${formatNumber(registered)} anmälda (${formatNumber(Math.round((100 * reported) / registered))} %)`,
  rateNoRegistered:
    'Inga rapportörer har anmält sig ännu, så andelen av de anmälda kan inte räknas. Rapportörer anmäler sig genom att skriva anmäl mig.',
  party: { Polisen: 'Polisen', Kommunen: 'Kommunen' } as Record<ReportingParty, string>,
};

export const statusAdminEn: typeof statusAdminSv = {
  forbidden: 'Only coordinators can do this: kommunpolis or säkerhetssamordnare.',
  aCoordinator: 'a coordinator',
  pledge: (n: number) => `Promise ${n}`,
  pledgeCommandWord: (n: number) => `löfte ${n}`,
  when: (date: string, time: string) => `${formatLocalDate(date, 'en')} at ${time}`,

  overrideBy: (level: string, who: string, when: string) => `Set to ${level} by ${who}, ${when}.`,
  computed: (level: string) => `Computed status: ${level}.`,
  reasonLabel: 'Reason: ',

  overrideTitle: 'Set status',
  overrideFormat: 'Write: sätt status <promise or activity> <i fas, risk, efter or uppnått>: <reason>',
  overrideExamples: [
    'sätt status löfte 2 risk: the police had fewer resources this summer',
    'sätt status trafikkontroller efter: two checks were cancelled in June',
  ],
  examplesLabel: 'For example:',
  youWrote: 'You wrote: ',
  orUseForm: 'Or fill in here:',
  notSaved: 'The status was not saved.',
  overrideProblems: {
    subject:
      'I found no promise or activity. Write the promise number (löfte 2) or the activity name (trafikkontroller).',
    level: 'I found no status. Write i fas (on track), risk, efter (behind) or uppnått (achieved).',
    reason: 'Write a reason after a colon, so that everyone understands why the status was set.',
    reasonTooLong: (max: number) => `The reason may be at most ${formatNumber(max, 'en')} characters.`,
  },
  personalData: (kinds: string[]) =>
    `The reason contains something that looks like ${kinds.join(' or ')}. Rewrite it without details about individuals.`,
  subjectsLabel: (pledges: string, activities: string) => `Promises: ${pledges}. Activities: ${activities}.`,
  fieldSubject: 'Promise or activity',
  fieldLevel: 'Status',
  fieldReason: 'Reason',
  reasonPlaceholder: 'Why? For example: the police had fewer resources this summer.',
  save: 'Save',
  choosePledge: (n: number, wording: string) => `Promise ${n} · ${wording}`,
  chooseActivity: (n: number, wording: string) => `Promise ${n} · ${wording}`,
  overrideSaved: (subject: string, level: string) => `${subject} is set to ${level}`,
  overrideSavedNote:
    'The figures on the status card are still computed from the reports; the status you set is shown next to them, with the reason.',
  howToClear: (command: string) => `Write ta bort status ${command} to go back to the computed status.`,
  clearButton: 'Remove set status',
  showPledgeButton: (n: number) => `Show promise ${n}`,

  clearTitle: 'Remove a set status',
  clearFormat:
    'Write: ta bort status <promise or activity>, for example ta bort status löfte 2 or ta bort status trafikkontroller.',
  cleared: (subject: string) => `The status set for ${subject} is removed`,
  clearedNote:
    'The status is computed from the reports again. The removed one stays in the history, with who removed it and when.',
  clearNone: (subject: string) => `${subject} has no status set by hand. Its status is computed from the reports.`,

  activitiesTitle: 'Activities of the citizen promise',
  activityFacts: { id: 'Id', owner: 'Owner', target: 'Target', unit: 'Unit', youth: 'Asks for age bands' },
  yes: 'Yes',
  no: 'No',
  howToChange: 'How to change (coordinators):',
  changeExamples: statusAdminSv.changeExamples,
  activityTitles: { setTarget: 'Set target', add: 'New activity', edit: 'Edit activity' },
  activityFormats: {
    setTarget: 'Write: sätt mål <activity> <number> per år (or under perioden, or inget).',
    add: 'Write: ny aktivitet löfte <number>: <name>, enhet <what is counted>, mål <number> per år, ägare <Polisen, Kommunen or Båda>. Unit and target may be left out. The unit can be written singular/plural: enhet vandring/vandringar.',
    edit: 'Write: ändra aktivitet <activity>: and what to change, for example text <new name>, enhet <…>, mål <number> per år, ägare <…>, unga ja.',
  },
  activityExamples: statusAdminSv.activityExamples,
  activityNotSaved: 'The change was not saved.',
  activityProblems: {
    activity: 'I found no activity by that name. Write aktiviteter to see the names and ids.',
    target: 'Write the target as a number and a time: 35 per år, 10 under perioden, or inget.',
    pledge: (numbers: string) => `Write which promise the activity belongs to: löfte ${numbers}.`,
    owner: 'Write who owns the activity: ägare Polisen, Kommunen or Båda.',
    wording: 'Write the name of the activity right after the colon.',
    duplicate: 'Such an activity already exists under that promise.',
    nothingToChange: 'Write what to change: text, enhet, mål, ägare or unga.',
    unknownPart: 'I did not understand this: ',
    markup: 'Name and unit may not contain the characters [ ] < > * _ ~ ` or \\.',
    tooLong: 'The name may be at most 300 characters and the unit at most 40.',
    personalData: (kinds: string[]) =>
      `The text contains something that looks like ${kinds.join(' or ')}. Rewrite it without details about individuals.`,
  },
  invalidValue: 'has a value that cannot be saved',
  fieldNames: {
    wording: 'name',
    unit: 'unit',
    owner: 'owner',
    target: 'target',
    count: 'number',
    pledgeNumber: 'promise',
    id: 'id',
    youthFocus: 'youth',
  },
  schemaError: (field: string, message: string) => `The field ${field}: ${message}.`,
  targetSaved: (wording: string) => `The target of ${wording} is changed`,
  activityAdded: (wording: string, pledge: number) => `${wording} is added to promise ${pledge}`,
  activityChanged: (wording: string) => `${wording} is changed`,
  previousTarget: 'Previous target',
  newTarget: 'New target',
  savedNote:
    'The change shows at once on the status card and the report card. Existing reports count towards the new target.',

  rateTitle: 'Reporting rate',
  rateIntro: 'The last four weeks, per party. Counts reports and reporters, not the numbers in the reports.',
  rateWeek: (week: number, year: number, from: string, to: string, current: boolean) =>
    `Week ${week} ${year} (${dayRange(from, to, 'en')})${current ? ' – in progress' : ''}`,
  rateValue: (reporters: number, reports: number) =>
    `${pluralEn(reporters, 'reporter', 'reporters')}, ${pluralEn(reports, 'report', 'reports')}`,
  rateShare: (reported: number, registered: number) =>
    ` · ${formatNumber(reported, 'en')} of ${formatNumber(registered, 'en')} registered (${formatNumber(Math.round((100 * reported) / registered), 'en')} %)`,
  rateNoRegistered:
    'No reporters have registered yet, so the share of registered reporters cannot be computed. Reporters register by writing anmäl mig.',
  party: { Polisen: 'Police', Kommunen: 'Municipality' },
};
