import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { AgreementService } from '../../src/app/agreements.js';
import { ManualClock } from '../../src/app/clock.js';
import { StatusService } from '../../src/app/status.js';
import { DEFAULT_THRESHOLDS } from '../../src/domain/status.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { reportOn } from '../helpers/report-builder.js';

/** StatusService keeps one computed status per agreement; it is never stale. */
describe('StatusService: the kept status', () => {
  async function setup() {
    const store = new MemoryStore();
    const clock = new ManualClock('2024-03-14T10:00:00Z');
    const agreements = new AgreementService(store, clock);
    await agreements.seedDefaults();
    return { store, clock, status: new StatusService(store, agreements, clock, DEFAULT_THRESHOLDS) };
  }
  const yearCount = (view: Awaited<ReturnType<StatusService['current']>>, id = 'trafikkontroller') =>
    view!.status.activities.find((a) => a.activityId === id)!.counts.year;

  it('is reused while nothing it is computed from changes', async () => {
    const { status } = await setup();
    const first = (await status.current())!;
    assert.equal((await status.current())!.status, first.status);
  });

  it('follows a new report, an override, the date and a saved agreement', async () => {
    const { store, clock, status } = await setup();
    const before = (await status.current())!;
    await store.reports.add(reportOn(before.agreement, '2024-03-12', 4, 'trafikkontroller'));
    const afterReport = (await status.current())!;
    assert.equal(yearCount(afterReport), yearCount(before) + 4);

    const override = {
      id: 'o1',
      agreementId: before.agreement.id,
      pledgeNumber: 3,
      level: 'behind' as const,
      reason: 'Färre kontroller',
      by: 'k1',
    };
    await store.overrides.put({ ...override, at: '2024-03-14T09:00:00Z' });
    const overridden = (await status.current())!;
    assert.notEqual(overridden.status, afterReport.status);
    assert.equal(overridden.status.pledges.find((p) => p.pledgeNumber === 3)!.effectiveLevel, 'behind');

    clock.set('2024-03-15T10:00:00Z');
    const tomorrow = (await status.current())!;
    assert.equal(tomorrow.today, '2024-03-15');
    assert.notEqual(tomorrow.status, overridden.status);

    const activities = before.agreement.activities.map((a) =>
      a.id === 'trafikkontroller' ? { ...a, target: { kind: 'none' as const } } : a,
    );
    await store.agreements.save({ ...before.agreement, activities });
    const edited = (await status.current())!;
    assert.notEqual(edited.status, tomorrow.status);
    assert.equal(edited.status.activities.find((a) => a.activityId === 'trafikkontroller')!.target, undefined);
  });
});
