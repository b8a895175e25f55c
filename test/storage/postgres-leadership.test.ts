import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import pg from 'pg';
import { PostgresLeadership } from '../../src/storage/postgres/leadership.js';
import { quoteIdent } from '../../src/storage/postgres/pool.js';
import { freshSchema, skipWithoutPostgres, TEST_DATABASE_URL, type TestSchema } from '../helpers/postgres.js';

describe('PostgresLeadership: one scheduler leader among instances', () => {
  let schema: TestSchema;
  before(skipWithoutPostgres);
  before(async () => {
    schema = await freshSchema('lead');
  });
  after(async () => {
    await schema?.drop();
  });

  const connect = (s: string) => async () => {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${quoteIdent(s)}` });
    await c.connect();
    return c;
  };

  it('lets exactly one of three instances lead, and another once it stops', async () => {
    const all = [0, 1, 2].map(() => new PostgresLeadership(connect(schema.schema)));
    try {
      const first = await Promise.all(all.map((l) => l.isLeader()));
      assert.equal(first.filter(Boolean).length, 1);
      const again = await Promise.all(all.map((l) => l.isLeader()));
      assert.deepEqual(again, first, 'the leader keeps leading');
      const leader = all[first.indexOf(true)]!;
      await leader.close();
      const rest = all.filter((l) => l !== leader);
      const next = await Promise.all(rest.map((l) => l.isLeader()));
      assert.equal(next.filter(Boolean).length, 1);
      assert.equal(await leader.isLeader(), false);
    } finally {
      await Promise.all(all.map((l) => l.close()));
    }
  });

  it('hands over when the leader’s session dies, and the old leader knows it no longer leads', async () => {
    const a = new PostgresLeadership(connect(schema.schema));
    const b = new PostgresLeadership(connect(schema.schema));
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      assert.equal(await a.isLeader(), true);
      assert.equal(await b.isLeader(), false);
      await admin.query(
        `SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
           AND pid IN (SELECT pid FROM pg_stat_activity WHERE datname = current_database())
           AND objid = hashtext($1 || ':scheduler')::oid`,
        [schema.schema],
      );
      assert.equal(await b.isLeader(), true);
      assert.equal(await a.isLeader(), false);
    } finally {
      await Promise.all([a.close(), b.close(), admin.end()]);
    }
  });

  it('keeps leaders of different schemas apart (two deployments in one database)', async () => {
    const other = await freshSchema('lead');
    const a = new PostgresLeadership(connect(schema.schema));
    const b = new PostgresLeadership(connect(other.schema));
    try {
      assert.deepEqual(await Promise.all([a.isLeader(), b.isLeader()]), [true, true]);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await other.drop();
    }
  });
});
