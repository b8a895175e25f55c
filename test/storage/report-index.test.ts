import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { WeeklyReport } from '../../src/domain/report.js';
import { ReportIndex } from '../../src/storage/report-index.js';

const report = (id: string, submissionId: string): WeeklyReport => ({
  id,
  submissionId,
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
  reporterId: 'u',
  createdAt: '2024-03-13T10:00:00Z',
  updatedAt: '2024-03-13T10:00:00Z',
  history: [],
});

/** Lets every pending promise callback run (a macrotask turn: all microtasks settle before it). */
const drain = () => new Promise<void>((r) => setImmediate(r));

/** A persist that resolves or fails only when told to. */
function gate() {
  const calls: { resolve: () => void; reject: (e: Error) => void }[] = [];
  const persist = () => new Promise<void>((resolve, reject) => calls.push({ resolve, reject }));
  return { calls, persist };
}

describe('ReportIndex: a duplicate submission is acknowledged only once the first is durable', () => {
  it('does not answer "already saved" before the first write has finished', async () => {
    const g = gate();
    const index = new ReportIndex(g.persist);
    const first = index.add(report('r1', 's1'));
    let duplicateAnswered = false;
    const duplicate = index.add(report('r2', 's1')).then((r) => ((duplicateAnswered = true), r));
    await drain();
    assert.equal(duplicateAnswered, false, 'the duplicate must wait for the write');
    g.calls[0]!.resolve();
    assert.equal((await first).created, true);
    const d = await duplicate;
    assert.equal(d.created, false);
    assert.equal(d.report.id, 'r1');
    assert.equal(g.calls.length, 1);
  });

  it('stores the duplicate as the first when the first write failed', async () => {
    const g = gate();
    const index = new ReportIndex(g.persist);
    const first = index.add(report('r1', 's1'));
    const duplicate = index.add(report('r2', 's1'));
    g.calls[0]!.reject(new Error('disk full'));
    await assert.rejects(first, /disk full/);
    await drain();
    assert.equal(g.calls.length, 2, 'the duplicate is written as a new report');
    g.calls[1]!.resolve();
    const d = await duplicate;
    assert.equal(d.created, true);
    assert.equal(d.report.id, 'r2');
    assert.equal((await index.list()).length, 1);
  });
});
