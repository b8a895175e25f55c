/** Texts of the answers to questions in chat (sv and en). Every answer names its scope. */
import { enMonths, formatLocalDate, formatNumber, formatShortDate, svMonths } from './format.js';

type WindowLike =
  | { kind: 'week'; week: string }
  | { kind: 'month'; month: string }
  | { kind: 'tertial'; tertial: string }
  | { kind: 'year'; year: number }
  | { kind: 'range'; from: string; to: string }
  | { kind: 'period' };

function windowSv(w: WindowLike, period?: string): string {
  switch (w.kind) {
    case 'week':
      return `vecka ${Number(w.week.slice(6))} ${w.week.slice(0, 4)}`;
    case 'month':
      return `${svMonths[Number(w.month.slice(5, 7)) - 1]} ${w.month.slice(0, 4)}`;
    case 'tertial':
      return `tertial ${w.tertial.slice(6)} ${w.tertial.slice(0, 4)}`;
    case 'year':
      return `år ${w.year}`;
    case 'range':
      return `${formatShortDate(w.from)} ${w.from.slice(0, 4) === w.to.slice(0, 4) ? '' : `${w.from.slice(0, 4)} `}– ${formatLocalDate(w.to)}`.replace(
        '  ',
        ' ',
      );
    case 'period':
      return period ? `hela perioden ${period}` : 'hela perioden';
  }
}

function windowEn(w: WindowLike, period?: string): string {
  switch (w.kind) {
    case 'week':
      return `week ${Number(w.week.slice(6))} ${w.week.slice(0, 4)}`;
    case 'month':
      return `${enMonths[Number(w.month.slice(5, 7)) - 1]} ${w.month.slice(0, 4)}`;
    case 'tertial':
      return `tertial ${w.tertial.slice(6)} ${w.tertial.slice(0, 4)}`;
    case 'year':
      return `${w.year}`;
    case 'range':
      return `${formatShortDate(w.from, 'en')} ${w.from.slice(0, 4) === w.to.slice(0, 4) ? '' : `${w.from.slice(0, 4)} `}– ${formatLocalDate(w.to, 'en')}`.replace(
        '  ',
        ' ',
      );
    case 'period':
      return period ? `the whole period ${period}` : 'the whole period';
  }
}

const svNum = (n: number): string => formatNumber(Math.round(n * 10) / 10);
const enNum = (n: number): string => formatNumber(Math.round(n * 10) / 10, 'en');

export const answersSv = {
  window: windowSv,
  /** The scope line: what · when · who · where · age, parts left out when not asked. */
  scope: (parts: (string | undefined)[]): string => parts.filter((p) => p !== undefined && p !== '').join(' · '),
  ageBand: (band: string): string =>
    ({ under18: 'under 18 år', from18to21: '18–21 år', over21: 'över 21 år' })[band] ?? band,
  ageBandPeople: { unit: 'personer', unitSingular: 'person' },
  countTitle: (what: string, window: string) => `${what}, ${window}`,
  total: (n: number) => `Totalt: ${formatNumber(n)}`,
  allActivities: 'Alla aktiviteter',
  periodNote: (period: string) => `Medborgarlöftet ${period}.`,
  recentTitle: (where: string) => `Senast rapporterat${where ? ` – ${where}` : ''}`,
  recentNone: 'Inga rapporter hittades för det du frågade om.',
  summaryTitle: 'Sammanfattning',
  summaryReports: (n: number) => `${formatNumber(n)} ${n === 1 ? 'rapport' : 'rapporter'}`,
  summaryLatest: 'Senaste rapporterna',
  summaryNone: 'Inga rapporter i den perioden.',
  perArea: 'per område',
  perParty: 'per part',
  perAgeBand: 'per åldersgrupp',
  goalTitle: 'Mål och utfall',
  goalNone: 'Inga av de aktiviteter du frågade om har ett mål i medborgarlöftet.',
  goalWindow: (kind: 'year' | 'period', from: string, to: string) =>
    kind === 'year' ? `år ${from.slice(0, 4)}` : `perioden ${from.slice(0, 4)}–${to.slice(0, 4)}`,
  goalLine: (count: string, target: number, reached: boolean, over = false) =>
    `${reached ? (over ? 'Ja, målet nåddes' : 'Ja, målet är nått') : over ? 'Nej, målet nåddes inte' : 'Nej, inte ännu'}: ${count} av ${svNum(target)}.`,
  goalRemaining: (remaining: number, weeks: number, perWeek: number | undefined) =>
    `${formatNumber(remaining)} till behövs` +
    (perWeek !== undefined
      ? ` — ${svNum(perWeek)} i veckan de ${svNum(weeks)} veckor som är kvar (i dag inräknad).`
      : '.'),
  goalExpected: (expected: number) => `Väntat hittills: ${svNum(expected)}.`,
  reportsTitle: 'Rapporter och rapportörer',
  reportsLine: (reports: number, reporters: number) =>
    `${formatNumber(reports)} ${reports === 1 ? 'rapport' : 'rapporter'} från ${formatNumber(reporters)} ${reporters === 1 ? 'rapportör' : 'rapportörer'}`,
  compareTitle: 'Jämförelse',
  compareLine: (now: string, before: string, a: number, b: number) =>
    `${now}: ${formatNumber(a)} · ${before}: ${formatNumber(b)} (${a - b >= 0 ? '+' : '−'}${formatNumber(Math.abs(a - b))})`,
  behindTitle: 'Aktiviteter i Risk eller Efter',
  behindNone: 'Ingen aktivitet med mål ligger efter eller är i Risk just nu.',
  missingTitle: (week: number, year: number) => `Ej rapporterat vecka ${week} ${year}`,
  missingLine: (polisen: number, kommunen: number, basis: 'registered' | 'recent', thisWeek = true) => {
    const when = thisWeek ? 'denna vecka' : 'den veckan';
    return `Polisen: ${polisen} · Kommunen: ${kommunen} (${basis === 'registered' ? `anmälda rapportörer som inte var borta och inte har rapporterat ${when}${thisWeek ? '; skriv rapportörer för att se vilka' : ''}` : `ingen har anmält sig som rapportör än: räknat på dem som rapporterat de 8 veckorna före men inte ${when}`})`;
  },
  missingNames: (party: string, names: string[]) => `${party}: ${names.join(', ')}`,
  missingForbidden: 'Det är bara samordnare som kan se vilka som inte har rapporterat.',
  nextMeetingNone:
    'Inga uppföljningsmöten är inlagda ännu. En samordnare kan lägga in möten när påminnelser och möten finns i boten.',
  raiseTitle: 'Att ta upp på nästa möte',
  raiseSince: (date: string) =>
    `Rapporter markerade ”Ta upp på nästa möte” sedan ${formatLocalDate(date)}, nyast först.`,
  raiseAll: 'Rapporter markerade ”Ta upp på nästa möte”, nyast först.',
  raiseNone: 'Inga rapporter är markerade att tas upp.',
  raiseAgenda: 'Dagordning',
  raiseNoAgenda: 'Nästa möte har ingen dagordning inlagd.',
  targetsTitle: 'Målen i medborgarlöftet',
  outsidePeriod: (window: string, period: string) =>
    `${window[0]!.toUpperCase()}${window.slice(1)} ligger utanför medborgarlöftets period ${period}. Inga siffror att visa.`,
  future: (window: string) =>
    `${window[0]!.toUpperCase()}${window.slice(1)} har inte börjat än. Inga siffror att visa.`,
  examplesTitle: 'Det förstod jag inte riktigt. Du kan till exempel fråga:',
  notUnderstood: (words: string[]) =>
    `Det förstod jag inte: ${words.map((w) => `”${w}”`).join(', ')}. Jag ger ingen siffra för en annan fråga än den du ställde. Du kan till exempel fråga:`,
};

export const answersEn: typeof answersSv = {
  window: windowEn,
  scope: answersSv.scope,
  ageBand: (band: string): string =>
    ({ under18: 'under 18', from18to21: 'aged 18–21', over21: 'over 21' })[band] ?? band,
  ageBandPeople: { unit: 'people', unitSingular: 'person' },
  countTitle: (what: string, window: string) => `${what}, ${window}`,
  total: (n: number) => `Total: ${formatNumber(n, 'en')}`,
  allActivities: 'All activities',
  periodNote: (period: string) => `Citizen promise ${period}.`,
  recentTitle: (where: string) => `Latest reports${where ? ` – ${where}` : ''}`,
  recentNone: 'No reports were found for what you asked about.',
  summaryTitle: 'Summary',
  summaryReports: (n: number) => `${formatNumber(n, 'en')} ${n === 1 ? 'report' : 'reports'}`,
  summaryLatest: 'Latest reports',
  summaryNone: 'No reports in that time.',
  perArea: 'per area',
  perParty: 'per party',
  perAgeBand: 'per age band',
  goalTitle: 'Targets and outcome',
  goalNone: 'None of the activities you asked about has a target in the citizen promise.',
  goalWindow: (kind: 'year' | 'period', from: string, to: string) =>
    kind === 'year' ? from.slice(0, 4) : `the period ${from.slice(0, 4)}–${to.slice(0, 4)}`,
  goalLine: (count: string, target: number, reached: boolean, over = false) =>
    `${reached ? (over ? 'Yes, the target was reached' : 'Yes, the target is reached') : over ? 'No, the target was not reached' : 'No, not yet'}: ${count} of ${enNum(target)}.`,
  goalRemaining: (remaining: number, weeks: number, perWeek: number | undefined) =>
    `${formatNumber(remaining, 'en')} more needed` +
    (perWeek !== undefined ? ` — ${enNum(perWeek)} a week over the ${enNum(weeks)} weeks left (today included).` : '.'),
  goalExpected: (expected: number) => `Expected so far: ${enNum(expected)}.`,
  reportsTitle: 'Reports and reporters',
  reportsLine: (reports: number, reporters: number) =>
    `${formatNumber(reports, 'en')} ${reports === 1 ? 'report' : 'reports'} from ${formatNumber(reporters, 'en')} ${reporters === 1 ? 'reporter' : 'reporters'}`,
  compareTitle: 'Comparison',
  compareLine: (now: string, before: string, a: number, b: number) =>
    `${now}: ${formatNumber(a, 'en')} · ${before}: ${formatNumber(b, 'en')} (${a - b >= 0 ? '+' : '−'}${formatNumber(Math.abs(a - b), 'en')})`,
  behindTitle: 'Activities at risk or behind',
  behindNone: 'No activity with a target is behind or at risk right now.',
  missingTitle: (week: number, year: number) => `Not reported in week ${week} ${year}`,
  missingLine: (polisen: number, kommunen: number, basis: 'registered' | 'recent', thisWeek = true) => {
    const when = thisWeek ? 'this week' : 'that week';
    return `Police: ${polisen} · Municipality: ${kommunen} (${basis === 'registered' ? `registered reporters who were not away and have not reported ${when}${thisWeek ? '; type rapportörer to see who' : ''}` : `nobody has registered as a reporter yet: counted from those who reported in the 8 weeks before but not ${when}`})`;
  },
  missingNames: (party: string, names: string[]) => `${party}: ${names.join(', ')}`,
  missingForbidden: 'Only coordinators can see who has not reported.',
  nextMeetingNone: 'No follow-up meetings have been added yet.',
  raiseTitle: 'To raise at the next meeting',
  raiseSince: (date: string) =>
    `Reports marked “raise at the next meeting” since ${formatLocalDate(date, 'en')}, newest first.`,
  raiseAll: 'Reports marked “raise at the next meeting”, newest first.',
  raiseNone: 'No reports are marked to be raised.',
  raiseAgenda: 'Agenda',
  raiseNoAgenda: 'The next meeting has no agenda yet.',
  targetsTitle: 'The targets of the citizen promise',
  outsidePeriod: (window: string, period: string) =>
    `${window[0]!.toUpperCase()}${window.slice(1)} is outside the citizen promise's period ${period}. No figures to show.`,
  future: (window: string) => `${window[0]!.toUpperCase()}${window.slice(1)} has not started yet. No figures to show.`,
  examplesTitle: 'I did not quite understand that. You can for example ask:',
  notUnderstood: (words: string[]) =>
    `I did not understand: ${words.map((w) => `“${w}”`).join(', ')}. I give no figure for a different question than yours. You can for example ask:`,
};
