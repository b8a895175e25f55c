import pg from 'pg';

/**
 * One connection pool per process for DATABASE_URL. `schema` (tests, one schema per test) becomes
 * the search_path of every connection, so the same SQL runs in any schema.
 */
export function createPool(
  databaseUrl: string,
  opts: { schema?: string; max?: number; applicationName?: string } = {},
): pg.Pool {
  const options = opts.schema ? `-c search_path=${quoteIdent(opts.schema)}` : undefined;
  return new pg.Pool({
    connectionString: databaseUrl,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'medborgarlofte-bot',
    ...(options ? { options } : {}),
  });
}

export function quoteIdent(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

/** Runs `body` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(pool: pg.Pool, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
