import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { deepFreeze } from '../../src/storage/freeze.js';
import { parseAgreement, type Agreement, type AgreementInput } from '../../src/domain/agreement.js';
import {
  parseQuestion,
  QUESTION_EXAMPLES_EN,
  QUESTION_EXAMPLES_SV,
  type Question,
} from '../../src/domain/questions/index.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';

function agreementOf(input: AgreementInput): Agreement {
  const parsed = parseAgreement(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

const tranas = agreementOf(TRANAS_2023_2024);
const TODAY = '2024-03-14'; // torsdag, vecka 11, tertial 1 2024

const TRAFFIC = 'trafikkontroller';
const RIKTADE = 'riktade-insatser-narkotika';
const LOB = 'lob-och-polislagen';
const KROG = 'krogkontroller';
const LANGNING = 'langning-kampanjer';
const MOTEN = 'samverkansmoten-sspf-est';

const overall: Question = { kind: 'overallStatus' };
const pledge = (n: number): Question => ({ kind: 'pledgeStatus', pledgeNumber: n });
const activity = (id: string, n: number): Question => ({ kind: 'activityStatus', activityId: id, pledgeNumber: n });
const year = (y: number) => ({ kind: 'year', year: y }) as const;
const week = (w: string) => ({ kind: 'week', week: w }) as const;
const tertial = (t: string) => ({ kind: 'tertial', tertial: t }) as const;
const period = { kind: 'period' } as const;

const CASES: [string, Question][] = [
  // Overall status
  ['hur går det?', overall],
  ['Hur går det för oss', overall],
  ['läget?', overall],
  ['laget', overall],
  ['status för löftet', overall],
  ['How are we doing?', overall],
  ['HUR GAR DET', overall],
  ['hej! hur går det i stort?', overall],
  ['lägesbild', overall],
  ["how's it going", overall],

  // Pledge status, by number and by subject
  ['hur går löfte 2', pledge(2)],
  ['löfte 3?', pledge(3)],
  ['promise 1', pledge(1)],
  ['lofte nr 1', pledge(1)],
  ['status för andra löftet', pledge(2)],
  ['hur går det med trafiken', pledge(3)],
  ['hur gar det med trafken', pledge(3)],
  ['narkotikan', pledge(1)],
  ['tryggheten i centrum', pledge(2)],
  ['Hur går det med tryggheten i centrum?', pledge(2)],
  ['hur går det med drogerna?', pledge(1)],
  ['how is promise 2 going', pledge(2)],
  ['how is traffic going', pledge(3)],
  ['lägesbilden för trafiken', pledge(3)],
  ['hur ser det ut', overall],

  // Activity status: an activity clearly named
  ['hur går det med krogkontrollerna', activity(KROG, 2)],
  ['hur går det med trafikkontrollerna?', activity(TRAFFIC, 3)],
  ['hur går det med riktde insatser', activity(RIKTADE, 1)],
  ['status kampanjerna mot langning', activity(LANGNING, 1)],
  ['ligger trafikkontrollerna i fas?', activity(TRAFFIC, 3)],

  // Counts
  ['hur många trafikkontroller i år?', { kind: 'count', activityIds: [TRAFFIC], window: year(2024) }],
  ['riktade insatser vecka 12', { kind: 'count', activityIds: [RIKTADE], window: week('2023-W12') }],
  ['antal krogkontroller förra veckan', { kind: 'count', activityIds: [KROG], window: week('2024-W10') }],
  [
    'hur många insatser har vi gjort i tertial 1',
    { kind: 'count', activityIds: [RIKTADE, LANGNING], window: tertial('2024-T1') },
  ],
  ['how many traffic checks this year', { kind: 'count', activityIds: [TRAFFIC], window: year(2024) }],
  ['trafikkontroller 2023', { kind: 'count', activityIds: [TRAFFIC], window: year(2023) }],
  ['hur många kontroller under perioden', { kind: 'count', activityIds: [TRAFFIC, KROG], window: period }],
  ['hur manga trafikkontoller i ar', { kind: 'count', activityIds: [TRAFFIC], window: year(2024) }],
  [
    'hej! kan du säga hur många riktade insatser vi har gjort i år?',
    { kind: 'count', activityIds: [RIKTADE], window: year(2024) },
  ],
  ['Hur många riktde insatser v. 10', { kind: 'count', activityIds: [RIKTADE], window: week('2024-W10') }],
  ['antal trafikkontroller v. 12 2023', { kind: 'count', activityIds: [TRAFFIC], window: week('2023-W12') }],
  ['trafikkontroller vecka 12 2023', { kind: 'count', activityIds: [TRAFFIC], window: week('2023-W12') }],
  ['hur många razzior denna vecka', { kind: 'count', activityIds: [RIKTADE], window: week('2024-W11') }],
  ['krogkontroller den här veckan', { kind: 'count', activityIds: [KROG], window: week('2024-W11') }],
  ['how many bar checks last week', { kind: 'count', activityIds: [KROG], window: week('2024-W10') }],
  ['hur många LOB-ingripanden i T2', { kind: 'count', activityIds: [LOB], window: tertial('2023-T2') }],
  ['antal kampanjer första tertialen', { kind: 'count', activityIds: [LANGNING], window: tertial('2024-T1') }],
  ['hur många samverkansmöten detta tertial', { kind: 'count', activityIds: [MOTEN], window: tertial('2024-T1') }],
  [
    'hur många insatser i tertial 2 2023',
    { kind: 'count', activityIds: [RIKTADE, LANGNING], window: tertial('2023-T2') },
  ],
  ['hur många möten förra året', { kind: 'count', activityIds: [MOTEN], window: year(2023) }],
  ['hur många SSPF-möten har vi haft totalt', { kind: 'count', activityIds: [MOTEN], window: period }],
  ['antal trafikkontroller det här tertialet', { kind: 'count', activityIds: [TRAFFIC], window: tertial('2024-T1') }],
  ['hur många trafikkontroller förra tertialet', { kind: 'count', activityIds: [TRAFFIC], window: tertial('2023-T3') }],
  [
    'hur många insatser för löfte 1 i år',
    { kind: 'count', activityIds: [RIKTADE, LANGNING], pledgeNumber: 1, window: year(2024) },
  ],
  ['hur många aktiviteter för trafiken i år', { kind: 'count', activityIds: [], pledgeNumber: 3, window: year(2024) }],
  ['how many traffic controls in 2023', { kind: 'count', activityIds: [TRAFFIC], window: year(2023) }],
  ['hur många kontroller 2024-W05', { kind: 'count', activityIds: [TRAFFIC, KROG], window: week('2024-W05') }],
  ['HUR MÅNGA TRAFIKKONTROLLER HELA PERIODEN', { kind: 'count', activityIds: [TRAFFIC], window: period }],
  ['hur många ingripanden vecka 53 2020', { kind: 'count', activityIds: [LOB], window: week('2020-W53') }],
  ['hur många har vi gjort i år', { kind: 'count', activityIds: [], window: year(2024) }],
  ['antal trafikkontroller', { kind: 'count', activityIds: [TRAFFIC], window: year(2024) }],
  ['how many raids in tertial 3 2023', { kind: 'count', activityIds: [RIKTADE], window: tertial('2023-T3') }],
  ['hur många trafikkontroller senaste veckan', { kind: 'count', activityIds: [TRAFFIC], window: week('2024-W10') }],
  ['hur många trafikkontroller i fjol', { kind: 'count', activityIds: [TRAFFIC], window: year(2023) }],
  ['hur många narkotikainsatser sedan start', { kind: 'count', activityIds: [RIKTADE], window: period }],

  // Recent
  ['vad har gjorts i centrum?', { kind: 'recent', area: 'Centrum' }],
  ['vad har hänt på resecentrum senaste tiden', { kind: 'recent', area: 'Resecentrum' }],
  ['vad har gjorts för löfte 1', { kind: 'recent', pledgeNumber: 1 }],
  ['What was done in Centrum', { kind: 'recent', area: 'Centrum' }],
  ['vad har hant pa krogen', { kind: 'recent', area: 'Krogmiljön' }],
  ['vad har gjorts med trafikkontrollerna', { kind: 'recent', activityIds: [TRAFFIC] }],
  ['senaste krogkontrollerna', { kind: 'recent', activityIds: [KROG] }],
  ['vad har vi gjort vid skolorna', { kind: 'recent', area: 'Skolor' }],
  ['vad har gjorts i hela kommunen', { kind: 'recent', area: 'Hela kommunen' }],
  ['vad har hänt', { kind: 'recent' }],

  // Behind
  ['vilka aktiviteter ligger efter?', { kind: 'behind' }],
  ['vad ligger efter', { kind: 'behind' }],
  ['what is behind', { kind: 'behind' }],
  ['Ligger vi efter med något?', { kind: 'behind' }],

  // Missing reporters
  ['vem har inte rapporterat?', { kind: 'missingReporters' }],
  ['vilka har inte rapporterat denna vecka', { kind: 'missingReporters' }],
  ['who has not reported', { kind: 'missingReporters' }],
  ["who hasn't reported yet", { kind: 'missingReporters' }],
  ['vilka rapporter saknas', { kind: 'missingReporters' }],

  // Next meeting
  ['när är nästa möte?', { kind: 'nextMeeting' }],
  ['nästa samverkansmöte', { kind: 'nextMeeting' }],
  ['when is the next meeting', { kind: 'nextMeeting' }],
  ['nar ar nasta mote', { kind: 'nextMeeting' }],
  ['när är nästa EST-möte', { kind: 'nextMeeting' }],

  // Targets
  ['vilka är målen?', { kind: 'targets' }],
  ['vad är målet för trafikkontroller', { kind: 'targets', activityIds: [TRAFFIC] }],
  ['what are the targets', { kind: 'targets' }],
  ['vad är målen för löfte 1', { kind: 'targets', pledgeNumber: 1 }],
  ['malet for riktade insatser', { kind: 'targets', activityIds: [RIKTADE] }],
];

const UNKNOWN = [
  'vad är klockan',
  'skriv en dikt',
  '',
  '   ',
  'hej',
  '?!',
  'hur många bilar finns det',
  'skriv en dikt om 2024',
  // A time the bot cannot count for is not answered with another time.
  'hur många trafikkontroller vecka 60',
  'trafikkontroller vecka 53 2023',
];

describe('questions: parseQuestion', () => {
  it(`has a table of at least 60 phrasings (${CASES.length})`, () => {
    assert.ok(CASES.length >= 60);
  });

  for (const [text, expected] of CASES) {
    it(`"${text}" → ${expected.kind}`, () => {
      assert.deepEqual(parseQuestion(text, tranas, TODAY), expected);
    });
  }

  for (const text of UNKNOWN) {
    it(`"${text}" is not understood`, () => {
      assert.equal(parseQuestion(text, tranas, TODAY).kind, 'unknown');
    });
  }

  it('resolves a week number against today: a week still to come is last year', () => {
    assert.deepEqual(parseQuestion('trafikkontroller vecka 11', tranas, TODAY), {
      kind: 'count',
      activityIds: [TRAFFIC],
      window: week('2024-W11'),
    });
    assert.deepEqual(parseQuestion('trafikkontroller vecka 12', tranas, TODAY), {
      kind: 'count',
      activityIds: [TRAFFIC],
      window: week('2023-W12'),
    });
    assert.deepEqual(parseQuestion('trafikkontroller vecka 12', tranas, '2024-12-30'), {
      kind: 'count',
      activityIds: [TRAFFIC],
      window: week('2024-W12'),
    });
    // 2024-12-30 belongs to ISO week 2025-W01: "denna vecka" follows the ISO year.
    assert.deepEqual(parseQuestion('trafikkontroller denna vecka', tranas, '2024-12-30'), {
      kind: 'count',
      activityIds: [TRAFFIC],
      window: week('2025-W01'),
    });
  });

  it('uses the areas it is given', () => {
    const areas = ['Stationsområdet', 'Torget'];
    assert.deepEqual(parseQuestion('vad har gjorts på torget?', tranas, TODAY, { areas }), {
      kind: 'recent',
      area: 'Torget',
    });
    assert.deepEqual(parseQuestion('vad har gjorts i centrum?', tranas, TODAY, { areas }), {
      kind: 'recent',
      pledgeNumber: 2,
    });
  });

  it('is deterministic', () => {
    for (const [text] of CASES)
      assert.deepEqual(parseQuestion(text, tranas, TODAY), parseQuestion(text, tranas, TODAY));
  });

  it('understands every example it shows', () => {
    for (const text of [...QUESTION_EXAMPLES_SV, ...QUESTION_EXAMPLES_EN]) {
      assert.notEqual(parseQuestion(text, tranas, TODAY).kind, 'unknown', text);
    }
  });
});

describe('questions: matching is driven by the agreement data', () => {
  const other = agreementOf({
    id: 'exempelby-2025',
    municipality: 'Exempelby kommun',
    policeArea: 'Lokalpolisområde Exempel',
    periodStart: '2024-01-01',
    periodEnd: '2025-12-31',
    pledges: [
      { number: 1, wording: 'Öka tryggheten i bostadsområdena.', keywords: ['trygghet'] },
      { number: 2, wording: 'Minska skadegörelsen i centrum.', keywords: ['skadegörelse', 'klotter'] },
    ],
    activities: [
      {
        id: 'trygghetsvandringar',
        pledgeNumber: 1,
        owner: 'Båda',
        wording: 'Trygghetsvandringar i bostadsområden',
        unit: 'vandringar',
        target: { kind: 'perYear', count: 10 },
      },
      {
        id: 'klottersanering',
        pledgeNumber: 2,
        owner: 'Kommunen',
        wording: 'Sanering av klotter inom ett dygn',
        unit: 'saneringar',
        target: { kind: 'none' },
      },
    ],
  });

  const cases: [string, Question][] = [
    [
      'hur många trygghetsvandringar i år?',
      { kind: 'count', activityIds: ['trygghetsvandringar'], window: year(2024) },
    ],
    [
      'hur mnga trygghetsvandringr förra veckan',
      { kind: 'count', activityIds: ['trygghetsvandringar'], window: week('2024-W10') },
    ],
    ['vandringar vecka 10', { kind: 'count', activityIds: ['trygghetsvandringar'], window: week('2024-W10') }],
    ['hur går det med tryggheten?', pledge(1)],
    ['hur går trygghetsvandringarna', activity('trygghetsvandringar', 1)],
    ['hur går det med klottret', pledge(2)],
    ['antal saneringar totalt', { kind: 'count', activityIds: ['klottersanering'], window: period }],
    ['vad är målet för trygghetsvandringarna', { kind: 'targets', activityIds: ['trygghetsvandringar'] }],
  ];
  for (const [text, expected] of cases) {
    it(`"${text}" → ${expected.kind}`, () => {
      assert.deepEqual(parseQuestion(text, other, TODAY), expected);
    });
  }

  it('does not know the other agreement’s activities', () => {
    // Tranås words mean nothing here: no trafikkontroller, no krogkontroller.
    assert.deepEqual(parseQuestion('hur många trafikkontroller i år?', other, TODAY), {
      kind: 'unknown',
      notUnderstood: ['trafikkontroller'],
    });
    // Named, not answered with the overall status.
    assert.deepEqual(parseQuestion('hur går det med krogkontrollerna', other, TODAY), {
      kind: 'unknown',
      notUnderstood: ['krogkontrollerna'],
    });
  });
});

describe('parseQuestion: the agreement vocabulary is computed once, never stale', () => {
  it('gives the same answers for a frozen agreement (as the store holds it) as for a plain one', () => {
    const frozen = deepFreeze(structuredClone(tranas));
    for (const [text] of CASES) {
      assert.deepEqual(parseQuestion(text, frozen, TODAY), parseQuestion(text, tranas, TODAY), text);
      // Asked again: the same answer from the kept vocabulary.
      assert.deepEqual(parseQuestion(text, frozen, TODAY), parseQuestion(text, tranas, TODAY), text);
    }
  });

  it('follows an agreement whose wording is changed in place between questions', () => {
    const edited = structuredClone(tranas);
    const q = 'hur många cykelkontroller i år?';
    assert.deepEqual(parseQuestion(q, edited, TODAY), { kind: 'unknown', notUnderstood: ['cykelkontroller'] });
    const traffic = edited.activities.find((a) => a.id === TRAFFIC)!;
    traffic.wording = 'Cykelkontroller och trafikkontroller för en säker trafikmiljö';
    assert.deepEqual(parseQuestion(q, edited, TODAY), { kind: 'count', activityIds: [TRAFFIC], window: year(2024) });
    traffic.wording = tranas.activities.find((a) => a.id === TRAFFIC)!.wording;
    assert.deepEqual(parseQuestion(q, edited, TODAY), { kind: 'unknown', notUnderstood: ['cykelkontroller'] });
  });

  it('answers by each of many frozen agreements (one deployment, 290 municipalities), each by its own words', () => {
    const q = 'hur många cykelkontroller i år?';
    const many = Array.from({ length: 300 }, (_, i) => {
      const a = structuredClone(tranas);
      a.id = `kommun-${i}`;
      a.municipality = `Kommun ${i}`;
      // Every third municipality calls its traffic checks "cykelkontroller".
      if (i % 3 === 0) a.activities.find((x) => x.id === TRAFFIC)!.wording = 'Cykelkontroller för en säker trafikmiljö';
      return deepFreeze(a);
    });
    for (let round = 0; round < 2; round++)
      for (const [i, a] of many.entries())
        assert.deepEqual(
          parseQuestion(q, a, TODAY),
          i % 3 === 0
            ? { kind: 'count', activityIds: [TRAFFIC], window: year(2024) }
            : { kind: 'unknown', notUnderstood: ['cykelkontroller'] },
          `${a.municipality}, round ${round}`,
        );
  });

  it('follows a changed unit, a changed municipality name (its words are not subjects) and a changed list of areas', () => {
    const q = 'hur många cykelpass i år?';
    const withUnit = structuredClone(tranas);
    withUnit.activities.find((a) => a.id === KROG)!.unit = 'cykelpass';
    assert.deepEqual(parseQuestion(q, tranas, TODAY), { kind: 'unknown', notUnderstood: ['cykelpass'] });
    assert.deepEqual(parseQuestion(q, withUnit, TODAY), { kind: 'count', activityIds: [KROG], window: year(2024) });
    // The municipality's own name is a place, not a subject: a count for the whole municipality.
    assert.deepEqual(parseQuestion(q, { ...withUnit, municipality: 'Cykelpass kommun' }, TODAY), {
      kind: 'count',
      activityIds: [],
      window: year(2024),
    });
    assert.deepEqual(
      parseQuestion('vad har gjorts i gamla stan?', tranas, TODAY, { areas: ['Gamla stan', 'Centrum'] }),
      { kind: 'recent', area: 'Gamla stan' },
    );
    assert.deepEqual(parseQuestion('vad har gjorts i gamla stan?', tranas, TODAY, { areas: ['Centrum'] }), {
      kind: 'unknown',
      notUnderstood: ['gamla', 'stan'],
    });
  });
});
