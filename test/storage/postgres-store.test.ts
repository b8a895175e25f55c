import assert from 'node:assert/strict';
import fc from 'fast-check';
import { afterEach, before, beforeEach, describe, it } from 'mocha';
import pg from 'pg';
import { AgreementSchema } from '../../src/domain/agreement.js';
import { addLocalDays, isoWeekOfLocalDate } from '../../src/domain/calendar.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { ReportTally, tallyRowOf } from '../../src/domain/report-tally.js';
import { generateDemo } from '../../src/cli/demo.js';
import { computeStatus } from '../../src/domain/status.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { listQuery, PostgresReports } from '../../src/storage/postgres/reports.js';
import { StoredRecordError } from '../../src/storage/postgres/records.js';
import { PostgresStore } from '../../src/storage/postgres/store.js';
import { freshSchema, skipWithoutPostgres, type TestSchema } from '../helpers/postgres.js';
import { tempDbPath } from '../helpers/harness.js';
import { storedReport } from '../helpers/report-builder.js';
import { runs } from '../helpers/runs.js';

const TRANAS = 'tranas-2023-2024';
const tranas = AgreementSchema.parse(TRANAS_2023_2024);

/** An agreement's totals in a form deepEqual compares by content (Maps compare unordered). */
async function totalsOf(tally: ReportTally | Promise<ReportTally>, agreementId: string) {
  return [...(await tally).activities(agreementId)].sort((a, b) =>
    (a.activityId + a.pledgeNumber).localeCompare(b.activityId + b.pledgeNumber),
  );
}

/** The reference: totals recomputed from every stored report of the agreement. */
async function recomputed(store: PostgresStore, agreementId: string) {
  return totalsOf(ReportTally.of(await store.reports.list({ agreementId, includeWithdrawn: true })), agreementId);
}

describe('PostgresStore: two instances on one database', () => {
  before(skipWithoutPostgres);
  let schema: TestSchema;
  let a: PostgresStore;
  let b: PostgresStore;
  beforeEach(async () => {
    schema = await freshSchema('pgs');
    a = await PostgresStore.open(schema.pool(4), { schema: schema.schema });
    b = await PostgresStore.open(schema.pool(4), { schema: schema.schema });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await schema.drop();
  });

  it("counts a report added through one instance in the other's tally and revision", async () => {
    await b.reports.tally(TRANAS); // b holds cached (empty) totals
    const before = await b.reports.revision(TRANAS);
    await a.reports.add(storedReport({ id: 'r1', count: 5 }));
    assert.ok((await b.reports.revision(TRANAS)) > before);
    assert.equal(sum(await b.reports.tally(TRANAS)), 5);
    // b's totals are now cached; an edit and a withdrawal through a reach b too.
    const r1 = (await a.reports.get('r1'))!;
    await a.reports.update({ ...r1, count: 8, area: 'Skolor' });
    assert.equal(sum(await b.reports.tally(TRANAS)), 8);
    await a.reports.update({ ...r1, withdrawn: { at: '2024-03-06T10:00:00.000Z', by: 'u' } });
    assert.equal(sum(await b.reports.tally(TRANAS)), 0);
    assert.deepEqual(await totalsOf(b.reports.tally(TRANAS), TRANAS), await recomputed(b, TRANAS));
    assert.deepEqual(await b.reports.weeks(TRANAS), ['2024-W10'], 'a withdrawn report still holds its week');
    // Every agreement's totals (no agreement named) follow too.
    await b.reports.add(storedReport({ id: 'r2', agreementId: 'eksjo-2025-2026', count: 4 }));
    assert.equal(sum(await a.reports.tally(), 'eksjo-2025-2026'), 4);
    assert.equal(await a.reports.revision(), await b.reports.revision());
  });

  it("sees the other instance's save of an agreement, and hands out the same object until then", async () => {
    await a.agreements.addIfAbsent(tranas);
    const first = (await a.agreements.get(TRANAS))!;
    assert.equal((await a.agreements.list())[0], first);
    assert.equal(await a.agreements.get(TRANAS), first);
    await b.agreements.save({ ...tranas, municipality: 'Tranås (ändrad)' });
    const listed = (await a.agreements.list())[0]!;
    assert.notEqual(listed, first);
    assert.equal(listed.municipality, 'Tranås (ändrad)');
    assert.equal(await a.agreements.get(TRANAS), listed);
    assert.equal((await b.agreements.get(TRANAS))!.municipality, 'Tranås (ändrad)');
  });

  it("lists the other instance's added and saved agreements, in insertion order, and the same objects while nothing changed", async () => {
    await a.agreements.addIfAbsent(tranas);
    const first = await a.agreements.list();
    assert.deepEqual(
      first.map((x) => x.id),
      [TRANAS],
    );
    first.pop(); // a caller's copy: the next list is whole
    assert.equal((await a.agreements.list())[0], (await a.agreements.list())[0]);
    await b.agreements.addIfAbsent({ ...tranas, id: 'eksjo-2023-2024', municipality: 'Eksjö kommun' });
    assert.deepEqual(
      (await a.agreements.list()).map((x) => x.id),
      [TRANAS, 'eksjo-2023-2024'],
    );
    await b.agreements.save({ ...tranas, id: 'eksjo-2023-2024', municipality: 'Eksjö (ändrad)' });
    assert.deepEqual(
      (await a.agreements.list()).map((x) => x.municipality),
      ['Tranås kommun', 'Eksjö (ändrad)'],
    );
    await b.agreements.save({ ...tranas, municipality: 'Tranås (ändrad)' });
    await b.agreements.save({ ...tranas, id: 'aneby-2023-2024', municipality: 'Aneby kommun' });
    assert.deepEqual(
      (await a.agreements.list()).map((x) => x.municipality),
      ['Tranås (ändrad)', 'Eksjö (ändrad)', 'Aneby kommun'],
    );
  });

  it('stores one report when both instances get the same submission at once, and another reporter its own', async () => {
    const submissions = Array.from({ length: 20 }, (_, i) => i);
    const results = await Promise.all(
      submissions.flatMap((i) => [
        a.reports.add(storedReport({ id: `a${i}`, submissionId: `s${i}`, reporterId: 'u1', count: 2 })),
        b.reports.add(storedReport({ id: `b${i}`, submissionId: `s${i}`, reporterId: 'u1', count: 2 })),
        b.reports.add(storedReport({ id: `c${i}`, submissionId: `s${i}`, reporterId: 'u2', count: 1 })),
      ]),
    );
    for (const i of submissions) {
      const [x, y, other] = results.slice(3 * i, 3 * i + 3);
      assert.equal([x!.created, y!.created].filter(Boolean).length, 1, `submission s${i}: exactly one created`);
      assert.equal(x!.report.id, y!.report.id, 'both answered with the stored report');
      assert.equal(other!.created, true);
    }
    assert.equal((await a.reports.list()).length, 40);
    for (const s of [a, b]) {
      assert.equal(sum(await s.reports.tally(TRANAS)), 20 * 2 + 20 * 1);
      assert.deepEqual(await totalsOf(s.reports.tally(TRANAS), TRANAS), await recomputed(s, TRANAS));
    }
  });

  it('sees its own writes: a tally read that starts after a write has finished counts it, while writes go on', async () => {
    let done = 0;
    const reads: Promise<void>[] = [];
    const read = (agreementId?: string) => {
      const atStart = done;
      reads.push(
        a.reports.tally(agreementId).then((t) => {
          assert.ok(sum(t) >= atStart, `a read begun after ${atStart} adds saw ${sum(t)}`);
        }),
      );
    };
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        read(i % 2 ? TRANAS : undefined);
        await a.reports.add(storedReport({ id: `r${i}`, count: 1 }));
        done++;
        read(TRANAS);
        read();
      }),
    );
    await Promise.all(reads);
    assert.equal(sum(await a.reports.tally(TRANAS)), 40);
    assert.equal(sum(await a.reports.tally()), 40);
  });

  it('hands out whole totals when its own write lands while a read is on the wire', async () => {
    for (const agreementId of [TRANAS, undefined]) {
      // A pool whose next totals query runs at once (its snapshot is taken) but answers only when released.
      let hold: Promise<void> | undefined;
      const pool = schema.pool(4);
      const slow = new Proxy(pool, {
        get(target, prop, receiver) {
          if (prop !== 'query') return Reflect.get(target, prop, receiver);
          return async (...args: Parameters<pg.Pool['query']>) => {
            const result = await (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
            if (hold && String(args[0]).includes('report_tally t')) await hold;
            return result;
          };
        },
      });
      const reports = new PostgresReports(slow as pg.Pool);
      const id = agreementId ?? 'all';
      for (let i = 0; i < 3; i++) await reports.add(storedReport({ id: `${id}-${i}`, count: 1 }));
      const before = sum(await reports.tally(agreementId));
      let release!: () => void;
      hold = new Promise((resolve) => (release = resolve));
      const reading = reports.tally(agreementId); // its snapshot: before the next add
      await new Promise((resolve) => setTimeout(resolve, 50));
      await reports.add(storedReport({ id: `${id}-late`, count: 1 }));
      release();
      const seen = sum(await reading);
      assert.ok(seen === before || seen === before + 1, `read during a write saw ${seen}, before ${before}`);
      hold = undefined;
      assert.equal(sum(await reports.tally(agreementId)), before + 1);
    }
  });

  it('keeps the totals exact under concurrent edits of the same cells from both instances (no deadlock)', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `r${i}`);
    for (const id of ids) await a.reports.add(storedReport({ id, count: 1 }));
    await Promise.all([a.reports.tally(TRANAS), b.reports.tally(TRANAS)]);
    // Each edit moves a report between two cells; half through each instance, all at once.
    await Promise.all(
      ids.map(async (id, i) => {
        const via = i % 2 ? a : b;
        const r = (await via.reports.get(id))!;
        await via.reports.update({ ...r, area: i % 3 ? 'Skolor' : 'Centrum', date: '2024-03-06', count: 3 });
      }),
    );
    for (const s of [a, b]) {
      assert.equal(sum(await s.reports.tally(TRANAS)), 36);
      assert.deepEqual(await totalsOf(s.reports.tally(TRANAS), TRANAS), await recomputed(s, TRANAS));
    }
  });

  it('adds a batch as adding its reports one by one would, and nothing when the same batch comes again', async () => {
    const batch: WeeklyReport[] = [];
    for (let i = 0; i < 300; i++) {
      const date = addLocalDays('2024-01-01', (i * 7) % 120);
      batch.push(
        storedReport({
          id: `m${i}`,
          // Every tenth repeats an earlier submission of the same reporter (a double submit in the files).
          submissionId: i % 10 === 9 ? `s${i - 1}` : `s${i}`,
          reporterId: `u${(i % 10 === 9 ? i - 1 : i) % 4}`,
          date,
          week: isoWeekOfLocalDate(date),
          area: ['Centrum', 'Skolor'][i % 2]!,
          count: i % 5,
          ...(i % 11 === 0 ? { withdrawn: { at: '2024-05-01T00:00:00.000Z', by: 'u' } } : {}),
        }),
      );
    }
    const oneByOne = new MemoryStore();
    let expectedAdded = 0;
    for (const r of batch) if ((await oneByOne.reports.add(r)).created) expectedAdded++;
    await b.reports.tally(TRANAS);
    const before = await b.reports.revision(TRANAS);
    assert.equal(await a.reports.addMany(batch), expectedAdded);
    assert.ok(expectedAdded < batch.length, 'the batch held repeated submissions');
    assert.equal(await a.reports.addMany(batch), 0, 'a second run adds nothing');
    assert.ok((await b.reports.revision(TRANAS)) > before);
    const ids = async (s: { reports: { list: PostgresStore['reports']['list'] } }) =>
      (await s.reports.list({ includeWithdrawn: true })).map((r) => r.id).sort();
    assert.deepEqual(await ids(b), await ids(oneByOne));
    for (const s of [a, b])
      assert.deepEqual(
        await totalsOf(s.reports.tally(TRANAS), TRANAS),
        await totalsOf(oneByOne.reports.tally(), TRANAS),
      );
    assert.deepEqual((await b.reports.weeks(TRANAS)).sort(), (await oneByOne.reports.weeks()).sort());
  });

  it('keeps totals equal to totals recomputed from list() after generated adds, edits and withdrawals', async () => {
    let run = 0;
    const AREAS = ['Centrum', 'Skolor', 'Krogmiljön'];
    const ACTIVITIES = [
      { id: 'trafikkontroller', pledge: 3 },
      { id: 'krogkontroller', pledge: 2 },
      { id: 'ovrigt-lofte-1', pledge: 1 },
    ];
    const content = fc.record({
      activity: fc.nat(ACTIVITIES.length - 1),
      day: fc.nat(20),
      area: fc.nat(AREAS.length - 1),
      party: fc.constantFrom('Polisen' as const, 'Kommunen' as const),
      count: fc.nat(20),
      bands: fc.option(fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5)), { nil: undefined }),
    });
    type Content = typeof content extends fc.Arbitrary<infer T> ? T : never;
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        via: fc.nat(1),
        reporter: fc.nat(2),
        submission: fc.nat(6),
        content,
        look: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('edit' as const),
        via: fc.nat(1),
        target: fc.nat(100),
        content,
        withdraw: fc.boolean(),
        look: fc.boolean(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const agreementId = `prop-${run++}`;
        const ids: string[] = [];
        const apply = (r: WeeklyReport, c: Content): WeeklyReport => {
          const date = addLocalDays('2024-03-04', c.day);
          const act = ACTIVITIES[c.activity]!;
          return {
            ...r,
            agreementId,
            date,
            week: isoWeekOfLocalDate(date),
            activityId: act.id,
            pledgeNumber: act.pledge,
            area: AREAS[c.area]!,
            party: c.party,
            count: c.count,
            ageBands: c.bands && { under18: c.bands[0], from18to21: c.bands[1], over21: c.bands[2] },
          };
        };
        for (const o of ops) {
          const via = o.via ? a : b;
          if (o.kind === 'add') {
            const r = apply(
              storedReport({ reporterId: `u${o.reporter}`, submissionId: `s${o.submission}` }),
              o.content,
            );
            const { report, created } = await via.reports.add(r);
            if (created) ids.push(report.id);
          } else if (ids.length > 0) {
            const current = (await via.reports.get(ids[o.target % ids.length]!))!;
            const next = apply(structuredClone(current) as WeeklyReport, o.content);
            await via.reports.update(
              o.withdraw ? { ...next, withdrawn: { at: '2024-03-20T10:00:00.000Z', by: 'u' } } : next,
            );
          }
          // Reading the totals fills the instances' caches: the next write of the same instance
          // then updates them in place, the other instance's write makes them reload.
          if (o.look) await Promise.all([a.reports.tally(agreementId), b.reports.tally(agreementId)]);
        }
        const expected = await recomputed(a, agreementId);
        const fresh = await PostgresStore.open(schema.pool(2), { schema: schema.schema });
        try {
          for (const s of [a, b, fresh])
            assert.deepEqual(await totalsOf(s.reports.tally(agreementId), agreementId), expected);
        } finally {
          await fresh.close();
        }
        const all = await a.reports.list({ agreementId, includeWithdrawn: true });
        assert.deepEqual((await b.reports.weeks(agreementId)).sort(), [...new Set(all.map((r) => r.week))].sort());
      }),
      { numRuns: runs(40, 4) },
    );
    // Nothing left behind: no week row without a report, and a cell left without a report (kept, so
    // that other instances read its removal) holds nothing.
    const pool = schema.pool(1);
    const { rows } = await pool.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM report_tally WHERE reports < 0
                 OR (reports = 0 AND (count <> 0 OR under18 <> 0 OR from18to21 <> 0 OR over21 <> 0)))
            + (SELECT count(*) FROM report_weeks WHERE reports <= 0) AS n`,
    );
    assert.equal(Number(rows[0]!.n), 0);
  });
});

describe('PostgresStore: start-up and reads', () => {
  before(skipWithoutPostgres);
  let schema: TestSchema;
  afterEach(async () => schema?.drop());

  /** Every query any pg client sends while `body` runs: its text (the schema name blanked) and rows returned. */
  async function recordQueries(body: () => Promise<void>, schemaName: string) {
    const seen: { text: string; rows: number }[] = [];
    const original = pg.Client.prototype.query;
    const patched = function (this: pg.Client, ...args: unknown[]) {
      const config = args[0] as string | { text?: string };
      const entry = {
        text: (typeof config === 'string' ? config : (config?.text ?? '')).replaceAll(schemaName, 'S'),
        rows: 0,
      };
      seen.push(entry);
      const count = (res: unknown) => {
        entry.rows += (res as { rows?: unknown[] } | undefined)?.rows?.length ?? 0;
        return res;
      };
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        args[args.length - 1] = (err: unknown, res: unknown) =>
          (last as (e: unknown, r: unknown) => void)(err, count(res));
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      }
      const out = (original as (...a: unknown[]) => unknown).apply(this, args);
      return out instanceof Promise ? out.then(count) : out;
    };
    pg.Client.prototype.query = patched as typeof original;
    try {
      await body();
    } finally {
      pg.Client.prototype.query = original;
    }
    return seen;
  }

  /** Writes `n` reports straight into the tables (as a copy would), with their totals and weeks. */
  async function seed(s: TestSchema, n: number): Promise<void> {
    const pool = s.pool(1);
    await pool.query(
      `INSERT INTO reports (id, agreement_id, reporter_id, submission_id, week, withdrawn, doc)
       SELECT 'seed-' || i, $1::text, 'u' || (i % 50), 's' || i, d.week, false,
         jsonb_build_object('id', 'seed-' || i, 'submissionId', 's' || i, 'agreementId', $1::text, 'reporterId', 'u' || (i % 50),
           'week', d.week, 'activityId', 'trafikkontroller', 'pledgeNumber', 3, 'count', 2, 'date', d.date,
           'area', 'Centrum', 'description', '', 'raiseAtNextMeeting', false, 'party', 'Polisen',
           'createdAt', '2024-03-05T10:00:00.000Z', 'updatedAt', '2024-03-05T10:00:00.000Z', 'history', '[]'::jsonb)
       FROM generate_series(1, $2::int) i,
         LATERAL (SELECT to_char(day, 'YYYY-MM-DD') AS date, to_char(day, 'IYYY-"W"IW') AS week
                  FROM (SELECT date '2023-01-02' + (i % 700) AS day) x) d`,
      [TRANAS, n],
    );
    await pool.query(
      `INSERT INTO report_tally
       SELECT agreement_id, doc->>'activityId', (doc->>'pledgeNumber')::int, doc->>'date', week, doc->>'area', doc->>'party',
         sum((doc->>'count')::bigint), count(*), 0, 0, 0
       FROM reports GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    );
    await pool.query(
      `INSERT INTO report_weeks SELECT agreement_id, week, count(*) FROM reports GROUP BY 1, 2;
       INSERT INTO report_revisions SELECT agreement_id, count(*) FROM reports GROUP BY 1`,
    );
  }

  it('issues the same queries and reads the same rows at open with 0 and with 20 000 reports', async function () {
    this.timeout(60_000);
    const opened: { text: string; rows: number }[][] = [];
    for (const n of [0, 20_000]) {
      const s = await freshSchema('pgo');
      schema = s;
      await seed(s, n);
      const pool = s.pool(2);
      let store: PostgresStore | undefined;
      opened.push(
        await recordQueries(async () => {
          store = await PostgresStore.open(pool, { schema: s.schema });
        }, s.schema),
      );
      // The history is there: the seeded reports are stored and counted.
      assert.equal((await store!.reports.list({ agreementId: TRANAS })).length, n);
      assert.equal(sum(await store!.reports.tally(TRANAS)), n === 0 ? 0 : 20_000 * 2);
      await store!.close();
      if (n === 0) await s.drop();
    }
    assert.ok(opened[0]!.length > 0, 'the counter sees the queries');
    assert.deepEqual(opened[1], opened[0]);
  });

  it('reads cells, not reports, for tally(): as many rows as the agreement has cells', async function () {
    this.timeout(60_000);
    schema = await freshSchema('pgt');
    await seed(schema, 5_000);
    const store = await PostgresStore.open(schema.pool(2), { schema: schema.schema });
    try {
      const { rows } = await schema.pool(1).query<{ n: string }>('SELECT count(*) AS n FROM report_tally');
      const cells = Number(rows[0]!.n);
      const first = await recordQueries(async () => void (await store.reports.tally(TRANAS)), schema.schema);
      assert.equal(first.length, 1);
      assert.equal(first[0]!.rows, cells);
      assert.ok(cells < 5_000);
      // Unchanged: one row (the revision), the cached totals are handed out again.
      const again = await recordQueries(async () => void (await store.reports.tally(TRANAS)), schema.schema);
      assert.deepEqual(
        again.map((q) => q.rows),
        [1],
      );
    } finally {
      await store.close();
    }
  });

  it("reads only the cells another instance changed, and its totals equal a fresh read's", async function () {
    this.timeout(60_000);
    schema = await freshSchema('pgd');
    await seed(schema, 5_000);
    const a = await PostgresStore.open(schema.pool(2), { schema: schema.schema });
    const b = await PostgresStore.open(schema.pool(2), { schema: schema.schema });
    try {
      await a.reports.tally(TRANAS);
      // B adds one report in a new cell, moves a seeded one to another area, and withdraws another.
      await b.reports.add(storedReport({ id: 'new-1', count: 7, date: '2024-03-06', week: '2024-W10' }));
      const moved = (await b.reports.get('seed-1'))!;
      await b.reports.update({ ...moved, area: 'Norra', updatedAt: '2024-03-06T10:00:00.000Z' });
      const gone = (await b.reports.get('seed-2'))!;
      await b.reports.update({ ...gone, withdrawn: { at: '2024-03-06T10:00:00.000Z', by: 'u' } as never });
      const delta = await recordQueries(async () => void (await a.reports.tally(TRANAS)), schema.schema);
      assert.equal(delta.length, 1);
      // The revision row carries the first cell: new-1's cell, seed-1's old and new cells, seed-2's cell.
      assert.ok(delta[0]!.rows <= 4, `read ${delta[0]!.rows} rows after three changes`);
      const fresh = await PostgresStore.open(schema.pool(2), { schema: schema.schema });
      try {
        const expected = await recomputed(fresh, TRANAS);
        assert.deepEqual(await totalsOf(a.reports.tally(TRANAS), TRANAS), expected);
        assert.deepEqual(await totalsOf(fresh.reports.tally(TRANAS), TRANAS), expected);
        assert.equal(sum(await a.reports.tally(TRANAS)), 5_000 * 2 + 7 - 2);
      } finally {
        await fresh.close();
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps the totals of the most recently used agreements only, and reads an evicted one whole again', async function () {
    this.timeout(60_000);
    schema = await freshSchema('pgl');
    const pool = schema.pool(2);
    await PostgresStore.open(pool, { schema: schema.schema }).then((s) => s.close());
    const reports = new PostgresReports(pool, { cachedAgreements: 2 });
    for (const agreementId of ['k1', 'k2', 'k3'])
      for (const date of ['2024-03-05', '2024-03-06']) await reports.add(storedReport({ agreementId, count: 3, date }));
    const rowsOf = async (agreementId: string) =>
      (await recordQueries(async () => void (await reports.tally(agreementId)), schema.schema)).map((q) => q.rows);
    // Read whole: its two cells (each row carries the revision); cached: one row, the revision alone.
    assert.deepEqual(await rowsOf('k1'), [2]);
    assert.deepEqual(await rowsOf('k2'), [2]);
    assert.deepEqual(await rowsOf('k1'), [1]);
    assert.deepEqual(await rowsOf('k3'), [2]); // k2, the least recently used, goes
    assert.deepEqual(await rowsOf('k1'), [1]);
    assert.deepEqual(await rowsOf('k2'), [2]);
    for (const agreementId of ['k1', 'k2', 'k3']) assert.equal(sum(await reports.tally(agreementId), agreementId), 6);
  });

  it('lists unchanged agreements with one row back, with 1 as with 290 agreements', async function () {
    this.timeout(60_000);
    schema = await freshSchema('pga');
    const store = await PostgresStore.open(schema.pool(2), { schema: schema.schema });
    try {
      const rowsOfListing = async () =>
        (await recordQueries(async () => void (await store.agreements.list()), schema.schema)).map((q) => q.rows);
      await store.agreements.addIfAbsent(tranas);
      await store.agreements.list();
      const withOne = await rowsOfListing();
      for (let i = 1; i < 290; i++)
        await store.agreements.addIfAbsent({ ...tranas, id: `kommun-${i}-2023-2024`, municipality: `Kommun ${i}` });
      assert.equal((await store.agreements.list()).length, 290);
      const with290 = await rowsOfListing();
      assert.deepEqual(with290, withOne);
      assert.deepEqual(withOne, [1]);
    } finally {
      await store.close();
    }
  });

  it("reads one agreement's meetings and overrides (listOf), however many other agreements have theirs", async function () {
    this.timeout(60_000);
    schema = await freshSchema('pgm');
    const store = await PostgresStore.open(schema.pool(2), { schema: schema.schema });
    try {
      const meeting = (id: string, agreementId: string) => ({
        id,
        agreementId,
        kind: 'samverkansmöte' as const,
        date: '2024-03-20',
        time: '13:00',
        createdBy: 'u',
        createdAt: 'x',
        updatedAt: 'x',
        revision: 1,
      });
      const override = (id: string, agreementId: string) => ({
        id,
        agreementId,
        level: 'atRisk' as const,
        reason: 'r',
        by: 'u',
        at: 'x',
      });
      const rowsRead = async () =>
        (
          await recordQueries(async () => {
            await store.meetings.listOf(TRANAS);
            await store.overrides.listOf(TRANAS);
          }, schema.schema)
        ).map((q) => q.rows);
      for (let k = 0; k < 6; k++) await store.meetings.put(meeting(`own-${k}`, TRANAS));
      await store.overrides.put(override('own', TRANAS));
      const alone = await rowsRead();
      for (let i = 0; i < 289; i++) {
        for (let k = 0; k < 6; k++) await store.meetings.put(meeting(`m-${i}-${k}`, `kommun-${i}`));
        await store.overrides.put(override(`o-${i}`, `kommun-${i}`));
      }
      assert.deepEqual(await rowsRead(), alone);
      assert.deepEqual(alone, [6, 1]);
    } finally {
      await store.close();
    }
  });

  it('gives the demo data the same status as the file store, reading one row per cell', async function () {
    this.timeout(60_000);
    const path = tempDbPath();
    await generateDemo(path, '2024-11-14', 'data/db.json');
    const files = await LowdbStore.open(path);
    schema = await freshSchema('pgd');
    const store = await PostgresStore.open(schema.pool(2), { schema: schema.schema });
    try {
      const agreement = (await files.agreements.get(TRANAS))!;
      await store.agreements.addIfAbsent(agreement);
      const reports = await files.reports.list({ includeWithdrawn: true });
      for (const r of reports) await store.reports.add(r);
      const cells = new Set(
        reports
          .map((r) => tallyRowOf(r))
          .map((c) => c && JSON.stringify({ ...c, count: 0, under18: 0, from18to21: 0, over21: 0 })),
      );
      cells.delete(undefined);
      const read = await recordQueries(
        async () => void (await new PostgresReports(schema.pool(1)).tally(TRANAS)),
        schema.schema,
      );
      assert.deepEqual(
        read.map((q) => q.rows),
        [cells.size],
      );
      assert.ok(cells.size > 0);
      for (const today of ['2023-06-30', '2024-03-14', '2024-11-14'])
        assert.deepEqual(
          computeStatus(agreement, await store.reports.tally(TRANAS), today),
          computeStatus(agreement, await files.reports.tally(), today),
          today,
        );
    } finally {
      await store.close();
      await files.close();
    }
  });

  it('refuses a stored report that does not match the schema, whole', async () => {
    schema = await freshSchema('pgr');
    const store = await PostgresStore.open(schema.pool(2), { schema: schema.schema });
    try {
      await store.reports.add(storedReport({ id: 'ok' }));
      await store.reports.add(storedReport({ id: 'bad' }));
      await schema.pool(1).query(`UPDATE reports SET doc = doc - 'activityId' WHERE id = 'bad'`);
      await assert.rejects(store.reports.get('bad'), StoredRecordError);
      await assert.rejects(store.reports.list(), /reports row "bad" does not match its schema/);
      assert.equal((await store.reports.get('ok'))!.id, 'ok');
      await store.meetings.put({
        id: 'm1',
        agreementId: TRANAS,
        kind: 'annat',
        date: '2024-03-20',
        time: '13:00',
        createdBy: 'u',
        createdAt: 'x',
        updatedAt: 'x',
        revision: 1,
      });
      await schema.pool(1).query(`UPDATE meetings SET doc = jsonb_set(doc, '{time}', '"1 pm"')`);
      await assert.rejects(store.meetings.list(), StoredRecordError);
    } finally {
      await store.close();
    }
  });

  it('answers list() filters through an index (agreement + week range, reporter, week range)', async () => {
    schema = await freshSchema('pgi');
    await seed(schema, 2_000);
    const client = new pg.Client({ connectionString: schema.databaseUrl });
    await client.connect();
    try {
      await client.query(`SET search_path TO "${schema.schema}"`);
      await client.query('ANALYZE reports');
      await client.query('SET enable_seqscan = off');
      const plan = async (filter: Parameters<typeof listQuery>[0]) => {
        const { text, values } = listQuery(filter);
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      };
      assert.match(
        await plan({ agreementId: TRANAS, fromWeek: '2024-W10', toWeek: '2024-W12' }),
        /reports_agreement_week/,
      );
      assert.match(await plan({ agreementId: TRANAS }), /reports_agreement_week|reports_submission_key/);
      assert.match(await plan({ reporterId: 'u7' }), /reports_reporter_week/);
      assert.match(await plan({ reporterId: 'u7', fromWeek: '2024-W10' }), /reports_reporter_week/);
      assert.match(await plan({ fromWeek: '2024-W10', toWeek: '2024-W12' }), /reports_week/);
      assert.match(
        await plan({ agreementId: TRANAS, reporterId: 'u7' }),
        /reports_submission_key|reports_reporter_week|reports_agreement_week/,
      );
    } finally {
      await client.end();
    }
  });

  it('reports its health without a query: kind postgres, open, then closed', async () => {
    schema = await freshSchema('pgh');
    const store = await PostgresStore.open(schema.pool(2), { schema: schema.schema });
    const seen = await recordQueries(async () => void store.health(), schema.schema);
    assert.equal(seen.length, 0);
    assert.equal(store.health().kind, 'postgres');
    assert.equal(store.health().state, 'open');
    assert.ok(store.health().schemaVersion >= 2);
    await store.close();
    assert.equal(store.health().state, 'closed');
  });
});

/** The summed count of an agreement's totals. */
function sum(tally: ReportTally, agreementId = TRANAS): number {
  let n = 0;
  for (const act of tally.activities(agreementId)) for (const cell of act.cells.values()) n += cell.count;
  return n;
}
