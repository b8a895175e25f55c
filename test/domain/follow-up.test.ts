import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'mocha';
import { AgreementSchema, parseAgreement, type Agreement } from '../../src/domain/agreement.js';
import { isoWeekOfLocalDate } from '../../src/domain/calendar.js';
import {
  buildFollowUpDocument,
  defaultFollowUpPeriod,
  followUpPeriodsOf,
  isHttpUrl,
  narrativeStartingPoint,
  parseFollowUpPeriod,
  parseKfPeriod,
  targetToDateOf,
  validateCommunication,
  validateNarrative,
} from '../../src/domain/follow-up.js';
import { fold } from '../../src/domain/text-match.js';
import { ReportTally } from '../../src/domain/report-tally.js';
import { DEFAULT_REPORT_RULES, validateReport, type WeeklyReport } from '../../src/domain/report.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { EKSJO_2024_2025 } from '../fixtures/eksjo-2024-2025.js';
import { inContext, SEED } from '../helpers/identifiers.js';
import { storedReport } from '../helpers/report-builder.js';
import { runs } from '../helpers/runs.js';

const tranas = AgreementSchema.parse(TRANAS_2023_2024);
const q = (text: string, a: Agreement = tranas, today = '2024-09-10') => parseFollowUpPeriod(fold(text), a, today);

/** A report of `count` on `date` (week from the date), with sub-counts. */
const r = (date: string, count: number, extra: Partial<WeeklyReport> = {}): WeeklyReport =>
  storedReport({ date, week: isoWeekOfLocalDate(date), count, description: '', raiseAtNextMeeting: false, ...extra });

describe('domain/follow-up: periods', () => {
  it('tertials by default, clipped to the agreement; quarters and half-years when the agreement says so', () => {
    assert.deepEqual(
      followUpPeriodsOf(tranas).map((p) => `${p.key} ${p.from}–${p.to}`),
      [
        '2023-T1 2023-01-01–2023-04-30',
        '2023-T2 2023-05-01–2023-08-31',
        '2023-T3 2023-09-01–2023-12-31',
        '2024-T1 2024-01-01–2024-04-30',
        '2024-T2 2024-05-01–2024-08-31',
        '2024-T3 2024-09-01–2024-12-31',
      ],
    );
    const quarterly = AgreementSchema.parse({
      ...TRANAS_2023_2024,
      periodStart: '2023-03-24',
      followUpCadence: 'quarter',
    });
    const quarters = followUpPeriodsOf(quarterly);
    assert.equal(quarters.length, 8);
    assert.deepEqual(quarters[0], { kind: 'quarter', key: '2023-Q1', from: '2023-03-24', to: '2023-03-31' });
    assert.deepEqual(quarters[3], { kind: 'quarter', key: '2023-Q4', from: '2023-10-01', to: '2023-12-31' });
    const halves = followUpPeriodsOf({ ...tranas, followUpCadence: 'half-year' });
    assert.deepEqual(
      halves.map((p) => p.key),
      ['2023-H1', '2023-H2', '2024-H1', '2024-H2'],
    );
    assert.equal(halves[2]!.to, '2024-06-30');
  });

  it('reads the Swedish ways of naming a period, and says when it does not fit the agreement', () => {
    const key = (text: string, today?: string) => {
      const res = q(text, tranas, today);
      return res.ok ? res.period.key : res.reason;
    };
    assert.equal(key('tertial 2'), '2024-T2');
    assert.equal(key('Tertial 2 2023'), '2023-T2');
    assert.equal(key('T1 2024'), '2024-T1');
    assert.equal(key('tertialet 3'), '2024-T3');
    assert.equal(key('2024-T2'), '2024-T2');
    assert.equal(key('2024'), '2024-T3', 'a year: its last follow-up point');
    assert.equal(key('år 2023'), '2023-T3');
    assert.equal(key(''), '2024-T2', 'none named: the last ended');
    assert.equal(key('', '2023-02-01'), '2023-T1', 'before any has ended: the one under way');
    assert.equal(key('tertial 2 2026'), 'notInAgreement');
    assert.equal(key('kvartal 2'), 'notInAgreement', 'a quarter of a tertial agreement');
    assert.equal(key('nästa vecka'), 'notUnderstood');
    assert.equal(key('tertial 2', '2026-12-03'), '2024-T2', 'after the period: its last year');
    const quarterly = { ...tranas, followUpCadence: 'quarter' as const };
    const q3 = q('kvartal 3', quarterly);
    assert.equal(q3.ok && q3.period.key, '2024-Q3');
    assert.equal(defaultFollowUpPeriod(quarterly, '2024-09-10').key, '2024-Q2');
  });

  it('the KF report: a year or the whole period', () => {
    const key = (text: string) => {
      const res = parseKfPeriod(fold(text), tranas);
      return res.ok ? `${res.period.kind} ${res.period.key} ${res.period.from}–${res.period.to}` : res.reason;
    };
    assert.equal(key('2024'), 'year 2024 2024-01-01–2024-12-31');
    assert.equal(key(''), 'period 2023-2024 2023-01-01–2024-12-31');
    assert.equal(key('2023-2024'), 'period 2023-2024 2023-01-01–2024-12-31');
    assert.equal(key('hela perioden'), 'period 2023-2024 2023-01-01–2024-12-31');
    assert.equal(key('2025'), 'notInAgreement');
  });
});

describe('domain/follow-up: the draft from fixed data', () => {
  const reports = [
    r('2024-01-15', 9, { subcounts: { hastighet: 4 } }),
    r('2024-05-06', 5, { subcounts: { hastighet: 3, nykterhet: 1 } }),
    r('2024-08-27', 7, { subcounts: { hastighet: 2, mobil: 7 } }),
    // Withdrawn and out of the period: never counted.
    r('2024-06-10', 100, { subcounts: { hastighet: 100 }, withdrawn: { at: '2024-06-11', by: 'x' } }),
    r('2024-09-02', 50, { subcounts: { hastighet: 50 } }),
    r('2023-11-20', 3),
    r('2024-06-03', 2, { activityId: 'riktade-insatser-narkotika', pledgeNumber: 1 }),
  ];
  const doc = buildFollowUpDocument({
    agreement: tranas,
    period: followUpPeriodsOf(tranas).find((p) => p.key === '2024-T2')!,
    tally: ReportTally.of(reports),
    reports,
    narratives: { '3': 'Fler kontroller vid skolorna.' },
    today: '2024-09-10',
  });
  const traffic = doc.pledges.find((p) => p.number === 3)!.activities[0]!;

  it('per pledge: each activity’s count in the period, its sub-counts and the year to date against the part due', () => {
    assert.equal(doc.kind, 'follow-up');
    assert.equal(doc.municipality, 'Tranås kommun');
    assert.equal(doc.agreementPeriod, '2023–2024');
    assert.deepEqual(
      doc.pledges.map((p) => [p.number, p.activities.map((a) => a.activityId)]),
      [
        [1, ['riktade-insatser-narkotika', 'langning-kampanjer']],
        [2, ['lob-och-polislagen', 'krogkontroller', 'samverkansmoten-sspf-est']],
        [3, ['trafikkontroller']],
      ],
    );
    assert.equal(traffic.periodCount, 12);
    assert.deepEqual(traffic.subcounts, [
      { id: 'hastighet', name: 'hastighet', count: 5 },
      { id: 'nykterhet', name: 'nykterhet', count: 1 },
      { id: 'mobil', name: 'mobil', count: 7 },
    ]);
    assert.equal(traffic.yearToDate, 21);
    assert.equal(traffic.targetToDate, 20, 'two thirds of 30 after tertial 2');
    assert.equal(traffic.met, true);
    assert.deepEqual(traffic.trend, [
      { key: '2023-T1', count: 0 },
      { key: '2023-T2', count: 0 },
      { key: '2023-T3', count: 3 },
      { key: '2024-T1', count: 9 },
      { key: '2024-T2', count: 12 },
    ]);
    const drugs = doc.pledges[0]!.activities[0]!;
    assert.equal(drugs.periodCount, 2);
    assert.deepEqual(drugs.subcounts, []);
    assert.equal(drugs.targetToDate, 10);
    assert.equal(drugs.met, false);
    const noTarget = doc.pledges[1]!.activities[0]!;
    assert.equal(noTarget.targetToDate, undefined);
    assert.equal(noTarget.met, undefined);
    assert.equal(doc.pledges[2]!.narrative, 'Fler kontroller vid skolorna.');
    assert.equal(doc.pledges[0]!.narrative, '');
    assert.equal(doc.signed, false);
  });

  it('targets pro rata: per year of the year so far, per period of the period so far, whole for a year or the period', () => {
    const t2 = followUpPeriodsOf(tranas).find((p) => p.key === '2024-T2')!;
    const t1of2023 = followUpPeriodsOf(tranas)[0]!;
    assert.equal(targetToDateOf({ kind: 'perYear', count: 30 }, tranas, t1of2023), 10);
    assert.equal(targetToDateOf({ kind: 'perPeriod', count: 48 }, tranas, t2), 40, '20 of 24 months');
    assert.equal(
      targetToDateOf({ kind: 'perYear', count: 30 }, tranas, {
        kind: 'year',
        key: '2024',
        from: '2024-01-01',
        to: '2024-12-31',
      }),
      30,
    );
    assert.equal(
      targetToDateOf({ kind: 'perYear', count: 30 }, tranas, {
        kind: 'period',
        key: '2023-2024',
        from: '2023-01-01',
        to: '2024-12-31',
      }),
      60,
    );
    assert.equal(targetToDateOf({ kind: 'none' }, tranas, t2), undefined);
  });

  it('another municipality’s agreement, other activities and a quarterly cadence: the same builder, no code changes', () => {
    const eksjo = { ...EKSJO_2024_2025, followUpCadence: 'quarter' as const };
    const walks = [
      r('2025-07-03', 4, { agreementId: eksjo.id, activityId: 'trygghetsvandringar', pledgeNumber: 1 }),
      r('2025-02-03', 5, { agreementId: eksjo.id, activityId: 'trygghetsvandringar', pledgeNumber: 1 }),
      r('2025-08-12', 3, { agreementId: eksjo.id, activityId: 'klottersanering', pledgeNumber: 2 }),
    ];
    const period = followUpPeriodsOf(eksjo).find((p) => p.key === '2025-Q3')!;
    const d = buildFollowUpDocument({
      agreement: eksjo,
      period,
      tally: ReportTally.of(walks),
      reports: walks,
      today: '2025-10-02',
    });
    assert.equal(d.municipality, 'Eksjö kommun');
    assert.equal(d.agreementPeriod, '2024–2025');
    assert.deepEqual(
      d.pledges.map((p) =>
        p.activities.map((a) => [a.activityId, a.periodCount, a.yearToDate, a.targetToDate ?? null]),
      ),
      [[['trygghetsvandringar', 4, 9, 18]], [['klottersanering', 3, 3, null]]],
    );
    assert.deepEqual(
      d.pledges[0]!.activities[0]!.trend.map((t) => t.key),
      ['2024-T1', '2024-T2', '2024-T3', '2025-T1', '2025-T2', '2025-T3'],
    );
  });
});

describe('domain/follow-up: narratives, the starting point and the communication note', () => {
  const t2 = followUpPeriodsOf(tranas).find((p) => p.key === '2024-T2')!;

  it('the starting point holds only flagged texts of the pledge and period that pass the privacy guard', () => {
    const reports = [
      r('2024-06-03', 1, { raiseAtNextMeeting: true, description: 'Kontroller vid skolvägarna' }),
      r('2024-06-04', 1, { raiseAtNextMeeting: true, description: 'Föraren 850709-1232 stoppades' }),
      r('2024-06-05', 1, { raiseAtNextMeeting: false, description: 'Inte flaggad' }),
      r('2024-04-05', 1, { raiseAtNextMeeting: true, description: 'Förra tertialen' }),
      r('2024-06-06', 1, {
        raiseAtNextMeeting: true,
        description: 'Annat löfte',
        activityId: 'krogkontroller',
        pledgeNumber: 2,
      }),
      r('2024-07-01', 1, { raiseAtNextMeeting: true, description: 'Mobilkontroller på väg 32' }),
    ];
    const start = narrativeStartingPoint(reports, 3, t2);
    assert.deepEqual(start.lines, ['– Mobilkontroller på väg 32', '– Kontroller vid skolvägarna']);
    assert.equal(start.leftOut, 1);
    assert.doesNotMatch(start.lines.join(), /850709/);
  });

  it('generated identifiers in any disguise are refused in a narrative and in a note, never kept', () => {
    fc.assert(
      fc.property(inContext, (d) => {
        const narrative = validateNarrative(`Under tertialen: ${d.text}`);
        assert.equal(narrative.ok, false, d.text);
        const note = validateCommunication(
          { channel: 'annat', date: '2024-09-10', note: d.text },
          { today: '2024-09-10', periodFrom: '2024-05-01' },
        );
        assert.equal(note.ok, false, d.text);
        if (!note.ok) assert.ok(note.errors.some((e) => e.code === 'personalData'));
      }),
      { numRuns: runs(1000), seed: SEED },
    );
  });

  it('ordinary narratives pass unchanged (trimmed), too long ones are refused', () => {
    assert.deepEqual(validateNarrative('  71 ordningsförelägganden, 39 av dessa hastighet.  '), {
      ok: true,
      value: '71 ordningsförelägganden, 39 av dessa hastighet.',
    });
    const long = validateNarrative('x'.repeat(2001));
    assert.equal(long.ok, false);
  });

  it('the communication card: a known channel, a date not in the future nor before the period, an http(s) link', () => {
    const ctx = { today: '2024-09-10', periodFrom: '2024-05-01' };
    const codes = (raw: Record<string, unknown>) => {
      const v = validateCommunication(raw, ctx);
      return v.ok ? 'ok' : v.errors.map((e) => `${e.field}.${e.code}`).join(',');
    };
    assert.equal(codes({ channel: 'polisen.se', date: '2024-09-10', url: 'https://polisen.se/x' }), 'ok');
    assert.equal(codes({ channel: 'tv', date: '2024-09-11' }), 'channel.invalid,date.future');
    assert.equal(codes({ channel: '', date: '2024-04-30' }), 'channel.required,date.beforePeriod');
    assert.equal(codes({ channel: 'annat', date: '2024-09-01', url: 'javascript:alert(1)' }), 'url.invalid');
    assert.equal(isHttpUrl('http://www.tranas.se/uppfoljning'), true);
    assert.equal(isHttpUrl('https://user:pw@tranas.se/'), false);
    assert.equal(isHttpUrl('ftp://tranas.se/'), false);
    assert.equal(isHttpUrl('https://localhost/'), false);
  });
});

describe('domain: sub-categories on the agreement and sub-counts on reports', () => {
  it('the Tranås agreement gives trafikkontroller hastighet, nykterhet and mobil', () => {
    assert.deepEqual(
      tranas.activities.find((a) => a.id === 'trafikkontroller')!.subcategories!.map((s) => s.id),
      ['hastighet', 'nykterhet', 'mobil'],
    );
  });

  it('sub-category ids are unique and names pass the privacy guard', () => {
    const withSubs = (subcategories: unknown[]) =>
      parseAgreement({
        ...TRANAS_2023_2024,
        activities: TRANAS_2023_2024.activities.map((a) => (a.id === 'trafikkontroller' ? { ...a, subcategories } : a)),
      });
    const dup = withSubs([
      { id: 'hastighet', name: 'hastighet' },
      { id: 'hastighet', name: 'fart' },
    ]);
    assert.equal(dup.ok, false);
    assert.ok(!dup.ok && dup.errors.some((e) => /underkategorin hastighet finns redan/.test(e.message)));
    const personal = withSubs([{ id: 'kontakt', name: 'anna@polisen.se' }]);
    assert.ok(!personal.ok && personal.errors.some((e) => e.path.endsWith('subcategories.0.name')));
  });

  it('a report’s sub-counts: whole numbers, each at most the count, only the activity’s own', () => {
    const base = {
      week: '2024-W11',
      activityId: 'trafikkontroller',
      count: '5',
      date: '2024-03-12',
      area: 'Centrum',
      description: '',
      party: 'Polisen',
    };
    const ctx = { agreement: tranas, today: '2024-03-14', rules: DEFAULT_REPORT_RULES };
    const ok = validateReport({ ...base, 'sub.hastighet': '3', 'sub.nykterhet': '', 'sub.mobil': '5' }, ctx);
    assert.ok(ok.ok);
    assert.deepEqual(ok.ok && ok.value.subcounts, { hastighet: 3, mobil: 5 });
    const none = validateReport(base, ctx);
    assert.ok(none.ok && none.value.subcounts === undefined);
    const codes = (extra: Record<string, unknown>) => {
      const v = validateReport({ ...base, ...extra }, ctx);
      return v.ok ? 'ok' : v.errors.map((e) => `${e.field}.${e.code}`).join(',');
    };
    assert.equal(codes({ 'sub.hastighet': '6' }), 'subcounts.moreThanCount');
    assert.equal(codes({ 'sub.hastighet': '2,5' }), 'subcounts.notWholeNumber');
    assert.equal(codes({ 'sub.okand': '1' }), 'subcounts.noSubcategories');
    assert.equal(codes({ activityId: 'krogkontroller', 'sub.hastighet': '1' }), 'subcounts.noSubcategories');
    assert.equal(codes({ subcounts: { hastighet: 2 } }), 'ok');
  });
});
