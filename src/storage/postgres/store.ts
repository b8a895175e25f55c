import pg from 'pg';
import type {
  AgreementCollection,
  AgreementRepository,
  Collection,
  ConversationRepository,
  FollowUpRepository,
  Store,
  StoreHealth,
} from '../../app/ports.js';
import { AgreementSchema, type Agreement } from '../../domain/agreement.js';
import { ChannelLinkSchema, type ChannelLink } from '../../domain/channel-link.js';
import { StoredConversationSchema, type StoredConversation } from '../../domain/conversation.js';
import { StoredCoordinatorSchema, type StoredCoordinator } from '../../domain/coordinator.js';
import { StoredMarkerSchema, type StoredMarker } from '../../domain/marker.js';
import { StoredFollowUpSchema, type StoredFollowUp } from '../../domain/follow-up.js';
import { MeetingSchema, type Meeting } from '../../domain/meeting.js';
import { StoredOverrideSchema, type StoredOverride } from '../../domain/override.js';
import { ReporterSchema, type Reporter } from '../../domain/reporter.js';
import { MIGRATIONS_TABLE, migrate } from './migrate.js';
import { createPool } from './pool.js';
import { agreementTableCollection, json, parseRecord, tableCollection } from './records.js';
import { PostgresReports } from './reports.js';

/**
 * The Store on PostgreSQL, shared by every instance of the bot: each record is a row (the record as
 * jsonb, parsed with the domain's schema on read, beside the columns queries and row-level security
 * need), reports with their running totals in SQL (see reports.ts). Opening migrates the schema
 * (under the migration runner's lock) and reads nothing else that grows with the data.
 */
export class PostgresStore implements Store {
  readonly agreements: AgreementRepository;
  readonly conversations: ConversationRepository;
  readonly reports: PostgresReports;
  readonly overrides: AgreementCollection<StoredOverride>;
  readonly reporters: Collection<Reporter>;
  readonly meetings: AgreementCollection<Meeting>;
  readonly channelLinks: Collection<ChannelLink>;
  readonly coordinators: Collection<StoredCoordinator>;
  readonly markers: Collection<StoredMarker>;
  readonly followUps: FollowUpRepository;
  private open = true;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly ownsPool: boolean,
    private readonly schemaVersion: number,
    cachedAgreements?: number,
  ) {
    this.agreements = agreementRepository(pool);
    this.conversations = conversationRepository(pool);
    this.reports = new PostgresReports(pool, cachedAgreements !== undefined ? { cachedAgreements } : {});
    this.overrides = agreementTableCollection(pool, {
      table: 'overrides',
      keyColumn: 'id',
      key: (o) => o.id,
      schema: StoredOverrideSchema,
      columns: [{ name: 'agreement_id', value: (o) => o.agreementId }],
    });
    this.reporters = tableCollection(pool, {
      table: 'reporters',
      keyColumn: 'aad_object_id',
      key: (r) => r.aadObjectId,
      schema: ReporterSchema,
      columns: [{ name: 'tenant_id', value: (r) => r.tenantId ?? null }],
    });
    this.meetings = agreementTableCollection(pool, {
      table: 'meetings',
      keyColumn: 'id',
      key: (m) => m.id,
      schema: MeetingSchema,
      columns: [{ name: 'agreement_id', value: (m) => m.agreementId }],
    });
    this.channelLinks = tableCollection(pool, {
      table: 'channel_links',
      keyColumn: 'agreement_id',
      key: (l) => l.agreementId,
      schema: ChannelLinkSchema,
      columns: [{ name: 'tenant_id', value: (l) => l.tenantId ?? null }],
    });
    this.coordinators = tableCollection(pool, {
      table: 'coordinators',
      keyColumn: 'aad_object_id',
      key: (c) => c.aadObjectId,
      schema: StoredCoordinatorSchema,
      columns: [],
    });
    this.markers = tableCollection(pool, {
      table: 'markers',
      keyColumn: 'key',
      key: (m) => m.key,
      schema: StoredMarkerSchema,
      columns: [],
    });
    this.followUps = followUpRepository(pool);
  }

  /**
   * Opens the store on a pool (kept open at close: the caller owns it) or a database URL (a pool of
   * its own, ended at close). `schema` is where the tables live (default: the connection's
   * search_path schema); the pool's connections must have it on their search_path.
   */
  static async open(
    poolOrUrl: pg.Pool | string,
    opts: { schema?: string; log?: (msg: string) => void; cachedAgreements?: number } = {},
  ): Promise<PostgresStore> {
    const ownsPool = typeof poolOrUrl === 'string';
    const pool = typeof poolOrUrl === 'string' ? createPool(poolOrUrl, { schema: opts.schema }) : poolOrUrl;
    // An idle connection the server dropped is an 'error' event on the pool: said, not a crash (the
    // pool replaces the connection; a query in flight fails on its own).
    if (ownsPool) pool.on('error', (err) => opts.log?.(`PostgreSQL: idle connection lost (${err.message})`));
    try {
      const client = await pool.connect();
      let applied: number;
      try {
        const schema =
          opts.schema ?? (await client.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]?.s ?? 'public';
        await migrate(client, schema, opts.log);
        const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${MIGRATIONS_TABLE}`);
        applied = Number(rows[0]!.n);
      } finally {
        client.release();
      }
      return new PostgresStore(pool, ownsPool, applied, opts.cachedAgreements);
    } catch (err) {
      if (ownsPool) await pool.end().catch(() => undefined);
      throw err;
    }
  }

  /** copy-to-postgres: follow-ups as they are in the files, at their own version (an empty table). */
  async importFollowUps(followUps: readonly StoredFollowUp[]): Promise<void> {
    for (const f of followUps)
      await this.pool.query('INSERT INTO follow_ups (agreement_id, period_key, version, doc) VALUES ($1, $2, $3, $4)', [
        f.agreementId,
        f.periodKey,
        f.version,
        json(f),
      ]);
  }

  /** Synchronous and without a query: the report count is not kept (a count would scan). */
  health(): StoreHealth {
    return { state: this.open ? 'open' : 'closed', kind: 'postgres', schemaVersion: this.schemaVersion };
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    if (this.ownsPool) await this.pool.end();
  }
}

/**
 * Agreements are read on every turn (several times: the turn's municipality among all of them, its
 * current agreement) and a status view is kept while the agreement object is the same: each
 * instance keeps its parsed, frozen copy per agreement and its `version`, and a read fetches the
 * document only when the version moved (a save here or on another instance). `list()` first asks
 * for a one-row stamp of the table (how many agreements, the sum of their versions: rows are never
 * deleted, an insert raises the count and a save a version) and hands out the list it holds while
 * the stamp is the same, so a turn costs the same with 290 agreements as with one.
 */
function agreementRepository(pool: pg.Pool): AgreementRepository {
  const kept = new Map<string, { version: string; agreement: Agreement }>();
  let listed: { stamp: string; agreements: readonly Agreement[] } | undefined;
  const fromRow = (row: { id: string; version: string; doc: unknown }): Agreement => {
    const known = kept.get(row.id);
    if (known && known.version === row.version) return known.agreement;
    const agreement = parseRecord(AgreementSchema, 'agreements', row.id, row.doc);
    kept.set(row.id, { version: row.version, agreement });
    return agreement;
  };
  return {
    async list() {
      const { rows: stamped } = await pool.query<{ stamp: string }>(
        "SELECT count(*) || ':' || coalesce(sum(version), 0) AS stamp FROM agreements",
      );
      const stamp = stamped[0]!.stamp;
      if (listed?.stamp === stamp) return [...listed.agreements];
      const known = [...kept.entries()];
      const { rows } = await pool.query<{ id: string; version: string; doc: unknown }>(
        `SELECT a.id, a.version, CASE WHEN k.id IS NULL THEN a.doc END AS doc FROM agreements a
         LEFT JOIN unnest($1::text[], $2::text[]) AS k (id, version) ON k.id = a.id AND k.version = a.version::text
         ORDER BY a.seq`,
        [known.map(([id]) => id), known.map(([, k]) => k.version)],
      );
      const agreements = rows.map(fromRow);
      // Read after the stamp: at least as new as it; a change in between only costs a read next time.
      listed = { stamp, agreements };
      return [...agreements];
    },
    async get(id) {
      const { rows } = await pool.query<{ id: string; version: string; doc: unknown }>(
        // The document only when this instance does not hold that version already.
        'SELECT id, version, CASE WHEN version::text = $2 THEN NULL ELSE doc END AS doc FROM agreements WHERE id = $1',
        [id, kept.get(id)?.version ?? ''],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
    async addIfAbsent(agreement) {
      const { rowCount } = await pool.query(
        'INSERT INTO agreements (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
        [agreement.id, json(agreement)],
      );
      return rowCount === 1;
    },
    async save(agreement) {
      await pool.query(
        `INSERT INTO agreements (id, doc) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, version = agreements.version + 1`,
        [agreement.id, json(agreement)],
      );
    },
  };
}

function conversationRepository(pool: pg.Pool): ConversationRepository {
  const parse = (row: { id: string; doc: unknown }) =>
    parseRecord(StoredConversationSchema, 'conversations', row.id, row.doc);
  return {
    async upsert(c: StoredConversation) {
      await pool.query(
        `INSERT INTO conversations (id, tenant_id, kind, active, doc) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, kind = EXCLUDED.kind,
           active = EXCLUDED.active, doc = EXCLUDED.doc`,
        [c.id, c.tenantId ?? null, c.kind, c.active, json(c)],
      );
    },
    async get(id) {
      const { rows } = await pool.query<{ id: string; doc: unknown }>(
        'SELECT id, doc FROM conversations WHERE id = $1',
        [id],
      );
      return rows[0] ? parse(rows[0]) : undefined;
    },
    async list(filter = {}) {
      const where: string[] = [];
      const values: unknown[] = [];
      if (filter.active !== undefined) where.push(`active = $${values.push(filter.active)}`);
      if (filter.kind !== undefined) where.push(`kind = $${values.push(filter.kind)}`);
      const { rows } = await pool.query<{ id: string; doc: unknown }>(
        `SELECT id, doc FROM conversations${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`,
        values,
      );
      return rows.map(parse);
    },
    async setActive(id, active, at) {
      await pool.query(
        `UPDATE conversations SET active = $2,
           doc = jsonb_set(jsonb_set(doc, '{active}', to_jsonb($2::boolean)), '{updatedAt}', to_jsonb($3::text))
         WHERE id = $1 AND active <> $2`,
        [id, active, at],
      );
    },
  };
}

/**
 * Follow-ups: one row per agreement and follow-up point. save() is compare-and-set on `version`:
 * the first version is an insert that does nothing on a conflict, later ones an update of the row
 * still at the version before; either way one statement, so two instances cannot both win.
 */
function followUpRepository(pool: pg.Pool): FollowUpRepository {
  const parse = (row: { k: string; doc: unknown }) => parseRecord(StoredFollowUpSchema, 'follow_ups', row.k, row.doc);
  return {
    async get(agreementId, periodKey) {
      const { rows } = await pool.query<{ k: string; doc: unknown }>(
        "SELECT agreement_id || ':' || period_key AS k, doc FROM follow_ups WHERE agreement_id = $1 AND period_key = $2",
        [agreementId, periodKey],
      );
      return rows[0] ? parse(rows[0]) : undefined;
    },
    async listOf(agreementId) {
      const { rows } = await pool.query<{ k: string; doc: unknown }>(
        "SELECT agreement_id || ':' || period_key AS k, doc FROM follow_ups WHERE agreement_id = $1 ORDER BY seq",
        [agreementId],
      );
      return rows.map(parse);
    },
    async save(followUp) {
      const values = [followUp.agreementId, followUp.periodKey, followUp.version, json(followUp)];
      const { rowCount } =
        followUp.version === 1
          ? await pool.query(
              `INSERT INTO follow_ups (agreement_id, period_key, version, doc) VALUES ($1, $2, $3, $4)
               ON CONFLICT (agreement_id, period_key) DO NOTHING`,
              values,
            )
          : await pool.query(
              `UPDATE follow_ups SET version = $3, doc = $4
               WHERE agreement_id = $1 AND period_key = $2 AND version = $3 - 1`,
              values,
            );
      return rowCount === 1;
    },
  };
}
