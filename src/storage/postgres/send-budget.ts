import type pg from 'pg';
import { spacingMs, TEAMS_TENANT_LIMITS, type RateWindow, type SendBudget } from '../../app/delivery/index.js';

/**
 * The tenant's send budget shared by every instance (table delivery_tenant_pace): each slot is one
 * statement, `next_slot = greatest(next_slot, clock_timestamp()) + interval`, on the database's clock
 * (the one clock all instances share), so slots are at least `interval` apart whichever instance
 * takes them. The row lock orders concurrent takers; one round trip per send.
 *
 * The caller waits until its slot on its own timer, so a slot's send leaves up to one round trip
 * late; `marginMs` (default 2) widens the spacing to absorb that jitter.
 */
export class PostgresSendBudget implements SendBudget {
  private readonly interval: string;

  constructor(
    private readonly pool: pg.Pool,
    windows: readonly RateWindow[] = TEAMS_TENANT_LIMITS,
    marginMs = 2,
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
