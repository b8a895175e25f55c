import { Cron } from 'croner';
import type { PurgeResult, RetentionService } from '../app/retention.js';
import type { Logger } from '../logger.js';
import type { BackupResult, Backups } from '../storage/backups.js';

export interface DailyJobSchedule {
  zone: string;
  /** When the retention of report free text runs (croner pattern in `zone`). */
  retention: string;
  /** When the bot checks whether a backup is due (the bot clock and BACKUP_INTERVAL_HOURS decide). */
  backupCheck: string;
}

export const DEFAULT_SCHEDULE: DailyJobSchedule = {
  zone: 'Europe/Stockholm',
  retention: '15 3 * * *',
  backupCheck: '5 * * * *',
};

/**
 * The housekeeping jobs: retention of free text every night, backups when due. croner fires on
 * real time; what is due is decided by the bot's Clock inside each job, so tests (and demos on a
 * shifted clock) call retention() and backup() directly. stop() waits for a running job, so the
 * store is never closed under it.
 */
export class ScheduledJobs {
  private readonly crons: Cron[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;
  /** Settles when the catch-up run of start() (a backup, then retention) has finished; tests await it. */
  startup: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: { retention: RetentionService; backups?: Backups; logger: Logger },
    private readonly schedule: DailyJobSchedule = DEFAULT_SCHEDULE,
  ) {}

  /** Blanks report free text older than the retention and prunes the delivery ledger (idempotent). */
  retention(): Promise<PurgeResult> {
    return this.track(this.deps.retention.run());
  }

  /** Takes a backup if the newest is older than the interval (lowdb; PostgreSQL is backed up by pg_dump or its provider). */
  backup(): Promise<BackupResult | undefined> {
    if (!this.deps.backups) return Promise.resolve(undefined);
    return this.track(this.deps.backups.runIfDue());
  }

  /** Schedules the jobs and catches up once now (a bot stopped at 03:15 still purges, a first start backs up). */
  start(): void {
    const options = { timezone: this.schedule.zone, protect: true, unref: true };
    this.crons.push(
      new Cron(this.schedule.retention, { ...options, name: 'retention' }, () =>
        this.quietly('retention', () => this.retention()),
      ),
    );
    this.crons.push(
      new Cron(this.schedule.backupCheck, { ...options, name: 'backup' }, () =>
        this.quietly('backup', () => this.backup()),
      ),
    );
    this.startup = this.quietly('backup', () => this.backup()).then(() =>
      this.quietly('retention', () => this.retention()),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const c of this.crons.splice(0)) c.stop();
    await Promise.allSettled([...this.running]);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
    return work;
  }

  private async quietly(job: string, run: () => Promise<unknown>): Promise<void> {
    if (this.stopped) return;
    try {
      await run();
    } catch (err) {
      this.deps.logger.error({ job, err: { message: (err as Error).message } }, 'scheduled job failed');
    }
  }
}
