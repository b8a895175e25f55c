import { localDateOf, localTimeOf } from '../domain/calendar.js';
import { formatMeetingWhen } from './follow-up.js';
import { formatLocalDate, formatNumber, formatQuantity, formatShortDate } from './format.js';

/**
 * Strings of the meeting follow-up additions (issue #16 items 5–7): the calendar invitation, the
 * decisions and follow-ups after a meeting, the weekly summary in the channel, and what
 * `påminnelser` shows as planned and sent. Every time is Europe/Stockholm. planningEn mirrors it.
 */

const ZONE = 'Europe/Stockholm';
const svWeekdays = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'];
const enWeekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "torsdag 14 mars kl. 13.00" for an instant, in Swedish time. */
export function formatInstantSv(at: Date): string {
  const date = localDateOf(at, ZONE);
  const weekday = svWeekdays[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7];
  return `${weekday} ${formatShortDate(date)} kl. ${localTimeOf(at, ZONE).replace(':', '.')}`;
}

export function formatInstantEn(at: Date): string {
  const date = localDateOf(at, ZONE);
  const weekday = enWeekdays[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7];
  return `${weekday} ${formatShortDate(date, 'en')} at ${localTimeOf(at, ZONE)}`;
}

const weekNo = (week: string) => Number(week.slice(6));
/** "Samverkansmöte" → "samverkansmöte" mid-sentence; "EST-möte" and "SSPF-möte" stay. */
const lowerFirst = (s: string) => (/^.[a-zåäö]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

export const planningSv = {
  calendar: {
    button: 'Lägg till i kalendern',
    open: 'Hämta kalenderfilen',
    link: (url: string) => `[Hämta kalenderfilen (.ics)](${url})`,
    hint: (until: Date) =>
      `Öppna filen så läggs mötet in i din kalender (Outlook). Länken gäller till ${formatInstantSv(until)}; tryck på Lägg till i kalendern igen för en ny länk. Ändras mötet, hämta filen igen: den uppdaterar mötet i kalendern.`,
    unavailable: 'Kalenderfilen kan inte hämtas just nu. Försök igen om en stund.',
    summary: (kind: string, municipality: string) => `${kind} – medborgarlöftet ${municipality}`,
    description: (policeArea: string, municipality: string, agenda?: string) =>
      `Uppföljningsmöte för medborgarlöftet mellan ${policeArea} och ${municipality}.${agenda ? `\nAtt ta upp: ${agenda}` : ''}`,
    fileName: (kind: string, date: string) => `${kind} ${date}.ics`,
  },
  minutes: {
    button: 'Beslut och att göra',
    title: 'Beslut och att göra',
    decisions: 'Beslut',
    decisionsPlaceholder: 'Ett beslut per rad. Inga namn eller personuppgifter.',
    followUps: 'Att göra till nästa gång',
    followUpsPlaceholder: 'En punkt per rad, t.ex. Kommunen bjuder in till krogträff före valborg.',
    saveButton: 'Spara',
    saved: 'Beslut och att göra är sparade. De visas i sammanfattningen inför nästa möte.',
    unchanged: 'Inget ändrades.',
    errorSummary: 'Det sparades inte. Rätta det som är markerat nedan; det du skrivit finns kvar.',
    required: 'Skriv minst ett beslut eller en sak att göra.',
    tooLong: (max: number) => `Texten får vara högst ${formatNumber(max)} tecken.`,
    notYet: (when: string) => `Mötet är ${when}. Beslut och att göra skrivs in från mötesdagen.`,
    none: 'Inget uppföljningsmöte har varit ännu. Beslut och att göra skrivs in från mötesdagen; skriv möten för att se de kommande.',
    forbidden: 'Det är bara samordnare (kommunpolis eller säkerhetssamordnare) som kan skriva in beslut och att göra.',
    recorded: (date: string) => `Senast sparat ${formatLocalDate(date)}.`,
    digestTitle: (kind: string, date: string) => `Från förra mötet (${kind} ${formatShortDate(date)})`,
    digestDecisions: 'Beslut',
    digestFollowUps: 'Att göra till det här mötet',
  },
  weeklySummary: {
    title: (week: string) => `Veckan som gick: vecka ${weekNo(week)} ${week.slice(0, 4)}`,
    scope: (municipality: string, from: string, to: string) =>
      `Medborgarlöftet ${municipality} · ${formatShortDate(from)}–${formatShortDate(to)} · vad Polisen och kommunen har rapporterat`,
    reports: (n: number) => formatQuantity(n, { unit: 'rapporter', unitSingular: 'rapport' }),
    byParty: (parts: { party: string; count: number }[]) => parts.map((p) => `${p.party} ${p.count}`).join(', '),
    none: 'Inget rapporterades förra veckan.',
    areas: (list: string[]) => `Områden: ${list.join(', ')}`,
    footer: 'Samordnare stänger av sammanfattningen med veckosammanfattning av.',
    statusButton: 'Visa status',
    on: 'Veckosammanfattningen är på: varje vecka kommer en kort sammanfattning av veckan som gick i den kopplade kanalen.',
    off: 'Veckosammanfattningen är avstängd. Skriv veckosammanfattning på för att slå på den igen.',
    alreadyOn: 'Veckosammanfattningen är redan på.',
    alreadyOff: 'Veckosammanfattningen är redan avstängd.',
    noChannel:
      'Ingen kanal är kopplad ännu, så det finns ingen kanal att skicka veckosammanfattningen till. Skriv koppla kanal i teamets kanal först.',
    forbidden: 'Det är bara samordnare som kan slå på och stänga av veckosammanfattningen.',
    usage: 'Skriv veckosammanfattning på eller veckosammanfattning av.',
    turnOn: 'Slå på veckosammanfattningen',
    turnOff: 'Stäng av veckosammanfattningen',
  },
  planned: {
    title: 'Påminnelser',
    scope: (municipality: string) => `Medborgarlöftet ${municipality} · alla tider i svensk tid`,
    plannedHeading: (from: Date, to: Date) =>
      `Planerat ${formatShortDate(localDateOf(from, ZONE))}–${formatShortDate(localDateOf(to, ZONE))}`,
    plannedEmpty: 'Inget är planerat de närmaste 14 dagarna.',
    sentHeading: 'Skickat de senaste 30 dagarna',
    sentEmpty: 'Inget har skickats de senaste 30 dagarna.',
    at: formatInstantSv,
    weekly: (week: string, n: number) =>
      `Veckopåminnelse för vecka ${weekNo(week)} till ${formatQuantity(n, { unit: 'rapportörer', unitSingular: 'rapportör' })} som inte har rapporterat ännu`,
    digest: (kind: string, date: string, time: string) =>
      `Sammanfattning inför ${lowerFirst(kind)} ${formatMeetingWhen(date, time)}`,
    tertial: (tertial: string) => `Tertialsammanfattning, tertial ${tertial.slice(-1)} ${tertial.slice(0, 4)}`,
    periodWarning: (days: number) => `Påminnelse om periodens slut (${days} dagar kvar)`,
    weeklySummary: (week: string) => `Veckosammanfattning av vecka ${weekNo(week)} i kanalen`,
    followUpDraft: (period: string) => `Utkast till uppföljningen av ${period} i kanalen, att godkänna`,
    kfReport: (span: string) => `Utkast till återrapporten till kommunfullmäktige för ${span} i kanalen`,
    followUpCommunicate: (period: string) =>
      `Påminnelse till samordnarna: uppföljningen av ${period} är godkänd men inte kommunicerad till medborgarna`,
    noChannel: 'ingen kanal är kopplad: skickas inte',
    weeklySummaryOff: 'Veckosammanfattningen i kanalen är avstängd.',
    kinds: {
      weeklySummary: 'Veckosammanfattning',
      followUpDraft: 'Uppföljning att godkänna',
      followUpCommunicate: 'Påminnelse om att kommunicera uppföljningen',
    } as Record<string, string>,
  },
};

export const planningEn: typeof planningSv = {
  calendar: {
    button: 'Add to calendar',
    open: 'Get the calendar file',
    link: (url: string) => `[Get the calendar file (.ics)](${url})`,
    hint: (until: Date) =>
      `Open the file to add the meeting to your calendar (Outlook). The link is valid until ${formatInstantEn(until)} (Swedish time); press Add to calendar again for a new link. If the meeting changes, get the file again: it updates the meeting in your calendar.`,
    unavailable: 'The calendar file cannot be fetched right now. Try again in a while.',
    summary: (kind: string, municipality: string) => `${kind} – medborgarlöftet ${municipality}`,
    description: (policeArea: string, municipality: string, agenda?: string) =>
      `Follow-up meeting for the citizen promise of ${policeArea} and ${municipality}.${agenda ? `\nAgenda: ${agenda}` : ''}`,
    fileName: (kind: string, date: string) => `${kind} ${date}.ics`,
  },
  minutes: {
    button: 'Decisions and to-dos',
    title: 'Decisions and to-dos',
    decisions: 'Decisions',
    decisionsPlaceholder: 'One decision per line. No names or personal data.',
    followUps: 'To do before the next meeting',
    followUpsPlaceholder: 'One item per line.',
    saveButton: 'Save',
    saved: 'Decisions and to-dos are saved. The digest before the next meeting shows them.',
    unchanged: 'Nothing changed.',
    errorSummary: 'Nothing was saved. Correct what is marked below; what you typed is kept.',
    required: 'Write at least one decision or one thing to do.',
    tooLong: (max: number) => `The text may be at most ${formatNumber(max, 'en')} characters.`,
    notYet: (when: string) => `The meeting is on ${when}. Decisions and to-dos are recorded from the meeting day on.`,
    none: 'No follow-up meeting has taken place yet. Decisions and to-dos are recorded from the meeting day on; type meetings to see the coming ones.',
    forbidden: 'Only coordinators (kommunpolis or säkerhetssamordnare) can record decisions and to-dos.',
    recorded: (date: string) => `Last saved ${formatLocalDate(date, 'en')}.`,
    digestTitle: (kind: string, date: string) => `From the previous meeting (${kind} ${formatShortDate(date, 'en')})`,
    digestDecisions: 'Decisions',
    digestFollowUps: 'To do before this meeting',
  },
  weeklySummary: {
    title: (week: string) => `The week that was: week ${weekNo(week)} ${week.slice(0, 4)}`,
    scope: (municipality: string, from: string, to: string) =>
      `Citizen promise ${municipality} · ${formatShortDate(from, 'en')}–${formatShortDate(to, 'en')} · what the police and the municipality reported`,
    reports: (n: number) => formatQuantity(n, { unit: 'reports', unitSingular: 'report' }, 'en'),
    byParty: (parts: { party: string; count: number }[]) => parts.map((p) => `${p.party} ${p.count}`).join(', '),
    none: 'Nothing was reported last week.',
    areas: (list: string[]) => `Areas: ${list.join(', ')}`,
    footer: 'Coordinators turn the summary off with veckosammanfattning av (weekly summary off).',
    statusButton: 'Show status',
    on: 'The weekly summary is on: every week a short summary of the week that was is posted in the linked channel.',
    off: 'The weekly summary is off. Type weekly summary on to turn it on again.',
    alreadyOn: 'The weekly summary is already on.',
    alreadyOff: 'The weekly summary is already off.',
    noChannel:
      'No channel is linked yet, so there is no channel to post the weekly summary to. Type koppla kanal (link channel) in the team channel first.',
    forbidden: 'Only coordinators can turn the weekly summary on and off.',
    usage: 'Type weekly summary on or weekly summary off.',
    turnOn: 'Turn the weekly summary on',
    turnOff: 'Turn the weekly summary off',
  },
  planned: {
    title: 'Reminders',
    scope: (municipality: string) => `Citizen promise ${municipality} · all times in Swedish time`,
    plannedHeading: (from: Date, to: Date) =>
      `Planned ${formatShortDate(localDateOf(from, ZONE), 'en')}–${formatShortDate(localDateOf(to, ZONE), 'en')}`,
    plannedEmpty: 'Nothing is planned in the next 14 days.',
    sentHeading: 'Sent in the last 30 days',
    sentEmpty: 'Nothing was sent in the last 30 days.',
    at: formatInstantEn,
    weekly: (week: string, n: number) =>
      `Weekly reminder for week ${weekNo(week)} to ${formatQuantity(n, { unit: 'reporters', unitSingular: 'reporter' }, 'en')} who have not reported yet`,
    digest: (kind: string, date: string, time: string) =>
      `Digest before the ${kind} ${formatMeetingWhen(date, time, 'en')}`,
    tertial: (tertial: string) => `Tertial summary, tertial ${tertial.slice(-1)} ${tertial.slice(0, 4)}`,
    periodWarning: (days: number) => `Reminder of the end of the period (${days} days left)`,
    weeklySummary: (week: string) => `Weekly summary of week ${weekNo(week)} in the channel`,
    followUpDraft: (period: string) => `Draft of the follow-up of ${period} in the channel, to approve`,
    kfReport: (span: string) => `Draft report to the municipal council for ${span} in the channel`,
    followUpCommunicate: (period: string) =>
      `Reminder to the coordinators: the follow-up of ${period} is approved but not communicated to the citizens`,
    noChannel: 'no channel is linked: not sent',
    weeklySummaryOff: 'The weekly summary in the channel is off.',
    kinds: {
      weeklySummary: 'Weekly summary',
      followUpDraft: 'Follow-up to approve',
      followUpCommunicate: 'Reminder to communicate the follow-up',
    },
  },
};
