import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { closeTo, editDistance, fold, withinDistance } from '../../src/domain/text-match.js';

/** The textbook full matrix, kept here as the reference the fast versions are checked against. */
function referenceDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

describe('text matching', () => {
  it('folds case, diacritics and punctuation', () => {
    assert.equal(fold('  HJÄLP! '), 'hjalp');
    assert.equal(fold('Hur många trafik-kontroller i år?'), 'hur manga trafik-kontroller i ar');
  });

  it('counts edits, a swap of neighbours as one', () => {
    assert.equal(editDistance('', ''), 0);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('kontroll', 'kontroll'), 0);
    assert.equal(editDistance('trafken', 'trafiken'), 1);
    assert.equal(editDistance('trafikkontorller', 'trafikkontroller'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    // A longer string after a shorter one: the rows it reuses are grown, not stale.
    assert.equal(editDistance('narkotikainsatserna', 'narkotikainsats'), 4);
    assert.equal(editDistance('ab', 'ba'), 1);
  });

  it('decides "within k edits" exactly as the full distance does', () => {
    // Deterministic pseudo-random pairs: a word and a few edits of it, or an unrelated word.
    let seed = 12345;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const letters = 'aabcdek';
    for (let t = 0; t < 20000; t++) {
      const a = Array.from({ length: rnd(13) }, () => letters[rnd(letters.length)]).join('');
      let b = a.split('');
      for (let e = rnd(4); e > 0; e--) {
        const i = rnd(b.length + 1);
        const op = rnd(4);
        if (op === 0) b.splice(i, 1);
        else if (op === 1) b.splice(i, 0, letters[rnd(letters.length)]!);
        else if (op === 2) b[i] = letters[rnd(letters.length)]!;
        else if (i + 1 < b.length) [b[i], b[i + 1]] = [b[i + 1]!, b[i]!];
      }
      if (rnd(5) === 0) b = Array.from({ length: rnd(13) }, () => letters[rnd(letters.length)]!);
      const bs = b.join('');
      const d = referenceDistance(a, bs);
      assert.equal(editDistance(a, bs), d, `${a} / ${bs}`);
      for (const k of [0, 1, 2, 3]) assert.equal(withinDistance(a, bs, k), d <= k, `${a} / ${bs} within ${k}`);
    }
  });

  it('allows no typo under 5 letters, one from 5 and two from 9', () => {
    assert.equal(closeTo('mote', 'mote'), true);
    assert.equal(closeTo('mota', 'mote'), false);
    assert.equal(closeTo('statsu', 'status'), true);
    assert.equal(closeTo('stat', 'status'), false);
    assert.equal(closeTo('trafkkontrller', 'trafikkontroller'), true);
    assert.equal(closeTo('trafkkontrlle', 'trafikkontroller'), false);
  });
});
