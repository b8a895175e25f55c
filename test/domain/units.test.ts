import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { AgreementSchema } from '../../src/domain/agreement.js';
import { applyActivityDraft, parseActivityCommand } from '../../src/domain/coordinator-commands.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { parseUnitForms, singularOf, splitUnitForms, withUnitSingulars } from '../../src/domain/units.js';
import { formatQuantity } from '../../src/texts/format.js';

const tranas = AgreementSchema.parse(TRANAS_2023_2024);
const withoutSingulars = { ...tranas, activities: tranas.activities.map(({ unitSingular: _s, ...a }) => a) };

describe('units in singular and plural', () => {
  it('knows the singular of the usual Swedish plurals, also at the end of compounds and phrases', () => {
    const cases: [string, string | undefined][] = [
      ['kontroller', 'kontroll'],
      ['insatser', 'insats'],
      ['ingripanden', 'ingripande'],
      ['möten', 'möte'],
      ['gånger', 'gång'],
      ['tillfällen', 'tillfälle'],
      ['besök', 'besök'],
      ['träffar', 'träff'],
      ['aktiviteter', 'aktivitet'],
      ['kampanjer', 'kampanj'],
      ['trafikkontroller', 'trafikkontroll'],
      ['trygghetsvandringar', 'trygghetsvandring'],
      ['anmälningar', 'anmälan'],
      ['riktade insatser', 'riktade insats'],
      ['Kontroller', 'Kontroll'],
      ['st', undefined],
      ['utrop', undefined],
    ];
    for (const [plural, singular] of cases) assert.equal(singularOf(plural), singular, plural);
  });

  it('reads "kontroll/kontroller" as both numbers, and a plural alone with its singular when known', () => {
    assert.deepEqual(parseUnitForms('rond/ronder'), { unit: 'ronder', unitSingular: 'rond' });
    assert.deepEqual(parseUnitForms(' utrop / utrop '), { unit: 'utrop', unitSingular: 'utrop' });
    assert.deepEqual(parseUnitForms('kontroller'), { unit: 'kontroller', unitSingular: 'kontroll' });
    assert.deepEqual(parseUnitForms('utrop'), { unit: 'utrop' });
  });

  it('fills the missing singulars of a stored agreement, the same for every activity of the lead’s definition', () => {
    const { agreement, filled } = withUnitSingulars(withoutSingulars as typeof tranas);
    assert.equal(filled.length, 6);
    assert.deepEqual(
      agreement.activities.map((a) => a.unitSingular),
      tranas.activities.map((a) => a.unitSingular),
    );
    // Nothing to fill: the same object back.
    const again = withUnitSingulars(agreement);
    assert.equal(again.agreement, agreement);
    assert.deepEqual(again.filled, []);
  });

  it('splits "singular/plural" in an imported definition and leaves everything else to validation', () => {
    const input = {
      ...TRANAS_2023_2024,
      activities: [
        { ...TRANAS_2023_2024.activities[0]!, unit: 'rond/ronder', unitSingular: undefined },
        { ...TRANAS_2023_2024.activities[1]!, unit: 42 },
      ],
    };
    const out = splitUnitForms(input) as typeof input;
    assert.deepEqual([out.activities[0]!.unit, out.activities[0]!.unitSingular], ['ronder', 'rond']);
    assert.equal(out.activities[1]!.unit, 42);
    assert.equal(splitUnitForms('inte ett objekt'), 'inte ett objekt');
  });

  it('formats a count with the right number of the unit', () => {
    const unit = { unit: 'kontroller', unitSingular: 'kontroll' };
    assert.equal(formatQuantity(1, unit), '1 kontroll');
    assert.equal(formatQuantity(0, unit), '0 kontroller');
    assert.equal(formatQuantity(2, unit), '2 kontroller');
    assert.equal(formatQuantity(1000, unit), '1\u00a0000 kontroller');
    assert.equal(formatQuantity(1, { unit: 'utrop' }), '1 utrop');
  });

  describe('coordinator commands accept the singular', () => {
    const today = '2024-03-14';
    it('ny aktivitet … enhet vandring/vandringar', () => {
      const draft = parseActivityCommand(
        'add',
        'löfte 2: Trygghetsvandringar, enhet vandring/vandringar, mål 10 per år, ägare Kommunen',
        tranas,
        today,
      );
      assert.deepEqual(draft.problems, []);
      const next = AgreementSchema.parse(applyActivityDraft(tranas, draft));
      const added = next.activities.at(-1)!;
      assert.deepEqual([added.unit, added.unitSingular], ['vandringar', 'vandring']);
    });

    it('ny aktivitet without a unit counts "gånger" and "1 gång"; with a known plural finds its singular', () => {
      const plain = AgreementSchema.parse(
        applyActivityDraft(
          tranas,
          parseActivityCommand('add', 'löfte 2: Föräldravandringar, ägare Kommunen', tranas, today),
        ),
      ).activities.at(-1)!;
      assert.deepEqual([plain.unit, plain.unitSingular], ['gånger', 'gång']);
      const known = AgreementSchema.parse(
        applyActivityDraft(
          tranas,
          parseActivityCommand('add', 'löfte 2: Skolbesök, enhet skolbesök, ägare Kommunen', tranas, today),
        ),
      ).activities.at(-1)!;
      assert.deepEqual([known.unit, known.unitSingular], ['skolbesök', 'skolbesök']);
    });

    it('ändra aktivitet … enhet: a new unit never keeps the old one’s singular', () => {
      const to = (unit: string) =>
        AgreementSchema.parse(
          applyActivityDraft(tranas, parseActivityCommand('edit', `krogkontroller: enhet ${unit}`, tranas, today)),
        ).activities.find((a) => a.id === 'krogkontroller')!;
      assert.deepEqual([to('besök').unit, to('besök').unitSingular], ['besök', 'besök']);
      assert.deepEqual([to('rond/ronder').unit, to('rond/ronder').unitSingular], ['ronder', 'rond']);
      const unknown = to('utrop');
      assert.equal(unknown.unit, 'utrop');
      assert.equal(unknown.unitSingular, undefined, 'not "kontroll" from before');
    });

    it('refuses markup or an overlong singular, and an empty or double slash', () => {
      assert.ok(
        parseActivityCommand('edit', 'krogkontroller: enhet *k*/kontroller', tranas, today).problems.includes('markup'),
      );
      assert.ok(
        parseActivityCommand(
          'edit',
          `krogkontroller: enhet ${'x'.repeat(41)}/kontroller`,
          tranas,
          today,
        ).problems.includes('tooLong'),
      );
      assert.ok(
        parseActivityCommand('edit', 'krogkontroller: enhet a/b/c', tranas, today).problems.includes('unknownPart'),
      );
    });
  });
});
