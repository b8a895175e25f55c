import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  containsPersonalData,
  decimalDigitValue,
  findPersonalData,
  normaliseForCheck,
  personalDataKinds,
  cannotHoldIdentifier,
  scanNormalised,
} from '../../src/domain/privacy.js';
import { ORDINARY_REPORT_SENTENCES } from '../fixtures/ordinary-report-sentences.js';
import { runs } from '../helpers/runs.js';
import {
  anyDisguised,
  checkDigit,
  DISGUISES,
  disguised,
  IDENTIFIER_CLASSES,
  inContext,
  SEED,
  splitInTwo,
} from '../helpers/identifiers.js';

/** Generated identifiers per class: the figure docs/records-and-privacy.md quotes (PROPERTY_RUNS=1, as in CI). */
const RUNS_PER_CLASS = runs(1500);

describe('domain/privacy: generated disguises and the ordinary corpus', () => {
  describe('normaliseForCheck', () => {
    it('maps what keyboards and Word insert to the plain form', () => {
      const cases: [string, string][] = [
        ['850709\u20111234', '850709-1234'],
        ['850709\u00AD-1234', '850709-1234'],
        ['85\u200B0709\u22121234', '850709-1234'],
        ['\uFEFF850709\u20131234', '850709-1234'],
        ['\uFF18\uFF15\uFF10\uFF17\uFF10\uFF19-1234', '850709-1234'],
        ['\u0668\u0665\u0660\u0667\u0660\u0669-\u0967\u0968\u0969\u096A', '850709-1234'],
        ['850709\n1234', '850709 1234'],
        ['a   b\t\tc\r\nd', 'a b c d'],
        ['anna.andersson(at)polisen.se', 'anna.andersson@polisen.se'],
        ['anna.andersson [at] polisen.se', 'anna.andersson@polisen.se'],
        ['anna.andersson at polisen.se', 'anna.andersson@polisen.se'],
        ['anna.andersson snabel-a polisen.se', 'anna.andersson@polisen.se'],
        ['anna.andersson\uFF20polisen.se', 'anna.andersson@polisen.se'],
        ['anna(at)polisen(dot)se', 'anna@polisen.se'],
      ];
      for (const [typed, plain] of cases) assert.equal(normaliseForCheck(typed), plain, JSON.stringify(typed));
    });

    it('reads every decimal digit of every script (Unicode Nd comes in runs of ten from zero)', () => {
      let count = 0;
      let run = 0;
      for (let cp = 0; cp <= 0x10ffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) {
          run = 0;
          continue;
        }
        const ch = String.fromCodePoint(cp);
        if (/\p{Nd}/u.test(ch)) {
          assert.equal(decimalDigitValue(ch), run % 10, `U+${cp.toString(16)}`);
          assert.equal(normaliseForCheck(ch), String(run % 10), `U+${cp.toString(16)}`);
          run++;
          count++;
        } else {
          assert.equal(run % 10, 0, `a run of digits before U+${cp.toString(16)} is not a multiple of ten`);
          run = 0;
        }
      }
      assert.ok(count >= 600, `only ${count} Nd code points`);
    });
  });

  describe(`generated identifiers in random disguises (${RUNS_PER_CLASS} per class, seed ${SEED})`, () => {
    for (const kind of IDENTIFIER_CLASSES) {
      it(`refuses every generated ${kind}`, () => {
        let seen = 0;
        fc.assert(
          fc.property(disguised(kind), (d) => {
            seen++;
            return containsPersonalData(d.text) && personalDataKinds([d.text]).length > 0;
          }),
          { seed: SEED, numRuns: RUNS_PER_CLASS },
        );
        assert.equal(seen, RUNS_PER_CLASS);
      });
    }

    it('the disguises really change the text (the generator is not a no-op)', () => {
      const samples = fc.sample(anyDisguised, { seed: SEED, numRuns: runs(500, 200) });
      const changed = samples.filter((d) => d.text !== d.plain);
      assert.ok(changed.length > samples.length * 0.8, `${changed.length} of ${samples.length} changed`);
      for (const name of Object.keys(DISGUISES))
        assert.ok(
          samples.some((d) => d.disguises.includes(name) && d.text !== d.plain),
          name,
        );
    });

    it('refuses them inside ordinary sentences', () => {
      fc.assert(
        fc.property(inContext, (d) => containsPersonalData(d.text)),
        { seed: SEED, numRuns: runs(2000) },
      );
    });

    it('refuses an identifier split over two fields of one submission', () => {
      fc.assert(
        fc.property(
          anyDisguised.chain((d) => splitInTwo(d)),
          ([a, b]) => personalDataKinds([a, b]).length > 0,
        ),
        { seed: SEED, numRuns: runs(2000) },
      );
    });

    it('refuses a birth date in the description with the last four digits in the count', () => {
      const split = fc
        .record({
          year: fc.integer({ min: 1930, max: 2015 }),
          month: fc.integer({ min: 1, max: 12 }),
          day: fc.integer({ min: 1, max: 28 }),
          serial: fc.integer({ min: 0, max: 999 }),
          dash: fc.boolean(),
        })
        .map(({ year, month, day, serial, dash }) => {
          const date = `${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
          const nine = date + String(serial).padStart(3, '0');
          return {
            description: `Kontrollerad person född ${date}`,
            count: `${dash ? '-' : ''}${nine.slice(6)}${checkDigit(nine)}`,
          };
        });
      fc.assert(
        fc.property(
          split,
          ({ description, count }) =>
            !containsPersonalData(description) && personalDataKinds([description, count]).includes('personnummer'),
        ),
        { seed: SEED, numRuns: runs(1000) },
      );
    });
  });

  describe(`the ordinary corpus (${ORDINARY_REPORT_SENTENCES.length} sentences)`, () => {
    it('has at least 300 distinct sentences', () => {
      assert.ok(new Set(ORDINARY_REPORT_SENTENCES).size >= 300);
    });

    it('refuses none of them', () => {
      const refused = ORDINARY_REPORT_SENTENCES.filter((s) => findPersonalData(s).length > 0);
      assert.deepEqual(refused, []);
    });

    it('refuses none of them as typed in Word or on a phone (non-breaking spaces, dashes, soft hyphens)', () => {
      const keyboard = fc
        .record({
          sentence: fc.constantFrom(...ORDINARY_REPORT_SENTENCES),
          seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        })
        .map(({ sentence, seed }) => {
          let x = seed;
          const r = () => (x = (x * 48271) % 2147483647) / 2147483647;
          return DISGUISES.formatChars!(DISGUISES.spaces!(DISGUISES.dashes!(sentence, r), r), r);
        });
      fc.assert(
        fc.property(keyboard, (text) => !containsPersonalData(text)),
        { seed: SEED, numRuns: runs(2000) },
      );
    });

    it('refuses none of them together with any count of a report', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...ORDINARY_REPORT_SENTENCES),
          fc.integer({ min: 0, max: 10_000 }),
          fc.integer({ min: 0, max: 50 }),
          (sentence, count, under18) => personalDataKinds([sentence, count, under18]).length === 0,
        ),
        { seed: SEED, numRuns: runs(3000) },
      );
    });

    it('refuses no pair of sentences written as one meeting (place and agenda)', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...ORDINARY_REPORT_SENTENCES),
          fc.constantFrom(...ORDINARY_REPORT_SENTENCES),
          (a, b) => personalDataKinds([a, b]).length === 0,
        ),
        { seed: SEED, numRuns: runs(3000) },
      );
    });
  });

  describe('the shortcut for texts short of digits', () => {
    // Texts built from the pieces identifiers are made of (digits, letters, separators, "@", keywords
    // of case numbers, prefixes of phone numbers), short, so that many have two digits or fewer.
    const piece = fc.oneof(
      fc.constantFrom(...'0123456789'),
      fc.constantFrom(...'abcxyzABCXYZåäöKAÄ'),
      fc.constantFrom(' ', '-', '+', '.', ':', '/', '(', ')', '@', '#', '\u0660', '\uFF11'),
      fc.constantFrom('dnr ', 'ärende ', 'K', 'AM', '+46', '0046', '070', 'at', '.se', 'ABC'),
    );
    const text = fc.array(piece, { minLength: 0, maxLength: 12 }).map((ps) => ps.join(''));

    it('lets through only texts in which the full scan finds nothing', () => {
      let through = 0;
      let scanned = 0;
      fc.assert(
        fc.property(text, (t) => {
          const s = normaliseForCheck(t);
          if (!cannotHoldIdentifier(s)) {
            scanned++;
            return true;
          }
          through++;
          return scanNormalised(s).length === 0;
        }),
        { seed: SEED, numRuns: runs(20000, 2000) },
      );
      // Both sides were exercised: the property is not true of an empty set.
      assert.ok(through > 100 && scanned > 100, `through ${through}, scanned ${scanned}`);
    });

    it('still finds the shortest identifiers of each kind', () => {
      for (const t of ['ABC 12D', 'abc12d', 'dnr 123', 'a@b.se', 'K1234-24', '070-123 45 67', '121212-1212'])
        assert.ok(findPersonalData(t).length > 0, t);
      assert.deepEqual(findPersonalData('3'), []);
      assert.deepEqual(findPersonalData('12'), []);
    });
  });
});
