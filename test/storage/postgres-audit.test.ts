import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it } from 'mocha';
import type pg from 'pg';
import type { AuditEntry } from '../../src/app/audit.js';
import { PostgresAuditLog, PostgresAuditTrail } from '../../src/storage/postgres/audit.js';
import { freshSchema, skipWithoutPostgres, type TestSchema } from '../helpers/postgres.js';

const entry = (n: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  at: new Date(Date.UTC(2024, 2, 14, 10, 0, n)).toISOString(),
  actor: { id: `u${n}`, tenantId: 't' },
  action: 'report.created',
  objectId: `r${n}`,
  outcome: 'ok',
  ...extra,
});

describe('PostgresAuditLog: the audit_log table', () => {
  before(skipWithoutPostgres);
  let schema: TestSchema;
  let pool: pg.Pool;
  beforeEach(async () => {
    schema = await freshSchema('pgaudit');
    pool = schema.pool(4);
  });
  afterEach(async () => {
    await schema?.drop();
  });

  it('refuses UPDATE of anything but object_id and detail, DELETE and TRUNCATE; allows the redaction', async () => {
    const log = new PostgresAuditLog(pool);
    await log.record(entry(1));
    await assert.rejects(pool.query(`UPDATE audit_log SET action = 'report.edited'`), /append-only/);
    await assert.rejects(pool.query(`UPDATE audit_log SET at = at + interval '1 day'`), /append-only/);
    await assert.rejects(pool.query('DELETE FROM audit_log'), /append-only/);
    await assert.rejects(pool.query('TRUNCATE audit_log'), /append-only/);
    await pool.query(`UPDATE audit_log SET object_id = '[redacted]'`);
    const { entries } = await new PostgresAuditTrail(pool).read();
    assert.deepEqual(entries, [entry(1, { objectId: '[redacted]' })]);
  });

  it('keeps the order entries were recorded in by one process, when they are not awaited one by one', async () => {
    const log = new PostgresAuditLog(pool);
    await Promise.all(Array.from({ length: 100 }, (_, i) => log.record(entry(i % 60, { objectId: `r${i}` }))));
    const { entries } = await new PostgresAuditTrail(pool).read();
    assert.deepEqual(
      entries.map((e) => e.objectId),
      Array.from({ length: 100 }, (_, i) => `r${i}`),
    );
  });

  it('two instances write to one trail: every entry is read back by either', async () => {
    const other = schema.pool(2);
    const a = new PostgresAuditLog(pool);
    const b = new PostgresAuditLog(other);
    await Promise.all([
      ...Array.from({ length: 50 }, (_, i) => a.record(entry(i, { objectId: `a${i}` }))),
      ...Array.from({ length: 50 }, (_, i) => b.record(entry(i, { objectId: `b${i}` }))),
    ]);
    const { entries } = await new PostgresAuditTrail(other).read();
    assert.equal(entries.length, 100);
    assert.deepEqual(
      entries.filter((e) => e.objectId!.startsWith('a')).map((e) => e.objectId),
      Array.from({ length: 50 }, (_, i) => `a${i}`),
    );
    assert.deepEqual(
      (await new PostgresAuditTrail(pool).tail(3)).map((e) => e.objectId),
      entries
        .slice(-3)
        .reverse()
        .map((e) => e.objectId),
    );
  });

  it('a stored change whose line cannot be written now is kept and written before the next entry (record fails closed)', async () => {
    const backlog: number[] = [];
    const log = new PostgresAuditLog(pool, (_err, pending) => backlog.push(pending));
    await log.record(entry(1));
    // The table is away for a moment: every insert fails, as with the database unreachable.
    await pool.query('ALTER TABLE audit_log RENAME TO audit_log_away');
    await log.recordStored(entry(2)); // never rejects: the change is stored already
    await log.recordStored(entry(3, { action: 'report.withdrawn' }));
    assert.deepEqual(backlog, [1, 2]);
    assert.equal(log.pending, 2);
    await assert.rejects(log.record(entry(4)), /audit_log/, 'record rejects: nothing was changed yet');
    assert.equal(log.pending, 2);
    await pool.query('ALTER TABLE audit_log_away RENAME TO audit_log');
    await log.record(entry(5, { actor: { id: 'u5' }, correlationId: 'c-5', detail: 'format=csv' }));
    assert.equal(log.pending, 0);
    const { entries, unreadable } = await new PostgresAuditTrail(pool).read();
    assert.equal(unreadable, 0);
    assert.deepEqual(entries, [
      entry(1),
      entry(2),
      entry(3, { action: 'report.withdrawn' }),
      entry(5, { actor: { id: 'u5' }, correlationId: 'c-5', detail: 'format=csv' }),
    ]);
  });
});
