import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import { DocumentRefusedError, renderFollowUp, type DocumentFormat } from '../../src/documents/index.js';
import type { FollowUpDocument } from '../../src/domain/follow-up-document.js';
import { EKSJO_T1_2025, TRANAS_KF_2024, TRANAS_T2_SIGNED } from '../fixtures/follow-up-documents.js';
import { checkDigit, CONTEXTS, disguised, inContext, SEED } from '../helpers/identifiers.js';
import { runs } from '../helpers/runs.js';

/**
 * Defence in depth: a FollowUpDocument holds narratives that passed the privacy guard when they
 * were written. Should one somehow hold a personal identifier (an older, weaker guard; a bug in a
 * producer), the renderer refuses the whole document in every format instead of writing it.
 */

type Place = (doc: FollowUpDocument, text: string) => FollowUpDocument;

/** Where an identifier could slip into a document: every text a renderer writes. */
const PLACES: Record<string, Place> = {
  narrative: (doc, text) => ({
    ...doc,
    pledges: doc.pledges.map((p, i) => (i === 1 ? { ...p, narrative: `${p.narrative} ${text}` } : p)),
  }),
  'signed narrative': (doc, text) => ({
    ...doc,
    pledges: doc.pledges.map((p, i) =>
      i === 0 ? { ...p, signedNarratives: [...p.signedNarratives, { periodKey: '2024-T3', narrative: text }] } : p,
    ),
  }),
  'activity wording': (doc, text) => ({
    ...doc,
    pledges: doc.pledges.map((p, i) =>
      i === 0 ? { ...p, activities: p.activities.map((a) => ({ ...a, wording: `${a.wording} ${text}` })) } : p,
    ),
  }),
  'sub-count name': (doc, text) => ({
    ...doc,
    pledges: doc.pledges.map((p) => ({
      ...p,
      activities: p.activities.map((a) => ({ ...a, subcounts: [...a.subcounts, { id: 'x', name: text, count: 1 }] })),
    })),
  }),
  'communication note': (doc, text) => ({
    ...doc,
    communications: [...doc.communications, { channel: 'annat', date: '2024-09-20', note: text }],
  }),
};

const FORMATS: DocumentFormat[] = ['docx', 'pdf', 'txt'];

async function refused(doc: FollowUpDocument, format: DocumentFormat): Promise<boolean> {
  try {
    await renderFollowUp(doc, format);
    return false;
  } catch (err) {
    if (err instanceof DocumentRefusedError) return true;
    throw err;
  }
}

describe('follow-up documents: the privacy guard on every text written', () => {
  it('renders the fixed documents (their texts pass the guard)', async () => {
    for (const doc of [TRANAS_T2_SIGNED, TRANAS_KF_2024, EKSJO_T1_2025])
      for (const format of FORMATS) assert.equal(await refused(doc, format), false);
  });

  it('refuses a document whose narrative holds a personnummer, however it is written (generated)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('personnummer' as const, 'samordningsnummer' as const).chain(disguised),
        fc.constantFrom(...CONTEXTS),
        fc.constantFrom(...FORMATS),
        async (id, [before, after], format) => {
          const text = `${before}${id.text}${after}`;
          assert.ok(await refused(PLACES.narrative!(TRANAS_T2_SIGNED, text), format), text);
        },
      ),
      { seed: SEED, numRuns: runs(200, 20) },
    );
  });

  it('refuses an identifier of any kind in any text a renderer writes (generated)', async () => {
    await fc.assert(
      fc.asyncProperty(
        inContext,
        fc.constantFrom(...Object.keys(PLACES)),
        fc.constantFrom<FollowUpDocument>(TRANAS_T2_SIGNED, TRANAS_KF_2024, EKSJO_T1_2025),
        async (id, place, doc) => {
          // txt is the fastest: the guard runs before any renderer, the same for each format.
          assert.ok(await refused(PLACES[place]!(doc, id.text), 'txt'), `${place}: ${id.text}`);
        },
      ),
      { seed: SEED, numRuns: runs(400, 40) },
    );
  });

  it('names the kinds found, never the value, in its error', async () => {
    const nine = '811218987';
    const pnr = `19${nine.slice(0, 6)}-${nine.slice(6)}${checkDigit(nine)}`;
    try {
      await renderFollowUp(PLACES.narrative!(TRANAS_T2_SIGNED, `Uppgift: ${pnr}`), 'pdf');
      assert.fail('rendered');
    } catch (err) {
      assert.ok(err instanceof DocumentRefusedError);
      assert.deepEqual(err.kinds, ['personnummer']);
      assert.ok(!err.message.includes(pnr) && !err.message.includes(nine.slice(6)));
    }
  });
});
