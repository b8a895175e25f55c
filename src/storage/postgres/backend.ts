import pg from 'pg';
import type { Clock } from '../../app/clock.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Backend, BackendOverrides } from '../backend.js';
import { PostgresAuditLog, PostgresAuditTrail } from './audit.js';
import { ADVISORY_LOCK_CLASS, PostgresLeadership } from './leadership.js';
import { PostgresLedger } from './ledger.js';
import { createPool, quoteIdent } from './pool.js';
import { PostgresSendBudget } from './send-budget.js';
import { PostgresStore } from './store.js';

/** Runs `work` while holding a session advisory lock (per schema and name) on a connection of its own. */
async function withAdvisoryLock<T>(
  database: NonNullable<Config['database']>,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: database.url,
    application_name: `medborgarlofte-bot-${name}`,
    options: `-c search_path=${quoteIdent(database.schema)}`,
  });
  await client.connect();
  try {
    const key = [ADVISORY_LOCK_CLASS, ':' + name];
    await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema() || $2))', key);
    try {
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext(current_schema() || $2))', key).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The PostgreSQL backend (DATABASE_URL): one pool per instance; the store migrates at open under
 * the migration lock. Every instance holds two dedicated connections besides the pool's others:
 * its liveness lock (the ledger: others turn its in-flight rows "unknown" once it is gone) and,
 * once it leads, the scheduler's lock.
 */
export async function openPostgresBackend(
  database: NonNullable<Config['database']>,
  _clock: Clock,
  logger: Logger,
  overrides: BackendOverrides = {},
): Promise<Backend> {
  const pool = createPool(database.url, { schema: database.schema, max: database.poolMax });
  // An idle connection the server dropped is an 'error' event on the pool: logged, not a crash.
  pool.on('error', (err) => logger.warn({ err: { message: err.message } }, 'PostgreSQL: idle connection lost'));
  try {
    const store = await PostgresStore.open(pool, {
      schema: database.schema,
      cachedAgreements: database.totalsCache,
      log: (msg) => logger.debug({ schema: database.schema }, `migration: ${msg}`),
    });
    const audit =
      overrides.audit ??
      new PostgresAuditLog(pool, (err, pending) =>
        logger.error(
          { err: { message: err.message }, pending },
          'could not write the audit line of a stored change: kept, written before the next line',
        ),
      );
    const ledger = await PostgresLedger.open(pool, {
      onLiveness: (e) =>
        e.lost
          ? logger.error(
              { instance: e.lost, err: e.error && { message: e.error.message } },
              'delivery: liveness lock lost',
            )
          : logger.info({ instance: e.acquired }, 'delivery: liveness lock held'),
    });
    const leadership = new PostgresLeadership(async () => {
      const client = new pg.Client({
        connectionString: database.url,
        application_name: 'medborgarlofte-bot-leader',
        options: `-c search_path=${quoteIdent(database.schema)}`,
      });
      await client.connect();
      return client;
    });
    logger.info({ schema: database.schema, instance: ledger.instanceId }, 'store: PostgreSQL');
    return {
      kind: 'postgres',
      store,
      audit,
      auditTrail: new PostgresAuditTrail(pool),
      ledger,
      leadership,
      sendBudget: new PostgresSendBudget(pool),
      shared: true,
      exclusive: (name, work) => withAdvisoryLock(database, name, work),
      async close() {
        await leadership.close();
        await ledger.close();
        if (audit instanceof PostgresAuditLog) await audit.close();
        await store.close();
        await pool.end();
      },
    };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
}
