import type pg from 'pg';
import type { AuditAction, AuditEntry, AuditLog } from '../../app/audit.js';
import type { AuditTrail } from '../../app/export.js';

/**
 * The audit trail on PostgreSQL: the append-only table audit_log (migration 1764748800210_audit.sql),
 * shared by every bot instance. A trigger refuses UPDATE (except the redaction of object_id and
 * detail), DELETE and TRUNCATE; making it append-only against the bot's own role takes grants (see
 * docs/operations.md).
 *
 * Entries of one process are inserted one statement at a time, in the order they were recorded, so
 * the trail keeps the order of the process's changes as the file does; `seq` orders the whole trail.
 */

interface AuditRow {
  at: Date;
  actor_id: string;
  tenant_id: string | null;
  action: string;
  object_id: string | null;
  outcome: AuditEntry['outcome'];
  correlation_id: string | null;
  detail: string | null;
  reconciled: boolean;
}

const COLUMNS = 'at, actor_id, tenant_id, action, object_id, outcome, correlation_id, detail, reconciled';

function toEntry(row: AuditRow): AuditEntry {
  const entry: AuditEntry = {
    at: row.at.toISOString(),
    actor: row.tenant_id === null ? { id: row.actor_id } : { id: row.actor_id, tenantId: row.tenant_id },
    action: row.action as AuditAction,
    outcome: row.outcome,
  };
  if (row.object_id !== null) entry.objectId = row.object_id;
  if (row.correlation_id !== null) entry.correlationId = row.correlation_id;
  if (row.detail !== null) entry.detail = row.detail;
  if (row.reconciled) entry.reconciled = true;
  return entry;
}

export class PostgresAuditLog implements AuditLog {
  /** Inserts run one after another, in the order they were recorded. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Lines of stored changes that could not be written yet: written first with the next entry. */
  private backlog: AuditEntry[] = [];

  constructor(
    private readonly pool: pg.Pool,
    private readonly onBacklog?: (err: Error, pending: number) => void,
  ) {}

  /** Resolves once the entry (and any backlog before it) is committed; rejects when it is not. */
  record(entry: AuditEntry): Promise<void> {
    const copy = structuredClone(entry);
    return this.serial(() => this.insert([...this.backlog, copy], this.backlog.length));
  }

  /** Never rejects: the change is stored already. A line that cannot be written now waits in the backlog. */
  recordStored(entry: AuditEntry): Promise<void> {
    this.backlog.push(structuredClone(entry));
    return this.serial(async () => {
      if (this.backlog.length === 0) return;
      try {
        await this.insert([...this.backlog], this.backlog.length);
      } catch (err) {
        this.onBacklog?.(err as Error, this.backlog.length);
      }
    }).catch(() => undefined);
  }

  /** Lines of stored changes still waiting for the database. */
  get pending(): number {
    return this.backlog.length;
  }

  async redact(passes: (value: string) => boolean, marker: string): Promise<number> {
    return this.serial(async () => {
      let changed = 0;
      let after = '0';
      for (;;) {
        const { rows } = await this.pool.query<{ seq: string; object_id: string | null; detail: string | null }>(
          `SELECT seq, object_id, detail FROM audit_log
           WHERE seq > $1 AND (object_id IS NOT NULL OR detail IS NOT NULL) ORDER BY seq LIMIT 1000`,
          [after],
        );
        if (rows.length === 0) return changed;
        after = rows[rows.length - 1]!.seq;
        const clean = (v: string | null) => (v !== null && !passes(v) ? marker : v);
        const redacted = rows.filter((r) => clean(r.object_id) !== r.object_id || clean(r.detail) !== r.detail);
        if (redacted.length === 0) continue;
        const { rowCount } = await this.pool.query(
          `UPDATE audit_log a SET object_id = r.object_id, detail = r.detail
           FROM unnest($1::bigint[], $2::text[], $3::text[]) AS r (seq, object_id, detail)
           WHERE a.seq = r.seq`,
          [redacted.map((r) => r.seq), redacted.map((r) => clean(r.object_id)), redacted.map((r) => clean(r.detail))],
        );
        changed += rowCount ?? 0;
      }
    });
  }

  /**
   * Appends entries written elsewhere (copy-to-postgres: the file trail), in their order and with
   * their own times, in batches of one statement each.
   */
  async append(entries: readonly AuditEntry[], batch = 5000): Promise<void> {
    for (let i = 0; i < entries.length; i += batch) {
      const part = entries.slice(i, i + batch).map((e) => structuredClone(e));
      await this.serial(() => this.insert(part, 0));
    }
  }

  /** Waits for the entries in flight and tries the backlog once more. The pool is the caller's. */
  async close(): Promise<void> {
    await this.serial(async () => {
      if (this.backlog.length > 0) await this.insert([...this.backlog], this.backlog.length).catch(() => undefined);
    }).catch(() => undefined);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Inserts `entries` in one statement, in order; on success the first `fromBacklog` leave the backlog. */
  private async insert(entries: AuditEntry[], fromBacklog: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit_log (${COLUMNS})
       SELECT ${COLUMNS} FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[],
                                     $6::text[], $7::text[], $8::text[], $9::boolean[])
         WITH ORDINALITY AS e (${COLUMNS}, n)
       ORDER BY n`,
      [
        entries.map((e) => e.at),
        entries.map((e) => e.actor.id),
        entries.map((e) => e.actor.tenantId ?? null),
        entries.map((e) => e.action),
        entries.map((e) => e.objectId ?? null),
        entries.map((e) => e.outcome),
        entries.map((e) => e.correlationId ?? null),
        entries.map((e) => e.detail ?? null),
        entries.map((e) => e.reconciled === true),
      ],
    );
    this.backlog.splice(0, fromBacklog);
  }
}

/** Reads the trail back: oldest first, or the newest `n` newest first (one index scan). */
export class PostgresAuditTrail implements AuditTrail {
  constructor(private readonly pool: pg.Pool) {}

  async read(options: { since?: string } = {}): Promise<{ entries: AuditEntry[]; unreadable: number }> {
    const { rows } =
      options.since === undefined
        ? await this.pool.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq`)
        : await this.pool.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_log WHERE at >= $1 ORDER BY seq`, [
            options.since,
          ]);
    return { entries: rows.map(toEntry), unreadable: 0 };
  }

  async tail(n: number): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT $1`, [
      Math.max(0, n),
    ]);
    return rows.map(toEntry);
  }
}
