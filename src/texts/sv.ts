import type { Party, Target } from '../domain/agreement.js';
import { formatLocalDate, formatNumber, formatRange } from './format.js';

/** Every Swedish user-facing string. en.ts mirrors this shape. */
export const sv = {
  locale: 'sv' as 'sv' | 'en',
  appName: 'Medborgarlöfte',
  privacyNote: 'Inga namn eller personuppgifter — bara vad, hur många och var.',

  welcome: {
    title: 'Hej! Jag hjälper Polisen och kommunen att följa upp medborgarlöftet.',
    body: 'Varje vecka rapporterar ni vad ni har gjort för löftena: vad, hur många och var. Jag håller ordning på status mot målen, svarar på frågor och påminner inför uppföljningsmötena.',
    start: 'Skriv **hjälp** för att se vad jag kan, eller **status** för att se hur det går.',
    team: 'I en kanal kan en samordnare skriva **koppla kanal** så att påminnelser och sammanfattningar inför uppföljningsmöten hamnar här.',
  },

  help: {
    title: 'Det här kan jag',
    commands: [
      ['status', 'Visar löftena, aktiviteterna och målen i medborgarlöftet.'],
      ['rapportera', 'Öppnar veckorapporten: vad ni gjorde, hur många och var.'],
      ['mina rapporter', 'Visar dina rapporter de senaste veckorna.'],
      ['hur går det med trafiken?', 'Frågor om status, antal och mål.'],
      ['möten', 'Visar kommande uppföljningsmöten.'],
      ['koppla kanal', 'Gör kanalen till den gemensamma kanalen för påminnelser (samordnare).'],
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
      `Medborgarlöftet gällde till ${formatLocalDate(end)} och har löpt ut. En samordnare behöver lägga in nästa period.`,
    notStarted: (start: string) => `Medborgarlöftet börjar gälla ${formatLocalDate(start)}.`,
    noAgreement: 'Det finns inget medborgarlöfte inlagt ännu. En samordnare kan lägga in ett med kommandot npm run agreement -- import.',
  },

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

  unknown: {
    text: 'Det förstod jag inte riktigt. Du kan till exempel skriva:',
    examples: ['status', 'rapportera', 'hur går det med trafiken?', 'hur många riktade insatser i år?', 'hjälp'],
  },

  errors: {
    generic: 'Något gick fel hos mig. Inget av det du skickade har gått förlorat i onödan: försök igen om en stund.',
    unknownAction: 'Den här knappen känner jag inte igen. Den kan komma från ett äldre kort: skriv hjälp för att börja om.',
  },
};
