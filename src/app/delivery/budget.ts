import { TEAMS_TENANT_LIMITS, type RateWindow } from './pacing.js';

/**
 * A send budget per tenant shared by every instance of the bot: Teams' limits are per bot and
 * tenant, not per process. The engine asks it for a slot once its own windows (pacing.ts) let a send
 * start; the answer is how long to wait until the slot. Without a budget (one process: lowdb) the
 * engine paces exactly as before.
 *
 * Slots are spaced evenly, at least `spacingMs(windows)` apart per tenant, so no window of the
 * strictest limit ever holds more than its limit of slots, however many instances take them.
 */
export interface SendBudget {
  /** Reserves the tenant's next slot; resolves with the milliseconds to wait until it (0: now). */
  take(tenantId: string, at: number): Promise<number>;
}

/** The even spacing that keeps every window within its limit: the strictest windowMs / limit. */
export function spacingMs(windows: readonly RateWindow[] = TEAMS_TENANT_LIMITS, marginMs = 0): number {
  return Math.max(0, ...windows.map((w) => w.windowMs / w.limit)) + Math.max(0, marginMs);
}

/** The budget in one process (tests, or several engines in one process): slots on the caller's time line. */
export class MemorySendBudget implements SendBudget {
  private readonly next = new Map<string, number>();
  private readonly intervalMs: number;

  constructor(windows: readonly RateWindow[] = TEAMS_TENANT_LIMITS, marginMs = 0) {
    this.intervalMs = spacingMs(windows, marginMs);
  }

  async take(tenantId: string, at: number): Promise<number> {
    const slot = Math.max(this.next.get(tenantId) ?? -Infinity, at);
    this.next.set(tenantId, slot + this.intervalMs);
    return Math.max(0, Math.ceil(slot - at));
  }
}
