import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { AgreementSchema, type Agreement } from '../../src/domain/agreement.js';
import { scopesOf } from '../../src/domain/scope.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';

const agreement = (municipality: string, id: string, periodStart = '2023-01-01'): Agreement =>
  AgreementSchema.parse({
    ...TRANAS_2023_2024,
    id,
    municipality,
    periodStart,
    periodEnd: `${Number(periodStart.slice(0, 4)) + 1}-12-31`,
  });

describe('scopesOf: the municipalities of a deployment', () => {
  it('sorts by Swedish collation (å, ä, ö after z; case and accents as Swedish readers expect)', () => {
    const names = [
      'Östersunds kommun',
      'Ånge kommun',
      'Zeta kommun',
      'Älmhults kommun',
      'arvika kommun',
      'Eksjö kommun',
    ];
    const scopes = scopesOf(names.map((m, i) => agreement(m, `a-${i}`)));
    assert.deepEqual(
      scopes.map((s) => s.municipality),
      ['arvika kommun', 'Eksjö kommun', 'Zeta kommun', 'Ånge kommun', 'Älmhults kommun', 'Östersunds kommun'],
    );
  });

  it('one entry per municipality, named as its newest agreement spells it', () => {
    const scopes = scopesOf([
      agreement('Tranås kommun', 'tranas-2023-2024'),
      agreement('Tranås Kommun', 'tranas-2025-2026', '2025-01-01'),
    ]);
    assert.deepEqual(scopes, [{ key: 'tranas-kommun', municipality: 'Tranås Kommun' }]);
  });

  it('answers again when an agreement is renamed, added or given a newer period (the last answer is kept only for the same input)', () => {
    const tranas = agreement('Tranås kommun', 'tranas-2023-2024');
    const eksjo = agreement('Eksjö kommun', 'eksjo-2023-2024');
    const first = scopesOf([tranas, eksjo]);
    assert.deepEqual(
      first.map((s) => s.key),
      ['eksjo-kommun', 'tranas-kommun'],
    );
    first.pop(); // a caller changing its copy changes nothing for the next one
    first[0]!.municipality = 'ändrad';
    assert.deepEqual(
      scopesOf([tranas, eksjo]).map((s) => s.municipality),
      ['Eksjö kommun', 'Tranås kommun'],
    );
    assert.deepEqual(
      scopesOf([tranas, agreement('Eksjö Kommun', 'eksjo-2023-2024')]).map((s) => s.municipality),
      ['Eksjö Kommun', 'Tranås kommun'],
    );
    const aneby = agreement('Aneby kommun', 'aneby-2023-2024');
    assert.deepEqual(
      scopesOf([tranas, eksjo, aneby]).map((s) => s.key),
      ['aneby-kommun', 'eksjo-kommun', 'tranas-kommun'],
    );
    const newer = agreement('Tranås stad', 'tranas-2025-2026', '2025-01-01');
    assert.deepEqual(
      scopesOf([tranas, eksjo, { ...newer, scope: 'tranas-kommun' }]).find((s) => s.key === 'tranas-kommun')
        ?.municipality,
      'Tranås stad',
    );
  });
});
