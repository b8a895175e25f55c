import type { CommunicationChannel, FollowUpPeriod, FollowUpSubcount } from '../domain/follow-up-document.js';
import { formatLocalDate, formatNumber, formatQuantity, formatRange, type UnitForms } from './format.js';

/**
 * The follow-up documents (Word, PDF, plain text; src/documents): every label and sentence they
 * write. The figures, wordings and narratives come from the FollowUpDocument.
 */

/** "lokalpolisområde Höglandet" inside a sentence, whatever the agreement's capitalisation. */
const policeAreaInSentence = (policeArea: string) => policeArea.replace(/^Lokalpolisområde\b/, 'lokalpolisområde');

/** "2024-T2" → [2024, 'T', 2]; undefined for other keys. */
const keyParts = (key: string) => {
  const m = /^(\d{4})-([TQH])([1-4])$/.exec(key);
  return m ? { year: m[1]!, kind: m[2] as 'T' | 'Q' | 'H', n: Number(m[3]) } : undefined;
};

const capital = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;

/** "tertial 2 2024", "kvartal 3 2024", "första halvåret 2024", "2024", "2023–2024". */
function periodSv(period: Pick<FollowUpPeriod, 'kind' | 'key'>): string {
  const p = keyParts(period.key);
  if (p?.kind === 'T') return `tertial ${p.n} ${p.year}`;
  if (p?.kind === 'Q') return `kvartal ${p.n} ${p.year}`;
  if (p?.kind === 'H') return `${p.n === 1 ? 'första' : 'andra'} halvåret ${p.year}`;
  const range = /^(\d{4})-(\d{4})$/.exec(period.key);
  return range ? formatRange(range[1]!, range[2]!) : period.key;
}

function periodEn(period: Pick<FollowUpPeriod, 'kind' | 'key'>): string {
  const p = keyParts(period.key);
  if (p?.kind === 'T') return `tertial ${p.n} ${p.year}`;
  if (p?.kind === 'Q') return `quarter ${p.n} ${p.year}`;
  if (p?.kind === 'H') return `${p.n === 1 ? 'first' : 'second'} half of ${p.year}`;
  const range = /^(\d{4})-(\d{4})$/.exec(period.key);
  return range ? formatRange(range[1]!, range[2]!) : period.key;
}

/** "T2 2024" on a chart's axis; other keys as they are. */
const shortPeriod = (key: string) => {
  const p = keyParts(key);
  return p ? `${p.kind}${p.n} ${p.year}` : key;
};

/** "39 hastighet, 12 nykterhet och 5 mobil" (sub-counts of zero are left out). */
function listSv(items: string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)!}`;
}

const subcountItems = (subcounts: readonly FollowUpSubcount[], locale: 'sv' | 'en') =>
  subcounts.filter((s) => s.count > 0).map((s) => `${formatNumber(s.count, locale)} ${s.name}`);

const channelsSv: Record<CommunicationChannel, string> = {
  'polisen.se': 'polisen.se',
  'kommunens-webbplats': 'Kommunens webbplats',
  'sociala-medier': 'Sociala medier',
  medborgardialog: 'Medborgardialog',
  lokalpress: 'Lokalpress',
  annat: 'Annat',
};

const channelsEn: Record<CommunicationChannel, string> = {
  'polisen.se': 'polisen.se',
  'kommunens-webbplats': 'The municipality’s website',
  'sociala-medier': 'Social media',
  medborgardialog: 'Citizen dialogue',
  lokalpress: 'Local press',
  annat: 'Other',
};

export const documentsSv = {
  /** "tertial 2 2024". */
  period: periodSv,
  shortPeriod,
  title: (municipality: string, policeArea: string, period: Pick<FollowUpPeriod, 'kind' | 'key'>) =>
    `Uppföljning av medborgarlöfte – ${municipality} och ${policeAreaInSentence(policeArea)}, ${periodSv(period)}`,
  kfTitle: (municipality: string, policeArea: string, period: Pick<FollowUpPeriod, 'kind' | 'key'>) =>
    `Återrapport till kommunfullmäktige – medborgarlöfte ${municipality} och ${policeAreaInSentence(policeArea)}, ${periodSv(period)}`,
  /** Under the title: the agreement and the dates covered. */
  scope: (agreementPeriod: string, from: string, to: string) =>
    `Medborgarlöftet ${agreementPeriod}. Perioden ${formatLocalDate(from)} – ${formatLocalDate(to)}.`,
  revision: (n: number) => `Version ${formatNumber(n)}`,
  draftMark: 'UTKAST',
  pledge: (n: number) => `Löfte ${n}`,
  activities: 'Aktiviteter',
  outcome: 'Utfall',
  comment: 'Kommentar',
  noComment: 'Ingen kommentar är skriven för den här uppföljningen.',
  kfComments: 'Kommentarer från uppföljningarna',
  kfSummary: 'Sammanfattande kommentar',
  kfNoComments: 'Inga godkända kommentarer från uppföljningarna under perioden.',
  commentOf: (period: string) => capital(period),
  columns: {
    activity: 'Aktivitet',
    target: 'Mål',
    period: (period: string) => capital(period),
    yearToDate: 'Hittills i år',
    targetToDate: 'Mål hittills',
    met: 'Uppfyllt',
    kfOutcome: (period: string) => `Utfall ${period}`,
    kfMet: 'Målet uppfyllt',
  },
  owner: (party: string) => `(${party})`,
  met: { yes: 'Ja', no: 'Nej', none: '–' },
  /** "71 trafikkontroller, 39 av dessa hastighet, 12 nykterhet och 5 mobil": as the police write it. */
  counts: (n: number, unit: UnitForms, subcounts: readonly FollowUpSubcount[]) => {
    const items = subcountItems(subcounts, 'sv');
    const head = formatQuantity(n, unit);
    if (items.length === 0) return head;
    const [first, ...rest] = items as [string, ...string[]];
    return `${head}, ${listSv([first.replace(/^(\S+) /, '$1 av dessa '), ...rest], 'och')}`;
  },
  /** One activity's outcome as a sentence under Utfall. */
  outcomeLine: (input: {
    period: string;
    counts: string;
    yearToDate?: string;
    targetToDate?: string;
    met?: boolean;
  }) => {
    const parts = [`${capital(input.period)}: ${input.counts}.`];
    if (input.yearToDate !== undefined) parts.push(`Hittills i år: ${input.yearToDate}.`);
    if (input.targetToDate !== undefined)
      parts.push(
        input.met ? `Målet hittills, ${input.targetToDate}, är nått.` : `Målet hittills: ${input.targetToDate}.`,
      );
    return parts.join(' ');
  },
  kfOutcomeLine: (input: { period: string; counts: string; met?: boolean }) =>
    `${capital(input.period)}: ${input.counts}.${
      input.met === undefined ? '' : input.met ? ' Målet är uppfyllt.' : ' Målet är inte uppfyllt.'
    }`,
  signOff: 'Godkännande',
  signed: 'Godkänd av båda parter.',
  notSigned: 'Inte godkänd av båda parter ännu.',
  approved: (party: string, date: string) => `${party} godkände ${formatLocalDate(date)}.`,
  notApproved: (party: string) => `${party} har inte godkänt.`,
  communicated: 'Kommunicerat till medborgarna',
  notCommunicated: 'Inte kommunicerat till medborgarna ännu.',
  channel: (c: CommunicationChannel) => channelsSv[c],
  communication: (channel: string, date: string) => `${channel}, ${formatLocalDate(date)}`,
  charts: {
    againstTarget: 'Utfall mot mål',
    trend: 'Utfall per tertial',
    yearToDate: 'Hittills i år',
    targetToDate: 'Mål hittills',
    target: 'Årsmål',
    periodTarget: 'Mål för perioden',
    noTarget: 'inget mål',
  },
  footer: (generatedOn: string) =>
    `Framtagen ${formatLocalDate(generatedOn)} ur veckorapporterna. Inga namn eller personuppgifter — bara vad, hur många och var.`,
  page: (n: number, of: number) => `Sida ${n} av ${of}`,
  /** Around the page number fields of a Word footer: "Sida 2 av 5". */
  pageParts: ['Sida ', ' av '] as [string, string],
  fileName: (municipality: string, period: Pick<FollowUpPeriod, 'kind' | 'key'>, kf: boolean, ext: string) =>
    `${kf ? 'Återrapport KF' : 'Uppföljning medborgarlöfte'} ${municipality} ${periodSv(period)}.${ext}`,
  /** The Teams card that offers the three files (src/teams/cards/follow-up-downloads.ts). */
  card: {
    title: (period: string) => `Dokument för uppföljningen, ${period}`,
    kfTitle: (period: string) => `Återrapport till kommunfullmäktige, ${period}`,
    body: (municipality: string, minutes: number) =>
      `${municipality}. Länkarna gäller i ${formatNumber(minutes)} minuter; be om nya när de har gått ut.`,
    draft: 'Utkastet är inte godkänt av båda parter ännu.',
    word: 'Word',
    pdf: 'PDF',
    text: 'Text',
  },
  /** The export CLI (npm run export -- uppfoljning …). */
  cli: {
    usage: `Användning:
  npm run export -- uppfoljning <medborgarlöftets id> <period> [--format docx|pdf|txt] [--out fil [--force]]
  period: 2024-T2 (tertial), 2024 (år, återrapport), 2023-2024 (hela perioden). Standard: docx.`,
    notFound: (period: string, agreementId: string) =>
      `Det finns ingen uppföljning för ${period} i ${agreementId}. En samordnare tar fram den i Teams med uppföljning.`,
    written: (what: string, out: string) => `Skrev ${what} till ${out}.`,
    binaryToTerminal: 'Word- och PDF-filer skrivs inte till terminalen: ange --out fil.',
    refused: (kinds: string[]) =>
      `Dokumentet skapades inte: en text i uppföljningen ser ut som ${kinds.join(' eller ')}. Rätta kommentaren i Teams först.`,
  },
};

export const documentsEn: typeof documentsSv = {
  period: periodEn,
  shortPeriod,
  title: (municipality, policeArea, period) =>
    `Follow-up of the citizen promise – ${municipality} and ${policeAreaInSentence(policeArea)}, ${periodEn(period)}`,
  kfTitle: (municipality, policeArea, period) =>
    `Report to the municipal council – citizen promise of ${municipality} and ${policeAreaInSentence(policeArea)}, ${periodEn(period)}`,
  scope: (agreementPeriod, from, to) =>
    `Citizen promise ${agreementPeriod}. Period ${formatLocalDate(from, 'en')} – ${formatLocalDate(to, 'en')}.`,
  revision: (n) => `Version ${formatNumber(n, 'en')}`,
  draftMark: 'DRAFT',
  pledge: (n) => `Promise ${n}`,
  activities: 'Activities',
  outcome: 'Outcome',
  comment: 'Comment',
  noComment: 'No comment has been written for this follow-up.',
  kfComments: 'Comments from the follow-ups',
  kfSummary: 'Summary comment',
  kfNoComments: 'No approved comments from the follow-ups in the period.',
  commentOf: (period) => capital(period),
  columns: {
    activity: 'Activity',
    target: 'Target',
    period: (period) => capital(period),
    yearToDate: 'Year to date',
    targetToDate: 'Target to date',
    met: 'Met',
    kfOutcome: (period) => `Outcome ${period}`,
    kfMet: 'Target met',
  },
  owner: (party) => `(${party})`,
  met: { yes: 'Yes', no: 'No', none: '–' },
  counts: (n, unit, subcounts) => {
    const items = subcountItems(subcounts, 'en');
    const head = formatQuantity(n, unit, 'en');
    return items.length === 0 ? head : `${head}, of which ${listSv(items, 'and')}`;
  },
  outcomeLine: (input) => {
    const parts = [`${capital(input.period)}: ${input.counts}.`];
    if (input.yearToDate !== undefined) parts.push(`Year to date: ${input.yearToDate}.`);
    if (input.targetToDate !== undefined)
      parts.push(
        input.met ? `The target to date, ${input.targetToDate}, is reached.` : `Target to date: ${input.targetToDate}.`,
      );
    return parts.join(' ');
  },
  kfOutcomeLine: (input) =>
    `${capital(input.period)}: ${input.counts}.${
      input.met === undefined ? '' : input.met ? ' The target is met.' : ' The target is not met.'
    }`,
  signOff: 'Approval',
  signed: 'Approved by both parties.',
  notSigned: 'Not yet approved by both parties.',
  approved: (party, date) => `${party} approved on ${formatLocalDate(date, 'en')}.`,
  notApproved: (party) => `${party} has not approved.`,
  communicated: 'Communicated to the citizens',
  notCommunicated: 'Not yet communicated to the citizens.',
  channel: (c) => channelsEn[c],
  communication: (channel, date) => `${channel}, ${formatLocalDate(date, 'en')}`,
  charts: {
    againstTarget: 'Outcome against target',
    trend: 'Outcome per tertial',
    yearToDate: 'Year to date',
    targetToDate: 'Target to date',
    target: 'Yearly target',
    periodTarget: 'Target for the period',
    noTarget: 'no target',
  },
  footer: (generatedOn) =>
    `Produced on ${formatLocalDate(generatedOn, 'en')} from the weekly reports. No names or personal data — only what, how many and where.`,
  page: (n, of) => `Page ${n} of ${of}`,
  pageParts: ['Page ', ' of '],
  fileName: (municipality, period, kf, ext) =>
    `${kf ? 'Report to the council' : 'Follow-up citizen promise'} ${municipality} ${periodEn(period)}.${ext}`,
  card: {
    title: (period) => `Documents of the follow-up, ${period}`,
    kfTitle: (period) => `Report to the municipal council, ${period}`,
    body: (municipality, minutes) =>
      `${municipality}. The links are valid for ${formatNumber(minutes, 'en')} minutes; ask for new ones when they have expired.`,
    draft: 'The draft is not yet approved by both parties.',
    word: 'Word',
    pdf: 'PDF',
    text: 'Text',
  },
  cli: documentsSv.cli,
};
