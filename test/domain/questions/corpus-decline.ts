/**
 * Questions that must be declined, with the words the decline must name: a time, a party, a place,
 * a number or a thing the parser cannot honour is never dropped and answered as a different question.
 */
import type { DeclineEntry } from './corpus-helpers.js';

export const DECLINE: DeclineEntry[] = [
  ['hur många trafikkontroller vecka 60', ['vecka', '60']],
  ['trafikkontroller vecka 53 2023', ['vecka', '53', '2023']],
  ['hur många trafikkontroller tertial 4', ['tertial', '4']],
  ['trafikkontroller 23', ['23']],
  ['hur många trafikkontroller gjorde hundpatrullen', ['hundpatrullen']],
  ['hur många bilar finns det', ['bilar']],
  ['hur många cykelstölder i år', ['cykelstölder']],
  ['hur går det med cykelstölderna', ['cykelstölderna']],
  ['trafikkontroller i gamla stan', ['gamla', 'stan']],
  ['vad har gjorts på torget', ['torget']],
  ['hur många krogkontroller gjorde räddningstjänsten', ['räddningstjänsten']],
  ['vad gjorde Anna vecka 10', ['anna']],
  ['vilka är målen för 2023', ['2023']],
  ['när är nästa möte i oktober', ['i', 'oktober']],
  ['vem har inte rapporterat vecka 10', ['vecka', '10']],
  ['vilka är målen för polisen', ['polisen']],
  ['skriv en dikt', ['skriv', 'dikt']],
  ['vad är klockan', ['klockan']],
  ['hur många trafikkontroller per kvartal', ['kvartal']],
  ['trafikkontroller på lördagar', ['lördagar']],
  ['hur många parkeringsböter i centrum', ['parkeringsböter']],
  ['har vi nått målet för 2023', ['2023']],
  ['har vi nått målet i resecentrum', ['resecentrum']],
  ['how many speeding tickets this year', ['speeding', 'tickets']],
  ['what did the fire brigade do last week', ['fire', 'brigade']],
  ['how many traffic checks in week 99', ['week', '99']],
  ['traffic checks at the harbour', ['harbour']],
  ['hur många trafikkontroller 1999 till 2001', ['1999', '2001']],
  ['ligger krogkontrollerna efter i resecentrum', ['resecentrum']],
  ['vilka rapporter ska vi ta upp vecka 10', ['vecka', '10']],
];
