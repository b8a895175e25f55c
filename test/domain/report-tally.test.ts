import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { parseAgreement } from '../../src/domain/agreement.js';
import { addLocalDays, isoWeekOfLocalDate } from '../../src/domain/calendar.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { ReportTally, tallyRowOf, type TallyAmounts, type TallyRow } from '../../src/domain/report-tally.js';
import { computeStatus, countReports, type ReportCountFilter } from '../../src/domain/status.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { ReportIndex } from '../../src/storage/report-index.js';

/** A small deterministic PRNG, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const parsed = parseAgreement(TRANAS_2023_2024);
if (!parsed.ok) throw new Error('the Tranås agreement does not parse');
const agreement = parsed.value;
const ACTIVITIES = [
  ...agreement.activities.map((a) => ({ id: a.id, pledge: a.pledgeNumber })),
  { id: 'ovrigt-lofte-1', pledge: 1 },
  { id: 'ovrigt-lofte-3', pledge: 3 },
];
const AREAS = ['Centrum', 'Norrby', 'Södra'];

function randomReport(next: () => number, i: number): WeeklyReport {
  const act = ACTIVITIES[Math.floor(next() * ACTIVITIES.length)]!;
  // Dates from before the period to after it, so clipping is exercised.
  const date = addLocalDays('2022-12-20', Math.floor(next() * 760));
  const at = `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`;
  return {
    id: `r${i}`,
    submissionId: `s${i}`,
    agreementId: next() < 0.9 ? agreement.id : 'another-agreement',
    week: isoWeekOfLocalDate(date),
    activityId: act.id,
    pledgeNumber: act.pledge,
    count: Math.floor(next() * 6),
    date,
    area: AREAS[Math.floor(next() * AREAS.length)]!,
    description: '',
    raiseAtNextMeeting: false,
    party: 'Polisen',
    reporterId: `u${i % 7}`,
    createdAt: at,
    updatedAt: at,
    history: [],
  };
}

/** Builds an index by adding, editing (count, date, activity, area) and withdrawing reports at random. */
async function randomIndex(
  seed: number,
  n: number,
): Promise<{ index: ReportIndex; reports: () => Promise<readonly WeeklyReport[]> }> {
  const next = rng(seed);
  const index = new ReportIndex();
  for (let i = 0; i < n; i++) {
    await index.add(randomReport(next, i));
    if (i > 0 && next() < 0.3) {
      const target = (await index.get(`r${Math.floor(next() * i)}`))!;
      const other = randomReport(next, i + 100_000);
      const edited: WeeklyReport = { ...structuredClone(target as WeeklyReport), updatedAt: '2024-06-01T00:00:00Z' };
      const what = next();
      if (what < 0.2) edited.withdrawn = { at: '2024-06-01T00:00:00Z', by: 'u1' };
      else if (what < 0.4) Object.assign(edited, { date: other.date, week: other.week });
      else if (what < 0.6) Object.assign(edited, { activityId: other.activityId, pledgeNumber: other.pledgeNumber });
      else if (what < 0.8) edited.area = other.area;
      else edited.count = other.count;
      await index.update(edited);
    }
  }
  return { index, reports: async () => (await index.list({ includeWithdrawn: true })) as WeeklyReport[] };
}

describe('ReportTally: running totals give the same status and counts as the reports themselves', () => {
  for (const seed of [1, 2, 3]) {
    it(`status from the index's running totals equals status from every report (seed ${seed})`, async () => {
      const { index, reports } = await randomIndex(seed, 1500);
      const all = await reports();
      assert.ok(
        all.some((r) => r.withdrawn),
        'the run withdrew some reports',
      );
      for (const today of [
        '2022-12-31',
        '2023-01-01',
        '2023-05-02',
        '2023-12-31',
        '2024-03-14',
        '2024-08-31',
        '2024-12-30',
        '2025-02-01',
      ]) {
        const fromTally = computeStatus(agreement, index.totals, today);
        const fromReports = computeStatus(agreement, all, today);
        assert.deepEqual(fromTally, fromReports, `status on ${today}`);
      }
      // Not vacuous: the figures are not all zero.
      assert.ok(computeStatus(agreement, index.totals, '2024-12-31').activities.some((a) => a.counts.period > 0));
    });
  }

  it('count questions from the totals equal a count over the reports, for every kind of filter', async () => {
    const { index, reports } = await randomIndex(7, 1200);
    const all = await reports();
    const filters: ReportCountFilter[] = [
      {},
      { agreementId: agreement.id },
      { agreementId: agreement.id, activityIds: ['trafikkontroller'] },
      { agreementId: agreement.id, pledgeNumber: 2 },
      { agreementId: agreement.id, area: 'Norrby', year: 2024 },
      { agreementId: agreement.id, fromDate: '2023-03-01', toDate: '2023-09-30' },
      { agreementId: agreement.id, week: '2024-W11' },
      { agreementId: agreement.id, tertial: '2023-T3', activityIds: ['ovrigt-lofte-1', 'trafikkontroller'] },
      { agreementId: 'another-agreement', year: 2023 },
      { agreementId: agreement.id, area: 'Finns inte' },
    ];
    for (const f of filters) {
      // The reference: a plain filter over the reports, written out here on purpose.
      const expected = all
        .filter((r) => !r.withdrawn)
        .filter((r) => f.agreementId === undefined || r.agreementId === f.agreementId)
        .filter((r) => f.activityIds === undefined || f.activityIds.includes(r.activityId))
        .filter((r) => f.pledgeNumber === undefined || r.pledgeNumber === f.pledgeNumber)
        .filter((r) => f.area === undefined || r.area === f.area)
        .filter(
          (r) => (f.fromDate === undefined || r.date >= f.fromDate) && (f.toDate === undefined || r.date <= f.toDate),
        )
        .filter((r) => f.week === undefined || r.week === f.week)
        .filter(
          (r) =>
            f.tertial === undefined ||
            `${r.date.slice(0, 4)}-T${Math.ceil(Number(r.date.slice(5, 7)) / 4)}` === f.tertial,
        )
        .filter((r) => f.year === undefined || r.date.startsWith(`${f.year}-`))
        .reduce((s, r) => s + r.count, 0);
      assert.equal(countReports(index.totals, f), expected, JSON.stringify(f));
      assert.equal(countReports(all, f), expected, `list form: ${JSON.stringify(f)}`);
    }
    assert.ok(countReports(index.totals, { agreementId: agreement.id }) > 0);
  });

  it('is empty again once every report is withdrawn, and never counts a corrupt row', () => {
    const next = rng(11);
    const tally = new ReportTally();
    const rs = Array.from({ length: 50 }, (_, i) => randomReport(next, i));
    for (const r of rs) tally.add(r);
    tally.add({ ...rs[0]!, id: 'bad1', date: '2024-02-30' });
    tally.add({ ...rs[0]!, id: 'bad2', count: Number.NaN });
    tally.add({ ...rs[0]!, id: 'bad3', week: '2024-W99' });
    for (const r of rs) tally.remove(r);
    assert.deepEqual([...tally.agreementIds()], []);
  });
});

describe('ReportIndex: a week range reads only those weeks', () => {
  it('gives the same reports as a filter over all of them', async () => {
    const { index, reports } = await randomIndex(5, 800);
    const all = await reports();
    for (const [fromWeek, toWeek] of [
      ['2023-W10', '2023-W20'],
      ['2024-W11', '2024-W11'],
      [undefined, '2023-W05'],
      ['2024-W40', undefined],
    ] as const) {
      const got = (await index.list({ agreementId: agreement.id, fromWeek, toWeek })).map((r) => r.id).sort();
      const want = all
        .filter(
          (r) =>
            r.agreementId === agreement.id &&
            !r.withdrawn &&
            (!fromWeek || r.week >= fromWeek) &&
            (!toWeek || r.week <= toWeek),
        )
        .map((r) => r.id)
        .sort();
      assert.deepEqual(got, want, `${fromWeek}..${toWeek}`);
      assert.ok(want.length > 0);
    }
  });
});

describe('ReportTally: party and area groups, age-band sums', () => {
  it('counts by party, area and age band exactly as a plain filter does, also after removals', () => {
    const base = {
      agreementId: 'a',
      submissionId: 's',
      reporterId: 'r',
      createdAt: '',
      updatedAt: '',
      history: [],
      description: '',
      raiseAtNextMeeting: false,
      pledgeNumber: 1,
      activityId: 'x',
    };
    const rows: any[] = [];
    for (let i = 0; i < 60; i++) {
      rows.push({
        ...base,
        id: `t${i}`,
        week: '2024-W10',
        date: `2024-03-0${4 + (i % 5)}`,
        count: i % 4,
        area: ['A', 'B', 'C'][i % 3],
        party: i % 2 ? 'Polisen' : 'Kommunen',
        ...(i % 3 === 0 ? { ageBands: { under18: i % 5, from18to21: 1, over21: 0 } } : {}),
      });
    }
    const tally = ReportTally.of(rows);
    for (const r of rows.filter((_, i) => i % 7 === 0)) tally.remove(r);
    const kept = rows.filter((_, i) => i % 7 !== 0);
    for (const party of ['Polisen', 'Kommunen']) {
      for (const area of [undefined, 'A', 'B', 'C']) {
        const mine = kept.filter((r) => r.party === party && (area === undefined || r.area === area));
        assert.equal(
          countReports(tally, { party, ...(area ? { area } : {}) }),
          mine.reduce((s, r) => s + r.count, 0),
        );
        assert.equal(countReports(tally, { party, ...(area ? { area } : {}), measure: 'reports' }), mine.length);
        assert.equal(
          countReports(tally, { party, ...(area ? { area } : {}), measure: 'under18' }),
          mine.reduce((s, r) => s + (r.ageBands?.under18 ?? 0), 0),
        );
      }
    }
    for (const r of kept) tally.remove(r);
    assert.equal([...tally.activities('a')].length, 0, 'nothing left behind');
  });
});

/** What the report_tally table holds: tallyRowOf summed per cell key, cells with no report gone. */
function cellsOf(all: readonly WeeklyReport[]): Map<string, TallyRow> {
  const rows = new Map<string, TallyRow>();
  for (const r of all) {
    const row = tallyRowOf(r);
    if (!row) continue;
    const key = JSON.stringify([
      row.agreementId,
      row.activityId,
      row.pledgeNumber,
      row.date,
      row.week,
      row.area,
      row.party,
    ]);
    const sum = rows.get(key);
    if (!sum) rows.set(key, { ...row });
    else
      for (const k of ['count', 'reports', 'under18', 'from18to21', 'over21'] as const)
        (sum as TallyAmounts)[k] += row[k];
  }
  for (const [key, row] of rows) if (row.reports <= 0) rows.delete(key);
  return rows;
}

describe('ReportTally.addCell: totals built from stored cells (the PostgreSQL rows)', () => {
  const sorted = (t: ReportTally, agreementId: string) =>
    [...t.activities(agreementId)].sort((a, b) =>
      (a.activityId + a.pledgeNumber).localeCompare(b.activityId + b.pledgeNumber),
    );

  it('gives the same totals as adding the reports one by one, when the cells are summed by key', async () => {
    const { index, reports } = await randomIndex(13, 900);
    const all = await reports();
    const rows = cellsOf(all);
    const fromCells = new ReportTally();
    for (const row of rows.values()) fromCells.addCell(row);
    for (const id of [agreement.id, 'another-agreement']) {
      assert.deepEqual(sorted(fromCells, id), sorted(ReportTally.of(all), id));
      assert.ok(sorted(fromCells, id).length > 0, 'not vacuous');
    }
    assert.ok(
      all.some((r) => r.withdrawn),
      'some reports were withdrawn',
    );
    assert.ok(index.size > 0);
  });

  for (const [from, to] of [
    [31, 32],
    [33, 34],
  ] as const) {
    it(`setCell brings totals of one set of cells to another's, cell by cell (seeds ${from}→${to})`, async () => {
      const before = await (await randomIndex(from, 600)).reports();
      const after = await (await randomIndex(to, 600)).reports();
      const [x, y] = [cellsOf(before), cellsOf(after)];
      const tally = new ReportTally();
      for (const row of x.values()) tally.addCell(row);
      const revision = tally.revision;
      // Every changed cell set to what it holds after: a cell gone holds 0 reports.
      const zero = { count: 0, reports: 0, under18: 0, from18to21: 0, over21: 0 };
      for (const [key, row] of x) if (!y.has(key)) tally.setCell({ ...row, ...zero });
      for (const row of y.values()) tally.setCell(row);
      // Setting a cell again to what it holds changes nothing.
      const settled = tally.revision;
      for (const row of y.values()) tally.setCell(row);
      assert.equal(tally.revision, settled);
      assert.ok(settled > revision, 'cells changed');
      for (const id of [agreement.id, 'another-agreement']) {
        assert.deepEqual(sorted(tally, id), sorted(ReportTally.of(after), id));
        assert.ok(sorted(tally, id).length > 0, 'not vacuous');
      }
    });
  }

  it('counts a cell of several reports with their age bands, and skips a cell with none', () => {
    const tally = new ReportTally();
    const cell = {
      agreementId: 'a',
      activityId: 'x',
      pledgeNumber: 1,
      date: '2024-03-05',
      week: '2024-W10',
      area: 'A',
      party: 'Polisen',
    };
    tally.addCell({ ...cell, count: 7, reports: 3, under18: 2, from18to21: 1, over21: 4 });
    tally.addCell({ ...cell, area: 'B', count: 0, reports: 0, under18: 0, from18to21: 0, over21: 0 });
    assert.equal(countReports(tally, { agreementId: 'a' }), 7);
    assert.equal(countReports(tally, { agreementId: 'a', measure: 'reports' }), 3);
    assert.equal(countReports(tally, { agreementId: 'a', measure: 'over21' }), 4);
    assert.equal(countReports(tally, { agreementId: 'a', area: 'B', measure: 'reports' }), 0);
    assert.deepEqual([...[...tally.activities('a')][0]!.byArea.keys()], ['A']);
  });

  it('tallyRowOf gives no row for a withdrawn or corrupt report, and the negative row to take one out', () => {
    const next = rng(17);
    const r = randomReport(next, 1);
    assert.equal(tallyRowOf({ ...r, withdrawn: { at: 'x', by: 'u' } }), undefined);
    assert.equal(tallyRowOf({ ...r, date: '2024-02-30' }), undefined);
    const out = tallyRowOf({ ...r, ageBands: { under18: 1, from18to21: 2, over21: 3 } }, -1)!;
    assert.deepEqual([out.count, out.reports, out.under18, out.from18to21, out.over21], [-r.count, -1, -1, -2, -3]);
  });
});
