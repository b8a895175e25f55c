import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { FILTERED_FROM, scopeChoiceCard } from '../../src/teams/cards/scope-card.js';
import { sv } from '../../src/texts/index.js';
import { assertValidCard } from '../helpers/card-validate.js';

const choiceSet = (card: Record<string, any>) => card.body.find((e: any) => e.type === 'Input.ChoiceSet');

describe('the municipality choice card', () => {
  it('is a plain drop-down for a few municipalities, in alphabetical order', () => {
    const card = scopeChoiceCard(
      sv,
      [
        { key: 'tranas-kommun', municipality: 'Tranås kommun' },
        { key: 'eksjo-kommun', municipality: 'Eksjö kommun' },
        { key: 'aneby-kommun', municipality: 'Aneby kommun' },
      ],
      { shared: false },
    );
    assertValidCard(card);
    const set = choiceSet(card);
    assert.equal(set.style, 'compact');
    assert.deepEqual(
      set.choices.map((c: any) => c.title),
      ['Aneby kommun', 'Eksjö kommun', 'Tranås kommun'],
    );
    assert.equal(set.value, 'aneby-kommun');
  });

  it('filters as one types when a regional reader has all 290 municipalities, and stays a valid card', () => {
    const all = Array.from({ length: 290 }, (_, i) => ({
      key: `kommun-${i}`,
      municipality: `Kommun ${String(i).padStart(3, '0')}`,
    }));
    const card = scopeChoiceCard(sv, all, { shared: false, current: all[42] });
    assertValidCard(card);
    const set = choiceSet(card);
    assert.ok(all.length > FILTERED_FROM);
    assert.equal(set.style, 'filtered');
    assert.equal(set.choices.length, 290);
    assert.equal(set.value, 'kommun-42', 'the current one stays chosen');
    assert.ok(Buffer.byteLength(JSON.stringify(card)) < 28_000, 'within the Teams message size');
  });
});
