import type { Target } from '../domain/agreement.js';
import type { Party } from '../domain/party.js';
import { formatLocalDate, formatNumber, formatQuantity, formatRange, type UnitForms } from './format.js';
import { accessSv } from './access.js';
import { scopesSv } from './scopes.js';
import { followUpSv } from './follow-up.js';
import { followUpReportSv } from './follow-up-report.js';
import { downloadsSv } from './downloads.js';
import { documentsSv } from './documents.js';
import { recordsSv } from './records.js';
import { llmSv } from './llm.js';
import { statusAdminSv } from './status-admin.js';
import { rolloverSv } from './rollover.js';
import { remindersSv } from './reminders.js';
import { weekSv } from './week.js';
import { planningSv } from './planning.js';
import { answersSv } from './answers.js';

/** Every Swedish user-facing string. en.ts mirrors this shape. */
export const sv = {
  llm: llmSv,
  statusAdmin: statusAdminSv,
  rollover: rolloverSv,
  access: accessSv,
  scopes: scopesSv,
  followUp: followUpSv,
  followUpReport: followUpReportSv,
  downloads: downloadsSv,
  documents: documentsSv,
  reminders: remindersSv,
  // A reporter's week on one card (issue #16).
  week: weekSv,
  planning: planningSv,
  records: recordsSv,
  locale: 'sv' as 'sv' | 'en',
  appName: 'Medborgarlöfte',
  privacyNote: 'Inga namn eller personuppgifter — bara vad, hur många och var.',
  /** Stored in place of text that fails the privacy guard (app/privacy-sweep.ts); the stored data is Swedish. */
  redactedText: '[borttaget: personuppgift]',

  welcome: {
    title: 'Hej! Jag hjälper Polisen och kommunen att följa upp medborgarlöftet.',
    body: 'Varje vecka rapporterar ni vad ni har gjort för löftena: vad, hur många och var. Jag håller ordning på status mot målen, svarar på frågor och påminner inför uppföljningsmötena.',
    start: 'Skriv **hjälp** för att se vad jag kan, eller **status** för att se hur det går.',
    team: 'I en kanal kan en samordnare skriva **koppla kanal** så att påminnelser och sammanfattningar inför uppföljningsmöten hamnar här.',
  },

  help: {
    title: 'Det här kan jag',
    commands: [
      ['status', 'Visar hur det går för varje löfte på en skärm; Visa allt ger aktiviteterna, målen och alla siffror.'],
      ['rapportera', 'Öppnar veckorapporten: vad ni gjorde, hur många och var.'],
      ['mina rapporter', 'Visar dina rapporter de senaste veckorna.'],
      ['hur går det med trafiken?', 'Frågor om status, antal och mål.'],
      ['anmäl mig', 'Anmäler dig som rapportör så att du får påminnelser; borta till 2024-07-31 pausar dem.'],
      [
        'möten',
        'Visar kommande uppföljningsmöten; nytt möte lägger till ett, protokoll skriver in beslut (samordnare).',
      ],
      ['koppla kanal', 'Gör kanalen till den gemensamma kanalen för påminnelser (samordnare).'],
      ['byt kommun', 'Väljer vilken kommun chatten gäller, när boten används av flera kommuner.'],
      [
        'rapportörer, alla rapporter, påminnelser',
        'Samordnare: vilka som rapporterat, allas rapporter, planerade och skickade påminnelser.',
      ],
      [
        'sätt status, aktiviteter, rapporteringsgrad',
        'Samordnare: sätt status med skäl, ändra mål, se rapporteringsgraden.',
      ],
      ['ny period', 'Samordnare: kopierar löftena till nästa period och justerar målen på ett kort.'],
      [
        'uppföljning tertial 2, kf-rapport 2024',
        'Samordnare: uppföljningen att kommentera, godkänna för Polisen och kommunen och kommunicera; återrapporten till KF.',
      ],
      ['exportera, granskningslogg', 'Samordnare: export för arkiv och utlämnande, granskningsloggen.'],
      ['hjälp', 'Visar den här listan.'],
    ] as [string, string][],
    statusButton: 'Visa status',
    reportButton: 'Rapportera',
  },

  status: {
    title: 'Status för medborgarlöftet',
    agreementLine: (municipality: string, policeArea: string, from: string, to: string) =>
      `${municipality} och ${policeArea} · ${formatRange(from.slice(0, 4), to.slice(0, 4))}`,
    period: (from: string, to: string) => `Period: ${formatLocalDate(from)} – ${formatLocalDate(to)}`,
    pledge: (n: number) => `Löfte ${n}`,
    owner: 'Ansvarig',
    target: 'Mål',
    activities: 'Aktiviteter',
    expired: (end: string) =>
      `Medborgarlöftet gällde till ${formatLocalDate(end)} och har löpt ut. En samordnare lägger in nästa period genom att skriva ny period.`,
    notStarted: (start: string) => `Medborgarlöftet börjar gälla ${formatLocalDate(start)}.`,
    noAgreement:
      'Det finns inget medborgarlöfte inlagt ännu. En samordnare kan lägga in ett med kommandot npm run agreement -- import.',
  },

  levels: {
    onTrack: '🟢 I fas',
    atRisk: '🟡 Risk',
    behind: '🔴 Efter',
    achieved: '✅ Uppnått',
    noTarget: '⚪ Inget mål',
  } as Record<string, string>,
  trend: { up: 'ökar', down: 'minskar', flat: 'oförändrat' } as Record<string, string>,
  figures: {
    detailsButton: 'Visa detaljer',
    showAll: 'Visa allt',
    /** The headline figure of an activity with a target: "10 av 15 insatser i år (13,1 väntat)". */
    headline: (
      count: number,
      target: number,
      expected: number,
      unit: UnitForms,
      window: 'year' | 'period' | 'final',
    ) =>
      window === 'final'
        ? `${formatNumber(count)} av ${formatNumber(Math.round(target * 10) / 10)} ${unit.unit} (slutligt utfall)`
        : `${formatNumber(count)} av ${formatNumber(Math.round(target * 10) / 10)} ${unit.unit} ${window === 'year' ? 'i år' : 'under perioden'} (${formatNumber(Math.round(expected * 10) / 10)} väntat)`,
    /** The headline figure of an activity without a target: "12 ingripanden i år", "1 ingripande i år". */
    /** Activities without a target: "12 ingripanden, 4 kontroller i år"; after the period "… under 2024". */
    countedYear: (quantities: string[], finalYear?: number) =>
      `${quantities.join(', ')} ${finalYear === undefined ? 'i år' : `under ${finalYear}`}`,
    setByCoordinator: 'satt av samordnare',
    moreActivities: (n: number) => `+ ${formatNumber(n)} ${n === 1 ? 'aktivitet' : 'aktiviteter'} till`,
    dataUpTo: (week: number, year: number) => `Enligt rapporter t.o.m. v. ${week} ${year}.`,
    noData: 'Inga rapporter ännu.',
    thisYear: (year: number) => `I år (${year})`,
    thisTertial: (n: number) => `Tertial ${n}`,
    thisWeek: (week: number) => `Vecka ${week}`,
    period: 'Hela perioden',
    ofTarget: (count: number, target: number, expected: number) =>
      `${formatNumber(count)} av ${formatNumber(target)} (väntat hittills ${formatNumber(Math.round(expected * 10) / 10)})`,
    trend: 'Trend senaste 4 veckorna',
    finalOutcome: 'Slutligt utfall',
    chartTitle: 'Utfall och väntat hittills i år',
    outcome: 'utfall',
    expected: 'väntat',
    override: (level: string, reason: string, date: string) => `Satt till ${level} av samordnare ${date}: ${reason}`,
  },
  answers: answersSv,
  /** A count in the locale's form: "1 000", "0,8". */
  number: (n: number): string => formatNumber(n),
  /** A count with its unit in the right number: "1 kontroll", "2 kontroller". */
  quantity: (n: number, unit: UnitForms): string => formatQuantity(n, unit),
  party: (p: Party): string => ({ Polisen: 'Polisen', Kommunen: 'Kommunen', Båda: 'Polisen och kommunen' })[p],

  targetLabel: (t: Target, unit: string): string => {
    switch (t.kind) {
      case 'perYear':
        return `minst ${formatNumber(t.count)} ${unit} per år`;
      case 'perPeriod':
        return `minst ${formatNumber(t.count)} ${unit} under perioden`;
      case 'none':
        return 'Inget mål (antal följs upp)';
    }
  },

  report: {
    title: 'Veckorapport',
    editTitle: 'Redigera rapport',
    intro: (municipality: string) => `Rapportera vad du gjort för medborgarlöftet i ${municipality}.`,
    week: 'Vecka',
    weekChoice: (week: number, year: number, from: string, to: string) => `vecka ${week} ${year} (${from}–${to})`,
    activity: 'Aktivitet',
    activityChoice: (pledge: number, wording: string, unit: string) => `Löfte ${pledge} · ${wording} (antal ${unit})`,
    otherChoice: (pledge: number) => `Löfte ${pledge} · Övrigt (arbete utanför aktivitetslistan)`,
    count: 'Hur många',
    countPlaceholder: 'Antal, t.ex. 3',
    date: 'Datum',
    area: 'Område',
    description: 'Vad gjordes',
    descriptionPlaceholder: 'Kort beskrivning: vad, hur många och var. Inga namn.',
    ageBands: 'Antal personer per åldersgrupp (för aktiviteter om unga, valfritt)',
    youthActivities: (names: string[]) => `Gäller: ${names.join('; ')} och Övrigt.`,
    allTitle: 'Alla rapporter',
    allEmpty: 'Inga rapporter de senaste två veckorna.',
    allForbidden:
      'Det är bara samordnare som kan se och ändra allas rapporter. Skriv mina rapporter för att se dina egna.',
    under18: 'Under 18',
    from18to21: '18–21',
    over21: 'Över 21',
    raise: 'Ta upp på nästa möte',
    party: 'Rapporterar för',
    submit: 'Skicka',
    save: 'Spara',
    errorSummary: 'Rapporten sparades inte. Rätta det som är markerat nedan; det du skrivit finns kvar.',
    errors: {
      week: {
        required: 'Välj vecka.',
        invalid: 'Välj en vecka i listan.',
        futureWeek: 'Du kan inte rapportera för en kommande vecka.',
        tooOld: 'Veckan är för långt tillbaka för att rapportera.',
      },
      activityId: { required: 'Välj aktivitet.', invalid: 'Välj en aktivitet i listan.' },
      count: {
        required: 'Fyll i hur många.',
        notWholeNumber: 'Fältet Hur många måste vara ett heltal från 0.',
        tooLarge: 'Antalet är orimligt stort. Kontrollera siffran.',
      },
      date: {
        required: 'Fyll i datum.',
        invalid: 'Datumet är inte giltigt.',
        futureDate: 'Datumet ligger i framtiden.',
        notInWeek: 'Datumet ska ligga i den valda veckan.',
        outsidePeriod: 'Datumet ligger utanför medborgarlöftets period.',
      },
      area: { required: 'Välj område.', invalid: 'Välj ett område i listan.' },
      description: { tooLong: (max: number) => `Texten får vara högst ${formatNumber(max)} tecken.` },
      ageBands: {
        notWholeNumber: 'Åldersgrupperna måste vara heltal från 0.',
        tooLarge: 'Antalen är orimligt stora.',
        notYouthActivity:
          'Åldersgrupper fylls bara i för aktiviteter om unga. Töm fälten eller välj en sådan aktivitet.',
      },
      subcounts: {
        notWholeNumber: 'Underkategorierna måste vara heltal från 0.',
        moreThanCount: 'En underkategori kan inte vara fler än Hur många.',
        noSubcategories: 'Den valda aktiviteten har inte de underkategorierna. Töm fälten eller välj rätt aktivitet.',
      },
      party: {
        required: 'Välj om du rapporterar för Polisen eller Kommunen.',
        invalid: 'Välj Polisen eller Kommunen.',
      },
    },
    personalData: (kinds: string[]) =>
      `Texten innehåller något som ser ut som ${kinds.join(' eller ')}. Skriv om utan uppgifter om enskilda personer — bara antal och plats. Rapporter får aldrig innehålla personuppgifter.`,
    kindNames: {
      personnummer: 'ett personnummer',
      samordningsnummer: 'ett samordningsnummer',
      registreringsnummer: 'ett registreringsnummer',
      telefonnummer: 'ett telefonnummer',
      epost: 'en e-postadress',
      diarienummer: 'ett diarienummer',
    } as Record<string, string>,
    saved: 'Rapporten är sparad',
    updated: 'Rapporten är ändrad',
    alreadySaved: 'Rapporten var redan sparad — den sparades inte en gång till.',
    withdrawn: 'Rapporten är återkallad. Den finns kvar i historiken men räknas inte längre.',
    editButton: 'Redigera',
    newButton: 'Ny rapport',
    withdrawButton: 'Återkalla',
    noAgreement: (end?: string) =>
      end
        ? `Det finns inget medborgarlöfte som gäller nu: det senaste gällde till ${formatLocalDate(end)}. Rapporten har inte sparats. En samordnare (kommunpolis eller säkerhetssamordnare) lägger in nästa period genom att skriva ny period.`
        : 'Det finns inget medborgarlöfte som gäller nu. En samordnare (kommunpolis eller säkerhetssamordnare) behöver lägga in ett.',
    /** Local development mode (no BOT_ID), after the period: added to the refusal above and to the status card. */
    tryDemo:
      'Vill du bara prova boten? Kör npm run playground:demo: demodata och en klocka inne i medborgarlöftets period, och du är samordnare.',
    forbidden:
      'Du kan bara ändra dina egna rapporter från de senaste veckorna. En samordnare kan ändra alla rapporter.',
    notFound: 'Rapporten finns inte längre (den kan ha återkallats).',
    mine: 'Mina rapporter',
    mineEmpty: 'Du har inga rapporter de senaste veckorna. Skriv rapportera för att lämna en.',
    mineLine: (week: number, quantity: string, area: string) => `v. ${week} · ${quantity} · ${area}`,
    raised: 'Tas upp på nästa möte',
    yes: 'Ja',
    no: 'Nej',
    otherActivity: 'Övrigt',
    receiptSentPrivately: 'Kvittot visas bara för dig.',
    launcherText:
      'Tryck på Rapportera för att fylla i din egen veckorapport. Formuläret och kvittot visas bara för dig.',
  },

  unknown: {
    examples: [
      'status',
      'rapportera',
      'hur går det med trafiken?',
      'hur många trafikkontroller i år?',
      'trafikkontroller vecka 10 polisen',
      'sammanfatta tertial 2',
      'vad har kommunen gjort senaste månaden?',
      'har vi nått målet?',
      'vilka aktiviteter ligger efter?',
      'vad ska vi ta upp på nästa möte?',
      'hjälp',
    ],
  },

  errors: {
    generic: 'Något gick fel hos mig. Inget av det du skickade har gått förlorat i onödan: försök igen om en stund.',
    notStored:
      'Det gick inte att spara just nu: boten kan inte skriva sina datafiler (disken är full eller skrivskyddad). Inget av det du skickade har sparats. Försök igen senare; den som driftar boten ser felet i loggen.',
    noIdentity:
      'Jag kan inte se vem du är (Teams skickade inget användar-id), så jag kan bara visa hjälpen. Skriv hjälp, eller använd boten i Teams.',
    tooLong: (max: number) =>
      `Meddelandet är för långt för att jag ska läsa det som ett kommando eller en fråga (högst ${formatNumber(max)} tecken). Inget har ändrats: skriv kortare.`,
    unknownAction:
      'Den här knappen känner jag inte igen. Den kan komma från ett äldre kort: skriv hjälp för att börja om.',
  },
};
