import type pg from 'pg';
import type { ReportFilter, ReportRepository } from '../../app/ports.js';
import { WeeklyReportSchema, type WeeklyReport } from '../../domain/report.js';
import { ReportTally, tallyRowOf, type TallyRow } from '../../domain/report-tally.js';
import { inTransaction } from './pool.js';
import { deepFreeze } from '../freeze.js';
import { json, parseRecord } from './records.js';

/**
 * Reports on PostgreSQL. Every write is one transaction that stores the report, moves the running
 * totals (report_tally: subtract the old report's cell, add the new one's), the week counts
 * (report_weeks) and bumps the agreement's revision (report_revisions); each changed cell records
 * that revision (report_tally.rev). Rows are locked in one order (report, revisions by agreement,
 * cells by key, weeks by key), so two writers never deadlock.
 *
 * The totals of an agreement are cached in the process, keyed on the revision they were read at,
 * for the most recently used agreements (DATABASE_TOTALS_CACHE, default 300). A write of this process
 * updates the cached totals in place when the revision it got back is the cached one + 1 (nobody
 * else wrote in between); otherwise (another instance wrote) the next `tally()` reads only the
 * cells changed after the cached revision (index report_tally_rev) and sets them. Nothing
 * proportional to the number of reports is read at start-up or by `tally()`, and after another
 * instance's write only what it changed.
 */

type Queryable = Pick<pg.ClientBase, 'query'>;

interface TallyDbRow {
  revision: string;
  agreement_id: string | null;
  activity_id: string;
  pledge_number: number;
  date: string;
  week: string;
  area: string;
  party: string;
  count: string;
  reports: string;
  under18: string;
  from18to21: string;
  over21: string;
}

const CELL_KEY = ['agreement_id', 'activity_id', 'pledge_number', 'date', 'week', 'area', 'party'] as const;
const AMOUNTS = ['count', 'reports', 'under18', 'from18to21', 'over21'] as const;

const cellKey = (r: TallyRow): string =>
  JSON.stringify([r.agreementId, r.activityId, r.pledgeNumber, r.date, r.week, r.area, r.party]);

/** The net change of the cells between `removed` and `added` reports, one row per cell, in key order. */
export function cellChanges(removed: readonly WeeklyReport[], added: readonly WeeklyReport[]): TallyRow[] {
  const cells = new Map<string, TallyRow>();
  const put = (row: TallyRow | undefined) => {
    if (!row) return;
    const key = cellKey(row);
    const sum = cells.get(key);
    if (!sum) cells.set(key, { ...row });
    else for (const k of AMOUNTS) sum[k] += row[k];
  };
  for (const r of removed) put(tallyRowOf(r, -1));
  for (const r of added) put(tallyRowOf(r, 1));
  return [...cells.entries()]
    .filter(([, row]) => AMOUNTS.some((k) => row[k] !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
}

/** The net change of the week counts: +1 per added report's week, -1 per removed one's, in key order. */
function weekChanges(removed: readonly WeeklyReport[], added: readonly WeeklyReport[]) {
  const weeks = new Map<string, { agreementId: string; week: string; reports: number }>();
  const put = (r: WeeklyReport, n: number) => {
    const key = JSON.stringify([r.agreementId, r.week]);
    const w = weeks.get(key) ?? { agreementId: r.agreementId, week: r.week, reports: 0 };
    w.reports += n;
    weeks.set(key, w);
  };
  for (const r of removed) put(r, -1);
  for (const r of added) put(r, 1);
  return [...weeks.entries()]
    .filter(([, w]) => w.reports !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, w]) => w);
}

/** The WHERE clause of a list filter; each shape is served by an index (see the migration). */
export function listQuery(filter: ReportFilter = {}): { text: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    values.push(value);
    where.push(sql.replace('?', `$${values.length}`));
  };
  if (filter.agreementId !== undefined) add('agreement_id = ?', filter.agreementId);
  if (filter.reporterId !== undefined) add('reporter_id = ?', filter.reporterId);
  // Zero-padded ISO weeks order as strings.
  if (filter.fromWeek !== undefined) add('week >= ?', filter.fromWeek);
  if (filter.toWeek !== undefined) add('week <= ?', filter.toWeek);
  if (!filter.includeWithdrawn) where.push('NOT withdrawn');
  // ISO instants of one form order as strings (index reports_updated_at).
  if (filter.changedSince !== undefined) add("doc->>'updatedAt' >= ?", filter.changedSince);
  const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  return { text: `SELECT id, doc FROM reports${clause} ORDER BY seq`, values };
}

const parseReport = (row: { id: string; doc: unknown }): WeeklyReport =>
  parseRecord(WeeklyReportSchema, 'reports', row.id, row.doc);

/** Agreements whose totals one instance keeps in memory by default (DATABASE_TOTALS_CACHE). */
export const DEFAULT_CACHED_AGREEMENTS = 300;

export class PostgresReports implements ReportRepository {
  /** Totals per agreement, with the revision they hold. */
  private readonly cached = new Map<string, { revision: number; tally: ReportTally }>();
  /** Every agreement's totals (tally() with no agreement): reloaded after any change. */
  private all: { revision: number; tally: ReportTally } | undefined;

  private readonly cachedAgreements: number;

  /**
   * `cachedAgreements`: how many agreements' totals stay in memory (the most recently used). A
   * national deployment has about 290 current agreements; each costs memory in proportion to its
   * cells (about 2.4 MiB at 31 000 cells). Below the number of agreements in use, requests spread
   * over all of them find none cached, and every one reads its agreement's cells whole.
   */
  constructor(
    private readonly pool: pg.Pool,
    options: { cachedAgreements?: number } = {},
  ) {
    this.cachedAgreements = Math.max(1, options.cachedAgreements ?? DEFAULT_CACHED_AGREEMENTS);
  }

  async add(report: WeeklyReport): Promise<{ report: Readonly<WeeklyReport>; created: boolean }> {
    const result = await inTransaction(this.pool, async (client) => {
      const inserted = await client.query(
        `INSERT INTO reports (id, agreement_id, tenant_id, reporter_id, submission_id, week, withdrawn, doc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT ON CONSTRAINT reports_submission_key DO NOTHING RETURNING id`,
        [
          report.id,
          report.agreementId,
          report.reporterTenantId ?? null,
          report.reporterId,
          report.submissionId,
          report.week,
          report.withdrawn !== undefined,
          json(report),
        ],
      );
      if (inserted.rowCount === 0) {
        // The same reporter's submission is stored already (a retry, a double click, or the other
        // instance's insert, which this statement waited for): hand that one back.
        const { rows } = await client.query<{ id: string; doc: unknown }>(
          'SELECT id, doc FROM reports WHERE agreement_id = $1 AND reporter_id = $2 AND submission_id = $3',
          [report.agreementId, report.reporterId, report.submissionId],
        );
        return { stored: parseReport(rows[0]!), revisions: undefined };
      }
      return { stored: undefined, revisions: await this.applyChanges(client, [], [report]) };
    });
    if (result.stored) return { report: result.stored, created: false };
    const stored = deepFreeze(structuredClone(report));
    this.noteWrite(result.revisions!, [], [stored]);
    return { report: stored, created: true };
  }

  /**
   * Adds many reports in one transaction (a copy from the file store, an import): each is added
   * unless its reporter's submission is stored already, so running the same copy again adds
   * nothing. The totals, weeks and revisions move once for the batch. Returns how many were added.
   */
  async addMany(reports: readonly WeeklyReport[]): Promise<number> {
    if (reports.length === 0) return 0;
    const { added } = await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO reports (id, agreement_id, tenant_id, reporter_id, submission_id, week, withdrawn, doc)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[],
           $8::jsonb[])
         ON CONFLICT ON CONSTRAINT reports_submission_key DO NOTHING RETURNING id`,
        [
          reports.map((r) => r.id),
          reports.map((r) => r.agreementId),
          reports.map((r) => r.reporterTenantId ?? null),
          reports.map((r) => r.reporterId),
          reports.map((r) => r.submissionId),
          reports.map((r) => r.week),
          reports.map((r) => r.withdrawn !== undefined),
          reports.map((r) => json(r)),
        ],
      );
      const inserted = new Set(rows.map((r) => r.id));
      // The first of the batch's copies of one submission is the one inserted.
      const added = reports.filter((r) => inserted.delete(r.id));
      if (added.length === 0) return { added, revisions: new Map<string, number>() };
      return { added, revisions: await this.applyChanges(client, [], added) };
    });
    // Many changes in one revision step: the next tally() reads the changed cells rather than patching here.
    this.all = undefined;
    return added.length;
  }

  async get(id: string): Promise<Readonly<WeeklyReport> | undefined> {
    const { rows } = await this.pool.query<{ id: string; doc: unknown }>('SELECT id, doc FROM reports WHERE id = $1', [
      id,
    ]);
    return rows[0] ? parseReport(rows[0]) : undefined;
  }

  async update(report: WeeklyReport): Promise<void> {
    const stored = deepFreeze(structuredClone(report));
    const { previous, revisions } = await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string; doc: unknown }>(
        'SELECT id, doc FROM reports WHERE id = $1 FOR UPDATE',
        [report.id],
      );
      if (!rows[0]) throw new Error(`no report ${report.id}`);
      const previous = parseReport(rows[0]);
      await client.query(
        `UPDATE reports SET agreement_id = $2, tenant_id = $3, reporter_id = $4, submission_id = $5, week = $6,
           withdrawn = $7, doc = $8 WHERE id = $1`,
        [
          report.id,
          report.agreementId,
          report.reporterTenantId ?? null,
          report.reporterId,
          report.submissionId,
          report.week,
          report.withdrawn !== undefined,
          json(report),
        ],
      );
      return { previous, revisions: await this.applyChanges(client, [previous], [stored]) };
    });
    this.noteWrite(revisions, [previous], [stored]);
  }

  async list(filter: ReportFilter = {}): Promise<ReadonlyArray<Readonly<WeeklyReport>>> {
    const { text, values } = listQuery(filter);
    const { rows } = await this.pool.query<{ id: string; doc: unknown }>(text, values);
    return rows.map(parseReport);
  }

  async revision(agreementId?: string): Promise<number> {
    const { rows } =
      agreementId === undefined
        ? await this.pool.query<{ revision: string }>(
            'SELECT coalesce(sum(revision), 0) AS revision FROM report_revisions',
          )
        : await this.pool.query<{ revision: string }>('SELECT revision FROM report_revisions WHERE agreement_id = $1', [
            agreementId,
          ]);
    return Number(rows[0]?.revision ?? 0);
  }

  async tally(agreementId?: string): Promise<ReportTally> {
    if (agreementId === undefined) return this.tallyOfAll();
    const known = this.cached.get(agreementId);
    // Taken before the query: a write of this process may move the cached entry on meanwhile.
    const since = known?.revision ?? -1;
    // One statement, one snapshot: the revision and the cells changed after the cached revision
    // (every cell when nothing is cached); none when the revision is the cached one.
    const { rows } = await this.pool.query<TallyDbRow>(
      `SELECT r.revision, t.* FROM
         (SELECT coalesce((SELECT revision FROM report_revisions WHERE agreement_id = $1), 0) AS revision) r
         LEFT JOIN report_tally t ON t.agreement_id = $1 AND r.revision <> $2 AND t.rev > $2`,
      [agreementId, since],
    );
    const revision = Number(rows[0]!.revision);
    const now = this.cached.get(agreementId);
    if (known) {
      if (now !== known) return this.tally(agreementId); // dropped or replaced meanwhile: ask again
      if (known.revision < revision) {
        // The cells other instances changed, set to what they hold now. The entry may have moved
        // past `since` meanwhile (this process's write); the cells read cover that as well.
        for (const row of rows) if (row.agreement_id !== null) known.tally.setCell(cellOf(row));
        known.revision = revision;
      }
      this.remember(agreementId, known);
      return known.tally;
    }
    if (now && now.revision >= revision) return now.tally; // a write of this process got there first
    const tally = tallyOf(rows);
    this.remember(agreementId, { revision, tally });
    return tally;
  }

  /** Keeps an agreement's totals as the most recently used; the least recently used beyond the bound go. */
  private remember(agreementId: string, entry: { revision: number; tally: ReportTally }): void {
    this.cached.delete(agreementId);
    this.cached.set(agreementId, entry);
    for (const oldest of this.cached.keys()) {
      if (this.cached.size <= this.cachedAgreements) break;
      this.cached.delete(oldest);
    }
  }

  async weeks(agreementId?: string): Promise<string[]> {
    const { rows } =
      agreementId === undefined
        ? await this.pool.query<{ week: string }>('SELECT DISTINCT week FROM report_weeks')
        : await this.pool.query<{ week: string }>('SELECT week FROM report_weeks WHERE agreement_id = $1', [
            agreementId,
          ]);
    return rows.map((r) => r.week);
  }

  private async tallyOfAll(): Promise<ReportTally> {
    const known = this.all;
    const { rows } = await this.pool.query<TallyDbRow>(
      `SELECT r.revision, t.* FROM (SELECT coalesce(sum(revision), 0) AS revision FROM report_revisions) r
         LEFT JOIN report_tally t ON r.revision <> $1`,
      [known?.revision ?? -1],
    );
    const revision = Number(rows[0]!.revision);
    if (known && known.revision === revision) return known.tally;
    const tally = tallyOf(rows);
    // Kept unless a write of this process came since (it dropped the cache: read again next time).
    if (this.all === known) this.all = { revision, tally };
    return tally;
  }

  /** Moves the totals, week counts and revisions for a write; returns each touched agreement's new revision. */
  private async applyChanges(
    client: Queryable,
    removed: readonly WeeklyReport[],
    added: readonly WeeklyReport[],
  ): Promise<Map<string, number>> {
    // The revisions first: each changed cell records the revision of its change.
    const agreements = [...new Set([...removed, ...added].map((r) => r.agreementId))].sort();
    const { rows: bumped } = await client.query<{ agreement_id: string; revision: string }>(
      `INSERT INTO report_revisions (agreement_id, revision) SELECT unnest($1::text[]), 1
       ON CONFLICT (agreement_id) DO UPDATE SET revision = report_revisions.revision + 1
       RETURNING agreement_id, revision`,
      [agreements],
    );
    const revisions = new Map(bumped.map((r) => [r.agreement_id, Number(r.revision)]));
    const cells = cellChanges(removed, added);
    if (cells.length > 0) {
      // A cell left with no report stays, with 0 reports and its revision, so that an instance
      // reading only the cells changed since its revision sees it go.
      const columns = [...CELL_KEY, ...AMOUNTS, 'rev'];
      await client.query(
        `INSERT INTO report_tally (${columns.join(', ')})
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
           $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[])
         ON CONFLICT (${CELL_KEY.join(', ')}) DO UPDATE SET
           ${AMOUNTS.map((k) => `${k} = report_tally.${k} + EXCLUDED.${k}`).join(', ')}, rev = EXCLUDED.rev`,
        [
          cells.map((c) => c.agreementId),
          cells.map((c) => c.activityId),
          cells.map((c) => c.pledgeNumber),
          cells.map((c) => c.date),
          cells.map((c) => c.week),
          cells.map((c) => c.area),
          cells.map((c) => c.party),
          ...AMOUNTS.map((k) => cells.map((c) => c[k])),
          cells.map((c) => revisions.get(c.agreementId)!),
        ],
      );
    }
    const weeks = weekChanges(removed, added);
    if (weeks.length > 0) {
      const { rows } = await client.query<{ agreement_id: string; week: string; reports: string }>(
        `INSERT INTO report_weeks (agreement_id, week, reports)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
         ON CONFLICT (agreement_id, week) DO UPDATE SET reports = report_weeks.reports + EXCLUDED.reports
         RETURNING agreement_id, week, reports`,
        [weeks.map((w) => w.agreementId), weeks.map((w) => w.week), weeks.map((w) => w.reports)],
      );
      for (const w of rows.filter((r) => Number(r.reports) <= 0))
        await client.query('DELETE FROM report_weeks WHERE agreement_id = $1 AND week = $2', [w.agreement_id, w.week]);
    }
    return revisions;
  }

  /** After a commit: bring the cached totals along, or drop them when another write came between. */
  private noteWrite(
    revisions: Map<string, number>,
    removed: readonly WeeklyReport[],
    added: readonly WeeklyReport[],
  ): void {
    this.all = undefined;
    for (const [agreementId, revision] of revisions) {
      const entry = this.cached.get(agreementId);
      if (!entry || entry.revision >= revision) continue; // a read after this commit has it already
      // Another write came between: the next tally() reads the cells changed since entry.revision.
      if (entry.revision !== revision - 1) continue;
      for (const r of removed) if (r.agreementId === agreementId) entry.tally.remove(r);
      for (const r of added) if (r.agreementId === agreementId) entry.tally.add(r);
      entry.revision = revision;
    }
  }
}

/** A report_tally row as a cell of the totals. */
function cellOf(row: TallyDbRow): TallyRow {
  return {
    agreementId: row.agreement_id!,
    activityId: row.activity_id,
    pledgeNumber: row.pledge_number,
    date: row.date,
    week: row.week,
    area: row.area,
    party: row.party,
    count: Number(row.count),
    reports: Number(row.reports),
    under18: Number(row.under18),
    from18to21: Number(row.from18to21),
    over21: Number(row.over21),
  };
}

/** Totals from report_tally rows (a LEFT JOIN row without a cell, or a cell with no report left, adds nothing). */
function tallyOf(rows: readonly TallyDbRow[]): ReportTally {
  const tally = new ReportTally();
  for (const row of rows) if (row.agreement_id !== null) tally.addCell(cellOf(row));
  return tally;
}
