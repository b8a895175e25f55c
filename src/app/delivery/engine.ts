import { setMaxListeners } from 'node:events';
import { screenMessage } from '../../domain/outbound-guard.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../clock.js';
import type { ConversationRepository } from '../ports.js';
import type { SendBudget } from './budget.js';
import { asDeliveryError, classify, DeliveryError, label, TIMEOUT } from './errors.js';
import {
  backoffDelay,
  realSleep,
  TEAMS_CONVERSATION_LIMITS,
  TEAMS_TENANT_LIMITS,
  WindowLimiter,
  type RateWindow,
  type Sleep,
} from './pacing.js';
import { Permits } from './permits.js';
import type {
  ClaimedRow,
  DeliveryItem,
  DeliveryLedger,
  DeliveryOccurrence,
  DeliveryTarget,
  OccurrenceOverview,
  OutgoingMessage,
  OverviewFilter,
  ProactiveSender,
  RecoveryResult,
  RowOutcome,
} from './ports.js';
import { RetryQueue } from './retry-queue.js';
import { StormGuard } from './throttle.js';

/**
 * Proactive delivery: sends each (occurrence, recipient) at most once, survives restarts, Teams'
 * throttling and flaky networks, and never drops a message silently.
 *
 * The policy (domain/reminders) decides WHAT is due; this engine decides HOW it reaches Teams. Every
 * recipient of an occurrence is a row in a ledger (storage/ledger-file.ts); an occurrence with many
 * recipients is one batch: deliver() records all its rows in one ledger write and one drain sends
 * them. A row is written 'sending' (durably) before its message goes out and 'sent' / 'failed' /
 * 'skipped' after, so:
 *  - two scheduler ticks, or a restart, never send a row twice: only 'pending' rows are claimed, and
 *    claiming is a synchronous check-and-set in the one process that owns the ledger;
 *  - a row found in 'sending' at start-up was interrupted by a crash. Teams may or may not have got
 *    it, so it is NOT resent (that could be a duplicate): it becomes 'unknown' and the coordinators'
 *    overview reports it as uncertain ("osäker") — never sent twice, never dropped silently;
 *  - a row whose last attempt certainly did not reach Teams (429, 412, a refused connection) waits
 *    for its retry in 'retrying', which a restart turns back into 'pending' and sends;
 *  - rows that were never started are 'pending' and are sent after a restart.
 *
 * Pacing and throttling (pacing.ts): each send is counted against its conversation's and its
 * tenant's windows from its start until its answer, so Teams, which counts on arrival, never sees
 * more than the limits; the tenant's sends are spread evenly. A 429 puts only that row back, to be
 * retried after its Retry-After (or a backoff with jitter), pauses its conversation and slows its
 * tenant down for a moment; every send pauses only in a throttling storm (several 429s among the
 * latest answers).
 */

export interface DeliveryOptions {
  /** Attempts per row for 429, 412, 502, 503, 504 and network errors (the first try included). */
  maxAttempts: number;
  /** Attempts per row for 500 (a server bug rarely heals in seconds). */
  maxAttemptsServerError: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** A longer Retry-After is shortened to this. */
  maxRetryAfterMs: number;
  /** A send that has not answered by then is recorded 'unknown' (it may still land), never retried. */
  sendTimeoutMs: number;
  perConversation: readonly RateWindow[];
  perTenant: readonly RateWindow[];
  /** Milliseconds a send stays counted in its windows after its answer (clock granularity). */
  pacingMarginMs: number;
  /** After a 429 the tenant's pace is multiplied by this (compounding) … */
  slowdownFactor: number;
  /** … for this long after the latest 429. */
  slowdownMs: number;
  /** A throttling storm: at least stormThreshold 429s among the latest stormSample answers; every send pauses. */
  stormThreshold: number;
  stormSample: number;
  /** Sends in flight at once (pacing still applies). */
  concurrency: number;
  /** Rows written 'sending' per ledger write; a crash can leave at most concurrency × claimBatch rows unknown. */
  claimBatch: number;
  /**
   * With a shared send budget: milliseconds a send may start after its slot before the slot is given
   * up and a new one taken (about half the budget's spacing; Infinity keeps every slot).
   */
  lateSlotMs: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  maxAttempts: 6,
  maxAttemptsServerError: 3,
  backoffBaseMs: 1_000,
  backoffCapMs: 30_000,
  maxRetryAfterMs: 5 * 60_000,
  sendTimeoutMs: 60_000,
  perConversation: TEAMS_CONVERSATION_LIMITS,
  perTenant: TEAMS_TENANT_LIMITS,
  pacingMarginMs: 5,
  slowdownFactor: 0.8,
  slowdownMs: 1_000,
  stormThreshold: 4,
  stormSample: 20,
  concurrency: 8,
  claimBatch: 1,
  lateSlotMs: 20,
};

export interface DeliveryDeps {
  ledger: DeliveryLedger;
  sender: ProactiveSender;
  conversations: Pick<ConversationRepository, 'get' | 'setActive'>;
  clock: Clock;
  sleep?: Sleep;
  /**
   * Milliseconds on the time line `sleep` waits on: pacing, retries and pauses are measured on it
   * (the ledger's timestamps stay on `clock`). Default: with the real sleep a monotonic timer, so a
   * clock that stands still (tests) or jumps cannot stall or rush the pacing; with an injected
   * `sleep` (virtual time), `clock`.
   */
  ticks?: () => number;
  random?: () => number;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /**
   * Called once per conversation when Teams answers 403/404 (the bot was removed, the conversation
   * is gone). The conversation is already marked inactive; the scheduler tells the coordinators.
   */
  onConversationGone?: (conversationId: string) => void | Promise<void>;
  /**
   * The tenant's pace shared with other instances (PostgreSQL): asked for a slot once this process's
   * own windows let a send start. Absent (one process): the windows alone pace, as always.
   */
  sendBudget?: SendBudget;
  options?: Partial<DeliveryOptions>;
}

export class DeliveryEngine {
  private readonly options: DeliveryOptions;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly ticks: () => number;
  private readonly conversationLimiter: WindowLimiter;
  private readonly tenantLimiter: WindowLimiter;
  /** The global pause in a throttling storm. */
  private readonly storm: StormGuard;
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private recovery?: Promise<RecoveryResult>;
  /**
   * One limit across every deliver() and resume() in the process: a row is claimed ('sending' on
   * disk) only with a permit, so a crash leaves at most concurrency × claimBatch rows unknown however
   * many occurrences are being delivered at once.
   */
  private readonly permits: Permits;

  constructor(private readonly deps: DeliveryDeps) {
    this.options = { ...DEFAULT_DELIVERY_OPTIONS, ...deps.options };
    this.sleep = deps.sleep ?? realSleep;
    this.random = deps.random ?? Math.random;
    this.ticks = deps.ticks ?? (deps.sleep ? () => deps.clock.now().getTime() : () => performance.now());
    this.conversationLimiter = new WindowLimiter(this.options.perConversation, {
      marginMs: this.options.pacingMarginMs,
    });
    this.tenantLimiter = new WindowLimiter(this.options.perTenant, {
      marginMs: this.options.pacingMarginMs,
      spread: true,
    });
    this.storm = new StormGuard(this.options, this.random);
    // Every waiting worker listens for stop(); there may be more than Node's default of 10.
    setMaxListeners(0, this.stopping.signal);
    this.permits = new Permits(Math.max(1, this.options.concurrency));
    this.stopping.signal.addEventListener('abort', () => this.permits.wakeAll());
  }

  /**
   * Once per process, before anything is sent (deliver and resume call it): rows a previous process
   * left in flight become 'unknown', rows waiting for a retry become 'pending'.
   */
  recover(): Promise<RecoveryResult> {
    this.recovery ??= this.deps.ledger.recoverInterrupted(this.nowIso()).then((r) => {
      if (r.unknown > 0)
        this.deps.logger?.warn(
          { unknown: r.unknown },
          'delivery: rows interrupted in flight by a restart are recorded as unknown and not resent',
        );
      return r;
    });
    return this.recovery;
  }

  /** Sends every row still pending in the ledger (after a restart). */
  async resume(): Promise<void> {
    await this.recover();
    await this.track(this.drain(undefined));
  }

  private sweeping?: Promise<void>;

  /**
   * Several instances on one ledger (PostgreSQL), at every tick in every instance: rows that
   * instances which died left in flight become 'unknown' (never resent), and what is pending is
   * sent by whichever instance claims it first, so a fan-out a dead instance began is finished by
   * the others. One sweep at a time per process; only a ledger whose recovery spares live processes
   * may be swept (a file ledger recovers once, at start).
   */
  sweep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.sweeping ??= (async () => {
      try {
        const r = await this.deps.ledger.recoverInterrupted(this.nowIso());
        if (r.unknown > 0)
          this.deps.logger?.warn(
            { unknown: r.unknown },
            'delivery: rows another instance left in flight when it stopped are recorded as unknown and not resent',
          );
        await this.track(this.drain(undefined));
      } finally {
        this.sweeping = undefined;
      }
    })();
    return this.sweeping;
  }

  /**
   * Records the occurrence's recipients and sends those not yet sent. Safe to call again for the
   * same occurrence (another tick, a restart, new recipients): no row is ever sent twice.
   */
  async deliver(occurrence: DeliveryOccurrence, items: DeliveryItem[]): Promise<OccurrenceOverview> {
    if (this.stopping.signal.aborted) throw new Error('the delivery engine is stopped');
    await this.recover();
    await this.deps.ledger.enqueue(occurrence, items, this.nowIso());
    await this.track(this.drain(occurrence.key));
    const [overview] = await this.deps.ledger.overview({ keys: [occurrence.key] });
    if (overview && (overview.counts.failed > 0 || overview.counts.unknown > 0)) {
      this.deps.logger?.warn(
        { occurrence: occurrence.key, ...overview.counts },
        'delivery: occurrence finished with failures',
      );
    }
    return overview!;
  }

  /** For `påminnelser`: per occurrence, counts and failures. */
  overview(filter?: OverviewFilter): Promise<OccurrenceOverview[]> {
    return this.deps.ledger.overview(filter);
  }

  /**
   * Stops claiming rows and wakes sleeping retries; resolves when every send in flight has ended.
   * Rows not yet attempted go back to pending for the next start.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private nowIso(): string {
    return this.deps.clock.now().toISOString();
  }

  private async drain(occurrenceKey: string | undefined): Promise<void> {
    // Rows of this drain waiting for a retry after an answer that proves Teams did not take them
    // ('retrying' on disk, no permit held): the workers send them when due, before new rows.
    const retries = new RetryQueue();
    await Promise.all(
      Array.from({ length: Math.max(1, this.options.concurrency) }, () => this.work(occurrenceKey, retries)),
    );
  }

  private async work(occurrenceKey: string | undefined, retries: RetryQueue): Promise<void> {
    while (!this.stopped) {
      let idleMs = 0;
      await this.permits.acquire();
      try {
        if (this.stopped) return;
        const due = retries.takeDue(this.ticks());
        if (due) {
          await this.sendRow(due.row, retries);
          continue;
        }
        // Reserved, not yet 'sending' on disk: a row is marked in flight only once its pacing slot
        // has come, so rows waiting for the pace are sent after a crash instead of ending 'unknown'.
        const batch = await this.deps.ledger.reserve(
          Math.max(1, this.options.claimBatch),
          this.nowIso(),
          occurrenceKey,
        );
        if (batch.length === 0) {
          // Nothing new to claim: done, unless rows of this drain still wait for their retry.
          if (retries.size === 0) return;
          idleMs = Math.max(1, retries.nextDueAt - this.ticks());
        }
        for (let i = 0; i < batch.length; i++) {
          // Stopped: the rest were never attempted and stay 'pending' for the next process.
          if (this.stopped) return;
          await this.sendRow(batch[i]!, retries);
        }
      } finally {
        this.permits.release();
      }
      // Waiting for a retry to fall due holds no permit (the row is 'retrying', not in flight).
      if (idleMs > 0) await this.sleep(idleMs, this.stopping.signal);
    }
  }

  /**
   * Sends one row (reserved, or 'retrying' and due); a row to retry later goes to `retries`. The row
   * is marked 'sending' (attempts + 1) only once its pacing slot has come.
   */
  private async sendRow(row: ClaimedRow, retries: RetryQueue): Promise<void> {
    const { ledger } = this.deps;
    const { occurrenceKey, recipient, target } = row;
    const complete = (outcome: RowOutcome) => ledger.complete(occurrenceKey, recipient, outcome, this.nowIso());

    if (await this.isInactive(target)) return complete({ state: 'skipped', reason: 'inactive' });

    let attempts: number | undefined;
    for (;;) {
      const slot = await this.waitForSlot(target);
      // Stopped while waiting: a row never attempted stays 'pending' (or 'retrying') and is sent by the
      // next process; one whose last attempt may have landed (a 5xx) stays 'sending' and becomes unknown.
      if (!slot) return;
      if (attempts === undefined) {
        try {
          attempts = await ledger.markAttempt(occurrenceKey, recipient, this.nowIso());
        } catch (err) {
          slot(this.ticks()); // not sent: free its place in the windows
          throw err;
        }
        // A shared slot kept too long (a slow commit, a busy event loop) would bunch with the slots
        // after it, which other instances use on time: it is left unused and a new one taken.
        if (this.deps.sendBudget && this.ticks() - slot.startedAt > this.options.lateSlotMs) {
          slot(slot.startedAt);
          continue;
        }
      }
      let error: DeliveryError;
      try {
        const { activityId } = await this.sendWithTimeout(target, row.message, slot);
        this.answered(false);
        return complete({ state: 'sent', activityId });
      } catch (err) {
        error = asDeliveryError(err);
      }
      if (error.code === TIMEOUT) return complete({ state: 'unknown', reason: 'timeout' });
      if (error.status !== undefined) this.answered(error.status === 429);
      const verdict = classify(error, this.options);
      if (verdict.kind === 'gone') {
        await this.conversationGone(target, error.status);
        return complete({ state: 'failed', reason: 'gone' });
      }
      if (verdict.kind === 'fail') return complete({ state: 'failed', reason: verdict.reason });
      if (attempts >= verdict.maxAttempts)
        return complete({ state: 'failed', reason: `retries-exhausted:${label(error)}` });

      const delay = Math.min(
        this.options.maxRetryAfterMs,
        error.retryAfterMs ??
          backoffDelay(attempts, { baseMs: this.options.backoffBaseMs, capMs: this.options.backoffCapMs }, this.random),
      );
      if (verdict.throttle) this.throttled(target, delay, error);
      if (verdict.notDelivered) {
        // Teams certainly did not take it: only this row waits; the worker goes on with others.
        await ledger.markRetrying(occurrenceKey, recipient, this.nowIso());
        retries.add(row, this.ticks() + delay);
        return;
      }
      // It may have landed (5xx, a reset connection): the row stays 'sending' and keeps its permit
      // while it waits, so a crash still leaves at most concurrency × claimBatch rows unknown.
      await this.sleep(delay, this.stopping.signal);
      // Stopped while waiting: 'sending' rows (the last attempt may have landed) become unknown.
      if (this.stopped) return;
      attempts = await ledger.markAttempt(occurrenceKey, recipient, this.nowIso());
    }
  }

  /** Notes an answer from Teams (true: 429) for storm detection. */
  private answered(throttled: boolean): void {
    this.storm.answered(throttled, this.ticks());
  }

  /**
   * A 429: the conversation waits for Retry-After, the tenant slows down for a moment, and only when
   * 429s pile up (a storm, not a stray one) every send pauses.
   */
  private throttled(target: DeliveryTarget, delayMs: number, error: DeliveryError): void {
    const now = this.ticks();
    this.conversationLimiter.pause(conversationKeyOf(target), now + delayMs);
    const factor = this.tenantLimiter.slowDown(
      tenantKeyOf(target),
      this.options.slowdownFactor,
      now + this.options.slowdownMs,
      now,
    );
    const verdict = this.storm.throttled(now, delayMs);
    if (!verdict.storm) {
      this.deps.logger?.info(
        { retryAfterMs: error.retryAfterMs, retryInMs: delayMs, tenantPace: factor },
        'delivery: 429 from Teams; this row retries later, the tenant slows down',
      );
      return;
    }
    // After the pause the tenant starts again at the slowed pace (the 429s deepened it).
    this.tenantLimiter.slowDown(tenantKeyOf(target), 1, verdict.until + this.options.slowdownMs, now);
    if (verdict.extended) {
      this.deps.logger?.warn(
        { pauseMs: Math.round(verdict.pauseMs), throttledAnswers: verdict.recent, storms: verdict.storms },
        'delivery: Teams throttled the bot repeatedly (429s); all sends pause',
      );
    }
  }

  /**
   * Waits for the global pause and for room in the conversation's and the tenant's windows, then
   * counts the send in both; the returned function records its answer.
   */
  private async waitForSlot(target: DeliveryTarget): Promise<Slot | undefined> {
    const conversationKey = conversationKeyOf(target);
    const tenantKey = tenantKeyOf(target);
    for (let i = 0; i < 100_000 && !this.stopped; i++) {
      const now = this.ticks();
      const wait = Math.max(
        this.storm.throttledUntil - now,
        this.conversationLimiter.waitMs(conversationKey, now),
        this.tenantLimiter.waitMs(tenantKey, now),
      );
      if (wait <= 0) {
        let start = now;
        if (this.deps.sendBudget) {
          // The shared slot is taken last, when nothing here holds the send back any more, and kept:
          // a send later than its slot could bunch with the slots after it.
          const budgetWait = await this.deps.sendBudget.take(tenantKey, now);
          if (budgetWait > 0) await this.sleep(budgetWait, this.stopping.signal);
          if (this.stopped) return undefined;
          start = this.ticks();
        }
        const conversationDone = this.conversationLimiter.begin(conversationKey, start);
        const tenantDone = this.tenantLimiter.begin(tenantKey, start);
        return Object.assign(
          (endedAt: number) => {
            conversationDone(endedAt);
            tenantDone(endedAt);
          },
          { startedAt: start },
        );
      }
      await this.sleep(wait, this.stopping.signal);
    }
    return undefined;
  }

  private async sendWithTimeout(
    target: DeliveryTarget,
    message: OutgoingMessage,
    answered: (endedAt: number) => void,
  ): Promise<{ activityId?: string }> {
    const timer = new AbortController();
    const ended = () => answered(this.ticks());
    // The last privacy gate: a message rendered before an upgrade is checked with the current guard.
    const screened = screenMessage(message);
    if (screened.leftOut > 0)
      this.deps.logger?.warn(
        { leftOut: screened.leftOut },
        'parts of an outgoing message left out by the privacy guard',
      );
    const sending = this.deps.sender.send(target, screened.message);
    // The send counts in its windows until Teams answers (or until it is given up: a request that
    // never answers must not hold a place for ever).
    sending.then(ended, ended);
    const timedOut = this.sleep(this.options.sendTimeoutMs, timer.signal).then(() => {
      if (!timer.signal.aborted) {
        ended();
        throw new DeliveryError('no answer from Teams in time', { code: TIMEOUT });
      }
      return undefined as never;
    });
    try {
      return await Promise.race([sending, timedOut]);
    } finally {
      timer.abort();
      // A send that outlives its timeout must not become an unhandled rejection.
      sending.catch(() => undefined);
    }
  }

  private async isInactive(target: DeliveryTarget): Promise<boolean> {
    const ids = [target.conversationId, ...(target.channelPost ? [target.channelPost.teamConversationId] : [])];
    for (const id of ids) if ((await this.deps.conversations.get(id))?.active === false) return true;
    return false;
  }

  /** 403/404: the bot was removed or the conversation no longer exists. */
  private async conversationGone(target: DeliveryTarget, status: number | undefined): Promise<void> {
    const { conversations, ledger, onConversationGone, logger } = this.deps;
    const at = this.nowIso();
    const id = target.conversationId;
    const stored = await conversations.get(id);
    if (stored?.active) await conversations.setActive(id, false, at);
    // 403 on a channel post: the bot is no longer in the team, so the team's reference is gone too.
    if (status === 403 && target.channelPost && target.channelPost.teamConversationId !== id) {
      await conversations.setActive(target.channelPost.teamConversationId, false, at);
    }
    const first = await ledger.noteConversationGone(id, at, stored?.active ? stored.updatedAt : undefined);
    logger?.warn({ conversationId: id, status, firstNotice: first }, 'delivery: conversation gone; marked inactive');
    if (first && onConversationGone) {
      try {
        await onConversationGone(id);
      } catch (err) {
        logger?.error({ err: { message: (err as Error)?.message } }, 'delivery: onConversationGone failed');
      }
    }
  }
}

/** A send's place in its windows, from `startedAt`; called with the time it ended. */
type Slot = ((endedAt: number) => void) & { startedAt: number };

const conversationKeyOf = (target: DeliveryTarget) => target.channelPost?.channelId ?? target.conversationId;
const tenantKeyOf = (target: DeliveryTarget) => target.tenantId ?? '';
