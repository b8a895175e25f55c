import { before, describe } from 'mocha';
import type { AuditLog } from '../../src/app/audit.js';
import { MemoryAuditLog } from '../../src/app/audit.js';
import type { AuditTrail } from '../../src/app/export.js';
import type { Store } from '../../src/app/ports.js';
import { AuditFile } from '../../src/storage/audit-file.js';
import { AuditFileTrail, memoryAuditTrail } from '../../src/storage/audit-reader.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { PostgresAuditLog, PostgresAuditTrail } from '../../src/storage/postgres/audit.js';
import { PostgresStore } from '../../src/storage/postgres/store.js';
import { tempDbPath } from './harness.js';
import { freshSchema, postgresAvailable } from './postgres.js';

/**
 * One contract, every implementation: the lists of implementations a contract suite runs against.
 * A new implementation (PostgreSQL, a memory ledger ...) is one more entry in its list; a new port
 * gets its own list of the same shape (`Implementation<Port>`) and runs through `describeContract`.
 */

/** An implementation under test, opened fresh for each test. */
export interface Opened<T> {
  subject: T;
  /** Closes and opens the same data again (durable implementations only). */
  reopen?: () => Promise<T>;
  close(): Promise<void>;
}

export interface Implementation<T> {
  name: string;
  open(): Promise<Opened<T>>;
  /** Whether it can run here (a server it needs); a suite whose implementation cannot is skipped. */
  available?(): Promise<boolean>;
}

/**
 * Runs `body` once per implementation, in a describe block named after it. `body` gets the
 * implementation: open one per test (a beforeEach) and close it after.
 */
export function describeContract<T>(
  title: string,
  implementations: readonly Implementation<T>[],
  body: (impl: Implementation<T>) => void,
): void {
  for (const impl of implementations)
    describe(`${title}: ${impl.name}`, function () {
      if (impl.available) {
        const available = impl.available.bind(impl);
        before(async function () {
          if (!(await available())) this.skip();
        });
      }
      body(impl);
    });
}

/** Every Store: the memory store (tests, the demo), the lowdb files and PostgreSQL (production). */
export const STORES: readonly Implementation<Store>[] = [
  {
    name: 'MemoryStore',
    async open() {
      const store = new MemoryStore();
      return { subject: store, close: () => store.close() };
    },
  },
  {
    name: 'LowdbStore',
    async open() {
      const path = tempDbPath();
      let store = await LowdbStore.open(path);
      return {
        get subject() {
          return store;
        },
        reopen: async () => {
          await store.close();
          store = await LowdbStore.open(path);
          return store;
        },
        close: () => store.close(),
      };
    },
  },
  {
    // A migrated schema of its own per test; reopen is another PostgresStore (a restart, or a
    // second instance) on the same schema.
    name: 'PostgresStore',
    available: postgresAvailable,
    async open() {
      const schema = await freshSchema('store');
      let store = await PostgresStore.open(schema.pool(4), { schema: schema.schema });
      return {
        get subject() {
          return store;
        },
        reopen: async () => {
          await store.close();
          store = await PostgresStore.open(schema.pool(4), { schema: schema.schema });
          return store;
        },
        close: async () => {
          await store.close();
          await schema.drop();
        },
      };
    },
  },
];

/** An audit log together with the trail that reads it back. */
export interface Audit {
  log: AuditLog;
  trail: AuditTrail;
}

/**
 * Every audit log: in memory (tests), the append-only JSON-lines file next to the data file, and the
 * audit_log table on PostgreSQL (a schema per test).
 */
export const AUDITS: readonly Implementation<Audit>[] = [
  {
    name: 'MemoryAuditLog',
    async open() {
      const log = new MemoryAuditLog();
      return { subject: { log, trail: memoryAuditTrail(log.entries) }, close: async () => undefined };
    },
  },
  {
    name: 'AuditFile',
    async open() {
      const path = AuditFile.pathFor(tempDbPath());
      let log = new AuditFile(path);
      const open = (): Audit => ({ log, trail: new AuditFileTrail(path) });
      let current = open();
      return {
        get subject() {
          return current;
        },
        reopen: async () => {
          log.close();
          log = new AuditFile(path);
          current = open();
          return current;
        },
        close: async () => log.close(),
      };
    },
  },
  {
    name: 'PostgresAuditLog',
    available: postgresAvailable,
    async open() {
      const schema = await freshSchema('audit');
      const pool = schema.pool(4);
      let log = new PostgresAuditLog(pool);
      const open = (): Audit => ({ log, trail: new PostgresAuditTrail(pool) });
      let current = open();
      return {
        get subject() {
          return current;
        },
        reopen: async () => {
          await log.close();
          log = new PostgresAuditLog(pool);
          current = open();
          return current;
        },
        close: async () => {
          await log.close();
          await schema.drop();
        },
      };
    },
  },
];
