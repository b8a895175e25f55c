import type { AgreementInput } from './agreement.js';

/**
 * The Tranås kommun – lokalpolisområde Höglandet medborgarlöfte 2023–2024, as decided by the
 * municipality (tjänsteutlåtande 2023-03-24) and published by polisen.se. Written to the store on
 * first start only; coordinators add later periods with the agreement CLI.
 */
export const TRANAS_2023_2024: AgreementInput = {
  id: 'tranas-2023-2024',
  municipality: 'Tranås kommun',
  policeArea: 'Lokalpolisområde Höglandet',
  periodStart: '2023-01-01',
  periodEnd: '2024-12-31',
  timeZone: 'Europe/Stockholm',
  source: 'Tjänsteutlåtande Tranås kommun 2023-03-24; polisen.se, Medborgarlöften Tranås 2023–2024',
  pledges: [
    {
      number: 1,
      wording:
        'Öka upptäckten av narkotikabrott, främst bland personer i åldern 21 år och yngre, med syfte att minska bruket av narkotika.',
      keywords: ['narkotika', 'narkotikan', 'narkotikabrott', 'droger', 'knark', 'unga', 'drugs'],
    },
    {
      number: 2,
      wording: 'Öka den upplevda tryggheten i de centrala delarna av Tranås.',
      keywords: ['trygghet', 'tryggheten', 'centrum', 'centrala', 'krog', 'krogarna', 'safety'],
    },
    {
      number: 3,
      wording: 'Arbeta långsiktigt med en säker trafikmiljö inom Tranås kommun.',
      keywords: ['trafik', 'trafiken', 'trafikmiljö', 'trafikkontroller', 'traffic'],
    },
  ],
  activities: [
    {
      id: 'trafikkontroller',
      pledgeNumber: 3,
      owner: 'Polisen',
      wording: 'Trafikkontroller för en säker trafikmiljö',
      unit: 'kontroller',
      unitSingular: 'kontroll',
      target: { kind: 'perYear', count: 30 },
      // The sub-counts polisen.se follow-ups give for traffic controls (speed, sobriety, mobile phones).
      subcategories: [
        { id: 'hastighet', name: 'hastighet' },
        { id: 'nykterhet', name: 'nykterhet' },
        { id: 'mobil', name: 'mobil' },
      ],
    },
    {
      id: 'riktade-insatser-narkotika',
      pledgeNumber: 1,
      owner: 'Polisen',
      wording: 'Riktade insatser för att upptäcka narkotikabrott bland unga',
      unit: 'insatser',
      unitSingular: 'insats',
      // The published text says "minst 15" without a period; per year is the likely reading.
      target: { kind: 'perYear', count: 15 },
      youthFocus: true,
    },
    {
      id: 'lob-och-polislagen',
      pledgeNumber: 2,
      owner: 'Polisen',
      wording: 'Öka den upplevda tryggheten i centrala Tranås genom aktiv användning av LOB och polislagen',
      unit: 'ingripanden',
      unitSingular: 'ingripande',
      target: { kind: 'none' },
    },
    {
      id: 'krogkontroller',
      pledgeNumber: 2,
      owner: 'Båda',
      wording: 'Krogkontroller',
      unit: 'kontroller',
      unitSingular: 'kontroll',
      target: { kind: 'none' },
    },
    {
      id: 'langning-kampanjer',
      pledgeNumber: 1,
      owner: 'Kommunen',
      wording: 'Informationssatsningar och nationella kampanjer mot langning av alkohol och tobak',
      unit: 'insatser',
      unitSingular: 'insats',
      target: { kind: 'none' },
      youthFocus: true,
    },
    {
      id: 'samverkansmoten-sspf-est',
      pledgeNumber: 2,
      owner: 'Båda',
      wording: 'Återkommande samverkansmöten genom arbetsmodellerna SSPF och EST',
      unit: 'möten',
      unitSingular: 'möte',
      target: { kind: 'none' },
    },
  ],
};
