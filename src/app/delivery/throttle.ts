import { backoffDelay } from './pacing.js';

export interface StormSettings {
  /** A throttling storm: at least stormThreshold 429s among the latest stormSample answers. */
  stormThreshold: number;
  stormSample: number;
  maxRetryAfterMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

export type ThrottleVerdict =
  /** A stray 429: only its row and its conversation wait. */
  | { storm: false; recent: number }
  /** A storm: every send pauses until `until`; `extended` when that moved the global pause later. */
  | { storm: true; recent: number; pauseMs: number; until: number; storms: number; extended: boolean };

/**
 * Storm detection (Company Communicator's "throttled until"): a stray 429 slows one conversation, but
 * when 429s pile up among the latest answers every send pauses, longer with each storm in a row.
 */
export class StormGuard {
  /** Every send waits until this tick. */
  throttledUntil = 0;
  /** The latest answers from Teams, true for a 429. */
  private recentAnswers: boolean[] = [];
  /** Storms in a row (the pause grows with them); reset by the first send that gets through after one. */
  private storms = 0;

  constructor(
    private readonly settings: StormSettings,
    private readonly random: () => number,
  ) {}

  /** Notes an answer from Teams (true: 429). */
  answered(throttled: boolean, now: number): void {
    if (!throttled && this.throttledUntil <= now) this.storms = 0;
    if (!throttled && this.recentAnswers.length === 0) return;
    this.recentAnswers.push(throttled);
    if (this.recentAnswers.length > this.settings.stormSample) this.recentAnswers.shift();
    if (!throttled && !this.recentAnswers.includes(true)) this.recentAnswers = [];
  }

  /** A 429 whose row retries in `delayMs` (already noted with answered(true)): is it a storm? */
  throttled(now: number, delayMs: number): ThrottleVerdict {
    const s = this.settings;
    const recent = this.recentAnswers.filter(Boolean).length;
    if (recent < s.stormThreshold) return { storm: false, recent };
    this.storms++;
    this.recentAnswers = [];
    const pauseMs = Math.min(
      s.maxRetryAfterMs,
      Math.max(delayMs, backoffDelay(this.storms, { baseMs: s.backoffBaseMs, capMs: s.backoffCapMs }, this.random)),
    );
    const until = now + pauseMs;
    const extended = until > this.throttledUntil;
    if (extended) this.throttledUntil = until;
    return { storm: true, recent, pauseMs, until, storms: this.storms, extended };
  }
}
