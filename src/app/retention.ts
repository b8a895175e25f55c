import { addLocalDays, isoWeekOfLocalDate, localDateOf, mondayOfWeek } from '../domain/calendar.js';
import type { ReportChange, WeeklyReport } from '../domain/report.js';
import type { Logger } from '../logger.js';
import { recordStored, type AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import type { DeliveryLedger } from './delivery/index.js';
import type { Store } from './ports.js';

/** Who the audit trail and the report history name for what the retention job does. */
export const RETENTION_ACTOR = 'system:retention';

export interface RetentionPolicy {
  /** Report free text older than this many days (by report date) is blanked; 0 keeps it forever. */
  freeTextDays: number;
  /**
   * Settled delivery occurrences due more than this many days ago leave the ledger; 0 (or absent)
   * keeps them forever. At least 31 in the config: `påminnelser` shows the last 30 days.
   */
  deliveryLedgerDays?: number;
}

export interface PurgeResult {
  /** Reports dated before this local date had their free text blanked (undefined: retention off). */
  cutoff?: string;
  /** Reports purged, by agreement id. */
  purged: Record<string, number>;
  failed: Record<string, number>;
  total: number;
  /** Settled delivery occurrences pruned from the ledger (run() only; undefined: not pruned). */
  deliveryOccurrencesPruned?: number;
}

const hasText = (s: unknown): boolean => typeof s === 'string' && s !== '';

/** Whether the report still holds free text: its description or one in an earlier version. */
export function holdsFreeText(report: Readonly<WeeklyReport>): boolean {
  return hasText(report.description) || report.history.some((h) => hasText(h.previous?.description));
}

/** The report with every free text blanked and a 'purged' history entry; counts, dates, areas and age bands stay. */
export function purgedReport(report: Readonly<WeeklyReport>, at: string, cutoff: string): WeeklyReport {
  const history: ReportChange[] = report.history.map((h) =>
    h.previous && 'description' in h.previous ? { ...h, previous: { ...h.previous, description: '' } } : { ...h },
  );
  history.push({
    at,
    by: RETENTION_ACTOR,
    action: 'purged',
    reason: `retention: free text of reports dated before ${cutoff}`,
  });
  return { ...structuredClone(report as WeeklyReport), description: '', updatedAt: at, history };
}

/**
 * Retention of report free text (the description): counts, dates, areas and age bands are kept for
 * the follow-up; what people wrote is blanked once the report date is older than the policy. The
 * audit trail and the log get counts per agreement, never the text. Running it twice changes nothing.
 */
/** The marker holding the last ISO week (as weekNumber) whose free text is purged completely. */
export const PURGED_MARKER = 'retention.freeTextPurgedThroughWeek';
/** Weeks before the marker read again at every run: reports may be filed or edited some weeks back. */
export const PURGE_MARGIN_WEEKS = 8;

/** An ISO week as a number that orders like the week ("2024-W09" → 202409), for a marker. */
export function weekNumber(week: string): number {
  return Number(week.slice(0, 4)) * 100 + Number(week.slice(6));
}
const weekMonday = (n: number) => mondayOfWeek(`${Math.floor(n / 100)}-W${String(n % 100).padStart(2, '0')}`);

export class RetentionService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly policy: RetentionPolicy,
    private readonly logger?: Logger,
    private readonly ledger?: Pick<DeliveryLedger, 'prune'>,
  ) {}

  /** The nightly job: purges report free text, then prunes the delivery ledger. */
  async run(): Promise<PurgeResult> {
    const result = await this.purgeFreeText();
    try {
      const pruned = await this.pruneDeliveryLedger();
      if (pruned !== undefined) result.deliveryOccurrencesPruned = pruned;
    } catch (err) {
      this.logger?.error(
        { err: { message: (err as Error).message } },
        'retention: could not prune the delivery ledger',
      );
    }
    return result;
  }

  /**
   * Removes settled delivery occurrences due before the retention age (rows still to be sent are
   * kept whatever their age); undefined when there is no ledger or it is kept forever.
   */
  async pruneDeliveryLedger(): Promise<number | undefined> {
    const days = this.policy.deliveryLedgerDays ?? 0;
    if (!this.ledger || days <= 0) return undefined;
    const before = new Date(this.clock.now().getTime() - days * 24 * 3600 * 1000).toISOString();
    const pruned = await this.ledger.prune(before);
    this.logger?.info({ before, pruned }, 'retention: delivery ledger pruned');
    return pruned;
  }

  /** The first report date that is kept with its free text, by the bot clock (Europe/Stockholm). */
  cutoff(): string | undefined {
    if (this.policy.freeTextDays <= 0) return undefined;
    return addLocalDays(localDateOf(this.clock.now()), -this.policy.freeTextDays);
  }

  async purgeFreeText(): Promise<PurgeResult> {
    const cutoff = this.cutoff();
    const result: PurgeResult = { cutoff, purged: {}, failed: {}, total: 0 };
    if (!cutoff) return result;
    // Week by week, yielding between weeks: a long history never holds the event loop in one go.
    // Weeks purged completely by an earlier run are not read again (a margin of weeks before them
    // is, for reports filed or edited late); so a run reads the last weeks, not the whole history.
    const cutoffWeek = isoWeekOfLocalDate(cutoff);
    const marker = await this.store.markers.get(PURGED_MARKER);
    const fromWeek = marker
      ? isoWeekOfLocalDate(addLocalDays(weekMonday(marker.value), -7 * PURGE_MARGIN_WEEKS))
      : undefined;
    const due: Readonly<WeeklyReport>[] = [];
    const weeks = (await this.store.reports.weeks()).filter((w) => w <= cutoffWeek && (!fromWeek || w >= fromWeek));
    for (const week of weeks) {
      for (const r of await this.store.reports.list({ fromWeek: week, toWeek: week, includeWithdrawn: true }))
        if (r.date < cutoff && holdsFreeText(r)) due.push(r);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const at = this.clock.now().toISOString();
    // One at a time: each update rewrites its week file, and a nightly job has no hurry.
    for (const report of due) {
      try {
        await this.store.reports.update(purgedReport(report, at, cutoff));
        result.purged[report.agreementId] = (result.purged[report.agreementId] ?? 0) + 1;
        result.total += 1;
      } catch (err) {
        result.failed[report.agreementId] = (result.failed[report.agreementId] ?? 0) + 1;
        this.logger?.error(
          { err: { message: (err as Error).message }, reportId: report.id },
          'retention: could not purge the free text of a report',
        );
      }
    }
    // Every week before the cutoff's week now holds no free text older than the cutoff.
    if (Object.keys(result.failed).length === 0) {
      const through = weekNumber(isoWeekOfLocalDate(addLocalDays(mondayOfWeek(cutoffWeek), -7)));
      if (!marker || marker.value < through) await this.store.markers.put({ key: PURGED_MARKER, value: through, at });
    }
    for (const agreementId of new Set([...Object.keys(result.purged), ...Object.keys(result.failed)])) {
      const purged = result.purged[agreementId] ?? 0;
      const failed = result.failed[agreementId] ?? 0;
      await recordStored(this.audit, {
        at,
        actor: { id: RETENTION_ACTOR },
        action: 'data.purged',
        objectId: agreementId,
        outcome: failed > 0 ? 'failed' : 'ok',
        detail: `freeText;reports=${purged};failed=${failed};before=${cutoff}`,
      });
    }
    this.logger?.info(
      { cutoff, purged: result.purged, failed: result.failed, total: result.total },
      'retention: free-text purge done',
    );
    return result;
  }
}
