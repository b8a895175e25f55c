import { ManualClock } from '../../src/app/clock.js';
import type { Sleep } from '../../src/app/delivery/index.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * Virtual time for code that takes a Clock and a Sleep: `run(work)` lets every promise settle and,
 * whenever everything is waiting on a timer, jumps the clock to the earliest one. Concurrent sleeps
 * overlap as they would in real time, and a test of minutes of backoff runs in milliseconds.
 */
export class VirtualTime {
  readonly clock: ManualClock;
  private timers: Timer[] = [];
  private seq = 0;

  constructor(start = '2024-03-14T08:00:00Z') {
    this.clock = new ManualClock(start);
  }

  now(): number {
    return this.clock.now().getTime();
  }

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        resolve();
      };
      const timer: Timer = {
        at: this.now() + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });

  /** Runs `work` to completion on virtual time (bounded: fails after `maxSteps` idle turns). */
  async run<T>(work: Promise<T>, maxSteps = 200_000): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let step = 0; step < maxSteps; step++) {
      await new Promise<void>((r) => setImmediate(r));
      if (settled) return work;
      if (this.timers.length === 0) continue;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      if (next.at > this.now()) this.clock.set(new Date(next.at));
      next.resolve();
    }
    throw new Error(`virtual time: work did not finish within ${maxSteps} steps`);
  }
}
