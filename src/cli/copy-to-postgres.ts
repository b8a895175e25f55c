import { existsSync } from 'node:fs';
import type { Store } from '../app/ports.js';
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../logger.js';
import type { ReportTally } from '../domain/report-tally.js';
import { systemClock } from '../app/clock.js';
import { AuditFile } from '../storage/audit-file.js';
import { AuditFileTrail } from '../storage/audit-reader.js';
import { LedgerFile, readLedgerFiles } from '../storage/ledger-file.js';
import { LowdbStore } from '../storage/lowdb-store.js';
import { PostgresAuditLog } from '../storage/postgres/audit.js';
import { openPostgresBackend } from '../storage/postgres/backend.js';
import { PostgresLedger } from '../storage/postgres/ledger.js';
import { PostgresStore } from '../storage/postgres/store.js';

/**
 * `npm run copy-to-postgres`: moves a lowdb deployment (DB_PATH: the data file, its report files,
 * the audit trail and the delivery ledger) into the empty PostgreSQL database of DATABASE_URL, then
 * counts both sides and compares the running totals of every agreement. One way: the files are
 * read, never changed, and stay as they were (keep them as the backup of the move). Run it with the
 * bot stopped (the data file's lock refuses otherwise); start the bot with DATABASE_URL afterwards.
 */

const COLLECTIONS = ['overrides', 'reporters', 'meetings', 'channelLinks', 'coordinators', 'markers'] as const;
const REPORT_BATCH = 2000;

export interface CopyCount {
  what: string;
  files: number;
  postgres: number;
}

export async function runCopyToPostgres(
  out: (s: string) => void = console.log,
  config?: Config,
): Promise<{ code: number; counts: CopyCount[] }> {
  const cfg = config ?? loadConfig();
  if (!cfg.database) {
    out('DATABASE_URL är inte satt: ange databasen att kopiera till. / Set DATABASE_URL to the database to copy into.');
    return { code: 2, counts: [] };
  }
  if (!existsSync(cfg.dbPath)) {
    out(`Datafilen ${cfg.dbPath} finns inte: inget att kopiera. / No data file at ${cfg.dbPath}.`);
    return { code: 2, counts: [] };
  }
  const source = await LowdbStore.open(cfg.dbPath);
  const logger = createLogger('warn');
  let target;
  try {
    target = await openPostgresBackend(cfg.database, systemClock, logger);
  } catch (err) {
    await source.close();
    throw err;
  }
  try {
    const store = target.store as PostgresStore;
    const ledger = target.ledger as PostgresLedger;
    const audit = target.audit as PostgresAuditLog;
    const targetAudit = await target.auditTrail.tail(1);
    if (
      (await store.agreements.list()).length > 0 ||
      (await store.reports.weeks()).length > 0 ||
      targetAudit.length > 0
    ) {
      out(
        `Databasen (schema ${cfg.database.schema}) har redan data: kopieringen görs bara till en tom databas. / The database already holds data: copy only into an empty one.`,
      );
      return { code: 3, counts: [] };
    }

    // The records, in an order that never refers forward: agreements first, the audit trail last.
    for (const a of await source.agreements.list()) await store.agreements.save(a);
    for (const c of await source.conversations.list()) await store.conversations.upsert(c);
    const reports = await source.reports.list({ includeWithdrawn: true });
    for (let i = 0; i < reports.length; i += REPORT_BATCH)
      await store.reports.addMany(reports.slice(i, i + REPORT_BATCH) as never);
    for (const name of COLLECTIONS) {
      const collection = source[name] as Store[typeof name];
      for (const item of await collection.list()) await (store[name] as typeof collection).put(item as never);
    }
    const followUps = (
      await Promise.all((await source.agreements.list()).map((a) => source.followUps.listOf(a.id)))
    ).flat();
    await store.importFollowUps(followUps);
    const ledgerFiles = readLedgerFiles(LedgerFile.pathFor(cfg.dbPath));
    await ledger.importDocument(ledgerFiles.data);
    const trail = await new AuditFileTrail(AuditFile.pathFor(cfg.dbPath)).read();
    await audit.append(trail.entries);

    // Verify: every count on both sides, and every agreement's running totals cell by cell.
    const counts: CopyCount[] = [];
    const count = (what: string, files: number, postgres: number) => counts.push({ what, files, postgres });
    count('agreements', (await source.agreements.list()).length, (await store.agreements.list()).length);
    count('conversations', (await source.conversations.list()).length, (await store.conversations.list()).length);
    count('reports', reports.length, (await store.reports.list({ includeWithdrawn: true })).length);
    for (const name of COLLECTIONS) count(name, (await source[name].list()).length, (await store[name].list()).length);
    let copiedFollowUps = 0;
    for (const a of await store.agreements.list()) copiedFollowUps += (await store.followUps.listOf(a.id)).length;
    count('follow-ups', followUps.length, copiedFollowUps);
    const ledgerCounts = await ledger.counts();
    count('delivery occurrences', ledgerFiles.data.occurrences.length, ledgerCounts.occurrences);
    count(
      'delivery rows',
      ledgerFiles.data.occurrences.reduce((n, o) => n + o.rows.length, 0),
      ledgerCounts.rows,
    );
    count('audit entries', trail.entries.length, (await target.auditTrail.read()).entries.length);
    let totalsDiffer = 0;
    for (const a of await source.agreements.list()) {
      const [before, after] = [await source.reports.tally(a.id), await store.reports.tally(a.id)];
      if (tallyDigest(before, a.id) !== tallyDigest(after, a.id)) totalsDiffer++;
    }
    const agreements = counts[0]!.files;
    count('agreements with equal running totals', agreements, agreements - totalsDiffer);

    const width = Math.max(...counts.map((c) => c.what.length));
    out(`Kopierat från ${cfg.dbPath} till PostgreSQL (schema ${cfg.database.schema}):`);
    for (const c of counts)
      out(
        `  ${c.what.padEnd(width)}  ${String(c.files).padStart(8)} → ${String(c.postgres).padStart(8)}${c.files === c.postgres ? '' : '  SKILLNAD / MISMATCH'}`,
      );
    if (trail.unreadable > 0)
      out(`  (${trail.unreadable} oläsbara rader i granskningsloggen hoppades över / unreadable audit lines skipped)`);
    const ok = counts.every((c) => c.files === c.postgres);
    out(
      ok
        ? 'Allt stämmer. Starta boten med DATABASE_URL satt; filerna lämnas orörda. / All counts match.'
        : 'Antalen skiljer sig: starta inte boten mot databasen förrän skillnaden är utredd. / Counts differ.',
    );
    return { code: ok ? 0 : 1, counts };
  } finally {
    await target.close();
    await source.close();
  }
}

/** Every cell of an agreement's running totals, in a stable order: equal strings, equal totals. */
export function tallyDigest(tally: ReportTally, agreementId: string): string {
  const cells = (
    m: ReadonlyMap<string, { count: number; reports: number; under18: number; from18to21: number; over21: number }>,
  ) =>
    [...m]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, c]) => [k, c.count, c.reports, c.under18, c.from18to21, c.over21]);
  return JSON.stringify(
    [...tally.activities(agreementId)]
      .sort((a, b) => a.activityId.localeCompare(b.activityId))
      .map((act) => [
        act.activityId,
        act.pledgeNumber,
        cells(act.cells),
        [...act.byPartyArea].sort(([a], [b]) => a.localeCompare(b)).map(([k, m]) => [k, cells(m)]),
      ]),
  );
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  runCopyToPostgres().then(
    (r) => process.exit(r.code),
    (err: Error & { code?: string }) => {
      console.error(`Kopieringen misslyckades / copy failed: ${err.message}${err.code ? ` [${err.code}]` : ''}`);
      process.exit(1);
    },
  );
}
