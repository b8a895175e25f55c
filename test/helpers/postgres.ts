import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../src/storage/postgres/migrate.js';
import { createPool, quoteIdent } from '../../src/storage/postgres/pool.js';

/**
 * PostgreSQL for tests: the machine's server (127.0.0.1:5432, database `test`; TEST_DATABASE_URL
 * overrides). Each test gets its own schema, migrated, and drops it afterwards.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<boolean> | undefined;

/**
 * Whether the test server answers. Without it the PostgreSQL suites are skipped (shown as pending)
 * on a developer's machine; CI sets REQUIRE_POSTGRES=1, and then an unreachable server fails them.
 */
export function postgresAvailable(): Promise<boolean> {
  reachable ??= (async () => {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.end();
      return true;
    } catch (err) {
      if (process.env.REQUIRE_POSTGRES === '1')
        throw new Error(
          `REQUIRE_POSTGRES=1 but PostgreSQL is not reachable at ${TEST_DATABASE_URL}: ${(err as Error).message}`,
        );
      return false;
    }
  })();
  return reachable;
}

/** A mocha `before` hook body: skips the suite when PostgreSQL is not there (see postgresAvailable). */
export async function skipWithoutPostgres(this: Mocha.Context): Promise<void> {
  if (!(await postgresAvailable())) this.skip();
}

/** One statement on the test database as its owner (creating and dropping schemas). */
export async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export interface TestSchema {
  /** The schema's name: pass it as `schema` to createPool (search_path). */
  schema: string;
  databaseUrl: string;
  /** A pool whose connections use the schema. */
  pool(max?: number): pg.Pool;
  drop(): Promise<void>;
}

/** Creates a fresh schema with every migration applied. */
export async function freshSchema(prefix = 't'): Promise<TestSchema> {
  const schema = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
    await admin.query(`SET search_path TO ${quoteIdent(schema)}`);
    await migrate(admin, schema);
  } finally {
    await admin.end();
  }
  const pools: pg.Pool[] = [];
  return {
    schema,
    databaseUrl: TEST_DATABASE_URL,
    pool(max) {
      const p = createPool(TEST_DATABASE_URL, { schema, max });
      pools.push(p);
      return p;
    },
    async drop() {
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
