import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { formatNumber } from '../../src/texts/format.js';

describe('formatNumber', () => {
  it('writes every number as Intl does in both locales (small whole numbers without calling it)', () => {
    const numbers = [
      ...Array.from({ length: 1001 }, (_, i) => i),
      -0,
      -1,
      -999,
      0.5,
      999.5,
      1000,
      1234,
      12345.678,
      1e6,
      Number.NaN,
      Infinity,
    ];
    for (const [locale, tag] of [
      ['sv', 'sv-SE'],
      ['en', 'en-GB'],
    ] as const) {
      const intl = new Intl.NumberFormat(tag);
      for (const n of numbers) assert.equal(formatNumber(n, locale), intl.format(n), `${locale} ${n}`);
    }
  });
});
