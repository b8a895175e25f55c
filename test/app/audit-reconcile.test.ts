import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { MemoryAuditLog } from '../../src/app/audit.js';
import { reconcileAudit } from '../../src/app/audit-reconcile.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { memoryAuditTrail } from '../../src/storage/audit-reader.js';

describe('audit reconciliation at start-up', () => {
  it('adds a line, marked reconciled, for each stored change the trail lacks, and only once', async () => {
    const store = new MemoryStore();
    const at = '2024-03-14T10:00:00.000Z';
    await store.meetings.put({
      id: 'm1',
      agreementId: 'a',
      kind: 'samverkansmöte',
      date: '2024-03-20',
      time: '13:00',
      createdBy: 'coord',
      createdAt: at,
      updatedAt: at,
      revision: 1,
      cancelled: { at, by: 'coord' },
    });
    await store.reporters.put({ aadObjectId: 'p1', party: 'Polisen', registeredAt: at, active: true });
    await store.overrides.put({
      id: 'o1',
      agreementId: 'a',
      pledgeNumber: 2,
      level: 'atRisk',
      reason: 'resurser',
      by: 'coord',
      at,
    });
    await store.reports.add({
      id: 'r1',
      submissionId: 'sub-1',
      agreementId: 'a',
      week: '2024-W11',
      activityId: 'x',
      pledgeNumber: 1,
      count: 2,
      date: '2024-03-13',
      area: 'Centrum',
      description: '',
      raiseAtNextMeeting: false,
      party: 'Polisen',
      reporterId: 'p1',
      createdAt: at,
      updatedAt: at,
      history: [
        { at, by: 'p1', action: 'created' },
        { at, by: 'p1', action: 'edited', previous: { count: 1 } },
        { at, by: 'purge', action: 'purged' },
      ],
    });
    const audit = new MemoryAuditLog();
    // The trail already has the meeting's creation: only what is missing is added.
    audit.entries.push({ at, actor: { id: 'coord' }, action: 'meeting.created', objectId: 'm1', outcome: 'ok' });
    const first = await reconcileAudit(store, memoryAuditTrail(audit.entries), audit);
    assert.equal(first.added, 5);
    assert.deepEqual(first.byAction, {
      'report.created': 1,
      'report.edited': 1,
      'meeting.cancelled': 1,
      'reporter.registered': 1,
      'status.override': 1,
    });
    const added = audit.entries.slice(1);
    assert.ok(added.every((e) => e.reconciled === true && e.detail === 'reconciled' && e.outcome === 'ok'));
    assert.deepEqual(added.find((e) => e.action === 'report.edited')?.actor, { id: 'p1' });
    const second = await reconcileAudit(store, memoryAuditTrail(audit.entries), audit);
    assert.equal(second.added, 0);
  });
});
