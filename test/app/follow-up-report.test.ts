import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'mocha';
import { AgreementService } from '../../src/app/agreements.js';
import { MemoryAuditLog } from '../../src/app/audit.js';
import { ManualClock } from '../../src/app/clock.js';
import { FollowUpReportService } from '../../src/app/follow-up-report.js';
import { AgreementSchema } from '../../src/domain/agreement.js';
import { isoWeekOfLocalDate } from '../../src/domain/calendar.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { storedReport } from '../helpers/report-builder.js';

// The follow-up use case against the memory store and a fake clock: two approvals at the same
// moment are both kept (compare-and-set, retried), the document handed to the renderers is the
// stored revision's, and the KF report gathers only signed narratives.

const tranas = AgreementSchema.parse(TRANAS_2023_2024);
const POLIS = { id: 'p-1', isCoordinator: true };
const KOMMUN = { id: 'k-1', isCoordinator: true };

describe('FollowUpReportService', () => {
  let store: MemoryStore;
  let audit: MemoryAuditLog;
  let service: FollowUpReportService;
  const clock = new ManualClock('2024-09-03T08:00:00Z');

  beforeEach(async () => {
    store = new MemoryStore();
    audit = new MemoryAuditLog();
    await store.agreements.addIfAbsent(tranas);
    await store.reports.add(
      storedReport({ date: '2024-06-10', week: isoWeekOfLocalDate('2024-06-10'), count: 4, subcounts: { mobil: 2 } }),
    );
    service = new FollowUpReportService({
      store,
      agreements: new AgreementService(store, clock),
      clock,
      audit,
      partyOf: async (actor) => (actor.id === 'p-1' ? 'Polisen' : actor.id === 'k-1' ? 'Kommunen' : undefined),
    });
  });

  it('two approvals at the same moment are both kept and the follow-up is signed once', async () => {
    const view = await service.open(POLIS, 'tertial 2');
    assert.equal(view.kind, 'view');
    const [a, b] = await Promise.all([
      service.approve(POLIS, tranas.id, '2024-T2', 'Polisen', 1),
      service.approve(KOMMUN, tranas.id, '2024-T2', 'Kommunen', 1),
    ]);
    assert.equal(a.kind, 'view');
    assert.equal(b.kind, 'view');
    const stored = (await store.followUps.get(tranas.id, '2024-T2'))!;
    assert.deepEqual(stored.approvals.map((x) => x.party).sort(), ['Kommunen', 'Polisen']);
    assert.equal(stored.lastSigned?.revision, 1);
    assert.equal(audit.entries.filter((e) => e.action === 'followup.approved').length, 2);
  });

  it('the document for the renderers is the stored revision, figures frozen; the KF report has only signed narratives', async () => {
    await service.open(POLIS, 'tertial 2');
    await service.saveNarrative(POLIS, tranas.id, '2024-T2', 3, 'Mobilkontroller vid skolorna.');
    await service.open(POLIS, 'tertial 1');
    await service.saveNarrative(KOMMUN, tranas.id, '2024-T1', 3, 'Inte godkänd text.');
    await service.approve(POLIS, tranas.id, '2024-T2', 'Polisen', 2);
    await service.approve(KOMMUN, tranas.id, '2024-T2', 'Kommunen', 2);
    // A late report: the stored revision's figures are what the document shows.
    await store.reports.add(storedReport({ date: '2024-06-11', week: isoWeekOfLocalDate('2024-06-11'), count: 9 }));
    const doc = (await service.document(tranas.id, '2024-T2'))!;
    assert.equal(doc.revision, 2);
    assert.equal(doc.signed, true);
    const traffic = doc.pledges[2]!.activities[0]!;
    assert.equal(traffic.periodCount, 4);
    assert.deepEqual(
      traffic.subcounts.find((s) => s.id === 'mobil'),
      { id: 'mobil', name: 'mobil', count: 2 },
    );
    assert.equal(doc.pledges[2]!.narrative, 'Mobilkontroller vid skolorna.');
    assert.deepEqual(
      doc.approvals.map((a) => Object.keys(a).sort()),
      [
        ['at', 'party'],
        ['at', 'party'],
      ],
      'never who',
    );
    assert.equal(await service.document(tranas.id, '2023-T1'), undefined);

    const kf = await service.kfDocument(tranas, { kind: 'year', key: '2024', from: '2024-01-01', to: '2024-12-31' });
    assert.equal(kf.document.kind, 'kf-report');
    assert.deepEqual(kf.document.pledges[2]!.signedNarratives, [
      { periodKey: '2024-T2', narrative: 'Mobilkontroller vid skolorna.' },
    ]);
    assert.equal(kf.document.pledges[2]!.activities[0]!.periodCount, 13, 'the KF report counts every report');
    assert.deepEqual(kf.unsigned, ['2024-T1']);
  });

  it('a narrative edit after signing keeps the signed narrative for the KF report and clears the approvals', async () => {
    await service.open(POLIS, 'tertial 2');
    await service.saveNarrative(POLIS, tranas.id, '2024-T2', 3, 'Första texten.');
    await service.approve(POLIS, tranas.id, '2024-T2', 'Polisen', 2);
    await service.approve(KOMMUN, tranas.id, '2024-T2', 'Kommunen', 2);
    const edited = await service.saveNarrative(KOMMUN, tranas.id, '2024-T2', 3, 'Andra texten.');
    assert.equal(edited.kind === 'view' && edited.stored.approvals.length, 0);
    const stored = (await store.followUps.get(tranas.id, '2024-T2'))!;
    assert.equal(stored.revision, 3);
    assert.deepEqual(
      stored.history.map((h) => [h.revision, h.approvals.length]),
      [
        [1, 0],
        [2, 2],
      ],
    );
    assert.deepEqual(stored.lastSigned?.narratives, { '3': 'Första texten.' });
  });
});
