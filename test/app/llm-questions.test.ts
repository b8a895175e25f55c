import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  acceptableLead,
  questionForTool,
  questionMaySendToModel,
  summarizeAnswer,
} from '../../src/app/llm-questions.js';
import type { Answer } from '../../src/app/questions.js';
import { parseAgreement } from '../../src/domain/agreement.js';
import { DEFAULT_AREAS } from '../../src/domain/questions/index.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';

const parsed = parseAgreement(TRANAS_2023_2024);
if (!parsed.ok) throw new Error('the Tranås agreement does not parse');
const a = parsed.value;
const TODAY = '2024-11-14';
const q = (name: string, params: unknown) => questionForTool(name, params, a, TODAY, DEFAULT_AREAS);

describe('language model tools: parameters checked against the agreement', () => {
  it('turns a valid call into the Question the parser would produce', () => {
    assert.deepEqual(q('count', { activities: ['trafikkontroller', 'krogkontroller'], window: 'year' }), {
      kind: 'count',
      activityIds: ['trafikkontroller', 'krogkontroller'],
      window: { kind: 'year', year: 2024 },
    });
    assert.deepEqual(q('count', { pledge: 3, window: 'week', week: 12 }), {
      kind: 'count',
      activityIds: [],
      pledgeNumber: 3,
      window: { kind: 'week', week: '2024-W12' },
    });
    assert.deepEqual(
      q('count', { window: 'week', week: 50 }),
      { kind: 'count', activityIds: [], window: { kind: 'week', week: '2023-W50' } },
      'a week after this one is last year’s',
    );
    assert.deepEqual(q('count', { window: 'tertial' }), {
      kind: 'count',
      activityIds: [],
      window: { kind: 'tertial', tertial: '2024-T3' },
    });
    assert.deepEqual(q('count', { window: 'period', activities: null }), {
      kind: 'count',
      activityIds: [],
      window: { kind: 'period' },
    });
    assert.deepEqual(q('activity_status', { activity: 'krogkontroller' }), {
      kind: 'activityStatus',
      activityId: 'krogkontroller',
      pledgeNumber: 2,
    });
    assert.deepEqual(q('recent', { area: 'Centrum' }), { kind: 'recent', area: 'Centrum' });
    assert.deepEqual(q('targets', {}), { kind: 'targets' });
    assert.deepEqual(q('overall_status', undefined), { kind: 'overallStatus' });
    // The new windows and filters, the same structured query as the parser's.
    assert.deepEqual(
      q('count', { activities: ['trafikkontroller'], window: 'week', week: 10, party: 'Polisen', area: 'Resecentrum' }),
      {
        kind: 'count',
        activityIds: ['trafikkontroller'],
        window: { kind: 'week', week: '2024-W10' },
        party: 'Polisen',
        area: 'Resecentrum',
      },
    );
    assert.deepEqual(q('summary', { window: 'month', month: 10 }), {
      kind: 'summary',
      window: { kind: 'month', month: '2024-10' },
    });
    assert.deepEqual(q('compare', { window: 'year', previous: 'year' }), {
      kind: 'compare',
      activityIds: [],
      window: { kind: 'year', year: 2024 },
      previous: { kind: 'year', year: 2023 },
    });
    assert.deepEqual(q('goal', { activities: ['trafikkontroller'] }), {
      kind: 'goal',
      activityIds: ['trafikkontroller'],
    });
    assert.deepEqual(q('raise', {}), { kind: 'raise' });
  });

  it('names a constraint the model could not express instead of dropping it, with the user’s own words only', () => {
    const asked = 'hur många trafikkontroller gjorde hundpatrullen i år?';
    assert.deepEqual(
      questionForTool(
        'count',
        { activities: ['trafikkontroller'], window: 'year', not_understood: ['hundpatrullen'] },
        a,
        TODAY,
        DEFAULT_AREAS,
        asked,
      ),
      {
        kind: 'unknown',
        notUnderstood: ['hundpatrullen'],
      },
    );
    // Words the question does not hold are the model's own: refused, never shown.
    assert.ok(
      'invalid' in
        questionForTool('count', { window: 'year', not_understood: ['allt gick bra'] }, a, TODAY, DEFAULT_AREAS, asked),
    );
  });

  it('refuses what the agreement does not know', () => {
    for (const [name, params] of [
      ['show_all_report_texts', {}],
      ['count', { activities: ['alla-rapporter'], window: 'year' }],
      ['count', { window: 'month', year: 2019, month: 3 }],
      ['count', { window: 'range', from: '2024-05-01', to: '2024-04-01' }],
      ['count', { window: 'year', party: 'Räddningstjänsten' }],
      ['count', { window: 'year', area: 'Månen' }],
      ['recent', { not_understood: ['vecka 60'] }],
      ['count', { window: 'year', year: 2019 }],
      ['count', { window: 'week', week: 53, year: 2024 }],
      ['count', { activities: ['trafikkontroller'], pledge: 1, window: 'year' }],
      ['count', { activities: ['trafikkontroller', 'trafikkontroller'], window: 'year' }],
      ['recent', { area: 'alla' }],
      ['recent', { includeDescriptions: true }],
      ['pledge_status', { pledge: 42 }],
      ['pledge_status', {}],
      ['behind', { everything: true }],
      ['count', 'window=year'],
    ] as const) {
      assert.ok('invalid' in q(name, params), `${name} ${JSON.stringify(params)}`);
    }
  });
});

describe('language model: what may be sent and shown', () => {
  it('sends no question with personal identifiers, nor an overlong one', () => {
    assert.equal(questionMaySendToModel('hur ligger vi till med krogarna?'), true);
    assert.equal(questionMaySendToModel('vad gjorde 121212-1212 i helgen?'), false);
    assert.equal(questionMaySendToModel('ring 070-123 45 67'), false);
    assert.equal(questionMaySendToModel('x'.repeat(501)), false);
    assert.equal(questionMaySendToModel('   '), false);
  });

  it('keeps a lead only as one short line without digits, links or identifiers', () => {
    assert.equal(
      acceptableLead('  Här är en överblick över kontrollerna i år. '),
      'Här är en överblick över kontrollerna i år.',
    );
    for (const bad of [
      'Ni har gjort 12 kontroller.',
      'Rad ett\nRad två',
      'Läs mer på https://example.org',
      'Skriv till a@b.se',
      'x'.repeat(161),
      'UNKNOWN',
      '',
      42,
      undefined,
    ]) {
      assert.equal(acceptableLead(bad), undefined, String(bad));
    }
  });

  it('leaves report descriptions out of the tool result unless allowed', () => {
    const report = {
      date: '2024-11-12',
      area: 'Centrum',
      activityId: 'krogkontroller',
      count: 2,
      description: 'Kontroll av serveringstillstånd',
    };
    const answer = {
      kind: 'recent',
      scope: { activityIds: [], area: 'Centrum' },
      reports: [report],
    } as unknown as Answer;
    assert.doesNotMatch(summarizeAnswer(answer, false), /serveringstillstånd/);
    assert.match(summarizeAnswer(answer, false), /2024-11-12 Centrum krogkontroller 2/);
    assert.match(summarizeAnswer(answer, true), /Kontroll av serveringstillstånd/);
  });
});
