import assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'mocha';
import pg from 'pg';
import { migrate } from '../../src/storage/postgres/migrate.js';
import { quoteIdent } from '../../src/storage/postgres/pool.js';
import { freshSchema, skipWithoutPostgres, TEST_DATABASE_URL, type TestSchema } from '../helpers/postgres.js';

describe('PostgreSQL migrations', () => {
  before(skipWithoutPostgres);
  let schemas: TestSchema[] = [];
  afterEach(async () => {
    await Promise.all(schemas.map((s) => s.drop()));
    schemas = [];
  });

  it('applies every migration to a new schema, and nothing the second time', async () => {
    const s = await freshSchema('mig');
    schemas.push(s);
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    try {
      await c.query(`SET search_path TO ${quoteIdent(s.schema)}`);
      assert.deepEqual(await migrate(c, s.schema), []);
      const { rows } = await c.query<{ n: string }>('SELECT count(*) AS n FROM pgmigrations');
      assert.ok(Number(rows[0]!.n) >= 1);
    } finally {
      await c.end();
    }
  });

  it('migrates once when two instances start together', async () => {
    const s = await freshSchema('mig');
    schemas.push(s);
    const c0 = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c0.connect();
    const empty = `${s.schema}_e`;
    await c0.query(`CREATE SCHEMA ${quoteIdent(empty)}`);
    schemas.push({
      ...s,
      schema: empty,
      drop: () => c0.query(`DROP SCHEMA ${quoteIdent(empty)} CASCADE`).then(() => c0.end()),
    });
    const clients = [
      new pg.Client({ connectionString: TEST_DATABASE_URL }),
      new pg.Client({ connectionString: TEST_DATABASE_URL }),
    ];
    await Promise.all(clients.map((c) => c.connect()));
    try {
      await Promise.all(clients.map((c) => c.query(`SET search_path TO ${quoteIdent(empty)}`)));
      const [a, b] = await Promise.all(clients.map((c) => migrate(c, empty)));
      const all = [...a!, ...b!];
      const { rows } = await clients[0]!.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id');
      assert.deepEqual(all.sort(), rows.map((r) => r.name).sort(), 'each migration applied by exactly one of the two');
      assert.ok(rows.length >= 1);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});
