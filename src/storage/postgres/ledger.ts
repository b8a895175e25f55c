import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type {
  ClaimedRow,
  DeliveryItem,
  DeliveryLedger,
  DeliveryOccurrence,
  DeliveryTarget,
  OccurrenceOverview,
  OutgoingMessage,
  OverviewFilter,
  RecoveryResult,
  RowOutcome,
} from '../../app/delivery/index.js';
import type { LedgerData, RowDoc } from '../ledger-document.js';
import { inTransaction } from './pool.js';

/**
 * The delivery ledger on PostgreSQL (tables delivery_*, migration 1764748800200_delivery.sql), shared
 * by every bot instance on the database. Any instance may drain:
 *
 * - enqueue is `INSERT … ON CONFLICT DO NOTHING` on the occurrence key and on (occurrence,
 *   recipient), so two leaders never add a row twice and existing rows keep their state;
 * - claim / reserve take rows with `FOR UPDATE SKIP LOCKED` in one statement, committed before the
 *   caller sends: a row is never handed to two instances. A reserved row stays 'pending' (it was
 *   never attempted) but carries its owner, so no other instance takes it while the owner lives;
 * - every row an instance has (sending, retrying, reserved) carries the instance's id, which is the
 *   key of a session-level advisory lock the ledger holds on a dedicated connection for its whole
 *   life. recoverInterrupted asks pg_locks which ids are alive: the rows of a dead instance become
 *   'unknown' (sending: Teams may have it; never resent), 'pending' (retrying, or only reserved),
 *   and the rows of live instances are not touched. It may run as often as wanted, from any instance.
 *
 * A lost lock connection (network, a restart of the server, pg_terminate_backend) ends that identity
 * for good: others may already have recovered its rows. The ledger takes a new id on a new connection
 * in the background; rows it still holds under an old id can be completed (a truthful outcome) but
 * marked for a new attempt only while nobody recovered them (markAttempt then moves them to the new id).
 */

const ACTIVE_STATES = ['pending', 'sending', 'retrying'] as const;

/** The liveness locks held in this database: the ids of the live instances. */
const LIVE_IDS = `SELECT (classid::bigint << 32) | objid::bigint AS id FROM pg_locks
  WHERE locktype = 'advisory' AND objsubid = 1 AND granted
    AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

interface RowRecord {
  id: string;
  occurrence_key: string;
  recipient: string;
  target: DeliveryTarget | null;
  message: OutgoingMessage | null;
  attempts: number;
}

export interface PostgresLedgerOptions {
  /** Told when the liveness connection is lost and when a new identity is taken. */
  onLiveness?: (event: { lost?: string; acquired?: string; error?: Error }) => void;
  /** Milliseconds between attempts to take a new identity after the lock connection was lost. */
  relockDelayMs?: number;
}

/** A random positive 63-bit key: never reused, unlike a counter that could restart. */
const newInstanceId = () => (randomBytes(8).readBigUInt64BE() >> 1n).toString();

export class PostgresLedger implements DeliveryLedger {
  /** Every identity this process has had; the current one last. Rows under any of them are ours. */
  private readonly ids: string[] = [];
  private current: string | undefined;
  private lockClient: pg.PoolClient | undefined;
  private closed = false;
  private relocking: Promise<void> | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresLedgerOptions,
  ) {}

  /**
   * Opens the ledger on a migrated database: takes an instance id and its liveness lock (one pooled
   * connection kept for the ledger's life). Close it to release both.
   */
  static async open(pool: pg.Pool, options: PostgresLedgerOptions = {}): Promise<PostgresLedger> {
    const ledger = new PostgresLedger(pool, options);
    await ledger.lock();
    return ledger;
  }

  /** This instance's id (the key of its liveness lock); undefined while it has none (reconnecting). */
  get instanceId(): string | undefined {
    return this.current;
  }

  /** Takes a fresh id and holds its advisory lock on a dedicated connection. */
  private async lock(): Promise<void> {
    const client = await this.pool.connect();
    let id: string;
    try {
      for (;;) {
        id = newInstanceId();
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [id]);
        if (rows[0]?.ok) break;
      }
    } catch (err) {
      client.release(err as Error);
      throw err;
    }
    if (this.closed) {
      client.release(true);
      return;
    }
    const lost = (err?: Error) => {
      if (this.lockClient !== client) return;
      this.lockClient = undefined;
      this.current = undefined;
      client.release(err ?? true);
      this.options.onLiveness?.({ lost: id, error: err });
      this.relock();
    };
    client.on('error', (err) => lost(err));
    client.on('end', () => lost());
    this.lockClient = client;
    this.current = id;
    this.ids.push(id);
    this.options.onLiveness?.({ acquired: id });
  }

  private relock(): void {
    if (this.closed || this.relocking) return;
    const delay = this.options.relockDelayMs ?? 1_000;
    this.relocking = (async () => {
      while (!this.closed && this.current === undefined) {
        try {
          await this.lock();
        } catch (err) {
          this.options.onLiveness?.({ error: err as Error });
          await new Promise((r) => setTimeout(r, delay).unref());
        }
      }
    })().finally(() => (this.relocking = undefined));
  }

  async enqueue(occurrence: DeliveryOccurrence, items: DeliveryItem[], at: string): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      await c.query(
        `INSERT INTO delivery_occurrence (key, kind, due, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO NOTHING`,
        [occurrence.key, occurrence.kind, occurrence.due, at],
      );
      // One statement for the whole batch (a 1,000-recipient fan-out is one round trip).
      const unique = new Map<string, DeliveryItem>();
      for (const item of items) if (!unique.has(item.recipient)) unique.set(item.recipient, item);
      const list = [...unique.values()];
      if (list.length === 0) return;
      await c.query(
        `INSERT INTO delivery_row
           (occurrence_key, recipient, conversation_id, tenant_id, state, reason, target, message, created_at, updated_at)
         SELECT $1, r, conv, tenant, CASE WHEN skip IS NULL THEN 'pending' ELSE 'skipped' END, skip,
                CASE WHEN skip IS NULL THEN target::jsonb END, CASE WHEN skip IS NULL THEN message::jsonb END, $7, $7
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $8::text[])
           WITH ORDINALITY AS i (r, conv, tenant, skip, target, message, n)
         ORDER BY n
         ON CONFLICT (occurrence_key, recipient) DO NOTHING`,
        [
          occurrence.key,
          list.map((i) => i.recipient),
          list.map((i) => i.target.conversationId),
          list.map((i) => i.target.tenantId ?? null),
          list.map((i) => i.skip ?? null),
          list.map((i) => JSON.stringify(i.target)),
          at,
          list.map((i) => JSON.stringify(i.message)),
        ],
      );
    });
  }

  /**
   * Adds a file ledger's occurrences, rows (their states, attempts, outcomes and, while a row may
   * still be sent, its target and message) and gone notices (copy-to-postgres), in one
   * transaction; what exists already is kept. Rows a stopped process left 'sending' come without an
   * owner, so the next recovery records them as 'unknown', as the file ledger's own restart would.
   */
  async importDocument(data: LedgerData): Promise<{ occurrences: number; rows: number }> {
    return inTransaction(this.pool, async (c) => {
      let occurrences = 0;
      let rows = 0;
      for (const o of data.occurrences) {
        const added = await c.query(
          `INSERT INTO delivery_occurrence (key, kind, due, created_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (key) DO NOTHING`,
          [o.key, o.kind, o.due, o.createdAt],
        );
        occurrences += added.rowCount ?? 0;
        if (o.rows.length === 0) continue;
        const message = (r: RowDoc) =>
          r.messageRef && o.messages?.[r.messageRef] ? JSON.stringify(o.messages[r.messageRef]) : null;
        const inserted = await c.query(
          `INSERT INTO delivery_row (occurrence_key, recipient, conversation_id, tenant_id, state, attempts,
                                     created_at, updated_at, target, message, activity_id, reason)
           SELECT $1, r, conv, tenant, st, att, ca, ua, tg::jsonb, msg::jsonb, act, why
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::timestamptz[],
                       $8::timestamptz[], $9::text[], $10::text[], $11::text[], $12::text[])
             WITH ORDINALITY AS i (r, conv, tenant, st, att, ca, ua, tg, msg, act, why, n)
           ORDER BY n
           ON CONFLICT (occurrence_key, recipient) DO NOTHING`,
          [
            o.key,
            o.rows.map((r) => r.recipient),
            o.rows.map((r) => r.conversationId),
            o.rows.map((r) => r.target?.tenantId ?? null),
            o.rows.map((r) => r.state),
            o.rows.map((r) => r.attempts),
            o.rows.map((r) => r.createdAt),
            o.rows.map((r) => r.updatedAt),
            o.rows.map((r) => (r.target ? JSON.stringify(r.target) : null)),
            o.rows.map(message),
            o.rows.map((r) => r.activityId ?? null),
            o.rows.map((r) => r.reason ?? null),
          ],
        );
        rows += inserted.rowCount ?? 0;
      }
      for (const g of data.goneNotices)
        await c.query(
          `INSERT INTO delivery_gone_notice (conversation_id, at) VALUES ($1, $2) ON CONFLICT (conversation_id) DO NOTHING`,
          [g.conversationId, g.at],
        );
      return { occurrences, rows };
    });
  }

  /** How many occurrences and rows the ledger holds (copy-to-postgres compares them with the files). */
  async counts(): Promise<{ occurrences: number; rows: number }> {
    const { rows } = await this.pool.query<{ o: string; r: string }>(
      'SELECT (SELECT count(*) FROM delivery_occurrence) AS o, (SELECT count(*) FROM delivery_row) AS r',
    );
    return { occurrences: Number(rows[0]!.o), rows: Number(rows[0]!.r) };
  }

  claim(limit: number, at: string, occurrenceKey?: string): Promise<ClaimedRow[]> {
    return this.take(limit, at, occurrenceKey, true);
  }

  reserve(limit: number, at: string, occurrenceKey?: string): Promise<ClaimedRow[]> {
    return this.take(limit, at, occurrenceKey, false);
  }

  /**
   * Takes up to `limit` rows nobody has, oldest first, in one committed statement: 'sending' with
   * attempts + 1 (claim) or still 'pending' (reserve), owned by this instance either way.
   */
  private async take(
    limit: number,
    at: string,
    occurrenceKey: string | undefined,
    claim: boolean,
  ): Promise<ClaimedRow[]> {
    const me = this.current;
    // Without a liveness lock others may take this instance for dead: it takes no new work.
    if (me === undefined || limit <= 0) return [];
    const set = claim ? `state = 'sending', attempts = r.attempts + 1,` : '';
    const { rows } = await this.pool.query<RowRecord>(
      `WITH picked AS MATERIALIZED (
         SELECT id FROM delivery_row
         WHERE state = 'pending' AND owner IS NULL AND ($3::text IS NULL OR occurrence_key = $3)
         ORDER BY id
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       )
       UPDATE delivery_row r SET ${set} owner = $1, updated_at = $4
       FROM picked WHERE r.id = picked.id AND r.state = 'pending' AND r.owner IS NULL
       RETURNING r.id, r.occurrence_key, r.recipient, r.target, r.message, r.attempts`,
      [me, limit, occurrenceKey ?? null, at],
    );
    rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const taken: ClaimedRow[] = [];
    for (const row of rows) {
      if (!row.target || !row.message) {
        // A row copied from a file ledger whose message had already gone: it can never be sent.
        await this.complete(row.occurrence_key, row.recipient, { state: 'failed', reason: 'message-missing' }, at);
        continue;
      }
      taken.push({
        occurrenceKey: row.occurrence_key,
        recipient: row.recipient,
        target: row.target,
        message: row.message,
        attempts: row.attempts,
      });
    }
    return taken;
  }

  async markRetrying(occurrenceKey: string, recipient: string, at: string): Promise<void> {
    await this.pool.query(
      `UPDATE delivery_row SET state = 'retrying', updated_at = $4
       WHERE occurrence_key = $1 AND recipient = $2 AND state = 'sending' AND owner = ANY($3::bigint[])`,
      [occurrenceKey, recipient, this.ids, at],
    );
  }

  async markAttempt(occurrenceKey: string, recipient: string, at: string): Promise<number> {
    const me = this.current;
    if (me === undefined)
      throw new Error(`ledger: row ${occurrenceKey} / ${recipient}: this instance has lost its liveness lock`);
    const { rows } = await this.pool.query<{ attempts: number }>(
      `UPDATE delivery_row SET state = 'sending', attempts = attempts + 1, owner = $4, updated_at = $5
       WHERE occurrence_key = $1 AND recipient = $2 AND owner = ANY($3::bigint[])
         AND state IN ('pending', 'sending', 'retrying')
       RETURNING attempts`,
      [occurrenceKey, recipient, this.ids, me, at],
    );
    if (rows.length === 0) throw new Error(`ledger: row ${occurrenceKey} / ${recipient} is not in flight`);
    return rows[0]!.attempts;
  }

  async complete(occurrenceKey: string, recipient: string, outcome: RowOutcome, at: string): Promise<void> {
    await this.pool.query(
      `UPDATE delivery_row
       SET state = $4, activity_id = $5, reason = $6, owner = NULL, target = NULL, message = NULL, updated_at = $7
       WHERE occurrence_key = $1 AND recipient = $2 AND owner = ANY($3::bigint[])
         AND state IN ('pending', 'sending', 'retrying')`,
      [
        occurrenceKey,
        recipient,
        this.ids,
        outcome.state,
        outcome.state === 'sent' ? (outcome.activityId ?? null) : null,
        outcome.state === 'sent' ? null : outcome.reason,
        at,
      ],
    );
  }

  /**
   * The rows of instances that are no longer alive (their liveness lock is free), and rows in flight
   * that no instance owns: 'sending' → 'unknown', 'retrying' → 'pending', reserved → free. Rows of
   * live instances, this one included, are left alone, so any instance may call it at any time.
   */
  async recoverInterrupted(at: string): Promise<RecoveryResult> {
    const { rows } = await this.pool.query<{ was: string; n: string }>(
      `WITH live AS (${LIVE_IDS}),
       dead AS MATERIALIZED (
         SELECT id, state FROM delivery_row
         WHERE (owner IS NOT NULL OR state IN ('sending', 'retrying'))
           AND state IN ('pending', 'sending', 'retrying')
           AND (owner IS NULL OR (owner <> ALL($1::bigint[]) AND owner NOT IN (SELECT id FROM live)))
         FOR UPDATE SKIP LOCKED
       ),
       changed AS (
         UPDATE delivery_row r SET
           state = CASE WHEN dead.state = 'sending' THEN 'unknown' ELSE 'pending' END,
           reason = CASE WHEN dead.state = 'sending' THEN 'interrupted' ELSE r.reason END,
           target = CASE WHEN dead.state = 'sending' THEN NULL ELSE r.target END,
           message = CASE WHEN dead.state = 'sending' THEN NULL ELSE r.message END,
           owner = NULL,
           updated_at = $2
         FROM dead WHERE r.id = dead.id
         RETURNING dead.state AS was
       )
       SELECT was, count(*) AS n FROM changed GROUP BY was`,
      [this.ids, at],
    );
    const count = (state: string) => Number(rows.find((r) => r.was === state)?.n ?? 0);
    return { unknown: count('sending'), requeued: count('retrying') };
  }

  async noteConversationGone(conversationId: string, at: string, activeSince?: string): Promise<boolean> {
    // A notice is due when none was given, or the last one is older than the conversation's return.
    const { rows } = await this.pool.query(
      `INSERT INTO delivery_gone_notice AS n (conversation_id, at) VALUES ($1, $2)
       ON CONFLICT (conversation_id) DO UPDATE SET at = excluded.at
         WHERE $3::timestamptz IS NOT NULL AND n.at < $3::timestamptz
       RETURNING 1`,
      [conversationId, at, activeSince ?? null],
    );
    return rows.length > 0;
  }

  async overview(filter: OverviewFilter = {}): Promise<OccurrenceOverview[]> {
    const { rows: occurrences } = await this.pool.query<{ key: string; kind: string; due: Date; created_at: Date }>(
      `SELECT key, kind, due, created_at FROM delivery_occurrence
       WHERE ($1::text[] IS NULL OR key = ANY($1)) AND ($2::text[] IS NULL OR kind = ANY($2))
         AND ($3::timestamptz IS NULL OR due >= $3)
       ORDER BY due DESC, created_at DESC, seq
       LIMIT $4`,
      [filter.keys ?? null, filter.kinds ?? null, filter.since ?? null, filter.limit ?? 50],
    );
    if (occurrences.length === 0) return [];
    const keys = occurrences.map((o) => o.key);
    const [counts, details] = await Promise.all([
      this.pool.query<{ occurrence_key: string; state: string; n: string }>(
        `SELECT occurrence_key, state, count(*) AS n FROM delivery_row WHERE occurrence_key = ANY($1)
         GROUP BY occurrence_key, state`,
        [keys],
      ),
      this.pool.query<{
        occurrence_key: string;
        recipient: string;
        state: string;
        reason: string | null;
        attempts: number;
      }>(
        `SELECT occurrence_key, recipient, state, reason, attempts FROM delivery_row
         WHERE occurrence_key = ANY($1) AND state IN ('failed', 'unknown') ORDER BY id`,
        [keys],
      ),
    ]);
    const byKey = new Map<string, OccurrenceOverview>(
      occurrences.map((o) => [
        o.key,
        {
          key: o.key,
          kind: o.kind,
          due: o.due.toISOString(),
          createdAt: o.created_at.toISOString(),
          counts: { sent: 0, skipped: 0, failed: 0, unknown: 0, inProgress: 0 },
          failures: [],
          uncertain: [],
        },
      ]),
    );
    for (const c of counts.rows) {
      const o = byKey.get(c.occurrence_key)!;
      if ((ACTIVE_STATES as readonly string[]).includes(c.state)) o.counts.inProgress += Number(c.n);
      else o.counts[c.state as 'sent' | 'skipped' | 'failed' | 'unknown'] += Number(c.n);
    }
    for (const r of details.rows) {
      const o = byKey.get(r.occurrence_key)!;
      if (r.state === 'failed')
        o.failures.push({ recipient: r.recipient, reason: r.reason ?? 'error', attempts: r.attempts });
      else o.uncertain.push(r.recipient);
    }
    return [...byKey.values()];
  }

  async prune(before: string): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM delivery_occurrence o WHERE o.due < $1
         AND NOT EXISTS (SELECT 1 FROM delivery_row r
                         WHERE r.occurrence_key = o.key AND r.state IN ('pending', 'sending', 'retrying'))`,
      [before],
    );
    return rowCount ?? 0;
  }

  /**
   * Releases the liveness lock (its connection goes back closed). Rows still held by this instance
   * are then another instance's to recover: sending → unknown, retrying and reserved → pending.
   * The pool is the caller's.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const client = this.lockClient;
    const id = this.current;
    this.lockClient = undefined;
    this.current = undefined;
    if (client) {
      // Unlocked before close resolves, so another instance's recovery right after sees it gone.
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [id]).catch(() => undefined);
      client.release(true);
    }
    await this.relocking?.catch(() => undefined);
  }
}
