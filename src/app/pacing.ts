/**
 * Pacing and retry timing for proactive delivery: pure arithmetic over an injected clock, so tests
 * run it on virtual time.
 */

/** Waits `ms`; resolves early (never rejects) when `signal` aborts. Injected so tests control time. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });

/** At most `limit` sends within any `windowMs` milliseconds. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** Teams' documented limits per bot per conversation: 7/1 s, 8/2 s, 60/30 s, 1800/hour. */
export const TEAMS_CONVERSATION_LIMITS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

/**
 * Per app per tenant Teams allows 30–50 requests per second. Pace a little below 30: the limit is
 * counted when a send starts here but on arrival at Teams, and with jitter a pace of exactly 30/s
 * drew dozens of 429s per 1 000 sends in the benchmark (each 429 pauses every send).
 */
export const TEAMS_TENANT_LIMITS: readonly RateWindow[] = [{ limit: 27, windowMs: 1_000 }];

/**
 * A sliding-window log per key. Teams states its limits as several windows at once (7 per second
 * AND 8 per two seconds AND 60 per 30 seconds); a single token bucket cannot honour all of them
 * (a full 7-token bucket refilled at 7/s lets 14 through in just over a second), so each key keeps
 * the times of its recent sends and a send waits until every window has room.
 */
export class WindowLimiter {
  private readonly logs = new Map<string, number[]>();
  private readonly longestMs: number;

  constructor(private readonly windows: readonly RateWindow[]) {
    this.longestMs = Math.max(0, ...windows.map((w) => w.windowMs));
  }

  /** Milliseconds until a send under `key` fits every window (0: it fits now). */
  waitMs(key: string, now: number): number {
    const log = this.logs.get(key);
    if (!log) return 0;
    let wait = 0;
    for (const w of this.windows) {
      let inWindow = 0;
      for (let i = log.length - 1; i >= 0 && log[i]! > now - w.windowMs; i--) inWindow++;
      if (inWindow >= w.limit) {
        // The window has room again once the send `limit` places back has left it.
        const oldestCounted = log[log.length - w.limit]!;
        wait = Math.max(wait, oldestCounted + w.windowMs - now);
      }
    }
    return wait;
  }

  record(key: string, now: number): void {
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = []));
    log.push(now);
    const keepAfter = now - this.longestMs;
    let drop = 0;
    while (drop < log.length && log[drop]! <= keepAfter) drop++;
    if (drop > 0) log.splice(0, drop);
    if (this.logs.size > 1_000) this.forgetIdle(now);
  }

  private forgetIdle(now: number): void {
    for (const [key, log] of this.logs) if (log.length === 0 || log[log.length - 1]! <= now - this.longestMs) this.logs.delete(key);
  }
}

export interface BackoffSettings {
  baseMs: number;
  capMs: number;
}

/**
 * Exponential backoff with jitter: attempt 1 waits around base, attempt 2 around 2×base, …, never
 * above cap. The delay is drawn from the upper half of the step ("equal jitter"), so retries of many
 * rows spread out without any of them retrying immediately.
 */
export function backoffDelay(attempt: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const step = Math.min(settings.capMs, settings.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * A Retry-After header in milliseconds: either delay-seconds ("3") or an HTTP-date, relative to
 * `nowMs`. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
