import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { ManualClock } from '../../../src/app/clock.js';
import { USER, cardAction, message } from '../../helpers/activities.js';
import { assertValidCard, cardsOf } from '../../helpers/card-validate.js';
import { cardText } from '../../helpers/harness.js';
import { en, sv } from '../../../src/texts/index.js';
import { assertDoesNotShow, assertShows } from '../../helpers/texts.js';
import { startTurnHarness, type TurnHarness } from '../../helpers/turn-harness.js';

const COORDINATOR = { id: '29:coord', name: 'Kommunpolis Karin', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
const r = sv.rollover;

/** Every input of a card by id (its value as the card holds it). */
function inputsOf(card: unknown): Map<string, Record<string, any>> {
  const found = new Map<string, Record<string, any>>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, any>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') found.set(o.id, o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** What a client sends on Action.Execute: every input's value (as strings, as Teams does) plus the action's data. */
function submitted(card: Record<string, any>, changes: Record<string, string>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [id, input] of inputsOf(card)) values[id] = input.value === undefined ? '' : String(input.value);
  const save = (card.actions as Record<string, any>[]).find((a) => a.verb === 'agreement.rollover.save')!;
  return { ...values, ...changes, ...save.data };
}

function auditEntries(dbPath: string): Record<string, any>[] {
  const file = dbPath.replace(/\.json$/, '.audit.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('rolling over to the next period in chat ("ny period"), the bot running', () => {
  let h: TurnHarness;
  const clock = new ManualClock('2024-11-20T10:00:00Z');

  before(async () => {
    h = await startTurnHarness({ clock, env: { COORDINATOR_IDS: COORDINATOR.aadObjectId } });
    const res = await h.post(
      cardAction(
        'report.submit',
        {
          submissionId: 'rollover-1',
          week: '2024-W47',
          activityId: 'trafikkontroller',
          count: '7',
          date: '2024-11-19',
          area: 'Centrum',
          description: '',
          party: 'Polisen',
        },
        { serviceUrl: h.serviceUrl },
      ),
    );
    assertShows(cardText(res.body.value), sv.report.saved);
  });
  after(async () => {
    await h.stop();
  });

  async function say(text: string, from = COORDINATOR, locale?: string): Promise<Record<string, any>> {
    const [reply] = await h.turn(message(text, { serviceUrl: h.serviceUrl, from, ...(locale ? { locale } : {}) }));
    const cards = cardsOf(reply!);
    assert.equal(cards.length, 1, `one card for ${text}`);
    assertValidCard(cards[0]);
    return cards[0]!;
  }

  async function click(verb: string, data: Record<string, unknown>, from = COORDINATOR): Promise<Record<string, any>> {
    const res = await h.post(cardAction(verb, data, { serviceUrl: h.serviceUrl, from }));
    assert.equal(res.status, 200);
    assertValidCard(res.body.value);
    return res.body.value;
  }

  it('refuses a non-coordinator the card and the save, audited, nothing stored', async () => {
    const before = auditEntries(h.dbPath).length;
    assert.equal(cardText(await say('ny period', USER)), sv.statusAdmin.forbidden);
    const forged = await click(
      'agreement.rollover.save',
      { fromAgreementId: 'tranas-2023-2024', periodStart: '2025-01-01', periodEnd: '2026-12-31' },
      USER,
    );
    assert.equal(cardText(forged), sv.statusAdmin.forbidden);
    const refused = auditEntries(h.dbPath).slice(before);
    assert.deepEqual(
      refused.map((e) => [e.action, e.detail, e.actor.id]),
      [
        ['access.refused', 'agreement.rollOver', USER.aadObjectId],
        ['access.refused', 'agreement.rollOver', USER.aadObjectId],
      ],
    );
    assert.equal((await h.store.agreements.list()).length, 1);
  });

  it('opens the card with the proposed period and every activity’s target, for each way of asking', async () => {
    for (const text of ['ny period', 'Nästa period', 'förnya löftet', 'new period']) {
      const card = await say(text);
      assertShows(cardText(card), r.title, text);
    }
    const card = await say('ny period');
    const inputs = inputsOf(card);
    assert.equal(inputs.get('periodStart')!.type, 'Input.Date');
    assert.equal(inputs.get('periodStart')!.value, '2025-01-01');
    assert.equal(inputs.get('periodEnd')!.value, '2026-12-31');
    assert.equal(inputs.get('count.trafikkontroller')!.value, 30);
    assert.equal(inputs.get('kind.trafikkontroller')!.value, 'perYear');
    assert.equal(inputs.get('kind.krogkontroller')!.value, 'none');
    assert.equal(inputs.get('count.krogkontroller')!.value, undefined);
    assert.equal(inputs.get('drop.krogkontroller')!.value, 'false');
    const text = cardText(card);
    assertShows(text, r.pledge(3, 'Arbeta långsiktigt med en säker trafikmiljö inom Tranås kommun.'));
    assertShows(text, r.save);
    assertShows(text, r.cancel);
    // In English the same card in English.
    assertShows(cardText(await say('new period', COORDINATOR, 'en-US')), en.rollover.title);
  });

  it('a refused card comes back with what was typed and the errors next to the fields', async () => {
    const card = await say('ny period');
    const refused = await click(
      'agreement.rollover.save',
      submitted(card, {
        periodEnd: '2024-06-30',
        'count.trafikkontroller': '',
        'count.riktade-insatser-narkotika': '20',
        'drop.krogkontroller': 'true',
      }),
    );
    const text = cardText(refused);
    assertShows(text, r.notSaved);
    assertShows(text, r.errors.periodEnd.beforeStart!);
    assertShows(text, r.errors.countRequired);
    const inputs = inputsOf(refused);
    assert.equal(inputs.get('periodStart')!.value, '2025-01-01');
    assert.equal(inputs.get('periodEnd')!.value, '2024-06-30');
    assert.equal(inputs.get('count.trafikkontroller')!.value, undefined);
    assert.equal(inputs.get('count.riktade-insatser-narkotika')!.value, 20);
    assert.equal(inputs.get('drop.krogkontroller')!.value, 'true');
    // The error stands next to its field: in the same column as the end date.
    const columns = refused.body.find((e: any) => e.type === 'ColumnSet').columns;
    assert.ok(JSON.stringify(columns[1]).includes(r.errors.periodEnd.beforeStart!));
    assert.ok(!JSON.stringify(columns[0]).includes(r.errors.periodEnd.beforeStart!));
    assert.equal((await h.store.agreements.list()).length, 1);
  });

  it('cancelling stores nothing', async () => {
    assertShows(cardText(await click('agreement.rollover.cancel', {})), r.cancelled);
    assert.equal((await h.store.agreements.list()).length, 1);
  });

  it('saves 2025–2026 with one target changed; status shows 2023–2024 until 2025, then the new period from zero', async () => {
    const card = await say('ny period');
    const receipt = await click('agreement.rollover.save', submitted(card, { 'count.trafikkontroller': '35' }));
    const text = cardText(receipt);
    assertShows(text, r.saved('Tranås kommun', '2025-01-01', '2026-12-31'));
    assertShows(text, r.startsLater('2025-01-01', '2023-01-01', '2024-12-31'));
    assertShows(
      text,
      r.changedTarget(
        'Trafikkontroller för en säker trafikmiljö',
        sv.targetLabel({ kind: 'perYear', count: 30 }, 'kontroller'),
        sv.targetLabel({ kind: 'perYear', count: 35 }, 'kontroller'),
      ),
    );
    const line = auditEntries(h.dbPath).at(-1)!;
    assert.deepEqual(
      [line.action, line.objectId, line.detail, line.actor.id],
      ['agreement.changed', 'tranas-2025-2026', 'agreement.rolledOver', COORDINATOR.aadObjectId],
    );

    // Still 2024: the old period with its count.
    const before = cardText(await say('status'));
    assertShows(
      before,
      sv.status.agreementLine('Tranås kommun', 'Lokalpolisområde Höglandet', '2023-01-01', '2024-12-31'),
    );
    assertShows(before, '7 av 30 kontroller');

    // A second save of the same card: refused (the period now overlaps), nothing doubled.
    const again = cardText(await click('agreement.rollover.save', submitted(card, { 'count.trafikkontroller': '35' })));
    assertShows(again, r.notSaved);
    assertShows(again, r.errors.overlap('Tranås kommun', '2025-01-01', '2026-12-31'));
    assert.equal((await h.store.agreements.list()).length, 2);

    // Into 2025: the new period, the new target, nothing counted yet.
    clock.set('2025-03-14T10:00:00Z');
    const after = cardText(await say('status'));
    assertShows(
      after,
      sv.status.agreementLine('Tranås kommun', 'Lokalpolisområde Höglandet', '2025-01-01', '2026-12-31'),
    );
    assertShows(after, '0 av 35 kontroller');
    assertDoesNotShow(after, '7 av');

    // The old period is kept unchanged, with its report.
    const old = (await h.store.agreements.get('tranas-2023-2024'))!;
    assert.deepEqual(old.activities.find((a) => a.id === 'trafikkontroller')!.target, { kind: 'perYear', count: 30 });
    assert.equal((await h.store.reports.list({ agreementId: 'tranas-2023-2024' })).length, 1);
    assert.equal((await h.store.reports.list({ agreementId: 'tranas-2025-2026' })).length, 0);
  });
});
