import { Cron } from 'croner';
import type { Clock } from '../app/clock.js';
import type { Leadership } from '../app/ports.js';
import type { ReminderService } from '../app/reminders.js';
import type { Logger } from '../logger.js';

/**
 * Schedules the reminder use case: every minute on real time it calls ReminderService.runDue with
 * the bot clock's now (BOT_CLOCK runs on). What is due is decided by the use case, not here.
 * With several instances on one database every instance ticks, but only the leader (a PostgreSQL
 * advisory lock) runs the pass; the others stand by and take over when the leader is gone.
 */
export class ReminderTicker {
  private running?: Promise<void>;
  private cron?: Cron;

  constructor(
    private readonly deps: {
      reminders: ReminderService;
      clock: Clock;
      logger: Pick<Logger, 'error' | 'info'>;
      /** Default: this process alone (lowdb). */
      leadership?: Leadership;
      /**
       * Several instances: run at every tick in every instance, leader or not, without waiting for
       * it (the delivery engine's sweep: recover dead instances' rows, send what is pending).
       */
      sweep?: () => Promise<void>;
    },
  ) {}

  private leading = false;

  /** One pass (when this process leads); concurrent calls share the pass in flight. */
  tick(): Promise<void> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async pass(): Promise<void> {
    if (this.deps.sweep)
      void this.deps
        .sweep()
        .catch((err: Error) => this.deps.logger.error({ err: { message: err.message } }, 'delivery sweep failed'));
    const leads = this.deps.leadership ? await this.deps.leadership.isLeader() : true;
    if (leads !== this.leading && this.deps.leadership)
      this.deps.logger.info(
        leads ? 'reminders: this instance leads the scheduler' : 'reminders: another instance leads the scheduler',
      );
    this.leading = leads;
    if (leads) await this.deps.reminders.runDue(this.deps.clock.now());
  }

  /** Ticks every minute and once now. */
  start(): void {
    const tick = () =>
      this.tick().catch((err: Error) =>
        this.deps.logger.error({ err: { message: err.message } }, 'reminder tick failed'),
      );
    this.cron = new Cron('* * * * *', { protect: true, name: 'reminders' }, tick);
    void tick();
  }

  /** Stops ticking; a pass in flight runs on (await idle() for it). */
  stopTicking(): void {
    this.cron?.stop();
  }

  /** Resolves when no pass is running (for a clean stop). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }
}
