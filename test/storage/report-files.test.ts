import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { Backups } from '../../src/storage/backups.js';
import { LowdbStore, StoreOpenError } from '../../src/storage/lowdb-store.js';
import { MIN_JOURNAL_LINES, ReportFiles } from '../../src/storage/report-files.js';
import { tempDbPath } from '../helpers/harness.js';
import { reportFilesText, storedReports } from '../helpers/stored-reports.js';

const report = (id: string, extra: Partial<WeeklyReport> = {}): WeeklyReport => ({
  id,
  submissionId: `sub-${id}`,
  agreementId: 'tranas-2023-2024',
  reporterId: 'r1',
  week: '2024-W11',
  activityId: 'trafikkontroller',
  pledgeNumber: 3,
  count: 4,
  date: '2024-03-12',
  area: 'Centrum',
  description: '',
  raiseAtNextMeeting: false,
  party: 'Polisen',
  createdAt: '2024-03-12T10:00:00.000Z',
  updatedAt: '2024-03-12T10:00:00.000Z',
  history: [{ at: '2024-03-12T10:00:00.000Z', by: 'r1', action: 'created' }],
  ...extra,
});

const edited = (r: WeeklyReport, extra: Partial<WeeklyReport>, at = '2024-03-13T10:00:00.000Z'): WeeklyReport => ({
  ...r,
  ...extra,
  updatedAt: at,
  history: [...r.history, { at, by: 'r1', action: 'edited', previous: { count: r.count } }],
});

const fail = (m: string) => new StoreOpenError(m);
const dirOf = (dbPath: string) => ReportFiles.dirFor(dbPath);
const filesIn = (dbPath: string) =>
  existsSync(dirOf(dbPath))
    ? readdirSync(dirOf(dbPath))
        .filter((n) => !n.startsWith('.'))
        .sort()
    : [];
const ids = async (rf: ReportFiles) => (await rf.index.list({ includeWithdrawn: true })).map((r) => r.id).sort();

/** The bytes of every file in the reports folder, to check that a refused start changed nothing. */
const snapshotOf = (dbPath: string) =>
  Object.fromEntries(filesIn(dbPath).map((n) => [n, readFileSync(join(dirOf(dbPath), n), 'utf8')]));

describe('report files: a snapshot per week and a journal of what was added since', () => {
  it('appends a submission as one line to its week journal without rewriting the week file', async () => {
    const dbPath = tempDbPath();
    let rf = await ReportFiles.open(dirOf(dbPath), fail);
    await rf.index.add(report('a'));
    await rf.close();
    const weekFile = join(dirOf(dbPath), '2024-W11.json');
    const before = readFileSync(weekFile, 'utf8');
    const mtime = statSync(weekFile).mtimeMs;

    rf = await ReportFiles.open(dirOf(dbPath), fail);
    await rf.index.add(report('b'));
    await rf.index.add(report('c', { week: '2024-W10', date: '2024-03-05' }));
    assert.equal(readFileSync(weekFile, 'utf8'), before, 'the week file is not rewritten for a new report');
    assert.equal(statSync(weekFile).mtimeMs, mtime);
    const journal = readFileSync(join(dirOf(dbPath), '2024-W11.jsonl'), 'utf8');
    assert.deepEqual(
      journal
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).id),
      ['b'],
    );
    assert.deepEqual(filesIn(dbPath), ['2024-W10.jsonl', '2024-W11.json', '2024-W11.jsonl']);
    // What is on disk, read without the bot's code, is every acknowledged report.
    assert.deepEqual(
      storedReports(dbPath)
        .map((r) => r.id)
        .sort(),
      ['a', 'b', 'c'],
    );
    await rf.close();
  });

  it('folds the journals into the week files at close, and reads them back', async () => {
    const dbPath = tempDbPath();
    const rf = await ReportFiles.open(dirOf(dbPath), fail);
    for (const id of ['a', 'b', 'c']) await rf.index.add(report(id));
    await rf.close();
    assert.deepEqual(filesIn(dbPath), ['2024-W11.json']);
    const doc = JSON.parse(readFileSync(join(dirOf(dbPath), '2024-W11.json'), 'utf8'));
    assert.deepEqual(doc.reports.map((r: WeeklyReport) => r.id).sort(), ['a', 'b', 'c']);
    const again = await ReportFiles.open(dirOf(dbPath), fail);
    assert.deepEqual(await ids(again), ['a', 'b', 'c']);
    await again.close();
  });

  it('after a kill, replays the journal over the week file and ignores a torn last line', async () => {
    const dbPath = tempDbPath();
    const rf = await ReportFiles.open(dirOf(dbPath), fail);
    await rf.index.add(report('a'));
    await rf.close();
    // As a killed process leaves it: two whole lines and a third cut mid-write.
    const journal = join(dirOf(dbPath), '2024-W11.jsonl');
    writeFileSync(
      journal,
      `${JSON.stringify(report('b'))}\n${JSON.stringify(report('c'))}\n${JSON.stringify(report('d')).slice(0, 40)}`,
    );
    const again = await ReportFiles.open(dirOf(dbPath), fail);
    assert.deepEqual(await ids(again), ['a', 'b', 'c']);
    // The start folds the journal: the torn line is gone, later lines are not appended after it.
    assert.deepEqual(filesIn(dbPath), ['2024-W11.json']);
    await again.index.add(report('e'));
    await again.close();
    const last = await ReportFiles.open(dirOf(dbPath), fail);
    assert.deepEqual(await ids(last), ['a', 'b', 'c', 'e']);
    await last.close();
  });

  it('refuses a journal with a damaged line before the last, and changes no file', async () => {
    const dbPath = tempDbPath();
    const rf = await ReportFiles.open(dirOf(dbPath), fail);
    await rf.index.add(report('a'));
    await rf.close();
    writeFileSync(
      join(dirOf(dbPath), '2024-W11.jsonl'),
      `${JSON.stringify(report('b'))}\n{"id":"c",\n${JSON.stringify(report('d'))}\n`,
    );
    const before = snapshotOf(dbPath);
    await assert.rejects(
      ReportFiles.open(dirOf(dbPath), fail),
      (err: Error) =>
        err instanceof StoreOpenError &&
        /2024-W11\.jsonl line 2 could not be read as JSON.*has not been changed/s.test(err.message),
    );
    assert.deepEqual(snapshotOf(dbPath), before);
  });

  it('refuses a journal line that is not a valid report, and changes no file', async () => {
    const dbPath = tempDbPath();
    mkdirSync(dirOf(dbPath), { recursive: true });
    writeFileSync(join(dirOf(dbPath), '2024-W11.jsonl'), `${JSON.stringify({ ...report('b'), count: -3 })}\n`);
    const before = snapshotOf(dbPath);
    await assert.rejects(
      ReportFiles.open(dirOf(dbPath), fail),
      /line 1 does not match the report schema \(count: .*has not been changed/s,
    );
    assert.deepEqual(snapshotOf(dbPath), before);
  });

  it('folds a week once its journal has as many lines as the threshold: the journal stays short', async () => {
    const dbPath = tempDbPath();
    const rf = await ReportFiles.open(dirOf(dbPath), fail);
    const n = MIN_JOURNAL_LINES + 10;
    for (let i = 0; i < n; i++) await rf.index.add(report(`r${i}`));
    const journal = readFileSync(join(dirOf(dbPath), '2024-W11.jsonl'), 'utf8')
      .trimEnd()
      .split('\n');
    assert.ok(journal.length < MIN_JOURNAL_LINES, `journal of ${journal.length} lines`);
    const doc = JSON.parse(readFileSync(join(dirOf(dbPath), '2024-W11.json'), 'utf8'));
    assert.equal(doc.reports.length + journal.length, n);
    assert.equal(storedReports(dbPath).length, n);
    await rf.close();
  });

  it('group commit: submissions made with a fold join it, those arriving while it is written follow it together', async () => {
    const dbPath = tempDbPath();
    const rf = await ReportFiles.open(dirOf(dbPath), fail);
    const a = (await rf.index.add(report('a', { description: 'första texten' }))).report as WeeklyReport;
    // An edit folds the week; five submissions in the same turn go into that fold.
    const edit = rf.index.update(edited(a, { description: '' }));
    const joined = Array.from({ length: 5 }, (_, i) => rf.index.add(report(`j${i}`)));
    // Five more once the fold is being written: queued, then appended together after it.
    await new Promise((r) => setImmediate(r));
    const queued = Array.from({ length: 5 }, (_, i) => rf.index.add(report(`q${i}`)));
    let acknowledged = 0;
    for (const p of queued) void p.then(() => acknowledged++);
    await edit;
    await Promise.all(joined);
    const snapshot = JSON.parse(readFileSync(join(dirOf(dbPath), '2024-W11.json'), 'utf8'))
      .reports.map((r: WeeklyReport) => r.id)
      .sort();
    assert.deepEqual(snapshot, ['a', 'j0', 'j1', 'j2', 'j3', 'j4']);
    await Promise.all(queued);
    assert.equal(acknowledged, 5);
    const journal = readFileSync(join(dirOf(dbPath), '2024-W11.jsonl'), 'utf8')
      .trimEnd()
      .split('\n');
    assert.deepEqual(
      journal.map((l) => JSON.parse(l).id),
      ['q0', 'q1', 'q2', 'q3', 'q4'],
    );
    assert.equal(storedReports(dbPath).length, 11);
    await rf.close();
  });

  it('an edit rewrites the week and leaves no earlier text in any file', async () => {
    const dbPath = tempDbPath();
    const rf = await ReportFiles.open(dirOf(dbPath), fail);
    const a = (await rf.index.add(report('a', { description: 'Hemlig text' }))).report as WeeklyReport;
    await rf.index.add(report('b'));
    await rf.index.update({
      ...edited(a, { description: '' }),
      history: [
        { at: a.createdAt, by: 'r1', action: 'created' },
        { at: '2024-03-13T10:00:00.000Z', by: 'system:retention', action: 'purged' },
      ],
    });
    assert.doesNotMatch(reportFilesText(dbPath), /Hemlig text/);
    assert.deepEqual(filesIn(dbPath), ['2024-W11.json']);
    await rf.close();
  });

  it('moves a report to another week: stored once, in its new week, also after a reopen', async () => {
    const dbPath = tempDbPath();
    const rf = await ReportFiles.open(dirOf(dbPath), fail);
    const a = (await rf.index.add(report('a'))).report as WeeklyReport;
    await rf.index.add(report('b'));
    await rf.index.update(edited(a, { week: '2024-W10', date: '2024-03-05' }));
    const onDisk = storedReports(dbPath);
    assert.deepEqual(onDisk.map((r) => `${r.id}:${r.week}`).sort(), ['a:2024-W10', 'b:2024-W11']);
    await rf.close();
    const again = await ReportFiles.open(dirOf(dbPath), fail);
    assert.deepEqual((await again.index.list()).map((r) => `${r.id}:${r.week}`).sort(), ['a:2024-W10', 'b:2024-W11']);
    await again.close();
  });

  it('a kill in the middle of a move leaves two copies: the later one wins and the stale one is removed at start', async () => {
    const dbPath = tempDbPath();
    const rf = await ReportFiles.open(dirOf(dbPath), fail);
    const a = (await rf.index.add(report('a'))).report as WeeklyReport;
    await rf.close();
    // The new week was written, the old one not yet: a copy in each (same updatedAt: a stopped clock).
    const moved = edited(a, { week: '2024-W10', date: '2024-03-05' }, a.updatedAt);
    writeFileSync(join(dirOf(dbPath), '2024-W10.jsonl'), `${JSON.stringify(moved)}\n`);
    const again = await ReportFiles.open(dirOf(dbPath), fail);
    assert.deepEqual(
      (await again.index.list()).map((r) => `${r.id}:${r.week}:${r.history.length}`),
      ['a:2024-W10:2'],
    );
    assert.deepEqual(
      storedReports(dbPath).map((r) => `${r.id}:${r.week}`),
      ['a:2024-W10'],
    );
    assert.equal(JSON.parse(readFileSync(join(dirOf(dbPath), '2024-W11.json'), 'utf8')).reports.length, 0);
    await again.close();
  });

  it('a failed append keeps nothing: the submission is refused, not in memory and not on disk after a restart', async () => {
    const dbPath = tempDbPath();
    const rf = await ReportFiles.open(dirOf(dbPath), fail);
    await rf.index.add(report('a'));
    await rf.close();
    const again = await ReportFiles.open(dirOf(dbPath), fail);
    // The journal cannot be opened for appending (a folder in its place).
    const journal = join(dirOf(dbPath), '2024-W11.jsonl');
    mkdirSync(journal);
    await assert.rejects(again.index.add(report('b')), /EISDIR/);
    assert.deepEqual(await ids(again), ['a']);
    rmSync(journal, { recursive: true });
    // The next write folds the week from memory: the refused report is not in it.
    await again.index.add(report('c'));
    assert.deepEqual(await ids(again), ['a', 'c']);
    assert.deepEqual(
      storedReports(dbPath)
        .map((r) => r.id)
        .sort(),
      ['a', 'c'],
    );
    await again.close();
    const last = await ReportFiles.open(dirOf(dbPath), fail);
    assert.deepEqual(await ids(last), ['a', 'c']);
    await last.close();
  });

  it('a failed fold keeps the files as they were and memory as it was', async () => {
    const dbPath = tempDbPath();
    const rf = await ReportFiles.open(dirOf(dbPath), fail);
    const a = (await rf.index.add(report('a'))).report as WeeklyReport;
    await rf.close();
    const again = await ReportFiles.open(dirOf(dbPath), fail);
    const before = snapshotOf(dbPath);
    // lowdb writes a temp file and renames it: a folder in its place makes the write fail.
    const tmp = join(dirOf(dbPath), '.2024-W11.json.tmp');
    mkdirSync(tmp);
    await assert.rejects(again.index.update(edited(a, { count: 9 })), /EISDIR/);
    assert.equal((await again.index.get('a'))?.count, 4);
    assert.deepEqual(snapshotOf(dbPath), before);
    rmSync(tmp, { recursive: true });
    await again.close();
    const last = await ReportFiles.open(dirOf(dbPath), fail);
    assert.equal((await last.index.get('a'))?.count, 4);
    await last.close();
  });

  it('refuses changes after close', async () => {
    const rf = await ReportFiles.open(dirOf(tempDbPath()), fail);
    await rf.close();
    await assert.rejects(rf.index.add(report('a')), /closed/);
  });
});

describe('report journals in backups', () => {
  it('a backup taken while the bot runs holds the journals, and a copy back opens with every report', async () => {
    const dbPath = tempDbPath();
    const store = await LowdbStore.open(dbPath);
    await store.reports.add(report('a'));
    await store.reports.add(report('b', { week: '2024-W10', date: '2024-03-05' }));
    assert.ok(
      filesIn(dbPath).some((n) => n.endsWith('.jsonl')),
      'the reports are in journals while the store is open',
    );
    const dir = join(dirname(dbPath), 'backups');
    const backups = new Backups({ dbPath, dir, keep: 3, intervalHours: 24 }, new ManualClock('2024-03-14T10:00:00Z'));
    const { name } = await backups.create();
    assert.deepEqual(readdirSync(join(dir, name, 'db.reports')).sort(), ['2024-W10.jsonl', '2024-W11.jsonl']);
    await store.close();
    rmSync(dirOf(dbPath), { recursive: true });
    cpSync(join(dir, name), dirname(dbPath), { recursive: true });
    const restored = await LowdbStore.open(dbPath);
    try {
      assert.deepEqual((await restored.reports.list()).map((r) => r.id).sort(), ['a', 'b']);
    } finally {
      await restored.close();
    }
  });
});
