import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import { validateMinutes } from '../../src/app/meetings.js';
import { anyDisguised, inContext, SEED, splitInTwo } from '../helpers/identifiers.js';
import { runs } from '../helpers/runs.js';

/**
 * "Beslut" and "att göra till nästa gång" are free text a coordinator types after a meeting: every
 * identifier the privacy guard knows, however written, is refused, in either field or split between
 * them, and ordinary minutes pass.
 */
describe('meeting minutes: the privacy guard on generated identifiers', () => {
  it('refuses a disguised identifier in either field, in a sentence', () => {
    fc.assert(
      fc.property(inContext, fc.boolean(), (d, inDecisions) => {
        const text = d.text;
        const r = validateMinutes(
          inDecisions ? { decisions: text } : { decisions: 'Beslut om krogkontroller', followUps: text },
        );
        return (
          !r.ok &&
          r.errors.some((e) => e.code === 'personalData' && e.field === (inDecisions ? 'decisions' : 'followUps'))
        );
      }),
      { seed: SEED, numRuns: runs(1000) },
    );
  });

  it('refuses an identifier split between the two fields', () => {
    fc.assert(
      fc.property(
        anyDisguised.chain((d) => splitInTwo(d)),
        ([a, b]) => !validateMinutes({ decisions: a, followUps: b }).ok,
      ),
      { seed: SEED, numRuns: runs(1000) },
    );
  });

  it('keeps ordinary minutes, one item per line, and needs at least one of the two', () => {
    const r = validateMinutes({
      decisions: 'Krogkontroller varannan fredag\r\nNy skylt vid resecentrum',
      followUps: '  Kommunen bjuder in till krogträff före valborg ',
    });
    assert.deepEqual(r, {
      ok: true,
      value: {
        decisions: 'Krogkontroller varannan fredag\nNy skylt vid resecentrum',
        followUps: 'Kommunen bjuder in till krogträff före valborg',
      },
    });
    assert.deepEqual(validateMinutes({ decisions: ' ', followUps: '' }), {
      ok: false,
      errors: [{ field: 'decisions', code: 'required' }],
    });
    const long = validateMinutes({ decisions: 'a'.repeat(2001) });
    assert.ok(!long.ok && long.errors.some((e) => e.code === 'tooLong'));
  });
});
