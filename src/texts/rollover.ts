import { formatLocalDate, formatNumber, formatRange } from './format.js';

/** Coordinators: rolling a medborgarlöfte over to its next period ("ny period"). */

const years = (from: string, to: string) => formatRange(from.slice(0, 4), to.slice(0, 4));

export const rolloverSv = {
  title: 'Ny period för medborgarlöftet',
  intro: (municipality: string, from: string, to: string) =>
    `Löftena och aktiviteterna i ${municipality} ${years(from, to)} (${formatLocalDate(from)} – ${formatLocalDate(to)}) kopieras till en ny period. Justera målen, ta bort det som inte ska vara med och spara. Den gamla perioden finns kvar med sina rapporter.`,
  later: (from: string, to: string) =>
    `Det finns redan en senare period: ${years(from, to)}, ${formatLocalDate(from)} – ${formatLocalDate(to)}.`,
  periodStart: 'Första dagen',
  periodEnd: 'Sista dagen',
  pledge: (n: number, wording: string) => `Löfte ${n} · ${wording}`,
  noActivities: 'Inga aktiviteter under det här löftet.',
  targetNow: (label: string) => `Nu: ${label}`,
  count: 'Mål (antal)',
  countPlaceholder: 'Till exempel 30',
  kind: 'Per',
  kindNames: { perYear: 'per år', perPeriod: 'under perioden', none: 'inget mål' } as Record<string, string>,
  drop: 'Ta inte med i den nya perioden',
  save: 'Spara ny period',
  cancel: 'Avbryt',
  cancelled: 'Ingen ny period sparades.',
  notSaved: 'Den nya perioden sparades inte. Rätta det som är markerat.',
  errors: {
    periodStart: {
      required: 'Välj första dagen i den nya perioden.',
      invalid: 'Skriv datumet som ÅÅÅÅ-MM-DD.',
    } as Record<string, string>,
    periodEnd: {
      required: 'Välj sista dagen i den nya perioden.',
      invalid: 'Skriv datumet som ÅÅÅÅ-MM-DD.',
      beforeStart: 'Sista dagen måste vara samma dag som eller efter den första.',
      past: 'Perioden har redan tagit slut. Välj en period som pågår eller ligger framåt i tiden.',
    } as Record<string, string>,
    tooLong: (maxYears: number) => `En period får vara högst ${formatNumber(maxYears)} år.`,
    overlap: (municipality: string, from: string, to: string) =>
      `Perioden överlappar ${municipality} ${years(from, to)} (${formatLocalDate(from)} – ${formatLocalDate(to)}). Perioder för samma kommun får inte överlappa.`,
    idExists: (id: string) =>
      `Det finns redan ett medborgarlöfte med id ${id}. Välj en annan period, eller ändra det som finns med npm run agreement -- import.`,
    kind: 'Välj per år, under perioden eller inget mål.',
    countRequired: 'Skriv målet som ett antal, eller välj inget mål.',
    count: (max: number) => `Målet ska vara ett heltal från 1 till ${formatNumber(max)}.`,
    agreement: 'Medborgarlöftet som ska kopieras klarar inte dagens kontroller:',
    field: (path: string, message: string) => `${path}: ${message}`,
  },
  notFound: 'Medborgarlöftet finns inte längre. Skriv ny period igen.',
  tooMany: (n: number, max: number) =>
    `Medborgarlöftet har ${formatNumber(n)} aktiviteter, fler än de ${formatNumber(max)} som ryms på ett kort. Be driften lägga in nästa period med npm run agreement -- export och import.`,
  saved: (municipality: string, from: string, to: string) => `Ny period sparad: ${municipality} ${years(from, to)}`,
  savedPeriod: (from: string, to: string) => `Period: ${formatLocalDate(from)} – ${formatLocalDate(to)}`,
  startsLater: (start: string, oldFrom: string, oldTo: string) =>
    `Den blir det gällande medborgarlöftet den ${formatLocalDate(start)}. Till dess visar status perioden ${years(oldFrom, oldTo)}.`,
  inForceNow: 'Den nya perioden har redan börjat och är nu det gällande medborgarlöftet: status visar den.',
  changedTargets: 'Ändrade mål',
  changedTarget: (wording: string, before: string, after: string) => `${wording}: ${before} → ${after}`,
  dropped: 'Inte med i den nya perioden',
  activitiesKept: (n: number) => `${formatNumber(n)} ${n === 1 ? 'aktivitet' : 'aktiviteter'} följer med.`,
  oldKept: 'Den gamla perioden finns kvar med sina rapporter; frågor om den besvaras som förut.',
  showStatus: 'Visa status',
};

export const rolloverEn: typeof rolloverSv = {
  title: 'New period for the medborgarlöfte',
  intro: (municipality: string, from: string, to: string) =>
    `The promises and activities of ${municipality} ${years(from, to)} (${formatLocalDate(from, 'en')} – ${formatLocalDate(to, 'en')}) are copied into a new period. Adjust the targets, remove what should not be part of it and save. The old period is kept with its reports.`,
  later: (from: string, to: string) =>
    `A later period already exists: ${years(from, to)}, ${formatLocalDate(from, 'en')} – ${formatLocalDate(to, 'en')}.`,
  periodStart: 'First day',
  periodEnd: 'Last day',
  pledge: (n: number, wording: string) => `Promise ${n} · ${wording}`,
  noActivities: 'No activities under this promise.',
  targetNow: (label: string) => `Now: ${label}`,
  count: 'Target (number)',
  countPlaceholder: 'For example 30',
  kind: 'Per',
  kindNames: { perYear: 'per year', perPeriod: 'in the period', none: 'no target' } as Record<string, string>,
  drop: 'Leave out of the new period',
  save: 'Save new period',
  cancel: 'Cancel',
  cancelled: 'No new period was saved.',
  notSaved: 'The new period was not saved. Correct what is marked.',
  errors: {
    periodStart: {
      required: 'Choose the first day of the new period.',
      invalid: 'Write the date as YYYY-MM-DD.',
    } as Record<string, string>,
    periodEnd: {
      required: 'Choose the last day of the new period.',
      invalid: 'Write the date as YYYY-MM-DD.',
      beforeStart: 'The last day must be the same as or after the first.',
      past: 'That period has already ended. Choose a period that is going on or lies ahead.',
    } as Record<string, string>,
    tooLong: (maxYears: number) => `A period may be at most ${formatNumber(maxYears, 'en')} years.`,
    overlap: (municipality: string, from: string, to: string) =>
      `The period overlaps ${municipality} ${years(from, to)} (${formatLocalDate(from, 'en')} – ${formatLocalDate(to, 'en')}). Periods of the same municipality may not overlap.`,
    idExists: (id: string) =>
      `A medborgarlöfte with the id ${id} already exists. Choose another period, or change the existing one with npm run agreement -- import.`,
    kind: 'Choose per year, in the period or no target.',
    countRequired: 'Write the target as a number, or choose no target.',
    count: (max: number) => `The target must be a whole number from 1 to ${formatNumber(max, 'en')}.`,
    agreement: 'The medborgarlöfte to copy does not pass today’s checks:',
    field: (path: string, message: string) => `${path}: ${message}`,
  },
  notFound: 'That medborgarlöfte no longer exists. Write ny period again.',
  tooMany: (n: number, max: number) =>
    `The medborgarlöfte has ${formatNumber(n, 'en')} activities, more than the ${formatNumber(max, 'en')} a card can hold. Ask the operators to add the next period with npm run agreement -- export and import.`,
  saved: (municipality: string, from: string, to: string) => `New period saved: ${municipality} ${years(from, to)}`,
  savedPeriod: (from: string, to: string) => `Period: ${formatLocalDate(from, 'en')} – ${formatLocalDate(to, 'en')}`,
  startsLater: (start: string, oldFrom: string, oldTo: string) =>
    `It becomes the current medborgarlöfte on ${formatLocalDate(start, 'en')}. Until then, status shows the period ${years(oldFrom, oldTo)}.`,
  inForceNow: 'The new period has already started and is now the current medborgarlöfte: status shows it.',
  changedTargets: 'Changed targets',
  changedTarget: (wording: string, before: string, after: string) => `${wording}: ${before} → ${after}`,
  dropped: 'Not part of the new period',
  activitiesKept: (n: number) => `${formatNumber(n, 'en')} ${n === 1 ? 'activity' : 'activities'} carried over.`,
  oldKept: 'The old period is kept with its reports; questions about it are answered as before.',
  showStatus: 'Show status',
};
