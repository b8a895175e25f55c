import type pg from 'pg';
import { spacingMs, TEAMS_TENANT_LIMITS, type RateWindow, type SendBudget } from '../../app/delivery/index.js';

/**
 * The tenant's send budget shared by every instance (table delivery_tenant_pace): each slot is one
 * statement, `next_slot = greatest(next_slot, clock_timestamp()) + interval`, on the database's clock
 * (the one clock all instances share), so slots are at least `interval` apart whichever instance
 * takes them. The row lock orders concurrent takers; one round trip per send.
 *
 * The caller waits until its slot on its own timer, and after the slot the engine still writes the
 * row 'sending' (a commit) and the sender reads the conversation reference (a query). A stall there
 * (a slow commit, a busy event loop) holds back every send whose slot falls in it and releases them
 * together, bunched with the punctual slots after it: a 1 s window then holds ⌈1 s / d⌉ punctual
 * sends plus those of the stall. `marginMs` widens the spacing d for that: the default 5 (d = 38.3
 * ms, 26/s) stays within 30 in any second for stalls up to ~100 ms; 2 ms (d = 35.3 ms) allowed only
 * ~70 ms and was measured too little in the multi-instance test on a loaded machine (1 and 4 of ~1 000
 * requests refused for the tenant limit in two of three rounds).
 */
export class PostgresSendBudget implements SendBudget {
  private readonly interval: string;

  constructor(
    private readonly pool: pg.Pool,
    windows: readonly RateWindow[] = TEAMS_TENANT_LIMITS,
    marginMs = 5,
  ) {
    this.interval = `${spacingMs(windows, marginMs).toFixed(3)} milliseconds`;
  }

  async take(tenantId: string): Promise<number> {
    return (await this.slot(tenantId)).waitMs;
  }

  /** Reserves the next slot: its instant (milliseconds since the epoch, database clock) and the wait until it. */
  async slot(tenantId: string): Promise<{ slotMs: number; waitMs: number }> {
    const { rows } = await this.pool.query<{ slot_ms: string; wait_ms: string }>(
      `WITH now AS (SELECT clock_timestamp() AS t)
       INSERT INTO delivery_tenant_pace AS p (tenant_id, next_slot)
       SELECT $1, t + $2::interval FROM now
       ON CONFLICT (tenant_id) DO UPDATE
         SET next_slot = greatest(p.next_slot, clock_timestamp()) + $2::interval
       RETURNING extract(epoch FROM p.next_slot - $2::interval) * 1000 AS slot_ms,
                 extract(epoch FROM p.next_slot - $2::interval - clock_timestamp()) * 1000 AS wait_ms`,
      [tenantId, this.interval],
    );
    const row = rows[0]!;
    return { slotMs: Number(row.slot_ms), waitMs: Math.max(0, Math.ceil(Number(row.wait_ms))) };
  }
}
