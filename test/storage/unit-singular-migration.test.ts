import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { describe, it } from 'mocha';
import { AgreementService } from '../../src/app/agreements.js';
import { ManualClock } from '../../src/app/clock.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { cardAction, message } from '../helpers/activities.js';
import { cardText, startHarness, tempDbPath } from '../helpers/harness.js';

/** A data file as the bot wrote it before units had a singular (schema version 2, no unitSingular). */
const EARLIER = 'test/fixtures/db-v2-units-without-singular.json';

describe('stored agreements from before units had a singular', () => {
  it('the fixture is what an earlier version stored', () => {
    const doc = JSON.parse(readFileSync(EARLIER, 'utf8'));
    assert.equal(doc.schemaVersion, 2);
    assert.ok(doc.agreements[0].activities.every((a: any) => a.unitSingular === undefined));
  });

  it('get the singular of every known unit, once; an unknown unit keeps its plural', async () => {
    const dbPath = tempDbPath();
    copyFileSync(EARLIER, dbPath);
    let store = await LowdbStore.open(dbPath);
    const service = new AgreementService(store, new ManualClock('2024-03-14T10:00:00Z'));
    const filled = await service.fillUnitSingulars();
    assert.deepEqual(
      filled.sort(),
      [
        'tranas-2023-2024/krogkontroller',
        'tranas-2023-2024/lob-och-polislagen',
        'tranas-2023-2024/riktade-insatser-narkotika',
        'tranas-2023-2024/samverkansmoten-sspf-est',
        'tranas-2023-2024/trafikkontroller',
        'tranas-2023-2024/trygghetsvandringar',
        'tranas-2023-2024/langning-kampanjer',
      ].sort(),
    );
    assert.deepEqual(await service.fillUnitSingulars(), [], 'idempotent');
    await store.close();

    const written = JSON.parse(readFileSync(dbPath, 'utf8')).agreements[0].activities;
    const singular = (id: string) => written.find((a: any) => a.id === id).unitSingular;
    assert.equal(singular('trafikkontroller'), 'kontroll');
    assert.equal(singular('riktade-insatser-narkotika'), 'insats');
    assert.equal(singular('samverkansmoten-sspf-est'), 'möte');
    assert.equal(singular('trygghetsvandringar'), 'trygghetsvandring');
    assert.equal(singular('utrop'), undefined);
    store = await LowdbStore.open(dbPath);
    assert.equal(
      (await store.agreements.get('tranas-2023-2024'))!.activities.find((a) => a.id === 'lob-och-polislagen')!
        .unitSingular,
      'ingripande',
    );
    await store.close();
  });

  it('are migrated when the bot starts, so "1 kontroll" reads right at once', async () => {
    const dbPath = tempDbPath();
    copyFileSync(EARLIER, dbPath);
    const h = await startHarness({ dbPath, clock: new ManualClock('2024-03-14T10:00:00Z') });
    try {
      const res = await h.post(
        cardAction(
          'report.submit',
          {
            submissionId: 'one',
            week: '2024-W11',
            activityId: 'trafikkontroller',
            count: '1',
            date: '2024-03-13',
            area: 'Centrum',
            description: '',
            party: 'Polisen',
          },
          { serviceUrl: h.connector.url },
        ),
      );
      assert.match(cardText(res.body.value), /Rapporten är sparad/);
      const [reply] = await h.turn(message('status', { serviceUrl: h.connector.url }));
      assert.match(cardText(reply!), /Löfte 3\*\* · .* · 1 av 30 kontroller i år/);
      const all = await h.post(cardAction('status.all', {}, { serviceUrl: h.connector.url }));
      assert.match(cardText(all.body.value), /Vecka 11\n1 kontroll\n/);
    } finally {
      await h.stop();
    }
  });
});
