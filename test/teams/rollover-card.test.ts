import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { AgreementSchema } from '../../src/domain/agreement.js';
import { nextPeriod } from '../../src/domain/rollover.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { MAX_CARD_ACTIVITIES, parseRolloverData, rolloverCard } from '../../src/teams/cards/rollover-cards.js';
import { sv } from '../../src/texts/index.js';
import { assertValidCard } from '../helpers/card-validate.js';

describe('rollover card', () => {
  const base = AgreementSchema.parse(TRANAS_2023_2024);
  const withActivities = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      ...base.activities[0]!,
      id: `aktivitet-${i + 1}`,
      pledgeNumber: (i % 3) + 1,
      wording: `Aktivitet ${i + 1} `.padEnd(300, 'x'),
    }));
  const cardFor = (n: number) => {
    const from = AgreementSchema.parse({ ...base, activities: withActivities(n) });
    return rolloverCard(sv, { kind: 'form', from, proposed: nextPeriod(from), later: [] });
  };

  it('stays a valid Adaptive Card 1.5 under 80 KB with the most activities it shows, at the longest wordings', () => {
    const card = cardFor(MAX_CARD_ACTIVITIES);
    assertValidCard(card);
    assert.ok(JSON.stringify(card).length > 55_000, 'the test card is a large one');
    // Refused, with an error under every activity and the period.
    const from = AgreementSchema.parse({ ...base, activities: withActivities(MAX_CARD_ACTIVITIES) });
    const refused = rolloverCard(sv, {
      kind: 'invalid',
      from,
      input: { periodStart: '2025-01-01', periodEnd: '2024-01-01' },
      errors: [
        { field: 'periodEnd', code: 'beforeStart' },
        ...from.activities.map((a) => ({ field: 'activity' as const, activityId: a.id, code: 'count' as const })),
      ],
    });
    assertValidCard(refused);
  });

  it('names the agreement CLI instead of a card too large for Teams', () => {
    const card = cardFor(MAX_CARD_ACTIVITIES + 1);
    assertValidCard(card);
    assert.ok(JSON.stringify(card).includes(sv.rollover.tooMany(MAX_CARD_ACTIVITIES + 1, MAX_CARD_ACTIVITIES)));
  });

  it('reads only string values and activity-like ids from card data', () => {
    const input = parseRolloverData({
      fromAgreementId: 'tranas-2023-2024',
      periodStart: '2025-01-01',
      periodEnd: { toString: 'not a string' },
      'count.trafikkontroller': 35,
      'kind.trafikkontroller': 'perYear',
      'drop.krogkontroller': 'true',
      'count.<script>': '1',
      'kind.x': ['perYear'],
    });
    assert.deepEqual(input, {
      periodStart: '2025-01-01',
      periodEnd: '',
      activities: {
        trafikkontroller: { count: '35', kind: 'perYear' },
        krogkontroller: { drop: true },
        x: { kind: '' },
      },
    });
  });
});
