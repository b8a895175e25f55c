import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { MemoryAuditLog } from '../../src/app/audit.js';
import { LIVE_MARGIN_MS, reconcileAtStart, reconcileAudit, RECONCILED_MARKER } from '../../src/app/audit-reconcile.js';
import type { ReportFilter } from '../../src/app/ports.js';
import type { WeeklyReport } from '../../src/domain/report.js';
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

  it('with several instances checks only what changed since the previous start, and leaves the last minutes', async () => {
    const store = new MemoryStore();
    const filters: ReportFilter[] = [];
    const list = store.reports.list.bind(store.reports);
    store.reports.list = (f?: ReportFilter) => (filters.push(f ?? {}), list(f));
    const report = (id: string, at: string): WeeklyReport => ({
      id,
      submissionId: `sub-${id}`,
      agreementId: 'a',
      week: '2024-W11',
      activityId: 'x',
      pledgeNumber: 1,
      count: 1,
      date: '2024-03-13',
      area: 'Centrum',
      description: '',
      raiseAtNextMeeting: false,
      party: 'Polisen',
      reporterId: 'p1',
      createdAt: at,
      updatedAt: at,
      history: [{ at, by: 'p1', action: 'created' }],
    });
    const audit = new MemoryAuditLog();
    const trail = memoryAuditTrail(audit.entries);
    const t = (iso: string) => new Date(iso);
    // A line went missing at 09:00; another instance stores r2 at 09:58 and is still writing its line.
    await store.reports.add(report('r1', '2024-03-14T09:00:00.000Z'));
    await store.reports.add(report('r2', '2024-03-14T09:58:00.000Z'));
    const first = await reconcileAtStart(store, trail, audit, t('2024-03-14T10:00:00Z'), true);
    assert.deepEqual(
      audit.entries.map((e) => e.objectId),
      ['r1'],
      'r2 is younger than the margin: left alone',
    );
    assert.equal(first.added, 1);
    assert.equal(filters.at(-1)?.changedSince, undefined, 'the first start checks the whole history once');
    const marker = await store.markers.get(RECONCILED_MARKER);
    assert.equal(marker?.value, Date.parse('2024-03-14T10:00:00Z') - LIVE_MARGIN_MS);

    // The next start, an hour later: r2's line never came (its instance died); r3 is new and has its line.
    await store.reports.add(report('r3', '2024-03-14T10:30:00.000Z'));
    audit.entries.push({
      at: '2024-03-14T10:30:00.000Z',
      actor: { id: 'p1' },
      action: 'report.created',
      objectId: 'r3',
      outcome: 'ok',
    });
    const second = await reconcileAtStart(store, trail, audit, t('2024-03-14T11:00:00Z'), true);
    assert.equal(second.added, 1);
    assert.deepEqual(
      audit.entries.map((e) => e.objectId),
      ['r1', 'r3', 'r2'],
    );
    assert.equal(
      filters.at(-1)?.changedSince,
      '2024-03-14T09:55:00.000Z',
      'only what changed since the previous check',
    );
    // And once more: nothing new, nothing added.
    assert.equal((await reconcileAtStart(store, trail, audit, t('2024-03-14T12:00:00Z'), true)).added, 0);
  });

  it('one process (lowdb) still checks the whole history at every start', async () => {
    const store = new MemoryStore();
    const audit = new MemoryAuditLog();
    await store.markers.put({
      key: RECONCILED_MARKER,
      value: Date.parse('2030-01-01T00:00:00Z'),
      at: '2030-01-01T00:00:00Z',
    });
    await store.reporters.put({
      aadObjectId: 'p1',
      party: 'Polisen',
      registeredAt: '2024-03-14T09:00:00.000Z',
      active: true,
    });
    const r = await reconcileAtStart(
      store,
      memoryAuditTrail(audit.entries),
      audit,
      new Date('2024-03-14T10:00:00Z'),
      false,
    );
    assert.equal(r.added, 1);
  });
});
