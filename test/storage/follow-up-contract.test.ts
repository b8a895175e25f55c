import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'mocha';
import type { Store } from '../../src/app/ports.js';
import { newRevision, type StoredFollowUp } from '../../src/domain/follow-up.js';
import type { FollowUpPledge } from '../../src/domain/follow-up-document.js';
import { describeContract, STORES, type Opened } from '../helpers/stores.js';

const period = { kind: 'tertial' as const, key: '2024-T2', from: '2024-05-01', to: '2024-08-31' };
const pledges = (narrative: string): FollowUpPledge[] => [
  {
    number: 3,
    wording: 'Arbeta långsiktigt med en säker trafikmiljö inom Tranås kommun.',
    activities: [
      {
        activityId: 'trafikkontroller',
        wording: 'Trafikkontroller för en säker trafikmiljö',
        unit: 'kontroller',
        owner: 'Polisen',
        target: { kind: 'perYear', count: 30 },
        periodCount: 12,
        subcounts: [{ id: 'hastighet', name: 'hastighet', count: 5 }],
        yearToDate: 21,
        targetToDate: 20,
        met: true,
        trend: [{ key: '2024-T1', count: 9 }],
      },
    ],
    narrative,
    signedNarratives: [],
  },
];
const first = (agreementId = 'tranas-2023-2024', p = period): StoredFollowUp =>
  newRevision(undefined, {
    agreementId,
    period: p,
    pledges: pledges(''),
    at: '2024-09-02T08:00:00.000Z',
    by: 'aad-1',
    change: 'created',
  });

describeContract('follow-up repository contract', STORES, (impl) => {
  let opened: Opened<Store>;
  let store: Store;
  beforeEach(async () => {
    opened = await impl.open();
    store = opened.subject;
  });
  afterEach(async () => {
    await opened.close();
  });

  it('stores the first version once: a second first version (a racing draft) is refused', async () => {
    assert.equal(await store.followUps.save(first()), true);
    assert.equal(await store.followUps.save({ ...first(), revisionBy: 'aad-2' }), false);
    const stored = await store.followUps.get('tranas-2023-2024', '2024-T2');
    assert.equal(stored?.revisionBy, 'aad-1');
    assert.deepEqual(stored?.pledges, pledges(''));
  });

  it('writes over the version it read and refuses a write over a stale version', async () => {
    await store.followUps.save(first());
    const read = (await store.followUps.get('tranas-2023-2024', '2024-T2'))!;
    const polisen = {
      ...read,
      version: read.version + 1,
      approvals: [{ party: 'Polisen' as const, at: 'x', by: 'p' }],
    };
    const kommunen = {
      ...read,
      version: read.version + 1,
      approvals: [{ party: 'Kommunen' as const, at: 'y', by: 'k' }],
    };
    assert.equal(await store.followUps.save(polisen), true);
    assert.equal(await store.followUps.save(kommunen), false, 'the second writer read version 1 too');
    const after = (await store.followUps.get('tranas-2023-2024', '2024-T2'))!;
    assert.deepEqual(
      after.approvals.map((a) => a.party),
      ['Polisen'],
    );
    assert.equal(after.version, 2);
  });

  it('keeps revisions and their history, and lists an agreement’s follow-ups oldest first', async () => {
    await store.followUps.save(first());
    await store.followUps.save(
      first('tranas-2023-2024', { ...period, key: '2024-T3', from: '2024-09-01', to: '2024-12-31' }),
    );
    await store.followUps.save(first('eksjo-2024-2025'));
    const read = (await store.followUps.get('tranas-2023-2024', '2024-T2'))!;
    const next = newRevision(read, {
      agreementId: read.agreementId,
      period,
      pledges: pledges('Fler kontroller vid skolorna.'),
      at: '2024-09-03T08:00:00.000Z',
      by: 'aad-2',
      change: 'narrative',
    });
    assert.equal(await store.followUps.save(next), true);
    const list = await store.followUps.listOf('tranas-2023-2024');
    assert.deepEqual(
      list.map((f) => [f.periodKey, f.revision]),
      [
        ['2024-T2', 2],
        ['2024-T3', 1],
      ],
    );
    assert.deepEqual(
      list[0]!.history.map((h) => h.revision),
      [1],
    );
    assert.equal(list[0]!.pledges[0]!.narrative, 'Fler kontroller vid skolorna.');
    assert.deepEqual((await store.followUps.listOf('eksjo-2024-2025')).length, 1);
    assert.equal(await store.followUps.get('tranas-2023-2024', '2023-T1'), undefined);
  });

  it('hands out frozen records and keeps them over a restart', async function () {
    await store.followUps.save(first());
    const read = (await store.followUps.get('tranas-2023-2024', '2024-T2'))!;
    assert.throws(() => {
      (read as { revision: number }).revision = 9;
    }, TypeError);
    if (!opened.reopen) return;
    store = await opened.reopen();
    assert.equal((await store.followUps.get('tranas-2023-2024', '2024-T2'))?.revision, 1);
  });
});
