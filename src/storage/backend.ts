import type { AuditLog } from '../app/audit.js';
import { MemoryAuditLog } from '../app/audit.js';
import type { Clock } from '../app/clock.js';
import type { SendBudget } from '../app/delivery/budget.js';
import type { DeliveryLedger } from '../app/delivery/ports.js';
import type { AuditTrail } from '../app/export.js';
import type { Leadership, Store } from '../app/ports.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { AuditFile } from './audit-file.js';
import { AuditFileTrail, memoryAuditTrail } from './audit-reader.js';
import { Backups } from './backups.js';
import { LedgerFile } from './ledger-file.js';
import { LowdbStore } from './lowdb-store.js';

/**
 * Where the bot keeps everything: the store, the audit trail, the delivery ledger, and who leads
 * the scheduler. lowdb (the default): files under DB_PATH, one process. PostgreSQL (DATABASE_URL):
 * one database shared by any number of instances; loaded only when configured, so the default
 * start never loads the driver.
 */
export interface Backend {
  kind: 'lowdb' | 'postgres';
  store: Store;
  audit: AuditLog;
  auditTrail: AuditTrail;
  ledger: DeliveryLedger;
  /** lowdb: file backups taken by the bot. PostgreSQL: none here (pg_dump / the provider's backups). */
  backups?: Backups;
  leadership: Leadership;
  /** Teams' limits are per bot and tenant: with several instances the send pace is shared (PostgreSQL). */
  sendBudget?: SendBudget;
  /**
   * Several instances share this backend's ledger: every instance, at every tick, turns the rows of
   * instances that died into "unknown" and sends what is pending (lowdb: once, at start).
   */
  shared: boolean;
  /**
   * Runs `work` in one instance at a time (PostgreSQL: under an advisory lock per schema and name;
   * lowdb: there is one process): start-up checks that two instances starting together must not
   * both make.
   */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Closes what this backend opened (the ledger, the store, the audit file, the pool). */
  close(): Promise<void>;
}

export interface BackendOverrides {
  store?: Store;
  audit?: AuditLog;
}

const SOLE_PROCESS: Leadership = { isLeader: async () => true };

export async function openBackend(
  config: Config,
  clock: Clock,
  logger: Logger,
  overrides: BackendOverrides = {},
): Promise<Backend> {
  if (config.database && !overrides.store) {
    const { openPostgresBackend } = await import('./postgres/backend.js');
    return openPostgresBackend(config.database, clock, logger, overrides);
  }
  return openLowdbBackend(config, clock, logger, overrides);
}

async function openLowdbBackend(
  config: Config,
  clock: Clock,
  logger: Logger,
  overrides: BackendOverrides,
): Promise<Backend> {
  const store = overrides.store ?? (await LowdbStore.open(config.dbPath));
  const audit: AuditLog =
    overrides.audit ??
    new AuditFile(AuditFile.pathFor(config.dbPath), (err, pending) =>
      logger.error(
        { err: { code: (err as NodeJS.ErrnoException).code, message: err.message }, pending },
        'could not write the audit line of a stored change: kept, written before the next line (or added at the next start)',
      ),
    );
  const auditTrail =
    audit instanceof MemoryAuditLog
      ? memoryAuditTrail(audit.entries)
      : new AuditFileTrail(AuditFile.pathFor(config.dbPath));
  // The delivery ledger: one row per (occurrence, recipient), in its own files next to the data file.
  const ledger = await LedgerFile.open(LedgerFile.pathFor(config.dbPath));
  return {
    kind: 'lowdb',
    store,
    audit,
    auditTrail,
    ledger,
    backups: new Backups({ dbPath: config.dbPath, ...config.backups }, clock, audit, logger),
    leadership: SOLE_PROCESS,
    shared: false,
    exclusive: (_name, work) => work(),
    async close() {
      await ledger.close();
      await store.close();
      if (audit instanceof AuditFile) audit.close();
    },
  };
}
