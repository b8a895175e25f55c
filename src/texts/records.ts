import { formatLocalDate, formatNumber } from './format.js';

/** Export, audit log and retention: the coordinator's records commands and the export files' headers. */
export const recordsSv = {
  csv: {
    reportColumns: {
      reportId: 'Rapport-id',
      date: 'Datum',
      week: 'Vecka',
      tertial: 'Tertial',
      pledge: 'Löfte',
      activityId: 'Aktivitet-id',
      activity: 'Aktivitet',
      count: 'Antal',
      area: 'Område',
      ageUnder18: 'Under 18 år',
      age18to21: '18–21 år',
      ageOver21: 'Över 21 år',
      party: 'Part',
      raiseAtNextMeeting: 'Tas upp på nästa möte',
      withdrawn: 'Återkallad',
      withdrawnAt: 'Återkallad (UTC)',
      createdAt: 'Skapad (UTC)',
      updatedAt: 'Ändrad (UTC)',
      description: 'Vad gjordes (fritext)',
      freeTextPurged: 'Fritext gallrad',
    },
    auditColumns: {
      at: 'Tid (UTC)',
      action: 'Händelse',
      outcome: 'Utfall',
      actorId: 'Aktör (AAD-objekt-id)',
      tenantId: 'Tenant',
      objectId: 'Objekt',
      correlationId: 'Korrelations-id',
      detail: 'Detalj',
    },
    yes: 'ja',
    no: 'nej',
    otherActivity: 'Övrigt',
  },

  forbidden: 'Export och granskningslogg är bara för samordnare (kommunpolis och säkerhetssamordnare).',

  export: {
    title: 'Export av rapporterna',
    intro: 'För en begäran om allmänna handlingar och för arkivering.',
    agreement: 'Medborgarlöfte',
    period: 'Period',
    reports: 'Rapporter',
    withdrawn: 'Varav återkallade',
    withFreeText: 'Med fritext',
    purged: 'Fritext gallrad',
    dates: 'Rapporternas datum',
    range: (from?: string, to?: string) =>
      from && to ? `${formatLocalDate(from)} – ${formatLocalDate(to)}` : 'inga rapporter ännu',
    count: (n: number) => formatNumber(n),
    retention: (days: number) =>
      days > 0
        ? `Fritexten gallras när rapportens datum är äldre än ${formatNumber(days)} dagar. Antal, datum, områden och åldersgrupper sparas.`
        : 'Fritexten sparas utan tidsgräns: ingen gallring är inställd.',
    contents:
      'CSV (för Excel): en rad per rapport med datum, vecka, tertial, löfte, aktivitet, antal, område, åldersgrupper, part, om den ska tas upp på nästa möte, om den är återkallad och fritexten om den inte är gallrad. Inga namn eller användar-id. JSON (för arkiv): hela posterna med ändringshistorik, också vem (användar-id) som lämnade och ändrade dem.',
    howTitle: 'Så får du filen',
    how: 'Boten skickar inga filer i chatten. Den som driftar boten tar fram filen på servern med kommandot nedan (boten stoppas en kort stund medan exporten görs). Varje export skrivs i granskningsloggen.',
    notFound: (id: string, known: string[]) =>
      `Det finns inget medborgarlöfte med id ${id}. Finns: ${known.join(', ') || 'inga'}.`,
    noAgreement: 'Det finns inget medborgarlöfte att exportera ännu.',
  },

  audit: {
    title: 'Granskningslogg',
    subtitle: (n: number) =>
      `De senaste ${formatNumber(n)} händelserna, nyaste först. Hela loggen tas fram på servern med npm run audit -- export.`,
    empty: 'Granskningsloggen är tom.',
    when: (date: string, time: string) => `${formatLocalDate(date)} kl. ${time.replace(':', '.')}`,
    line: (action: string, outcome: string, actor: string) => `${action} · ${outcome} · ${actor}`,
    actions: {
      'report.created': 'Rapport sparad',
      'report.edited': 'Rapport ändrad',
      'report.withdrawn': 'Rapport återkallad',
      'report.refused': 'Rapport nekad',
      'access.refused': 'Åtkomst nekad',
      'data.purged': 'Fritext gallrad',
      'data.redacted': 'Personuppgifter borttagna ur sparad text',
      'data.exported': 'Rapporter exporterade',
      'audit.exported': 'Granskningslogg läst',
      'backup.created': 'Säkerhetskopia',
      'conversation.bound': 'Konversation kopplad till kommun',
      'followup.drafted': 'Uppföljning, utkast skapat',
      'followup.revised': 'Uppföljning, ny version',
      'followup.approved': 'Uppföljning godkänd',
      'followup.communicated': 'Uppföljning kommunicerad till medborgarna',
    } as Record<string, string>,
    outcomes: { ok: 'ok', refused: 'nekad', failed: 'misslyckades' } as Record<string, string>,
  },
};

export const recordsEn: typeof recordsSv = {
  csv: {
    reportColumns: {
      reportId: 'Report id',
      date: 'Date',
      week: 'Week',
      tertial: 'Tertial',
      pledge: 'Pledge',
      activityId: 'Activity id',
      activity: 'Activity',
      count: 'Count',
      area: 'Area',
      ageUnder18: 'Under 18',
      age18to21: '18–21',
      ageOver21: 'Over 21',
      party: 'Party',
      raiseAtNextMeeting: 'Raise at next meeting',
      withdrawn: 'Withdrawn',
      withdrawnAt: 'Withdrawn (UTC)',
      createdAt: 'Created (UTC)',
      updatedAt: 'Updated (UTC)',
      description: 'What was done (free text)',
      freeTextPurged: 'Free text purged',
    },
    auditColumns: {
      at: 'Time (UTC)',
      action: 'Action',
      outcome: 'Outcome',
      actorId: 'Actor (AAD object id)',
      tenantId: 'Tenant',
      objectId: 'Object',
      correlationId: 'Correlation id',
      detail: 'Detail',
    },
    yes: 'yes',
    no: 'no',
    otherActivity: 'Other',
  },

  forbidden: 'Exports and the audit log are for coordinators only (community police officer, safety coordinator).',

  export: {
    title: 'Export of the reports',
    intro: 'For a public records request (allmänna handlingar) and for archiving.',
    agreement: 'Citizen promise',
    period: 'Period',
    reports: 'Reports',
    withdrawn: 'Of which withdrawn',
    withFreeText: 'With free text',
    purged: 'Free text purged',
    dates: 'Report dates',
    range: (from?: string, to?: string) =>
      from && to ? `${formatLocalDate(from, 'en')} – ${formatLocalDate(to, 'en')}` : 'no reports yet',
    count: (n: number) => formatNumber(n, 'en'),
    retention: (days: number) =>
      days > 0
        ? `Free text is purged once a report's date is more than ${formatNumber(days, 'en')} days old. Counts, dates, areas and age bands are kept.`
        : 'Free text is kept without a time limit: no retention is set.',
    contents:
      'CSV (for Excel): one row per report with date, week, tertial, pledge, activity, count, area, age bands, party, whether to raise it at the next meeting, whether it is withdrawn, and the free text unless purged. No names or user ids. JSON (for archives): the full records with their history, including who (user id) filed and changed them.',
    howTitle: 'How to get the file',
    how: 'The bot does not send files in chat. Whoever runs the bot produces the file on the server with the command below (the bot is stopped briefly during the export). Every export is written to the audit log.',
    notFound: (id: string, known: string[]) =>
      `There is no citizen promise with id ${id}. Available: ${known.join(', ') || 'none'}.`,
    noAgreement: 'There is no citizen promise to export yet.',
  },

  audit: {
    title: 'Audit log',
    subtitle: (n: number) =>
      `The latest ${formatNumber(n, 'en')} events, newest first. The whole log is exported on the server with npm run audit -- export.`,
    empty: 'The audit log is empty.',
    when: (date: string, time: string) => `${formatLocalDate(date, 'en')} ${time}`,
    line: (action: string, outcome: string, actor: string) => `${action} · ${outcome} · ${actor}`,
    actions: {
      'report.created': 'Report saved',
      'report.edited': 'Report edited',
      'report.withdrawn': 'Report withdrawn',
      'report.refused': 'Report refused',
      'access.refused': 'Access refused',
      'data.purged': 'Free text purged',
      'data.redacted': 'Personal data removed from stored text',
      'data.exported': 'Reports exported',
      'audit.exported': 'Audit log read',
      'backup.created': 'Backup',
      'conversation.bound': 'Conversation connected to a municipality',
      'followup.drafted': 'Follow-up drafted',
      'followup.revised': 'Follow-up, new revision',
      'followup.approved': 'Follow-up approved',
      'followup.communicated': 'Follow-up communicated to the citizens',
    } as Record<string, string>,
    outcomes: { ok: 'ok', refused: 'refused', failed: 'failed' } as Record<string, string>,
  },
};
