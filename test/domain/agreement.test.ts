import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  activitiesOfPledge,
  isInForce,
  parseAgreement,
  periodLabel,
  type Agreement,
} from '../../src/domain/agreement.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';

describe('agreement model', () => {
  const parsed = parseAgreement(TRANAS_2023_2024);
  const tranas = (parsed.ok ? parsed.value : undefined) as Agreement;

  it('accepts the Tranås 2023–2024 medborgarlöfte with three löften and six aktiviteter', () => {
    assert.ok(parsed.ok);
    assert.equal(tranas.pledges.length, 3);
    assert.equal(tranas.activities.length, 6);
    assert.equal(periodLabel(tranas), '2023–2024');
    const traffic = tranas.activities.find((a) => a.id === 'trafikkontroller')!;
    assert.deepEqual(traffic.target, { kind: 'perYear', count: 30 });
    assert.equal(traffic.owner, 'Polisen');
    assert.deepEqual(tranas.activities.find((a) => a.id === 'riktade-insatser-narkotika')!.target, {
      kind: 'perYear',
      count: 15,
    });
    assert.equal(tranas.activities.filter((a) => a.target.kind === 'none').length, 4);
  });

  it('groups activities by pledge', () => {
    assert.deepEqual(
      activitiesOfPledge(tranas, 3).map((a) => a.id),
      ['trafikkontroller'],
    );
    assert.equal(activitiesOfPledge(tranas, 2).length, 3);
  });

  it('is in force from the first to the last day of the period', () => {
    assert.equal(isInForce(tranas, '2022-12-31'), false);
    assert.equal(isInForce(tranas, '2023-01-01'), true);
    assert.equal(isInForce(tranas, '2024-12-31'), true);
    assert.equal(isInForce(tranas, '2025-01-01'), false);
  });

  it('names every failing field in Swedish', () => {
    const bad = {
      ...TRANAS_2023_2024,
      id: 'Tranås 2025',
      periodStart: '2025-13-01',
      periodEnd: '2024-01-01',
      activities: [
        { ...TRANAS_2023_2024.activities[0], owner: 'Regionen', pledgeNumber: 9 },
        { ...TRANAS_2023_2024.activities[1], target: { kind: 'perYear', count: -1 } },
      ],
    };
    const r = parseAgreement(bad);
    assert.equal(r.ok, false);
    const byPath = new Map(r.ok ? [] : r.errors.map((e) => [e.path, e.message]));
    assert.match(byPath.get('id')!, /a–z/);
    assert.match(byPath.get('periodStart')!, /giltigt datum/);
    assert.match(byPath.get('activities.0.owner')!, /Polisen, Kommunen eller Båda/);
    assert.match(byPath.get('activities.1.target.count')!, /positivt heltal/);
  });

  it('catches a pledge reference that does not exist, duplicate ids and an end before the start', () => {
    const r = parseAgreement({
      ...TRANAS_2023_2024,
      periodEnd: '2022-01-01',
      activities: [
        { ...TRANAS_2023_2024.activities[0], pledgeNumber: 9 },
        TRANAS_2023_2024.activities[0],
        TRANAS_2023_2024.activities[0],
      ],
    });
    assert.equal(r.ok, false);
    const messages = r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
    assert.ok(messages.some((m) => /periodEnd: måste vara/.test(m)));
    assert.ok(messages.some((m) => /activities\.0\.pledgeNumber: det finns inget löfte 9/.test(m)));
    assert.ok(messages.some((m) => /activities\.2\.id: id trafikkontroller finns redan/.test(m)));
  });
});
