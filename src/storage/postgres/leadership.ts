import pg from 'pg';
import type { Leadership } from '../../app/ports.js';

/** The first key of the two-key advisory locks this bot takes (the second is per schema and purpose). */
export const ADVISORY_LOCK_CLASS = 0x4d4c42; // "MLB"

/**
 * The scheduler's leader among several instances on one database: the holder of a session-level
 * advisory lock on a dedicated connection (per schema, so deployments in one database do not share
 * it). The lock lives as long as the connection: an instance that dies or loses its connection
 * loses it, and the next instance to ask takes it over.
 */
export class PostgresLeadership implements Leadership {
  private client?: pg.Client;
  private held = false;
  private closed = false;

  constructor(
    private readonly connect: () => Promise<pg.Client>,
    private readonly purpose = 'scheduler',
  ) {}

  async isLeader(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const client = await this.connection();
      if (this.held) {
        // The lock is held while this session lives: a round trip proves that it does.
        await client.query('SELECT 1');
        return true;
      }
      const { rows } = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext(current_schema() || $2)) AS ok',
        [ADVISORY_LOCK_CLASS, ':' + this.purpose],
      );
      this.held = rows[0]?.ok === true;
      return this.held;
    } catch {
      this.drop();
      return false;
    }
  }

  /** Gives the lead up (a clean stop): another instance takes it at its next tick. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.drop();
    await client?.end().catch(() => undefined);
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = await this.connect();
    // A lost connection is a lost lock: never believe we lead on a dead session.
    client.on('error', () => {
      if (this.client === client) this.drop();
    });
    this.client = client;
    return client;
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    this.held = false;
    if (client) void client.end().catch(() => undefined);
  }
}
