import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type pg from 'pg';

/**
 * Schema migrations for the PostgreSQL store: plain SQL files in src/storage/postgres/migrations,
 * applied in order by node-pg-migrate. The runner takes its advisory lock, so two instances that
 * start together migrate once (the second waits, then finds nothing to do).
 */

/** The folder of the SQL migrations: found from this file in src/, dist/src or dist/bundle. */
export function migrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'src', 'storage', 'postgres', 'migrations');
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, 'migrations')) && dir.endsWith(join('storage', 'postgres')))
      return join(dir, 'migrations');
    dir = dirname(dir);
  }
  throw new Error('PostgreSQL migrations not found (src/storage/postgres/migrations)');
}

export const MIGRATIONS_TABLE = 'pgmigrations';

/**
 * Applies every migration not yet applied, in `schema` (default public), on a connected client.
 * Returns the names of the migrations applied now (empty when the schema was up to date).
 */
export async function migrate(
  client: pg.ClientBase,
  schema = 'public',
  log: (msg: string) => void = () => {},
): Promise<string[]> {
  const applied = await runner({
    dbClient: client,
    dir: migrationsDir(),
    direction: 'up',
    migrationsTable: MIGRATIONS_TABLE,
    schema,
    createSchema: true,
    checkOrder: true,
    singleTransaction: true,
    // A second instance starting at the same time waits for the first, then finds nothing to do.
    advisoryLockMode: 'wait',
    logger: { info: log, warn: log, error: log, debug: () => {} },
  });
  return applied.map((m) => m.name);
}
