import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeEach, describe, it } from 'mocha';
import { MemoryAuditLog } from '../../src/app/audit.js';
import { ManualClock } from '../../src/app/clock.js';
import { AgreementSchema } from '../../src/domain/agreement.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { AuditFile } from '../../src/storage/audit-file.js';
import { backupName, backupTime, Backups } from '../../src/storage/backups.js';
import { LowdbStore, StoreOpenError } from '../../src/storage/lowdb-store.js';
import { loadConfig } from '../../src/config.js';
import { tempDbPath } from '../helpers/harness.js';

const HOUR = 3_600_000;

const report = (id: string, week: string, date: string): WeeklyReport => ({
  id,
  submissionId: `s-${id}`,
  agreementId: 'tranas-2023-2024',
  reporterId: 'r1',
  week,
  activityId: 'trafikkontroller',
  pledgeNumber: 3,
  count: 4,
  date,
  area: 'Centrum',
  description: 'kontroller',
  raiseAtNextMeeting: false,
  party: 'Polisen',
  createdAt: `${date}T10:00:00.000Z`,
  updatedAt: `${date}T10:00:00.000Z`,
  history: [{ at: `${date}T10:00:00.000Z`, by: 'r1', action: 'created' }],
});

describe('rotating backups', () => {
  let dbPath: string;
  let dir: string;
  let clock: ManualClock;
  let audit: MemoryAuditLog;

  beforeEach(async () => {
    dbPath = tempDbPath();
    dir = join(dirname(dbPath), 'backups');
    clock = new ManualClock('2024-03-14T10:00:00.123Z');
    audit = new MemoryAuditLog();
    const store = await LowdbStore.open(dbPath);
    await store.agreements.addIfAbsent(AgreementSchema.parse(TRANAS_2023_2024));
    await store.reports.add(report('a', '2024-W10', '2024-03-05'));
    await store.reports.add(report('b', '2024-W11', '2024-03-12'));
    await store.close();
    await new AuditFile(AuditFile.pathFor(dbPath)).record({
      at: '2024-03-12T10:00:00.000Z',
      actor: { id: 'r1' },
      action: 'report.created',
      objectId: 'b',
      outcome: 'ok',
    });
  });

  const backups = (keep = 3, intervalHours = 24) => new Backups({ dbPath, dir, keep, intervalHours }, clock, audit);

  it('names backups by UTC time without colons, and reads the names back', () => {
    assert.equal(backupName(new Date('2024-03-14T10:00:00.123Z')), '2024-03-14T10-00-00Z');
    assert.equal(backupTime('2024-03-14T10-00-00Z-2')?.toISOString(), '2024-03-14T10:00:00.000Z');
    assert.equal(backupTime('notes'), undefined);
  });

  it('copies the main file, every week file and the audit file under the same names', async () => {
    const result = await backups().create();
    assert.equal(result.name, '2024-03-14T10-00-00Z');
    assert.equal(result.files, 4);
    const b = join(dir, result.name);
    assert.deepEqual(readdirSync(b).sort(), ['db.audit.jsonl', 'db.json', 'db.reports']);
    assert.deepEqual(readdirSync(join(b, 'db.reports')).sort(), ['2024-W10.json', '2024-W11.json']);
    assert.equal(readFileSync(join(b, 'db.json'), 'utf8'), readFileSync(dbPath, 'utf8'));
    assert.equal(readFileSync(join(b, 'db.audit.jsonl'), 'utf8'), readFileSync(AuditFile.pathFor(dbPath), 'utf8'));
    assert.deepEqual(
      audit.entries.map((e) => [e.action, e.objectId, e.outcome, e.actor.id]),
      [['backup.created', result.name, 'ok', 'system:backup']],
    );
  });

  it('keeps the newest N and deletes older ones, never touching other folders', async () => {
    mkdirSync(join(dir, 'keep-me'), { recursive: true });
    mkdirSync(join(dir, '.partial-2024-01-01T00-00-00Z'), { recursive: true }); // left by a crash
    const b = backups(3);
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      names.push((await b.create()).name);
      clock.advance(HOUR);
    }
    assert.deepEqual(
      (await b.list()).map((x) => x.name),
      names.slice(2).reverse(),
    );
    assert.deepEqual(readdirSync(dir).sort(), [...names.slice(2), 'keep-me'].sort());
  });

  it('gives two backups in the same second distinct names', async () => {
    const b = backups(5);
    const first = await b.create();
    const second = await b.create();
    assert.notEqual(first.name, second.name);
    assert.equal((await b.list())[0]!.name, second.name);
  });

  it('takes a backup when none exists or the newest is older than the interval (by the bot clock)', async () => {
    const b = backups(7, 24);
    assert.ok(await b.runIfDue());
    assert.equal(await b.runIfDue(), undefined);
    clock.advance(20 * HOUR);
    assert.equal(await b.runIfDue(), undefined);
    clock.advance(4 * HOUR);
    assert.ok(await b.runIfDue());
    assert.equal((await b.list()).length, 2);
  });

  it('fails, keeping every older backup, when a data file on disk does not parse', async () => {
    const b = backups(2);
    await b.create();
    clock.advance(HOUR);
    await b.create();
    const before = (await b.list()).map((x) => x.name);
    writeFileSync(join(dbPath.replace(/\.json$/, '.reports'), '2024-W11.json'), '{"torn');
    clock.advance(HOUR);
    await assert.rejects(b.create(), /does not parse/);
    assert.deepEqual(
      (await b.list()).map((x) => x.name),
      before,
    );
    assert.deepEqual(readdirSync(dir).sort(), [...before].sort(), 'no partial folder left');
    assert.deepEqual(
      audit.entries.map((e) => e.outcome),
      ['ok', 'ok', 'failed'],
    );
  });

  it('takes no periodic backups with an interval of 0', async () => {
    assert.equal(await backups(7, 0).runIfDue(), undefined);
    assert.equal(existsSync(dir), false);
  });

  it('restores: a corrupt data file stops start-up untouched, and a copied-back backup opens with every report', async () => {
    const { name } = await backups().create();
    writeFileSync(dbPath, '{"schemaVersion": 2, "agreements": [');
    await assert.rejects(LowdbStore.open(dbPath), StoreOpenError);
    assert.equal(readFileSync(dbPath, 'utf8'), '{"schemaVersion": 2, "agreements": [');
    // The steps in docs/operations.md: stop the bot, copy the files back, start.
    cpSync(join(dir, name), dirname(dbPath), { recursive: true });
    const store = await LowdbStore.open(dbPath);
    try {
      assert.deepEqual((await store.reports.list()).map((r) => r.id).sort(), ['a', 'b']);
      assert.equal((await store.agreements.list()).length, 1);
    } finally {
      await store.close();
    }
  });
});

describe('backup and retention configuration', () => {
  const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, '/nonexistent-env-dir');

  it('defaults to 7 backups every 24 hours next to the data file, two years of free text and 90 days of delivery ledger', () => {
    const c = load({ DB_PATH: 'var/lib/mlbot/db.json' });
    assert.deepEqual(c.backups, { dir: join('var/lib/mlbot', 'backups'), keep: 7, intervalHours: 24 });
    assert.deepEqual(c.retention, { freeTextDays: 730, deliveryLedgerDays: 90 });
    assert.equal(load({ BACKUP_DIR: '/srv/backups', RETENTION_FREE_TEXT_DAYS: '0' }).backups.dir, '/srv/backups');
  });

  it('names the variable and what is expected for bad values', () => {
    assert.throws(
      () => load({ RETENTION_FREE_TEXT_DAYS: '-1' }),
      /RETENTION_FREE_TEXT_DAYS: expected a whole number of days, 0 or more/,
    );
    assert.throws(() => load({ BACKUP_KEEP: '0' }), /BACKUP_KEEP: expected at least 1 backup/);
    assert.throws(
      () => load({ BACKUP_INTERVAL_HOURS: 'daily' }),
      /BACKUP_INTERVAL_HOURS: expected a whole number of hours/,
    );
  });
});
