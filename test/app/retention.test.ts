import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'mocha';
import { MemoryAuditLog } from '../../src/app/audit.js';
import { ManualClock } from '../../src/app/clock.js';
import { holdsFreeText, PURGED_MARKER, RetentionService, weekNumber } from '../../src/app/retention.js';
import type { ReportFilter } from '../../src/app/ports.js';
import { addLocalDays, isoWeekOfLocalDate } from '../../src/domain/calendar.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { cardAction, USER } from '../helpers/activities.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { storedReports } from '../helpers/stored-reports.js';

const COORDINATOR = { id: '29:coord', name: 'Kommunpolis', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };
const DAY = 86_400_000;

const auditLines = (dbPath: string): any[] =>
  readFileSync(dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

const reportData = (extra: Record<string, unknown>) => ({
  submissionId: `sub-${Math.random().toString(36).slice(2, 12)}`,
  activityId: 'riktade-insatser-narkotika',
  count: '3',
  area: 'Centrum',
  ageUnder18: '1',
  age18to21: '0',
  ageOver21: '2',
  raiseAtNextMeeting: 'false',
  party: 'Polisen',
  ...extra,
});

describe('retention of report free text through the real bot', () => {
  let h: Harness;
  const clock = new ManualClock('2024-03-14T10:00:00Z'); // Thursday, week 11
  const where = (from = USER) => ({ serviceUrl: h.connector.url, from });
  let oldId: string;
  let newId: string;

  before(async () => {
    h = await startHarness({
      clock,
      env: { COORDINATOR_IDS: COORDINATOR.aadObjectId, RETENTION_FREE_TEXT_DAYS: '30', BACKUP_INTERVAL_HOURS: '0' },
    });
    const first = reportData({ week: '2024-W11', date: '2024-03-13', description: 'Första texten, vid infarten' });
    await h.post(cardAction('report.submit', first, where()));
    oldId = storedReports(h.dbPath).find((r) => r.submissionId === first.submissionId).id;
    // An edit keeps the earlier description in the history: retention must blank it there too.
    const saved = await h.post(
      cardAction(
        'report.save',
        { ...first, description: 'Andra texten, "rättad"', reportId: oldId, submissionId: 'edit-0000001' },
        where(),
      ),
    );
    assert.equal(saved.status, 200);
    clock.set('2024-04-10T10:00:00Z');
    const second = reportData({
      week: '2024-W15',
      date: '2024-04-10',
      description: 'Ny text som ska stå kvar',
      count: '4',
    });
    await h.post(cardAction('report.submit', second, where()));
    newId = storedReports(h.dbPath).find((r) => r.submissionId === second.submissionId).id;
  });
  after(async () => {
    await h.stop();
  });

  it('keeps everything while the reports are younger than the retention', async () => {
    const result = await h.bot.jobs.retention();
    assert.equal(result.total, 0);
    assert.equal(result.cutoff, '2024-03-11');
    assert.equal(storedReports(h.dbPath).find((r) => r.id === oldId).description, 'Andra texten, "rättad"');
  });

  it('blanks only old free text, in the report and its history, and keeps counts, dates, areas and age bands', async () => {
    clock.set('2024-04-20T01:15:00Z'); // cutoff 2024-03-21: the report of 13 March is older
    const before = storedReports(h.dbPath).find((r) => r.id === oldId);
    assert.equal(before.history[1].previous.description, 'Första texten, vid infarten');
    const result = await h.bot.jobs.retention();
    assert.equal(result.total, 1);
    assert.deepEqual(result.purged, { 'tranas-2023-2024': 1 });

    const all = storedReports(h.dbPath);
    const old = all.find((r) => r.id === oldId);
    assert.equal(old.description, '');
    assert.equal(old.history[1].previous.description, '');
    assert.equal(old.history.at(-1).action, 'purged');
    assert.equal(old.history.at(-1).by, 'system:retention');
    for (const key of ['count', 'date', 'week', 'area', 'activityId', 'ageBands', 'party', 'createdAt', 'reporterId'])
      assert.deepEqual(old[key], before[key], key);
    const kept = all.find((r) => r.id === newId);
    assert.equal(kept.description, 'Ny text som ska stå kvar');
    assert.equal(kept.history.length, 1);

    const files = readdirSync(h.dbPath.replace(/\.json$/, '.reports'))
      .map((f) => readFileSync(`${h.dbPath.replace(/\.json$/, '.reports')}/${f}`, 'utf8'))
      .join('');
    assert.doesNotMatch(files, /Första texten|Andra texten/);

    const purges = auditLines(h.dbPath).filter((e) => e.action === 'data.purged');
    assert.equal(purges.length, 1);
    assert.equal(purges[0].objectId, 'tranas-2023-2024');
    assert.equal(purges[0].outcome, 'ok');
    assert.match(purges[0].detail, /reports=1/);
    assert.doesNotMatch(JSON.stringify(auditLines(h.dbPath)), /texten/);
  });

  it('is idempotent: a second run changes nothing and audits nothing', async () => {
    const before = JSON.stringify(storedReports(h.dbPath));
    const auditBefore = auditLines(h.dbPath).length;
    clock.advance(DAY);
    const result = await h.bot.jobs.retention();
    assert.equal(result.total, 0);
    assert.equal(JSON.stringify(storedReports(h.dbPath)), before);
    assert.equal(auditLines(h.dbPath).length, auditBefore);
  });

  it('stores a purged report that loads again after a restart', async () => {
    await h.restart();
    const old = await h.bot.store.reports.get(oldId);
    assert.equal(old?.description, '');
    assert.equal(old?.count, 3);
    assert.equal(old?.history.at(-1)?.action, 'purged');
  });
});

describe('RetentionService', () => {
  const base = (id: string, date: string, extra: Partial<WeeklyReport> = {}): WeeklyReport => ({
    id,
    submissionId: `s-${id}`,
    agreementId: 'a1',
    reporterId: 'r1',
    week: '2020-W02',
    activityId: 'x',
    pledgeNumber: 1,
    count: 2,
    date,
    area: 'Centrum',
    description: 'text',
    raiseAtNextMeeting: false,
    party: 'Polisen',
    createdAt: `${date}T10:00:00.000Z`,
    updatedAt: `${date}T10:00:00.000Z`,
    history: [{ at: `${date}T10:00:00.000Z`, by: 'r1', action: 'created' }],
    ...extra,
  });

  it('keeps free text forever when the retention is 0', async () => {
    const store = new MemoryStore();
    await store.reports.add(base('r1', '2000-01-10'));
    const audit = new MemoryAuditLog();
    const result = await new RetentionService(store, new ManualClock('2024-01-01T00:00:00Z'), audit, {
      freeTextDays: 0,
    }).purgeFreeText();
    assert.equal(result.total, 0);
    assert.equal(result.cutoff, undefined);
    assert.equal((await store.reports.get('r1'))?.description, 'text');
    assert.deepEqual(audit.entries, []);
  });

  it('purges withdrawn reports too and counts per agreement', async () => {
    const store = new MemoryStore();
    await store.reports.add(base('r1', '2020-01-10', { withdrawn: { at: '2020-01-11T00:00:00.000Z', by: 'c' } }));
    await store.reports.add(base('r2', '2020-01-10', { agreementId: 'a2', submissionId: 's-r2' }));
    await store.reports.add(base('r3', '2020-01-10', { agreementId: 'a2', submissionId: 's-r3', description: '' }));
    const audit = new MemoryAuditLog();
    const result = await new RetentionService(store, new ManualClock('2024-01-01T00:00:00Z'), audit, {
      freeTextDays: 730,
    }).purgeFreeText();
    assert.deepEqual(result.purged, { a1: 1, a2: 1 });
    assert.ok(!holdsFreeText((await store.reports.get('r1'))!));
    assert.equal((await store.reports.get('r3'))?.history.length, 1, 'a report without free text is not touched');
    assert.deepEqual(audit.entries.map((e) => [e.action, e.objectId, e.detail]).sort(), [
      ['data.purged', 'a1', 'freeText;reports=1;failed=0;before=2022-01-01'],
      ['data.purged', 'a2', 'freeText;reports=1;failed=0;before=2022-01-01'],
    ]);
  });
});

describe('retention reads only the last weeks once the older ones are purged', () => {
  it('marks the weeks purged completely and reads from a margin before them at the next run', async () => {
    const store = new MemoryStore();
    const clock = new ManualClock('2024-12-02T10:00:00Z');
    const retention = new RetentionService(store, clock, new MemoryAuditLog(), {
      freeTextDays: 30,
      deliveryLedgerDays: 0,
    });
    const weeksRead: string[] = [];
    const list = store.reports.list.bind(store.reports);
    store.reports.list = (f?: ReportFilter) => {
      if (f?.fromWeek) weeksRead.push(f.fromWeek);
      return list(f);
    };
    const report = (n: number, date: string, description: string): WeeklyReport => ({
      id: `r${n}`,
      submissionId: `s${n}`,
      agreementId: 'a',
      week: isoWeekOfLocalDate(date),
      activityId: 'x',
      pledgeNumber: 1,
      count: 1,
      date,
      area: 'Centrum',
      description,
      raiseAtNextMeeting: false,
      party: 'Polisen',
      reporterId: 'p1',
      createdAt: `${date}T10:00:00.000Z`,
      updatedAt: `${date}T10:00:00.000Z`,
      history: [{ at: `${date}T10:00:00.000Z`, by: 'p1', action: 'created' }],
    });
    // A year of weekly reports with free text.
    let date = '2024-01-03';
    for (let n = 0; n < 48; n++, date = addLocalDays(date, 7)) await store.reports.add(report(n, date, `text ${n}`));
    const first = await retention.purgeFreeText();
    assert.ok(first.total >= 40, String(first.total));
    assert.ok(weeksRead.length >= 40, 'the first run reads every week up to the cutoff');
    const marker = await store.markers.get(PURGED_MARKER);
    assert.equal(marker?.value, weekNumber('2024-W43'), 'the week before the cutoff week (cutoff 2024-11-02, in W44)');

    // A month later: a report filed late, three weeks back, and the weeks that came of age.
    clock.set('2025-01-02T10:00:00Z');
    await store.reports.add(report(100, '2024-11-20', 'sent in late'));
    weeksRead.length = 0;
    const second = await retention.purgeFreeText();
    assert.ok(
      weeksRead.every((w) => w >= '2024-W35'),
      `only from 8 weeks before W43: ${weeksRead.join(',')}`,
    );
    assert.ok(weeksRead.length <= 16, String(weeksRead.length));
    assert.equal((await store.reports.get('r100'))?.description, '', 'the late report is purged');
    assert.ok(second.total >= 1);
    for (const r of await store.reports.list({ includeWithdrawn: true }))
      if (r.date < second.cutoff!) assert.equal(r.description, '', r.id);
  });
});
