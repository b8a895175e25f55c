import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { parseAgreement, type Agreement, type AgreementInput } from '../../src/domain/agreement.js';
import { addWeeks, isoWeekOfLocalDate, mondayOfWeek, type LocalDate } from '../../src/domain/calendar.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import {
  behindActivities,
  computeStatus,
  countReports,
  DEFAULT_THRESHOLDS,
  worstLevel,
  type ActivityStatus,
  type AgreementStatus,
  type StatusOverride,
} from '../../src/domain/status.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';

function agreementOf(input: AgreementInput): Agreement {
  const r = parseAgreement(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

const tranas = agreementOf(TRANAS_2023_2024);

/** Tranås with a second target-bearing activity under pledge 3 (for the pledge roll-up). */
const tranasPlus = agreementOf({
  ...TRANAS_2023_2024,
  activities: [
    ...TRANAS_2023_2024.activities,
    {
      id: 'hastighetskontroller',
      pledgeNumber: 3,
      owner: 'Polisen',
      wording: 'Hastighetskontroller',
      unit: 'kontroller',
      target: { kind: 'perYear', count: 10 },
    },
  ],
});

/** A synthetic 2020–2021 agreement: 2020 has an ISO week 53. */
const synth2020 = agreementOf({
  id: 'syntet-2020-2021',
  municipality: 'Testkommun',
  policeArea: 'Testområdet',
  periodStart: '2020-01-01',
  periodEnd: '2021-12-31',
  pledges: [{ number: 1, wording: 'Ett testlöfte' }],
  activities: [
    {
      id: 'moten',
      pledgeNumber: 1,
      owner: 'Båda',
      wording: 'Samverkansmöten',
      unit: 'möten',
      target: { kind: 'none' },
    },
    {
      id: 'kontroller',
      pledgeNumber: 1,
      owner: 'Polisen',
      wording: 'Kontroller',
      unit: 'kontroller',
      target: { kind: 'perYear', count: 52 },
    },
  ],
});

/** A synthetic agreement that starts and ends mid-year (2023-07-01 – 2024-06-30). */
const midYear = agreementOf({
  id: 'halvar-2023-2024',
  municipality: 'Testkommun',
  policeArea: 'Testområdet',
  periodStart: '2023-07-01',
  periodEnd: '2024-06-30',
  pledges: [{ number: 1, wording: 'Ett testlöfte' }],
  activities: [
    {
      id: 'per-ar',
      pledgeNumber: 1,
      owner: 'Polisen',
      wording: 'Per år',
      unit: 'st',
      target: { kind: 'perYear', count: 30 },
    },
    {
      id: 'per-period',
      pledgeNumber: 1,
      owner: 'Polisen',
      wording: 'Per period',
      unit: 'st',
      target: { kind: 'perPeriod', count: 40 },
    },
  ],
});

// ---------------------------------------------------------------------------
// Report builder
// ---------------------------------------------------------------------------

let seq = 0;
function rep(
  date: LocalDate,
  count: number,
  activityId = 'trafikkontroller',
  extra: Partial<WeeklyReport> & { agreement?: Agreement } = {},
): WeeklyReport {
  const { agreement = tranasPlus, ...rest } = extra;
  const pledgeNumber =
    agreement.activities.find((a) => a.id === activityId)?.pledgeNumber ?? Number(/(\d+)$/.exec(activityId)?.[1] ?? 1);
  seq += 1;
  return {
    id: `r${seq}`,
    submissionId: `s${seq}`,
    agreementId: agreement.id,
    reporterId: 'user-1',
    createdAt: `${date}T10:00:00.000Z`,
    updatedAt: `${date}T10:00:00.000Z`,
    history: [],
    week: isoWeekOfLocalDate(date),
    activityId,
    pledgeNumber,
    count,
    date,
    area: 'Centrum',
    description: '',
    raiseAtNextMeeting: false,
    party: 'Polisen',
    ...rest,
  };
}

/** `total` split into reports of 1 spread over Jan–Apr 2024 (the last one on 2024-04-30). */
function spreadJanApr(total: number, activityId = 'trafikkontroller'): WeeklyReport[] {
  const dates = [
    '2024-01-15',
    '2024-01-29',
    '2024-02-12',
    '2024-02-26',
    '2024-03-11',
    '2024-03-25',
    '2024-04-08',
    '2024-04-15',
    '2024-04-22',
    '2024-04-30',
  ];
  return Array.from({ length: total }, (_, i) => rep(dates[dates.length - 1 - (i % dates.length)]!, 1, activityId));
}

const act = (s: AgreementStatus, id: string): ActivityStatus => {
  const a = s.activities.find((x) => x.activityId === id);
  if (!a) throw new Error(`no activity ${id}`);
  return a;
};
const pledge = (s: AgreementStatus, n: number) => s.pledges.find((p) => p.pledgeNumber === n)!;

// 2024 is a leap year: 366 days. 2024-01-01 – 2024-04-30 is 31 + 29 + 31 + 30 = 121 days (today included).
// Expected by 2024-04-30 for 30/year: 30 × 121 / 366 = 9.918…
const EXPECTED_END_APRIL_30 = (30 * 121) / 366;

describe('status', () => {
  describe('pace against a per-year target (trafikkontroller, 30 per år)', () => {
    it('10 by end of April is onTrack: pace 10 / 9.918 = 1.008 ≥ 0.9', () => {
      const s = computeStatus(tranas, spreadJanApr(10), '2024-04-30');
      const t = act(s, 'trafikkontroller');
      assert.equal(t.target, 30);
      assert.equal(t.targetKind, 'perYear');
      assert.ok(Math.abs(t.expectedByToday! - EXPECTED_END_APRIL_30) < 1e-9);
      assert.ok(Math.abs(t.pace! - 10 / EXPECTED_END_APRIL_30) < 1e-9);
      assert.equal(t.counts.year, 10);
      assert.equal(t.computedLevel, 'onTrack');
      assert.equal(t.effectiveLevel, 'onTrack');
      assert.equal(t.perTertialExpected, 10);
      assert.deepEqual(t.window, { kind: 'year', from: '2024-01-01', to: '2024-12-31', target: 30 });
    });

    it('5 by end of April is behind: pace 5 / 9.918 = 0.504 < 0.7', () => {
      const t = act(computeStatus(tranas, spreadJanApr(5), '2024-04-30'), 'trafikkontroller');
      assert.ok(t.pace! < 0.51 && t.pace! > 0.5);
      assert.equal(t.computedLevel, 'behind');
    });

    it('8 by end of April is atRisk: pace 8 / 9.918 = 0.807, between 0.7 and 0.9', () => {
      const t = act(computeStatus(tranas, spreadJanApr(8), '2024-04-30'), 'trafikkontroller');
      assert.ok(t.pace! > 0.8 && t.pace! < 0.81);
      assert.equal(t.computedLevel, 'atRisk');
    });

    it('is achieved once the year count reaches 30, whatever the date', () => {
      const t = act(
        computeStatus(tranas, [rep('2024-03-01', 20), rep('2024-04-02', 10)], '2024-04-30'),
        'trafikkontroller',
      );
      assert.equal(t.counts.year, 30);
      assert.equal(t.computedLevel, 'achieved');
      const t29 = act(computeStatus(tranas, [rep('2024-03-01', 29)], '2024-04-30'), 'trafikkontroller');
      assert.equal(t29.computedLevel, 'onTrack');
    });

    it('early January (expected < 1) is not called behind; once expected ≥ 1 zero reports is behind', () => {
      // 2024-01-03: 30 × 3 / 366 = 0.246 expected.
      const early = act(computeStatus(tranas, [], '2024-01-03'), 'trafikkontroller');
      assert.ok(early.expectedByToday! < 1);
      assert.equal(early.computedLevel, 'onTrack');
      // 2024-01-13: 30 × 13 / 366 = 1.066 expected, nothing reported.
      const later = act(computeStatus(tranas, [], '2024-01-13'), 'trafikkontroller');
      assert.ok(later.expectedByToday! >= 1);
      assert.equal(later.pace, 0);
      assert.equal(later.computedLevel, 'behind');
    });

    it('respects thresholds passed in', () => {
      assert.deepEqual({ ...DEFAULT_THRESHOLDS }, { riskBelow: 0.9, behindBelow: 0.7 });
      // pace 0.807 with riskBelow 0.8 → onTrack
      assert.equal(
        act(
          computeStatus(tranas, spreadJanApr(8), '2024-04-30', { riskBelow: 0.8, behindBelow: 0.5 }),
          'trafikkontroller',
        ).computedLevel,
        'onTrack',
      );
      // pace 0.504 with behindBelow 0.5 → atRisk
      assert.equal(
        act(
          computeStatus(tranas, spreadJanApr(5), '2024-04-30', { riskBelow: 0.9, behindBelow: 0.5 }),
          'trafikkontroller',
        ).computedLevel,
        'atRisk',
      );
      // pace 1.008 with riskBelow 1.1 → atRisk
      assert.equal(
        act(
          computeStatus(tranas, spreadJanApr(10), '2024-04-30', { riskBelow: 1.1, behindBelow: 0.9 }),
          'trafikkontroller',
        ).computedLevel,
        'atRisk',
      );
    });
  });

  describe('counting windows', () => {
    it('tertial boundaries: 2024-04-30 lands in T1, 2024-05-01 in T2', () => {
      const reports = [rep('2024-04-30', 2), rep('2024-05-01', 3)];
      assert.equal(countReports(reports, { tertial: '2024-T1' }), 2);
      assert.equal(countReports(reports, { tertial: '2024-T2' }), 3);
      const onApr30 = act(computeStatus(tranas, reports, '2024-04-30'), 'trafikkontroller');
      assert.equal(onApr30.counts.tertial, 2); // the 1 May report is not counted before its date
      const onMay1 = computeStatus(tranas, reports, '2024-05-01');
      assert.equal(onMay1.tertial, '2024-T2');
      assert.equal(act(onMay1, 'trafikkontroller').counts.tertial, 3);
      // ISO week 2024-W18 is 29 April – 5 May: both reports fall in it.
      assert.equal(act(onMay1, 'trafikkontroller').counts.week, 5);
      assert.equal(act(onMay1, 'trafikkontroller').counts.year, 5);
    });

    it('year boundary: year counts follow the date, week counts follow the ISO week', () => {
      const reports = [rep('2023-12-31', 4), rep('2024-12-30', 6), rep('2024-12-31', 1)];
      assert.equal(reports[0]!.week, '2023-W52');
      assert.equal(reports[1]!.week, '2025-W01');

      const s2023 = computeStatus(tranas, reports, '2023-12-31');
      assert.equal(s2023.week, '2023-W52');
      assert.deepEqual(act(s2023, 'trafikkontroller').counts, { week: 4, tertial: 4, year: 4, period: 4 });

      const s2024 = computeStatus(tranas, reports, '2024-12-31');
      assert.equal(s2024.week, '2025-W01');
      assert.equal(s2024.year, 2024);
      // 2023-12-31 counts for 2023 only; 2024-12-30/31 are year 2024 and week 2025-W01.
      assert.deepEqual(act(s2024, 'trafikkontroller').counts, { week: 7, tertial: 7, year: 7, period: 11 });
      assert.equal(countReports(reports, { year: 2024 }), 7);
      assert.equal(countReports(reports, { week: '2025-W01' }), 7);
    });

    it('ISO week 53 (2020-W53) in a 2020–2021 agreement', () => {
      const o = { agreement: synth2020 };
      const reports = [
        rep('2020-12-31', 2, 'moten', o),
        rep('2021-01-01', 3, 'moten', o),
        rep('2021-01-04', 1, 'moten', o),
      ];
      assert.equal(reports[1]!.week, '2020-W53');
      const s = computeStatus(synth2020, reports, '2021-01-03');
      assert.equal(s.week, '2020-W53');
      assert.deepEqual(act(s, 'moten').counts, { week: 5, tertial: 3, year: 3, period: 5 });
      // From 2021-W03 the last 4 complete weeks are 2020-W52 … 2021-W01, across week 53: 6 vs 0.
      assert.equal(addWeeks('2021-W01', -1), '2020-W53');
      const later = act(computeStatus(synth2020, reports, '2021-01-18'), 'moten');
      assert.deepEqual(later.trendCounts, { recent: 6, previous: 0 });
      assert.equal(later.trend, 'up');
    });

    it('ignores withdrawn reports and reports of other agreements', () => {
      const reports = [
        ...spreadJanApr(10),
        rep('2024-04-10', 100, 'trafikkontroller', {
          withdrawn: { at: '2024-04-11T08:00:00Z', by: 'user-1', reason: 'fel' },
        }),
        rep('2024-04-10', 100, 'trafikkontroller', { agreementId: 'eksjo-2023-2024' }),
      ];
      const s = computeStatus(tranas, reports, '2024-04-30');
      assert.equal(act(s, 'trafikkontroller').counts.year, 10);
      assert.equal(act(s, 'trafikkontroller').computedLevel, 'onTrack');
      assert.equal(countReports(reports, { agreementId: 'tranas-2023-2024' }), 10);
    });

    it('dataUpTo is the latest week with any report', () => {
      const s = computeStatus(tranas, [rep('2024-11-20', 1, 'krogkontroller'), rep('2024-03-01', 1)], '2024-12-10');
      assert.equal(s.dataUpTo, '2024-W47');
      assert.equal(computeStatus(tranas, [], '2024-12-10').dataUpTo, undefined);
    });

    it('countReports filters by activity, pledge, area and dates', () => {
      const reports = [
        rep('2024-02-01', 2),
        rep('2024-02-02', 3, 'riktade-insatser-narkotika', { area: 'Skolor' }),
        rep('2024-03-01', 4, 'ovrigt-lofte-1'),
      ];
      assert.equal(countReports(reports), 9);
      assert.equal(countReports(reports, { activityIds: ['trafikkontroller'] }), 2);
      assert.equal(countReports(reports, { pledgeNumber: 1 }), 7);
      assert.equal(countReports(reports, { area: 'Skolor' }), 3);
      assert.equal(countReports(reports, { fromDate: '2024-02-02', toDate: '2024-02-29' }), 3);
    });
  });

  describe('period start and end', () => {
    it('after the period end: final, counts clipped to the period, outcome achieved or behind', () => {
      const reports = [
        rep('2023-06-01', 35),
        rep('2024-06-01', 20),
        rep('2024-12-20', 8), // 2024 total 28 < 30
        rep('2025-01-02', 50), // after the period: not counted
        rep('2024-10-01', 15, 'riktade-insatser-narkotika'),
      ];
      const s = computeStatus(tranas, reports, '2025-02-01');
      assert.equal(s.final, true);
      assert.equal(s.notStarted, false);
      assert.equal(s.asOf, '2024-12-31');
      const t = act(s, 'trafikkontroller');
      assert.deepEqual(t.counts, { week: 0, tertial: 8, year: 28, period: 63 });
      assert.equal(t.expectedByToday, 30); // the full target of the last year
      assert.equal(t.computedLevel, 'behind');
      assert.equal(act(s, 'riktade-insatser-narkotika').computedLevel, 'achieved');
      assert.equal(s.dataUpTo, '2024-W51');
    });

    it('before the period start: notStarted, nothing counted, nothing behind', () => {
      const s = computeStatus(tranas, [rep('2022-12-01', 5)], '2022-12-15');
      assert.equal(s.notStarted, true);
      assert.equal(s.final, false);
      const t = act(s, 'trafikkontroller');
      assert.equal(t.counts.period, 0);
      assert.equal(t.expectedByToday, 0);
      assert.equal(t.pace, undefined);
      assert.equal(t.computedLevel, 'onTrack');
      assert.equal(s.dataUpTo, undefined);
    });

    it('a period starting mid-year pro-rates the per-year target; per-period targets spread over the period', () => {
      const o = { agreement: midYear };
      // 2023-07-01 – 2023-09-30 is 92 days. Per year: 30 × 92 / 365 = 7.56 expected.
      // Per period (2023-07-01 – 2024-06-30, 366 days): 40 × 92 / 366 = 10.05 expected.
      const s = computeStatus(
        midYear,
        [rep('2023-09-01', 7, 'per-ar', o), rep('2023-09-01', 6, 'per-period', o)],
        '2023-09-30',
      );
      const y = act(s, 'per-ar');
      assert.ok(Math.abs(y.expectedByToday! - (30 * 92) / 365) < 1e-9);
      // The 2023 window is 2023-07-01 – 2023-12-31 (184 days): target 30 × 184 / 365 = 15.12.
      assert.equal(y.window!.from, '2023-07-01');
      assert.ok(Math.abs(y.window!.target - (30 * 184) / 365) < 1e-9);
      assert.equal(y.computedLevel, 'onTrack'); // 7 / 7.56 = 0.926
      const p = act(s, 'per-period');
      assert.ok(Math.abs(p.expectedByToday! - (40 * 92) / 366) < 1e-9);
      assert.equal(p.computedLevel, 'behind'); // 6 / 10.05 = 0.597
      assert.equal(p.perTertialExpected, 10); // 2023-T2 … 2024-T2: four tertials
      // Final: the last window is 2024-01-01 – 2024-06-30 (182 days): 30 × 182 / 366 = 14.9, so 15 is achieved.
      const f = computeStatus(
        midYear,
        [rep('2024-05-01', 15, 'per-ar', o), rep('2024-05-01', 39, 'per-period', o)],
        '2024-08-01',
      );
      assert.equal(f.final, true);
      assert.equal(act(f, 'per-ar').computedLevel, 'achieved');
      assert.equal(act(f, 'per-period').computedLevel, 'behind'); // 39 < 40
    });
  });

  describe('pledges, overrides and no-target activities', () => {
    // On 2024-04-30: trafikkontroller 10 (onTrack), hastighetskontroller 0 of expected 10 × 121 / 366 = 3.31 (behind),
    // riktade-insatser-narkotika 5 of expected 15 × 121 / 366 = 4.96 (pace 1.008, onTrack).
    const reports = [...spreadJanApr(10), ...spreadJanApr(5, 'riktade-insatser-narkotika')];

    it('a pledge takes the worst level of its target-bearing activities; no targets → noTarget', () => {
      const s = computeStatus(tranasPlus, reports, '2024-04-30');
      assert.equal(act(s, 'hastighetskontroller').computedLevel, 'behind');
      assert.equal(pledge(s, 3).computedLevel, 'behind');
      assert.deepEqual(pledge(s, 3).activityIds, ['trafikkontroller', 'hastighetskontroller', 'ovrigt-lofte-3']);
      assert.equal(pledge(s, 1).computedLevel, 'onTrack');
      assert.equal(pledge(s, 2).computedLevel, 'noTarget');
      assert.equal(act(s, 'ovrigt-lofte-2').computedLevel, 'noTarget');
      assert.equal(act(s, 'ovrigt-lofte-2').isOther, true);
      assert.equal(worstLevel(['achieved', 'noTarget', 'atRisk', 'onTrack']), 'atRisk');
      assert.deepEqual(
        behindActivities(s).map((a) => a.activityId),
        ['hastighetskontroller'],
      );
    });

    it('the newest override applies and never hides the computed figure', () => {
      const overrides: StatusOverride[] = [
        {
          activityId: 'hastighetskontroller',
          level: 'onTrack',
          reason: 'Kontrollerna gjordes men rapporterades sent',
          by: 'kommunpolis',
          at: '2024-04-29T08:00:00Z',
        },
        {
          activityId: 'hastighetskontroller',
          level: 'atRisk',
          reason: 'äldre bedömning',
          by: 'kommunpolis',
          at: '2024-04-01T08:00:00Z',
        },
        {
          pledgeNumber: 2,
          level: 'atRisk',
          reason: 'Oro i centrum',
          by: 'säkerhetssamordnare',
          at: '2024-04-20T08:00:00Z',
        },
      ];
      const s = computeStatus(tranasPlus, reports, '2024-04-30', DEFAULT_THRESHOLDS, overrides);
      const h = act(s, 'hastighetskontroller');
      assert.equal(h.computedLevel, 'behind');
      assert.equal(h.effectiveLevel, 'onTrack');
      assert.equal(h.override?.reason, 'Kontrollerna gjordes men rapporterades sent');
      assert.ok(Math.abs(h.expectedByToday! - (10 * 121) / 366) < 1e-9);
      assert.equal(h.counts.year, 0);
      assert.equal(pledge(s, 3).computedLevel, 'behind');
      assert.equal(pledge(s, 3).effectiveLevel, 'onTrack');
      assert.equal(pledge(s, 2).effectiveLevel, 'atRisk');
      assert.equal(pledge(s, 2).computedLevel, 'noTarget');
      assert.equal(pledge(s, 2).override?.by, 'säkerhetssamordnare');
      assert.deepEqual(behindActivities(s), []);
    });

    it('no-target trend compares the last 4 complete weeks with the 4 before', () => {
      const today = '2024-03-14'; // 2024-W11: recent = W07–W10, previous = W03–W06
      const at = (week: string, n: number) => rep(mondayOfWeek(week), n, 'krogkontroller');
      const trendOf = (rs: WeeklyReport[]) => act(computeStatus(tranas, rs, today), 'krogkontroller');

      const up = trendOf([at('2024-W04', 1), at('2024-W08', 2), at('2024-W10', 1), at('2024-W11', 9)]);
      assert.equal(up.trend, 'up');
      assert.deepEqual(up.trendCounts, { recent: 3, previous: 1 }); // the current week is not complete
      assert.equal(up.computedLevel, 'noTarget');
      assert.equal(up.target, undefined);

      assert.equal(trendOf([at('2024-W03', 2), at('2024-W06', 2), at('2024-W09', 1)]).trend, 'down');
      assert.equal(trendOf([at('2024-W05', 2), at('2024-W07', 2), at('2024-W02', 7)]).trend, 'flat'); // W02 is outside both
      assert.equal(trendOf([]).trend, 'flat');
      assert.equal(act(computeStatus(tranas, [], today), 'trafikkontroller').trend, undefined);
    });
  });
});
