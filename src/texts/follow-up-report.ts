import type { CommunicationChannel, FollowUpPeriod } from '../domain/follow-up-document.js';
import { formatLocalDate, formatNumber } from './format.js';

/** The follow-up both parties sign (issue #15): draft card, narratives, approvals, communication, KF report. */

const svPeriod = (p: Pick<FollowUpPeriod, 'kind' | 'key'>): string => {
  const m = /^(\d{4})-([TQH])(\d)$/.exec(p.key);
  if (!m) return p.key.replace('-', '–');
  const word = m[2] === 'T' ? 'tertial' : m[2] === 'Q' ? 'kvartal' : 'halvår';
  return `${word} ${m[3]} ${m[1]}`;
};
const enPeriod = (p: Pick<FollowUpPeriod, 'kind' | 'key'>): string => {
  const m = /^(\d{4})-([TQH])(\d)$/.exec(p.key);
  if (!m) return p.key.replace('-', '–');
  const word = m[2] === 'T' ? 'tertial' : m[2] === 'Q' ? 'quarter' : 'half-year';
  return `${word} ${m[3]} ${m[1]}`;
};

export const followUpReportSv = {
  period: svPeriod,
  title: (period: string, municipality: string) => `Uppföljning ${period} · ${municipality}`,
  scope: (agreementPeriod: string, policeArea: string, from: string, to: string) =>
    `Medborgarlöfte ${agreementPeriod} · ${policeArea} · ${formatLocalDate(from)}–${formatLocalDate(to)}`,
  revision: (n: number, at: string) => `Version ${n}, siffrorna från ${formatLocalDate(at)}`,
  pledge: (n: number) => `Löfte ${n}`,
  owner: (party: string) => `(${party === 'Båda' ? 'Polisen och kommunen' : party})`,
  outcome: (period: string, count: string) => `Utfall ${period}: ${count}`,
  subcounts: (parts: string[]) => `varav ${parts.join(', ')}`,
  subcount: (count: number, name: string) => `${formatNumber(count)} ${name}`,
  yearToDate: (year: string, count: string) => `Hittills ${year}: ${count}`,
  targetToDate: (target: number, met: boolean) =>
    `mål hittills ${formatNumber(target)} (${met ? 'uppnått' : 'inte uppnått'})`,
  targetNone: 'inget mål i siffror',
  targetWords: (kind: 'perYear' | 'perPeriod', count: number) =>
    kind === 'perYear' ? `minst ${formatNumber(count)} per år` : `minst ${formatNumber(count)} under perioden`,
  narrative: 'Kommentar',
  noNarrative: 'Ingen kommentar skriven ännu.',
  writeNarrative: 'Skriv kommentar',
  documents: 'Word, PDF och text',
  approveFor: (party: string) => (party === 'Kommunen' ? 'Godkänn för kommunen' : `Godkänn för ${party}`),
  communicate: 'Kommunicerat till medborgarna',
  refresh: 'Uppdatera siffror',
  approvedBy: (party: string, at: string) => `Godkänd för ${party} ${formatLocalDate(at)}`,
  waitingFor: (parties: string[]) => `Väntar på godkännande för ${parties.join(' och ')}.`,
  signed: 'Godkänd av båda parter.',
  stale:
    'Rapporterna har ändrats sedan siffrorna togs. Tryck på Uppdatera siffror för en ny version (godkännanden nollställs).',
  frozenNote:
    'Siffrorna i en version ändras inte av sena rapporter: det som godkänns är det som visas. En ny version nollställer godkännandena.',
  notices: {
    created: 'Utkastet är skapat från rapporterna.',
    narrativeSaved: 'Kommentaren är sparad. Det är en ny version, så tidigare godkännanden är nollställda.',
    approved: (party: string) => `Godkänd för ${party}.`,
    signed:
      'Uppföljningen är godkänd av både Polisen och kommunen. Registrera var den har publicerats med Kommunicerat till medborgarna.',
    refreshed: 'Siffrorna är uppdaterade i en ny version. Tidigare godkännanden är nollställda.',
    unchanged: 'Inget ändrades.',
    communicated: 'Publiceringen är registrerad.',
    alreadyApproved: (party: string) => `Uppföljningen är redan godkänd för ${party}.`,
  },
  communicated: (lines: string[]) => `Kommunicerat till medborgarna: ${lines.join('; ')}.`,
  notCommunicated: 'Inte kommunicerad till medborgarna ännu.',
  channelNames: {
    'polisen.se': 'polisen.se',
    'kommunens-webbplats': 'kommunens webbplats',
    'sociala-medier': 'sociala medier',
    medborgardialog: 'medborgardialog',
    lokalpress: 'lokalpress',
    annat: 'annat',
  } as Record<CommunicationChannel, string>,
  communicationLine: (channel: string, date: string) => `${channel} ${formatLocalDate(date)}`,
  refusals: {
    forbidden:
      'Det är bara samordnare (kommunpolis eller säkerhetssamordnare) som kan se och ändra uppföljningen. Skriv status för att se hur det går.',
    noAgreement: 'Det finns inget medborgarlöfte inlagt ännu, så det finns ingen uppföljning.',
    notUnderstood: (example: string) =>
      `Jag förstod inte vilken period du menar. Skriv till exempel ${example}, uppföljning 2024 eller bara uppföljning.`,
    notInAgreement: (period: string) =>
      `Den perioden ingår inte i medborgarlöftet ${period}. Skriv uppföljning för den senast avslutade perioden.`,
    notFound: 'Uppföljningen finns inte i det här medborgarlöftet.',
    notCoordinator: 'Det är bara samordnare som kan godkänna uppföljningen.',
    unknownParty:
      'Jag vet inte om du är samordnare för Polisen eller kommunen, så jag kan inte ta emot ditt godkännande. Be den som driftar boten att ange din part (PARTY_BY_PERSON), eller anmäl dig som rapportör för din part.',
    wrongParty: (own: string, pressed: string) =>
      `Du är samordnare för ${own} och kan inte godkänna för ${pressed}. Tryck på knappen för ${own}; ${pressed} godkänner själva.`,
    staleRevision: (n: number) =>
      `Uppföljningen har ändrats sedan kortet visades och är nu version ${n}. Läs den nya versionen nedan och godkänn den.`,
    notSigned:
      'Uppföljningen är inte godkänd av både Polisen och kommunen ännu. Registrera publiceringen när båda har godkänt.',
  },
  narrativeCard: {
    title: (pledge: number, period: string) => `Kommentar till löfte ${pledge}, ${period}`,
    label: 'Kommentar (kort om vad som gjorts och vad det gett)',
    placeholder: 'T.ex. Kontrollerna har flyttats till skolvägarna under hösten. Inga namn eller personuppgifter.',
    fromFlagged:
      'Förslaget bygger på rapporter markerade Ta upp på nästa möte under perioden. Skriv om det fritt innan du sparar.',
    leftOut: (n: number) =>
      `${formatNumber(n)} markerade ${n === 1 ? 'text togs' : 'texter togs'} inte med eftersom ${n === 1 ? 'den' : 'de'} innehöll något som ser ut som personuppgifter.`,
    save: 'Spara kommentar',
    tooLong: (max: number) => `Kommentaren får vara högst ${formatNumber(max)} tecken.`,
    personalData: (kinds: string[]) =>
      `Kommentaren sparades inte: den innehåller något som ser ut som ${kinds.join(' eller ')}. Skriv om utan uppgifter om enskilda personer — det du skrev finns kvar nedan.`,
  },
  communicationCard: {
    title: (period: string) => `Kommunicerat till medborgarna, ${period}`,
    intro: 'Var och när har uppföljningen publicerats? Registrera en kanal i taget.',
    channel: 'Kanal',
    date: 'Datum',
    url: 'Länk (valfritt)',
    urlPlaceholder: 'https://…',
    note: 'Anteckning (valfritt)',
    notePlaceholder: 'T.ex. Medborgardialog på biblioteket. Inga namn eller personuppgifter.',
    save: 'Spara',
    errorSummary: 'Publiceringen sparades inte. Rätta det som är markerat; det du skrivit finns kvar.',
    errors: {
      channel: { required: 'Välj kanal.', invalid: 'Välj en kanal i listan.' },
      date: {
        required: 'Fyll i datum.',
        invalid: 'Datumet är inte giltigt.',
        future: 'Datumet ligger i framtiden.',
        beforePeriod: 'Datumet ligger före perioden som följs upp.',
      },
      url: {
        invalid: 'Länken ska börja med https:// eller http:// och vara en webbadress.',
        tooLong: 'Länken är för lång.',
      },
      note: { tooLong: 'Anteckningen får vara högst 500 tecken.' },
    } as Record<string, Record<string, string>>,
    personalData: (kinds: string[]) =>
      `Anteckningen eller länken innehåller något som ser ut som ${kinds.join(' eller ')}. Skriv om utan uppgifter om enskilda personer.`,
  },
  kf: {
    title: (span: string, municipality: string) => `Återrapport till kommunfullmäktige ${span} · ${municipality}`,
    total: (count: string) => `Utfall: ${count}`,
    against: (target: number, met: boolean) => `mål ${formatNumber(target)} (${met ? 'uppnått' : 'inte uppnått'})`,
    signedNarratives: (n: number) =>
      n === 0
        ? 'Inga godkända kommentarer ännu.'
        : `Godkända kommentarer från ${formatNumber(n)} ${n === 1 ? 'uppföljning' : 'uppföljningar'}:`,
    unsigned: (periods: string[]) =>
      `Inte godkända av båda parter: ${periods.join(', ')}. Deras kommentarer är inte med.`,
    note: 'Underlaget till återrapporten. Word- och PDF-filerna tas fram från samma siffror.',
    channelIntro: (span: string) =>
      `${span} är slut. Här är utkastet till återrapporten till kommunfullmäktige: hela tiden per löfte, om målen nåddes och de godkända kommentarerna. Knappen ger Word, PDF och text.`,
  },
  channelPost: {
    intro: (period: string) =>
      `Perioden ${period} är slut. Här är utkastet till uppföljningen: samordnarna skriver kommentarer och godkänner, en för Polisen och en för kommunen.`,
  },
  reminder: {
    communicate: (period: string, municipality: string) =>
      `Uppföljningen ${period} för ${municipality} är godkänd men inte registrerad som kommunicerad till medborgarna. Publicera den (till exempel på polisen.se och kommunens webbplats) och registrera det med Kommunicerat till medborgarna.`,
  },
  digest: {
    unsigned: (period: string, missing: string[]) => `Uppföljning ${period}: inte godkänd av ${missing.join(' och ')}.`,
    uncommunicated: (period: string) => `Uppföljning ${period}: godkänd men inte kommunicerad till medborgarna.`,
    title: 'Uppföljningar',
  },
  status: {
    line: (period: string, missing: string[], signedOnce: boolean, channels: string[]) =>
      `Uppföljning ${period}: ${missing.length === 0 ? 'godkänd av båda parter' : `väntar på godkännande för ${missing.join(' och ')}`}${
        channels.length > 0
          ? `, kommunicerad till medborgarna (${channels.join(', ')})`
          : signedOnce
            ? ', inte kommunicerad till medborgarna'
            : ''
      }.`,
  },
};

export const followUpReportEn: typeof followUpReportSv = {
  period: enPeriod,
  title: (period, municipality) => `Follow-up ${period} · ${municipality}`,
  scope: (agreementPeriod, policeArea, from, to) =>
    `Citizen promise ${agreementPeriod} · ${policeArea} · ${formatLocalDate(from, 'en')}–${formatLocalDate(to, 'en')}`,
  revision: (n, at) => `Revision ${n}, figures as of ${formatLocalDate(at, 'en')}`,
  pledge: (n) => `Promise ${n}`,
  owner: (party) => `(${party === 'Båda' ? 'the Police and the municipality' : party})`,
  outcome: (period, count) => `Outcome ${period}: ${count}`,
  subcounts: (parts) => `of which ${parts.join(', ')}`,
  subcount: (count, name) => `${formatNumber(count, 'en')} ${name}`,
  yearToDate: (year, count) => `${year} to date: ${count}`,
  targetToDate: (target, met) => `target to date ${formatNumber(target, 'en')} (${met ? 'met' : 'not met'})`,
  targetNone: 'no numeric target',
  targetWords: (kind, count) =>
    kind === 'perYear'
      ? `at least ${formatNumber(count, 'en')} a year`
      : `at least ${formatNumber(count, 'en')} in the period`,
  narrative: 'Comment',
  noNarrative: 'No comment written yet.',
  writeNarrative: 'Write comment',
  documents: 'Word, PDF and text',
  approveFor: (party) => (party === 'Kommunen' ? 'Approve for the municipality' : `Approve for ${party}`),
  communicate: 'Communicated to citizens',
  refresh: 'Update figures',
  approvedBy: (party, at) => `Approved for ${party} ${formatLocalDate(at, 'en')}`,
  waitingFor: (parties) => `Waiting for approval for ${parties.join(' and ')}.`,
  signed: 'Approved by both parties.',
  stale:
    'Reports have changed since the figures were taken. Press Update figures for a new revision (approvals are cleared).',
  frozenNote:
    'Late reports do not change a revision’s figures: what is approved is what is shown. A new revision clears the approvals.',
  notices: {
    created: 'The draft was made from the reports.',
    narrativeSaved: 'The comment is saved. This is a new revision, so earlier approvals are cleared.',
    approved: (party) => `Approved for ${party}.`,
    signed:
      'The follow-up is approved by both the Police and the municipality. Record where it was published with Communicated to citizens.',
    refreshed: 'The figures are updated in a new revision. Earlier approvals are cleared.',
    unchanged: 'Nothing changed.',
    communicated: 'The publication is recorded.',
    alreadyApproved: (party) => `The follow-up is already approved for ${party}.`,
  },
  communicated: (lines) => `Communicated to citizens: ${lines.join('; ')}.`,
  notCommunicated: 'Not communicated to citizens yet.',
  channelNames: {
    'polisen.se': 'polisen.se',
    'kommunens-webbplats': 'the municipality’s website',
    'sociala-medier': 'social media',
    medborgardialog: 'citizen dialogue',
    lokalpress: 'local press',
    annat: 'other',
  },
  communicationLine: (channel, date) => `${channel} ${formatLocalDate(date, 'en')}`,
  refusals: {
    forbidden:
      'Only coordinators (kommunpolis or säkerhetssamordnare) can see and change the follow-up. Type status to see how it is going.',
    noAgreement: 'No citizen promise has been added yet, so there is no follow-up.',
    notUnderstood: (example) =>
      `I did not understand which period you mean. Type for example ${example}, uppföljning 2024 or just uppföljning.`,
    notInAgreement: (period) =>
      `That period is not part of the citizen promise ${period}. Type uppföljning for the latest finished period.`,
    notFound: 'That follow-up does not exist in this citizen promise.',
    notCoordinator: 'Only coordinators can approve the follow-up.',
    unknownParty:
      'I do not know whether you coordinate for the Police or the municipality, so I cannot take your approval. Ask the bot’s operator to set your party (PARTY_BY_PERSON), or register as a reporter for your party.',
    wrongParty: (own, pressed) =>
      `You are a coordinator for ${own} and cannot approve for ${pressed}. Press the button for ${own}; ${pressed} approves for itself.`,
    staleRevision: (n) =>
      `The follow-up has changed since this card was shown and is now revision ${n}. Read the new revision below and approve it.`,
    notSigned:
      'The follow-up is not approved by both the Police and the municipality yet. Record the publication once both have approved.',
  },
  narrativeCard: {
    title: (pledge, period) => `Comment on promise ${pledge}, ${period}`,
    label: 'Comment (briefly what was done and what it achieved)',
    placeholder: 'E.g. The controls moved to the school routes this autumn. No names or personal data.',
    fromFlagged:
      'The suggestion is built from reports marked Raise at next meeting in the period. Rewrite it freely before saving.',
    leftOut: (n) =>
      `${formatNumber(n, 'en')} marked ${n === 1 ? 'text was' : 'texts were'} left out because ${n === 1 ? 'it' : 'they'} contained something that looks like personal data.`,
    save: 'Save comment',
    tooLong: (max) => `The comment may be at most ${formatNumber(max, 'en')} characters.`,
    personalData: (kinds) =>
      `The comment was not saved: it contains something that looks like ${kinds.join(' or ')}. Rewrite it without details about individuals — what you typed is kept below.`,
  },
  communicationCard: {
    title: (period) => `Communicated to citizens, ${period}`,
    intro: 'Where and when was the follow-up published? Record one channel at a time.',
    channel: 'Channel',
    date: 'Date',
    url: 'Link (optional)',
    urlPlaceholder: 'https://…',
    note: 'Note (optional)',
    notePlaceholder: 'E.g. Citizen dialogue at the library. No names or personal data.',
    save: 'Save',
    errorSummary: 'The publication was not saved. Correct what is marked; what you typed is kept.',
    errors: {
      channel: { required: 'Choose a channel.', invalid: 'Choose a channel from the list.' },
      date: {
        required: 'Fill in the date.',
        invalid: 'The date is not valid.',
        future: 'The date is in the future.',
        beforePeriod: 'The date is before the period followed up.',
      },
      url: {
        invalid: 'The link must start with https:// or http:// and be a web address.',
        tooLong: 'The link is too long.',
      },
      note: { tooLong: 'The note may be at most 500 characters.' },
    },
    personalData: (kinds) =>
      `The note or the link contains something that looks like ${kinds.join(' or ')}. Rewrite it without details about individuals.`,
  },
  kf: {
    title: (span, municipality) => `Report to the municipal council ${span} · ${municipality}`,
    total: (count) => `Outcome: ${count}`,
    against: (target, met) => `target ${formatNumber(target, 'en')} (${met ? 'met' : 'not met'})`,
    signedNarratives: (n) =>
      n === 0
        ? 'No approved comments yet.'
        : `Approved comments from ${formatNumber(n, 'en')} follow-up${n === 1 ? '' : 's'}:`,
    unsigned: (periods) => `Not approved by both parties: ${periods.join(', ')}. Their comments are not included.`,
    note: 'The basis of the report. The Word and PDF files are made from the same figures.',
    channelIntro: (span) =>
      `${span} has ended. Here is the draft report to the municipal council: the whole time per pledge, whether the targets were met and the approved comments. The button gives Word, PDF and text.`,
  },
  channelPost: {
    intro: (period) =>
      `The period ${period} has ended. Here is the draft follow-up: the coordinators write comments and approve, one for the Police and one for the municipality.`,
  },
  reminder: {
    communicate: (period, municipality) =>
      `The follow-up ${period} for ${municipality} is approved but not recorded as communicated to citizens. Publish it (for example on polisen.se and the municipality’s website) and record it with Communicated to citizens.`,
  },
  digest: {
    unsigned: (period, missing) => `Follow-up ${period}: not approved by ${missing.join(' and ')}.`,
    uncommunicated: (period) => `Follow-up ${period}: approved but not communicated to citizens.`,
    title: 'Follow-ups',
  },
  status: {
    line: (period, missing, signedOnce, channels) =>
      `Follow-up ${period}: ${missing.length === 0 ? 'approved by both parties' : `waiting for approval for ${missing.join(' and ')}`}${
        channels.length > 0
          ? `, communicated to citizens (${channels.join(', ')})`
          : signedOnce
            ? ', not communicated to citizens'
            : ''
      }.`,
  },
};
