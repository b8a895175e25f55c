import { formatLocalDate, formatNumber, formatQuantity, type UnitForms } from './format.js';

const svWeekdays = ['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'];

function svDateTime(date: string, time: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = svWeekdays[(d.getUTCDay() + 6) % 7];
  return `${weekday} ${formatLocalDate(date)} kl. ${time.replace(':', '.')}`;
}

export const remindersSv = {
  weeklyPersonal: (week: number) =>
    `Påminnelse: du har inte rapporterat något för vecka ${week} ännu. Tryck på Rapportera nedan — det tar under en minut.`,
  weeklyChannel: (week: number, mentions: string) =>
    `Påminnelse om veckorapporten för vecka ${week}: ${mentions} — skriv rapportera till mig i en chatt när ni har en stund.`,
  digestTitle: (kind: string) => `Inför ${kind}`,
  digestWhen: (date: string, time: string, place?: string) => `${svDateTime(date, time)}${place ? ` · ${place}` : ''}`,
  digestReportsSince: (n: number, since: string) =>
    `${formatQuantity(n, { unit: 'rapporter', unitSingular: 'rapport' })} sedan ${formatLocalDate(since)}.`,
  digestBehind: 'Ligger efter eller är i riskzonen',
  digestNoneBehind: 'Inget löfte och ingen aktivitet med mål ligger efter eller är i riskzonen.',
  /** A pledge set to Risk or Efter by hand, with none of its activities so. */
  digestPledgeOnly: (pledge: string, level: string) => `${pledge}: ${level} (satt av samordnare)`,
  digestRaised: 'Att ta upp på mötet',
  digestNoneRaised: 'Inget är markerat att ta upp.',
  digestRaisedMore: (n: number) => `… och ${formatNumber(n)} till.`,
  digestMissing: 'Har inte rapporterat sedan förra mötet',
  digestNoneMissing: 'Alla registrerade rapportörer har rapporterat.',
  /** Counts per party, never names: "2 rapportörer hos Polisen och 1 hos Kommunen har inte rapporterat." */
  digestMissingCounts: (parts: { party: string; count: number }[]) =>
    `${parts
      .map(
        (p, i) =>
          `${i === 0 ? formatQuantity(p.count, { unit: 'rapportörer', unitSingular: 'rapportör' }) : formatNumber(p.count)} hos ${p.party}`,
      )
      .join(', ')
      .replace(/, ([^,]*)$/, ' och $1')} har inte rapporterat sedan förra mötet.`,
  digestWhoHint: 'Samordnare ser vilka som har rapporterat den här veckan i chatten med mig: skriv rapportörer.',
  digestAgenda: 'Dagordning',
  leftOut: (n: number) =>
    `${formatNumber(n)} ${n === 1 ? 'uppgift utelämnades' : 'uppgifter utelämnades'} eftersom texten inte klarade integritetskontrollen. En samordnare kan se över texten i boten.`,
  tertialTitle: (n: number, year: string) => `Tertialsammanfattning: tertial ${n} ${year}`,
  tertialLine: (count: number, unit: UnitForms, expected?: number) =>
    expected !== undefined
      ? `${formatQuantity(count, unit)} (väntat per tertial ${formatNumber(Math.round(expected * 10) / 10)})`
      : formatQuantity(count, unit),
  periodWarning: (days: number, end: string, municipality: string) =>
    `Medborgarlöftet för ${municipality} gäller till ${formatLocalDate(end)}, om ${formatQuantity(days, { unit: 'dagar', unitSingular: 'dag' })}. Det är dags att förbereda nästa medborgarlöfte: en samordnare lägger in nästa period genom att skriva ny period till boten.`,
  conversationGone: (where: string) =>
    `Boten har tagits bort från ${where}. Påminnelser dit kan inte längre skickas. Installera appen igen eller koppla en annan kanal.`,
  aChannel: 'en kanal',
  aChat: 'en chatt',
  overviewTitle: 'Påminnelser',
  overviewEmpty: 'Inga påminnelser har skickats eller planerats de senaste 30 dagarna.',
  overviewLine: (sent: number, skipped: number, failed: number, unknown: number, inProgress: number) =>
    `skickade ${formatNumber(sent)} · överhoppade ${formatNumber(skipped)} · misslyckade ${formatNumber(failed)} · osäkra ${formatNumber(unknown)}${inProgress ? ` · pågår ${formatNumber(inProgress)}` : ''}`,
  kinds: {
    weekly: 'Veckopåminnelse',
    weeklyChannel: 'Veckopåminnelse i kanalen',
    snooze: 'Uppskjuten veckopåminnelse',
    meetingDigest: 'Inför möte',
    tertialSummary: 'Tertialsammanfattning',
    periodWarning: 'Periodens slut',
    conversationGone: 'Borttagen konversation',
  } as Record<string, string>,
  failure: (reason: string) => `Fel: ${reason}`,
  forbidden: 'Det är bara samordnare som kan se påminnelserna.',
};

export const remindersEn: typeof remindersSv = {
  weeklyPersonal: (week: number) =>
    `Reminder: you have not reported anything for week ${week} yet. Press Report below — it takes less than a minute.`,
  weeklyChannel: (week: number, mentions: string) =>
    `Reminder about the weekly report for week ${week}: ${mentions} — write report to me in a chat when you have a moment.`,
  digestTitle: (kind: string) => `Before the ${kind}`,
  digestWhen: (date: string, time: string, place?: string) =>
    `${formatLocalDate(date, 'en')} at ${time}${place ? ` · ${place}` : ''}`,
  digestReportsSince: (n: number, since: string) =>
    `${formatQuantity(n, { unit: 'reports', unitSingular: 'report' }, 'en')} since ${formatLocalDate(since, 'en')}.`,
  digestBehind: 'Behind or at risk',
  digestNoneBehind: 'No promise and no activity with a target is behind or at risk.',
  digestPledgeOnly: (pledge: string, level: string) => `${pledge}: ${level} (set by a coordinator)`,
  digestRaised: 'To raise at the meeting',
  digestNoneRaised: 'Nothing is flagged to raise.',
  digestRaisedMore: (n: number) => `… and ${formatNumber(n, 'en')} more.`,
  digestMissing: 'Not reported since the previous meeting',
  digestNoneMissing: 'All registered reporters have reported.',
  digestMissingCounts: (parts: { party: string; count: number }[]) =>
    `${parts
      .map(
        (p, i) =>
          `${i === 0 ? formatQuantity(p.count, { unit: 'reporters', unitSingular: 'reporter' }, 'en') : formatNumber(p.count, 'en')} at ${p.party}`,
      )
      .join(', ')
      .replace(
        /, ([^,]*)$/,
        ' and $1',
      )} ${parts.length === 1 && parts[0]!.count === 1 ? 'has' : 'have'} not reported since the previous meeting.`,
  digestWhoHint: 'Coordinators see who has reported this week in their chat with me: type rapportörer.',
  digestAgenda: 'Agenda',
  leftOut: (n: number) =>
    `${formatNumber(n, 'en')} ${n === 1 ? 'item was' : 'items were'} left out because the text did not pass the privacy check. A coordinator can review the text in the bot.`,
  tertialTitle: (n: number, year: string) => `Tertial summary: tertial ${n} ${year}`,
  tertialLine: (count: number, unit: UnitForms, expected?: number) =>
    expected !== undefined
      ? `${formatQuantity(count, unit, 'en')} (expected per tertial ${formatNumber(Math.round(expected * 10) / 10, 'en')})`
      : formatQuantity(count, unit, 'en'),
  periodWarning: (days: number, end: string, municipality: string) =>
    `The citizen promise for ${municipality} is valid until ${formatLocalDate(end, 'en')}, in ${formatQuantity(days, { unit: 'days', unitSingular: 'day' }, 'en')}. Time to prepare the next one: a coordinator adds the next period by writing ny period to the bot.`,
  conversationGone: (where: string) =>
    `The bot was removed from ${where}. Reminders can no longer be sent there. Install the app again or link another channel.`,
  aChannel: 'a channel',
  aChat: 'a chat',
  overviewTitle: 'Reminders',
  overviewEmpty: 'No reminders were sent or planned in the last 30 days.',
  overviewLine: (sent: number, skipped: number, failed: number, unknown: number, inProgress: number) =>
    `sent ${formatNumber(sent, 'en')} · skipped ${formatNumber(skipped, 'en')} · failed ${formatNumber(failed, 'en')} · uncertain ${formatNumber(unknown, 'en')}${inProgress ? ` · in progress ${formatNumber(inProgress, 'en')}` : ''}`,
  kinds: {
    weekly: 'Weekly reminder',
    weeklyChannel: 'Weekly reminder in the channel',
    snooze: 'Snoozed weekly reminder',
    meetingDigest: 'Before a meeting',
    tertialSummary: 'Tertial summary',
    periodWarning: 'End of period',
    conversationGone: 'Removed conversation',
  },
  failure: (reason: string) => `Error: ${reason}`,
  forbidden: 'Only coordinators can see the reminders.',
};
