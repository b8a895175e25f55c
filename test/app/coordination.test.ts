import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'mocha';
import type { Actor } from '../../src/app/actor.js';
import { AgreementService } from '../../src/app/agreements.js';
import { MemoryAuditLog } from '../../src/app/audit.js';
import { ManualClock } from '../../src/app/clock.js';
import { CoordinationService, computeReportingRate, lastWeeks } from '../../src/app/coordination.js';
import type { Reporter } from '../../src/domain/reporter.js';
import { StatusService } from '../../src/app/status.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { DEFAULT_THRESHOLDS } from '../../src/domain/status.js';
import { MemoryStore } from '../../src/storage/memory-store.js';

const COORDINATOR: Actor = { id: 'cccccccc-0000-4000-8000-000000000003', tenantId: 't-police', isCoordinator: true };
const OTHER_COORDINATOR: Actor = {
  id: 'dddddddd-0000-4000-8000-000000000004',
  tenantId: 't-kommun',
  isCoordinator: true,
};
const REPORTER: Actor = { id: 'aaaaaaaa-0000-4000-8000-000000000001', tenantId: 't-police', isCoordinator: false };
const AGREEMENT = 'tranas-2023-2024';

let seq = 0;
/** A stored report of the Tranås agreement; week and date must agree. */
function report(extra: Partial<WeeklyReport> & Pick<WeeklyReport, 'week' | 'date'>): WeeklyReport {
  const id = `r-${++seq}`;
  return {
    id,
    submissionId: `s-${id}`,
    agreementId: AGREEMENT,
    reporterId: REPORTER.id,
    activityId: 'trafikkontroller',
    pledgeNumber: 3,
    count: 1,
    area: 'Centrum',
    description: '',
    raiseAtNextMeeting: false,
    party: 'Polisen',
    createdAt: `${extra.date}T10:00:00Z`,
    updatedAt: `${extra.date}T10:00:00Z`,
    history: [],
    ...extra,
  };
}

function setup(now = '2024-03-14T10:00:00Z') {
  const store = new MemoryStore();
  const clock = new ManualClock(now); // Thursday, week 11 2024, day 74 of 366
  const audit = new MemoryAuditLog();
  const agreements = new AgreementService(store, clock);
  const status = new StatusService(store, agreements, clock, DEFAULT_THRESHOLDS);
  const coordination = new CoordinationService(store, agreements, status, clock, audit);
  return { store, clock, audit, agreements, status, coordination };
}

describe('CoordinationService: status set by hand', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(async () => {
    s = setup();
    await s.agreements.seedDefaults();
    // 7 trafikkontroller by 14 March: expected 30 × 74/366 ≈ 6.1, so computed I fas.
    await s.store.reports.add(report({ week: '2024-W10', date: '2024-03-06', count: 4 }));
    await s.store.reports.add(report({ week: '2024-W11', date: '2024-03-12', count: 3 }));
  });

  it('applies a pledge override, keeps the computed level and figures, and audits without the reason', async () => {
    const result = await s.coordination.override(
      COORDINATOR,
      'löfte 3 risk: polisen har haft färre resurser i sommar',
      { correlationId: 'corr-1', byName: 'Kommunpolis Karin' },
    );
    assert.equal(result.kind, 'saved');
    if (result.kind !== 'saved') return;
    assert.deepEqual(result.subject, { kind: 'pledge', pledgeNumber: 3 });

    const [stored] = await s.store.overrides.list();
    assert.equal(stored!.agreementId, AGREEMENT);
    assert.equal(stored!.pledgeNumber, 3);
    assert.equal(stored!.activityId, undefined);
    assert.equal(stored!.level, 'atRisk');
    assert.equal(stored!.reason, 'polisen har haft färre resurser i sommar');
    assert.equal(stored!.by, COORDINATOR.id);
    assert.equal(stored!.byName, 'Kommunpolis Karin');
    assert.equal(stored!.at, '2024-03-14T10:00:00.000Z');

    const view = (await s.status.current())!;
    const pledge = view.status.pledges.find((p) => p.pledgeNumber === 3)!;
    assert.equal(pledge.effectiveLevel, 'atRisk');
    assert.equal(pledge.computedLevel, 'onTrack');
    assert.equal(pledge.override?.reason, 'polisen har haft färre resurser i sommar');
    assert.deepEqual(view.overrideAuthors, { [COORDINATOR.id]: 'Kommunpolis Karin' });
    const traffic = view.status.activities.find((a) => a.activityId === 'trafikkontroller')!;
    assert.equal(traffic.windowCount, 7, 'the computed figure is unchanged');
    assert.equal(traffic.effectiveLevel, 'onTrack', 'a pledge override does not change its activities');

    assert.deepEqual(s.audit.entries, [
      {
        at: '2024-03-14T10:00:00.000Z',
        actor: { id: COORDINATOR.id, tenantId: 't-police' },
        action: 'status.override',
        objectId: stored!.id,
        outcome: 'ok',
        correlationId: 'corr-1',
        detail: 'p:3:atRisk',
      },
    ]);
    assert.ok(!JSON.stringify(s.audit.entries).includes('resurser'), 'no free text in the audit');
  });

  it('lets the newest override of an activity win, and keeps the older one', async () => {
    assert.equal(
      (await s.coordination.override(COORDINATOR, 'trafikkontroller efter: två kontroller ställdes in')).kind,
      'saved',
    );
    s.clock.advance(60_000);
    assert.equal(
      (
        await s.coordination.override(
          OTHER_COORDINATOR,
          'trafikkontroller uppnått: alla planerade kontroller är gjorda',
        )
      ).kind,
      'saved',
    );
    const traffic = (await s.status.current())!.status.activities.find((a) => a.activityId === 'trafikkontroller')!;
    assert.equal(traffic.effectiveLevel, 'achieved');
    assert.equal(traffic.computedLevel, 'onTrack');
    assert.equal(traffic.override?.by, OTHER_COORDINATOR.id);
    assert.equal(traffic.windowCount, 7);
    assert.equal((await s.store.overrides.list()).length, 2);
  });

  it('clears the overrides of a subject: kept, marked cleared, no longer applied, audited', async () => {
    await s.coordination.override(COORDINATOR, 'trafikkontroller efter: två kontroller ställdes in');
    s.clock.advance(60_000);
    await s.coordination.override(COORDINATOR, 'trafikkontroller risk: väder');
    await s.coordination.override(COORDINATOR, 'löfte 3 risk: resurser');
    s.clock.advance(60_000);
    s.audit.entries.length = 0;

    const result = await s.coordination.clearOverride(OTHER_COORDINATOR, 'trafikkontroller', {
      correlationId: 'corr-2',
    });
    assert.equal(result.kind, 'cleared');
    if (result.kind !== 'cleared') return;
    assert.equal(result.cleared.length, 2, 'the newest and the older one beneath it');

    const all = await s.store.overrides.list();
    assert.equal(all.length, 3, 'nothing is deleted');
    for (const o of all.filter((x) => x.activityId === 'trafikkontroller')) {
      assert.equal(o.clearedAt, '2024-03-14T10:02:00.000Z');
      assert.equal(o.clearedBy, OTHER_COORDINATOR.id);
    }
    assert.equal(all.find((x) => x.activityId === undefined)!.clearedAt, undefined, 'the pledge override is untouched');

    const view = (await s.status.current())!;
    const traffic = view.status.activities.find((a) => a.activityId === 'trafikkontroller')!;
    assert.equal(traffic.override, undefined);
    assert.equal(traffic.effectiveLevel, 'onTrack');
    assert.equal(view.status.pledges.find((p) => p.pledgeNumber === 3)!.effectiveLevel, 'atRisk');

    assert.deepEqual(
      s.audit.entries.map((e) => [e.action, e.outcome, e.actor.id, e.detail, e.correlationId]),
      [
        ['status.override.cleared', 'ok', OTHER_COORDINATOR.id, 'a:trafikkontroller', 'corr-2'],
        ['status.override.cleared', 'ok', OTHER_COORDINATOR.id, 'a:trafikkontroller', 'corr-2'],
      ],
    );
    assert.equal((await s.coordination.clearOverride(COORDINATOR, 'trafikkontroller')).kind, 'none');
    assert.equal((await s.coordination.clearOverride(COORDINATOR, 'bilar')).kind, 'invalid');
  });

  it('answers what is missing or unclear, keeps what was typed, and stores nothing', async () => {
    const noReason = await s.coordination.override(COORDINATOR, 'löfte 2 risk');
    assert.equal(noReason.kind, 'invalid');
    if (noReason.kind !== 'invalid') return;
    assert.deepEqual(noReason.problems, ['reason']);
    assert.deepEqual(noReason.draft.subject, { kind: 'pledge', pledgeNumber: 2 });
    assert.equal(noReason.draft.level, 'atRisk');
    assert.equal(noReason.typed, 'löfte 2 risk');

    const unclear = await s.coordination.override(COORDINATOR, 'bilarna kanske: vet inte');
    assert.equal(unclear.kind, 'invalid');
    if (unclear.kind === 'invalid') assert.deepEqual(unclear.problems, ['subject', 'level']);

    const personal = await s.coordination.override(COORDINATOR, 'löfte 2 efter: ring 070-123 45 67');
    assert.equal(personal.kind, 'invalid');
    if (personal.kind === 'invalid') {
      assert.deepEqual(personal.problems, ['personalData']);
      assert.deepEqual(personal.personalData, ['telefonnummer']);
    }
    assert.equal((await s.store.overrides.list()).length, 0);
    assert.equal(s.audit.entries.length, 0);
  });

  it('saves from the form card, validated again on the server', async () => {
    const bad = await s.coordination.overrideFromForm(COORDINATOR, {
      subject: 'a:finns-inte',
      level: 'sjunker',
      reason: '',
    });
    assert.equal(bad.kind, 'invalid');
    if (bad.kind === 'invalid') assert.deepEqual(bad.problems, ['subject', 'level', 'reason']);
    const ok = await s.coordination.overrideFromForm(COORDINATOR, {
      subject: 'a:krogkontroller',
      level: 'behind',
      reason: 'Krogarna har haft stängt',
    });
    assert.equal(ok.kind, 'saved');
    const krog = (await s.status.current())!.status.activities.find((a) => a.activityId === 'krogkontroller')!;
    assert.equal(krog.effectiveLevel, 'behind');
    assert.equal(krog.computedLevel, 'noTarget');
  });

  it('refuses non-coordinators politely and audits the refusal', async () => {
    assert.deepEqual(await s.coordination.override(REPORTER, 'löfte 3 risk: resurser', { correlationId: 'c-9' }), {
      kind: 'forbidden',
    });
    assert.deepEqual(await s.coordination.clearOverride(REPORTER, 'löfte 3'), { kind: 'forbidden' });
    assert.deepEqual(
      await s.coordination.overrideFromForm(REPORTER, { subject: 'p:3', level: 'atRisk', reason: 'resurser' }),
      { kind: 'forbidden' },
    );
    assert.deepEqual(await s.coordination.activities(REPORTER, 'sätt mål trafikkontroller 35 per år'), {
      kind: 'forbidden',
    });
    assert.deepEqual(await s.coordination.reportingRate(REPORTER), { kind: 'forbidden' });
    assert.equal(
      (await s.coordination.activities(REPORTER, 'aktiviteter')).kind,
      'list',
      'anyone may list the activities',
    );
    assert.equal((await s.store.overrides.list()).length, 0);
    assert.deepEqual(
      s.audit.entries.map((e) => [e.action, e.outcome, e.actor.id, e.detail]),
      [
        ['access.refused', 'refused', REPORTER.id, 'status.override'],
        ['access.refused', 'refused', REPORTER.id, 'status.override.clear'],
        ['access.refused', 'refused', REPORTER.id, 'status.override'],
        ['access.refused', 'refused', REPORTER.id, 'agreement.setTarget'],
        ['access.refused', 'refused', REPORTER.id, 'reportingRate'],
      ],
    );
    assert.equal(s.audit.entries[0]!.correlationId, 'c-9');
  });
});

describe('CoordinationService: activities and targets', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(async () => {
    s = setup();
    await s.agreements.seedDefaults();
    await s.store.reports.add(report({ week: '2024-W10', date: '2024-03-06', count: 7 }));
  });

  it('changes a target after validating the agreement, and the status judges against it', async () => {
    const result = await s.coordination.activities(COORDINATOR, 'sätt mål trafikkontroller 35 per år', {
      correlationId: 'c-1',
    });
    assert.equal(result.kind, 'saved');
    if (result.kind !== 'saved') return;
    assert.deepEqual(result.previous?.target, { kind: 'perYear', count: 30 });
    assert.deepEqual(result.activity.target, { kind: 'perYear', count: 35 });
    const stored = await s.store.agreements.get(AGREEMENT);
    assert.deepEqual(stored!.activities.find((a) => a.id === 'trafikkontroller')!.target, {
      kind: 'perYear',
      count: 35,
    });
    assert.equal(stored!.activities.length, 6);
    const traffic = (await s.status.current())!.status.activities.find((a) => a.activityId === 'trafikkontroller')!;
    assert.equal(traffic.target, 35);
    assert.equal(traffic.windowCount, 7);
    assert.deepEqual(
      s.audit.entries.map((e) => [e.action, e.outcome, e.objectId, e.detail, e.correlationId]),
      [['agreement.changed', 'ok', AGREEMENT, 'activity.changed:trafikkontroller:target', 'c-1']],
    );
  });

  it('refuses an unclear target or an unknown activity and changes nothing', async () => {
    for (const text of [
      'sätt mål trafikkontroller 35 per månad',
      'sätt mål bilar 3 per år',
      'sätt mål trafikkontroller',
    ]) {
      const result = await s.coordination.activities(COORDINATOR, text);
      assert.equal(result.kind, 'invalid', text);
    }
    const empty = await s.coordination.activities(COORDINATOR, 'sätt mål');
    assert.equal(empty.kind, 'invalid');
    if (empty.kind === 'invalid') assert.deepEqual(empty.problems, []);
    assert.deepEqual(
      (await s.store.agreements.get(AGREEMENT))!.activities.find((a) => a.id === 'trafikkontroller')!.target,
      { kind: 'perYear', count: 30 },
    );
    assert.equal(s.audit.entries.length, 0);
  });

  it('adds an activity, which the status and the report form then know', async () => {
    const result = await s.coordination.activities(
      COORDINATOR,
      'ny aktivitet löfte 2: Trygghetsvandringar, enhet vandringar, mål 10 per år, ägare Kommunen',
    );
    assert.equal(result.kind, 'saved');
    if (result.kind !== 'saved') return;
    assert.deepEqual(result.activity, {
      id: 'aktivitet-7',
      pledgeNumber: 2,
      owner: 'Kommunen',
      wording: 'Trygghetsvandringar',
      unit: 'vandringar',
      unitSingular: 'vandring',
      target: { kind: 'perYear', count: 10 },
      youthFocus: false,
    });
    const view = (await s.status.current())!;
    assert.ok(view.agreement.activities.some((a) => a.id === 'aktivitet-7'));
    assert.equal(view.status.activities.find((a) => a.activityId === 'aktivitet-7')!.target, 10);
    assert.equal(s.audit.entries[0]!.detail, 'activity.added:aktivitet-7');
  });

  it('refuses an activity that fails the agreement schema, naming the field', async () => {
    const result = await s.coordination.activities(COORDINATOR, 'ny aktivitet löfte 2: ab, ägare Polisen');
    assert.equal(result.kind, 'invalid');
    if (result.kind !== 'invalid') return;
    assert.deepEqual(result.errors, [{ path: 'activities.6.wording', message: 'ska beskriva aktiviteten' }]);
    const missing = await s.coordination.activities(COORDINATOR, 'ny aktivitet löfte 9: Skolbesök');
    assert.equal(missing.kind, 'invalid');
    if (missing.kind === 'invalid') assert.deepEqual(missing.problems.sort(), ['owner', 'pledge']);
    const duplicate = await s.coordination.activities(COORDINATOR, 'ny aktivitet löfte 2: Krogkontroller, ägare Båda');
    assert.equal(duplicate.kind, 'invalid');
    assert.equal((await s.store.agreements.get(AGREEMENT))!.activities.length, 6);
  });

  it('edits an activity’s owner and unit', async () => {
    const result = await s.coordination.activities(
      COORDINATOR,
      'ändra aktivitet krogkontroller: ägare Kommunen, enhet besök',
    );
    assert.equal(result.kind, 'saved');
    const krog = (await s.store.agreements.get(AGREEMENT))!.activities.find((a) => a.id === 'krogkontroller')!;
    assert.equal(krog.owner, 'Kommunen');
    assert.equal(krog.unit, 'besök');
    assert.equal(s.audit.entries[0]!.detail, 'activity.changed:krogkontroller:unit,unitSingular,owner');
  });
});

describe('CoordinationService: reporting rate', () => {
  const reporter = (aadObjectId: string, party: 'Polisen' | 'Kommunen', extra: Partial<Reporter> = {}): Reporter => ({
    aadObjectId,
    party,
    registeredAt: '2024-01-02T08:00:00Z',
    active: true,
    ...extra,
  });

  it('counts reporters, reports and the share of registered reporters per party and week', async () => {
    const s = setup();
    await s.agreements.seedDefaults();
    for (const r of [
      reporter('p1', 'Polisen'),
      reporter('p2', 'Polisen'),
      reporter('p3', 'Polisen', { registeredAt: '2024-03-06T09:00:00Z' }), // from week 10
      reporter('k1', 'Kommunen', { absentUntil: '2024-03-01' }), // away through Friday of week 9
      reporter('k2', 'Kommunen', { active: false }),
    ]) {
      await s.store.reporters.put(r);
    }
    for (const r of [
      report({ week: '2024-W11', date: '2024-03-11', reporterId: 'p1' }),
      report({ week: '2024-W11', date: '2024-03-12', reporterId: 'P1', count: 5 }),
      report({ week: '2024-W11', date: '2024-03-12', reporterId: 'p3' }),
      report({
        week: '2024-W11',
        date: '2024-03-13',
        reporterId: 'k1',
        party: 'Kommunen',
        activityId: 'langning-kampanjer',
        pledgeNumber: 1,
      }),
      report({
        week: '2024-W11',
        date: '2024-03-13',
        reporterId: 'u9',
        party: 'Kommunen',
        activityId: 'langning-kampanjer',
        pledgeNumber: 1,
      }),
      report({ week: '2024-W10', date: '2024-03-05', reporterId: 'p2' }),
      report({
        week: '2024-W09',
        date: '2024-02-27',
        reporterId: 'p1',
        withdrawn: { at: '2024-02-28T10:00:00Z', by: 'p1' },
      }),
      report({ week: '2024-W07', date: '2024-02-13', reporterId: 'p1' }), // outside the four weeks
      report({ week: '2024-W11', date: '2024-03-12', reporterId: 'p2', agreementId: 'annan-kommun' }),
    ]) {
      await s.store.reports.add(r);
    }

    const result = await s.coordination.reportingRate(COORDINATOR);
    assert.equal(result.kind, 'rate');
    if (result.kind !== 'rate') return;
    assert.equal(result.anyRegistered, true);
    const rows = result.weeks.map((w) => [w.week, w.current, w.parties.Polisen, w.parties.Kommunen]);
    assert.deepEqual(rows, [
      [
        '2024-W11',
        true,
        { reporters: 2, reports: 3, registered: 3, registeredReported: 2 },
        { reporters: 2, reports: 2, registered: 1, registeredReported: 1 },
      ],
      [
        '2024-W10',
        false,
        { reporters: 1, reports: 1, registered: 3, registeredReported: 1 },
        { reporters: 0, reports: 0, registered: 1, registeredReported: 0 },
      ],
      [
        '2024-W09',
        false,
        { reporters: 0, reports: 0, registered: 2, registeredReported: 0 },
        { reporters: 0, reports: 0, registered: 0, registeredReported: 0 },
      ],
      [
        '2024-W08',
        false,
        { reporters: 0, reports: 0, registered: 2, registeredReported: 0 },
        { reporters: 0, reports: 0, registered: 0, registeredReported: 0 },
      ],
    ]);
  });

  it('works without registered reporters, across a year boundary', () => {
    const weeks = lastWeeks('2025-W02', 4);
    assert.deepEqual(weeks, ['2024-W51', '2024-W52', '2025-W01', '2025-W02']);
    const rate = computeReportingRate([report({ week: '2025-W01', date: '2024-12-30' })], [], weeks, '2025-W02');
    assert.deepEqual(rate[2]!.parties.Polisen, { reporters: 1, reports: 1, registered: 0, registeredReported: 0 });
    assert.equal(rate[3]!.current, true);
  });
});
