import { formatLocalDate, formatNumber } from './format.js';

const svWeekdays = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'];

function svDateTime(date: string, time: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = svWeekdays[(d.getUTCDay() + 6) % 7];
  return `${weekday} ${formatLocalDate(date)} kl. ${time.replace(':', '.')}`;
}

export const remindersSv = {
  weeklyPersonal: (week: number) => `Påminnelse: du har inte rapporterat något för vecka ${week} ännu. Fyll i veckorapporten nedan — det tar under en minut.`,
  weeklyChannel: (week: number, mentions: string) => `Påminnelse om veckorapporten för vecka ${week}: ${mentions} — skriv rapportera till mig i en chatt när ni har en stund.`,
  digestTitle: (kind: string) => `Inför ${kind}`,
  digestWhen: (date: string, time: string, place?: string) => `${svDateTime(date, time)}${place ? ` · ${place}` : ''}`,
  digestReportsSince: (n: number, since: string) => `${formatNumber(n)} rapporter sedan ${formatLocalDate(since)}.`,
  digestBehind: 'Risk eller Efter',
  digestNoneBehind: 'Ingen aktivitet med mål ligger efter eller är i Risk.',
  digestRaised: 'Att ta upp på mötet',
  digestNoneRaised: 'Inget är markerat att ta upp.',
  digestMissing: 'Har inte rapporterat sedan förra mötet',
  digestNoneMissing: 'Alla registrerade rapportörer har rapporterat.',
  digestAgenda: 'Dagordning',
  tertialTitle: (n: number, year: string) => `Tertialsammanfattning: tertial ${n} ${year}`,
  tertialLine: (count: number, expected?: number) => (expected !== undefined ? `${formatNumber(count)} (väntat per tertial ${formatNumber(Math.round(expected * 10) / 10)})` : formatNumber(count)),
  periodWarning: (days: number, end: string, municipality: string) =>
    `Medborgarlöftet för ${municipality} gäller till ${formatLocalDate(end)}, om ${days} dagar. Det är dags att förbereda nästa medborgarlöfte: en samordnare kan lägga in nästa period med npm run agreement -- import.`,
  conversationGone: (where: string) => `Boten har tagits bort från ${where}. Påminnelser dit kan inte längre skickas. Installera appen igen eller koppla en annan kanal.`,
  aChannel: 'en kanal',
  aChat: 'en chatt',
  overviewTitle: 'Påminnelser',
  overviewEmpty: 'Inga påminnelser har skickats eller planerats de senaste 30 dagarna.',
  overviewLine: (sent: number, skipped: number, failed: number, unknown: number, inProgress: number) =>
    `skickade ${sent} · överhoppade ${skipped} · misslyckade ${failed} · osäkra ${unknown}${inProgress ? ` · pågår ${inProgress}` : ''}`,
  kinds: { weekly: 'Veckopåminnelse', weeklyChannel: 'Veckopåminnelse i kanalen', meetingDigest: 'Inför möte', tertialSummary: 'Tertialsammanfattning', periodWarning: 'Periodens slut', conversationGone: 'Borttagen konversation' } as Record<string, string>,
  failure: (reason: string) => `Fel: ${reason}`,
  forbidden: 'Det är bara samordnare som kan se påminnelserna.',
};

export const remindersEn: typeof remindersSv = {
  weeklyPersonal: (week: number) => `Reminder: you have not reported anything for week ${week} yet. Fill in the weekly report below — it takes less than a minute.`,
  weeklyChannel: (week: number, mentions: string) => `Reminder about the weekly report for week ${week}: ${mentions} — write report to me in a chat when you have a moment.`,
  digestTitle: (kind: string) => `Before the ${kind}`,
  digestWhen: (date: string, time: string, place?: string) => `${formatLocalDate(date, 'en')} at ${time}${place ? ` · ${place}` : ''}`,
  digestReportsSince: (n: number, since: string) => `${formatNumber(n, 'en')} reports since ${formatLocalDate(since, 'en')}.`,
  digestBehind: 'At risk or behind',
  digestNoneBehind: 'No activity with a target is behind or at risk.',
  digestRaised: 'To raise at the meeting',
  digestNoneRaised: 'Nothing is flagged to raise.',
  digestMissing: 'Not reported since the previous meeting',
  digestNoneMissing: 'All registered reporters have reported.',
  digestAgenda: 'Agenda',
  tertialTitle: (n: number, year: string) => `Tertial summary: tertial ${n} ${year}`,
  tertialLine: (count: number, expected?: number) => (expected !== undefined ? `${formatNumber(count, 'en')} (expected per tertial ${formatNumber(Math.round(expected * 10) / 10, 'en')})` : formatNumber(count, 'en')),
  periodWarning: (days: number, end: string, municipality: string) =>
    `The citizen promise for ${municipality} is valid until ${formatLocalDate(end, 'en')}, in ${days} days. Time to prepare the next one: a coordinator can add the next period with npm run agreement -- import.`,
  conversationGone: (where: string) => `The bot was removed from ${where}. Reminders can no longer be sent there. Install the app again or link another channel.`,
  aChannel: 'a channel',
  aChat: 'a chat',
  overviewTitle: 'Reminders',
  overviewEmpty: 'No reminders were sent or planned in the last 30 days.',
  overviewLine: (sent: number, skipped: number, failed: number, unknown: number, inProgress: number) =>
    `sent ${sent} · skipped ${skipped} · failed ${failed} · uncertain ${unknown}${inProgress ? ` · in progress ${inProgress}` : ''}`,
  kinds: { weekly: 'Weekly reminder', weeklyChannel: 'Weekly reminder in the channel', meetingDigest: 'Before a meeting', tertialSummary: 'Tertial summary', periodWarning: 'End of period', conversationGone: 'Removed conversation' },
  failure: (reason: string) => `Error: ${reason}`,
  forbidden: 'Only coordinators can see the reminders.',
};
