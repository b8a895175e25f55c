import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'mocha';
import type { Actor } from '../../src/app/actor.js';
import { AgreementService } from '../../src/app/agreements.js';
import { MemoryAuditLog } from '../../src/app/audit.js';
import { ManualClock } from '../../src/app/clock.js';
import { AgreementSchema, type Agreement } from '../../src/domain/agreement.js';
import { nextPeriod, rolledOverId } from '../../src/domain/rollover.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { MemoryStore } from '../../src/storage/memory-store.js';

const COORDINATOR: Actor = { id: 'cccccccc-0000-4000-8000-000000000003', tenantId: 't-police', isCoordinator: true };
const REPORTER: Actor = { id: 'aaaaaaaa-0000-4000-8000-000000000001', tenantId: 't-police', isCoordinator: false };
const FROM = 'tranas-2023-2024';

function setup(now = '2024-11-20T10:00:00Z') {
  const store = new MemoryStore();
  const clock = new ManualClock(now);
  const audit = new MemoryAuditLog();
  const agreements = new AgreementService(store, clock, audit);
  return { store, clock, audit, agreements };
}

describe('domain: the next period of an agreement', () => {
  it('keeps calendar years across a leap year, and whole months elsewhere', () => {
    assert.deepEqual(nextPeriod({ periodStart: '2023-01-01', periodEnd: '2024-12-31' }), {
      periodStart: '2025-01-01',
      periodEnd: '2026-12-31',
    });
    assert.deepEqual(nextPeriod({ periodStart: '2023-03-24', periodEnd: '2024-03-23' }), {
      periodStart: '2024-03-24',
      periodEnd: '2025-03-23',
    });
    assert.deepEqual(nextPeriod({ periodStart: '2024-07-01', periodEnd: '2025-06-30' }), {
      periodStart: '2025-07-01',
      periodEnd: '2026-06-30',
    });
  });

  it('keeps the number of days when the period is no whole number of months', () => {
    // 10 days (inclusive) → the next 10 days.
    assert.deepEqual(nextPeriod({ periodStart: '2024-02-20', periodEnd: '2024-02-29' }), {
      periodStart: '2024-03-01',
      periodEnd: '2024-03-10',
    });
  });

  it('names the new period after the old id’s stem, else after the municipality', () => {
    assert.equal(
      rolledOverId({ id: 'tranas-2023-2024', municipality: 'Tranås kommun' }, '2025-01-01', '2026-12-31'),
      'tranas-2025-2026',
    );
    assert.equal(
      rolledOverId({ id: 'tranas-2023-2024', municipality: 'Tranås kommun' }, '2025-01-01', '2025-12-31'),
      'tranas-2025',
    );
    assert.equal(
      rolledOverId({ id: 'medborgarlofte', municipality: 'Eksjö kommun' }, '2025-01-01', '2026-12-31'),
      'eksjo-2025-2026',
    );
  });
});

describe('AgreementService.rollOver', () => {
  let s: ReturnType<typeof setup>;
  let original: Agreement;
  beforeEach(async () => {
    s = setup();
    await s.agreements.seedDefaults();
    original = structuredClone((await s.store.agreements.get(FROM))!);
  });

  it('proposes the day after the old period for the same length, to coordinators only', async () => {
    const proposal = await s.agreements.rolloverProposal(COORDINATOR, FROM);
    assert.equal(proposal.kind, 'form');
    if (proposal.kind !== 'form') return;
    assert.deepEqual(proposal.proposed, { periodStart: '2025-01-01', periodEnd: '2026-12-31' });
    assert.deepEqual(proposal.later, []);
    assert.equal((await s.agreements.rolloverProposal(REPORTER, FROM)).kind, 'forbidden');
    assert.equal(s.audit.entries.at(-1)?.action, 'access.refused');
    assert.equal(s.audit.entries.at(-1)?.detail, 'agreement.rollOver');
  });

  it('copies pledges and activities under a new id with one target changed and one activity left out', async () => {
    const result = await s.agreements.rollOver(
      COORDINATOR,
      FROM,
      {
        periodStart: '2025-01-01',
        periodEnd: '2026-12-31',
        activities: {
          trafikkontroller: { kind: 'perYear', count: '35' },
          krogkontroller: { drop: true },
          'lob-och-polislagen': { kind: 'perPeriod', count: '12' },
        },
      },
      'corr-1',
    );
    assert.equal(result.kind, 'saved', JSON.stringify(result));
    if (result.kind !== 'saved') return;
    const stored = (await s.store.agreements.get('tranas-2025-2026'))!;
    assert.deepEqual(stored, result.agreement);
    assert.equal(stored.periodStart, '2025-01-01');
    assert.equal(stored.periodEnd, '2026-12-31');
    assert.equal(stored.municipality, original.municipality);
    assert.deepEqual(stored.pledges, original.pledges);
    assert.deepEqual(
      stored.activities.map((a) => a.id),
      original.activities.map((a) => a.id).filter((id) => id !== 'krogkontroller'),
    );
    const target = (id: string) => stored.activities.find((a) => a.id === id)!.target;
    assert.deepEqual(target('trafikkontroller'), { kind: 'perYear', count: 35 });
    assert.deepEqual(target('lob-och-polislagen'), { kind: 'perPeriod', count: 12 });
    // Not named: the old target.
    assert.deepEqual(target('riktade-insatser-narkotika'), { kind: 'perYear', count: 15 });
    assert.equal(stored.source, undefined, 'the old source describes the old period');
    assert.equal(result.inForce, false);
    // The old agreement is untouched.
    assert.deepEqual(await s.store.agreements.get(FROM), original);
    assert.equal((await s.store.agreements.list()).length, 2);

    const line = s.audit.entries.at(-1)!;
    assert.equal(line.action, 'agreement.changed');
    assert.equal(line.detail, 'agreement.rolledOver');
    assert.equal(line.objectId, 'tranas-2025-2026');
    assert.equal(line.outcome, 'ok');
    assert.equal(line.actor.id, COORDINATOR.id);
    assert.equal(line.correlationId, 'corr-1');

    // Until 2025 the old period is current; from its start date the new one.
    assert.equal((await s.agreements.current())!.agreement.id, FROM);
    s.clock.set('2025-01-01T08:00:00Z');
    assert.equal((await s.agreements.current())!.agreement.id, 'tranas-2025-2026');
  });

  it('refuses a non-coordinator, audits it and stores nothing', async () => {
    const result = await s.agreements.rollOver(REPORTER, FROM, {});
    assert.equal(result.kind, 'forbidden');
    assert.equal((await s.store.agreements.list()).length, 1);
    const line = s.audit.entries.at(-1)!;
    assert.equal(line.action, 'access.refused');
    assert.equal(line.objectId, FROM);
    // An id from card data that names no agreement is not written to the audit.
    await s.agreements.rollOver(REPORTER, '198001011234', {});
    assert.equal(s.audit.entries.at(-1)!.objectId, undefined);
  });

  it('answers notFound for an agreement that does not exist', async () => {
    assert.equal((await s.agreements.rollOver(COORDINATOR, 'finns-inte', {})).kind, 'notFound');
  });

  it('refuses overlapping periods of the same municipality, the old one included', async () => {
    const overlapOld = await s.agreements.rollOver(COORDINATOR, FROM, {
      periodStart: '2024-12-01',
      periodEnd: '2026-11-30',
    });
    assert.equal(overlapOld.kind, 'invalid');
    if (overlapOld.kind !== 'invalid') return;
    assert.deepEqual(overlapOld.errors, [
      { field: 'period', code: 'overlap', other: { id: FROM, periodStart: '2023-01-01', periodEnd: '2024-12-31' } },
    ]);

    assert.equal((await s.agreements.rollOver(COORDINATOR, FROM, {})).kind, 'saved');
    // The same again (a second click, a second coordinator): the new period overlaps now.
    const again = await s.agreements.rollOver(COORDINATOR, FROM, {});
    assert.equal(again.kind, 'invalid');
    if (again.kind === 'invalid') assert.equal(again.errors[0]!.field, 'period');
    assert.equal((await s.store.agreements.list()).length, 2);
    // The form says a later period exists.
    const proposal = await s.agreements.rolloverProposal(COORDINATOR, FROM);
    assert.deepEqual(proposal.kind === 'form' ? proposal.later.map((a) => a.id) : [], ['tranas-2025-2026']);
  });

  it('lets another municipality have the same dates', async () => {
    await s.store.agreements.addIfAbsent(
      AgreementSchema.parse({
        ...TRANAS_2023_2024,
        id: 'eksjo-2025-2026',
        municipality: 'Eksjö kommun',
        periodStart: '2025-01-01',
        periodEnd: '2026-12-31',
      }),
    );
    assert.equal((await s.agreements.rollOver(COORDINATOR, FROM, {})).kind, 'saved');
  });

  it('refuses an id that exists (another municipality’s agreement under the same stem)', async () => {
    await s.store.agreements.addIfAbsent(
      AgreementSchema.parse({
        ...TRANAS_2023_2024,
        id: 'tranas-2025-2026',
        municipality: 'Annan kommun',
        periodStart: '2025-01-01',
        periodEnd: '2026-12-31',
      }),
    );
    const result = await s.agreements.rollOver(COORDINATOR, FROM, {});
    assert.equal(result.kind, 'invalid');
    if (result.kind === 'invalid')
      assert.deepEqual(result.errors, [{ field: 'period', code: 'idExists', id: 'tranas-2025-2026' }]);
    assert.equal((await s.store.agreements.get('tranas-2025-2026'))!.municipality, 'Annan kommun');
  });

  it('names every bad field at once and keeps what was typed', async () => {
    const input = {
      periodStart: '2025-02-30',
      periodEnd: '',
      activities: {
        trafikkontroller: { kind: 'perYear', count: '' },
        'riktade-insatser-narkotika': { kind: 'perYear', count: '-3' },
        krogkontroller: { kind: 'perWeek', count: '4' },
      },
    };
    const result = await s.agreements.rollOver(COORDINATOR, FROM, input);
    assert.equal(result.kind, 'invalid');
    if (result.kind !== 'invalid') return;
    assert.deepEqual(result.input, input);
    assert.deepEqual(result.errors, [
      { field: 'periodStart', code: 'invalid' },
      { field: 'periodEnd', code: 'required' },
      { field: 'activity', activityId: 'trafikkontroller', code: 'countRequired' },
      { field: 'activity', activityId: 'riktade-insatser-narkotika', code: 'count' },
      { field: 'activity', activityId: 'krogkontroller', code: 'kind' },
    ]);
    assert.equal((await s.store.agreements.list()).length, 1);
    assert.ok(!s.audit.entries.some((e) => e.action === 'agreement.changed'));
  });

  it('refuses an end before the start, a period already over, and one longer than ten years', async () => {
    const codes = async (periodStart: string, periodEnd: string) => {
      const r = await s.agreements.rollOver(COORDINATOR, FROM, { periodStart, periodEnd });
      return r.kind === 'invalid' ? r.errors.map((e) => `${e.field}:${e.code}`) : [r.kind];
    };
    assert.deepEqual(await codes('2026-01-01', '2025-12-31'), ['periodEnd:beforeStart']);
    assert.deepEqual(await codes('2019-01-01', '2020-12-31'), ['periodEnd:past']);
    assert.deepEqual(await codes('2025-01-01', '2040-12-31'), ['periodEnd:tooLong']);
  });

  it('runs the agreement schema and privacy check over the copy', async () => {
    // An agreement stored before a guard rule: its wording now fails the privacy check.
    const bad = { ...original, id: 'gamla-2023-2024', municipality: 'Gamla kommun' };
    bad.activities = [{ ...original.activities[0]!, wording: 'Kontroller, kontakt anna.andersson@tranas.se' }];
    await s.store.agreements.save(bad);
    const result = await s.agreements.rollOver(COORDINATOR, 'gamla-2023-2024', {});
    assert.equal(result.kind, 'invalid');
    if (result.kind === 'invalid') {
      assert.equal(result.errors[0]!.field, 'agreement');
      assert.match(JSON.stringify(result.errors), /activities\.0\.wording/);
    }
    assert.equal(await s.store.agreements.get('gamla-2025-2026'), undefined);
  });

  it('a period that has already started becomes the current one at once', async () => {
    s.clock.set('2025-02-10T10:00:00Z');
    const result = await s.agreements.rollOver(COORDINATOR, FROM, {});
    assert.equal(result.kind, 'saved');
    if (result.kind === 'saved') assert.equal(result.inForce, true);
    assert.equal((await s.agreements.current())!.agreement.id, 'tranas-2025-2026');
  });
});
