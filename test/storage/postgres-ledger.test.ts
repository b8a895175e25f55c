import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it } from 'mocha';
import type pg from 'pg';
import { systemClock } from '../../src/app/clock.js';
import {
  DeliveryEngine,
  type ClaimedRow,
  type DeliveryItem,
  type DeliveryOccurrence,
  type DeliveryTarget,
} from '../../src/app/delivery/index.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { PostgresLedger } from '../../src/storage/postgres/ledger.js';
import { freshSchema, skipWithoutPostgres, type TestSchema } from '../helpers/postgres.js';

/** Several bot processes on one database: each ledger has its own pool and its own instance id. */

const AT = '2024-03-14T12:00:00.000Z';
const occurrence = (key = 'weekly:2024-W11'): DeliveryOccurrence => ({ key, kind: 'weeklyReport', due: AT });
const items = (n: number, from = 0): DeliveryItem[] =>
  Array.from({ length: n }, (_, i) => ({
    recipient: `aad-${from + i}`,
    target: { conversationId: `a:${from + i}`, tenantId: 't1' },
    message: { text: `Hej ${from + i}` },
  }));

describe('PostgresLedger: several instances on one database', () => {
  before(skipWithoutPostgres);
  let schema: TestSchema;
  const ledgers: PostgresLedger[] = [];
  /** One "process": a pool of its own and a ledger on it. */
  const instance = async (options: Parameters<typeof PostgresLedger.open>[1] = {}) => {
    const pool = schema.pool(4);
    const ledger = await PostgresLedger.open(pool, options);
    ledgers.push(ledger);
    return { pool, ledger };
  };
  const states = async (pool: pg.Pool) =>
    Object.fromEntries(
      (
        await pool.query<{ state: string; n: string }>(
          'SELECT state, count(*) AS n FROM delivery_row GROUP BY state ORDER BY state',
        )
      ).rows.map((r) => [r.state, Number(r.n)]),
    );
  const lockPid = async (pool: pg.Pool, id: string) =>
    (
      await pool.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1 AND granted
           AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
        [id],
      )
    ).rows[0]?.pid;

  beforeEach(async () => {
    schema = await freshSchema('pgledger');
  });
  afterEach(async () => {
    for (const l of ledgers.splice(0)) await l.close();
    await schema?.drop();
  });

  it('two instances draining one 1,000-row occurrence at once claim every row exactly once', async () => {
    const a = await instance();
    const b = await instance();
    assert.notEqual(a.ledger.instanceId, b.ledger.instanceId);
    // Both leaders enqueue the same occurrence at the same time: one set of rows.
    await Promise.all([
      a.ledger.enqueue(occurrence(), items(1000), AT),
      b.ledger.enqueue(occurrence(), items(1000), AT),
    ]);
    assert.deepEqual(await states(a.pool), { pending: 1000 });

    const claimedBy = new Map<string, string[]>();
    const drain = async (name: string, ledger: PostgresLedger, useReserve: boolean) => {
      const mine: string[] = [];
      for (;;) {
        const batch: ClaimedRow[] = useReserve ? await ledger.reserve(7, AT) : await ledger.claim(7, AT);
        if (batch.length === 0) break;
        for (const row of batch) {
          mine.push(row.recipient);
          // A reserved row is attempted by its reserver; a claimed one is 'sending' already.
          if (useReserve) assert.equal(await ledger.markAttempt(row.occurrenceKey, row.recipient, AT), 1);
        }
      }
      claimedBy.set(name, mine);
    };
    // Two workers per instance, one claiming and one reserving: four drains at once.
    await Promise.all([
      drain('a-claim', a.ledger, false),
      drain('a-reserve', a.ledger, true),
      drain('b-claim', b.ledger, false),
      drain('b-reserve', b.ledger, true),
    ]);
    const all = [...claimedBy.values()].flat();
    assert.equal(all.length, 1000, 'no row handed out twice');
    assert.equal(new Set(all).size, 1000, 'every row handed out');
    for (const [name, mine] of claimedBy) assert.ok(mine.length > 0, `${name} took part`);
    assert.deepEqual(await states(a.pool), { sending: 1000 });
    // Each row is in flight under the instance that took it.
    const owners = await a.pool.query<{ owner: string; n: string }>(
      'SELECT owner, count(*) AS n FROM delivery_row GROUP BY owner',
    );
    const byOwner = new Map(owners.rows.map((r) => [r.owner, Number(r.n)]));
    const took = (prefix: string) =>
      [...claimedBy].filter(([name]) => name.startsWith(prefix)).reduce((n, [, mine]) => n + mine.length, 0);
    assert.equal(byOwner.get(a.ledger.instanceId!), took('a-'));
    assert.equal(byOwner.get(b.ledger.instanceId!), took('b-'));
  });

  it('a reserved row is the reserving instance’s alone: another cannot take or attempt it', async () => {
    const a = await instance();
    const b = await instance();
    await a.ledger.enqueue(occurrence(), items(3), AT);
    const reserved = await a.ledger.reserve(2, AT);
    assert.deepEqual(
      reserved.map((r) => r.recipient),
      ['aad-0', 'aad-1'],
    );
    assert.deepEqual(await states(a.pool), { pending: 3 }, 'reserved rows stay pending (never attempted)');
    assert.deepEqual(
      (await b.ledger.claim(10, AT)).map((r) => r.recipient),
      ['aad-2'],
    );
    await assert.rejects(b.ledger.markAttempt(occurrence().key, 'aad-0', AT), /not in flight/);
    await b.ledger.complete(occurrence().key, 'aad-0', { state: 'failed', reason: 'x' }, AT);
    assert.equal(await a.ledger.markAttempt(occurrence().key, 'aad-0', AT), 1, 'untouched by the other instance');
  });

  it('an instance whose lock connection is terminated has its rows recovered by another; a live one’s are untouched', async () => {
    const events: string[] = [];
    const a = await instance({
      relockDelayMs: 10,
      onLiveness: (e) => events.push(e.lost ? 'lost' : e.acquired ? 'acquired' : 'error'),
    });
    const b = await instance();
    await a.ledger.enqueue(occurrence(), items(20), AT);
    const aSending = await a.ledger.claim(5, AT); // aad-0..4: in flight
    await a.ledger.markRetrying(occurrence().key, aSending[0]!.recipient, AT); // aad-0 waits for a retry
    const aReserved = await a.ledger.reserve(3, AT); // aad-5..7: never attempted
    const bSending = await b.ledger.claim(4, AT); // aad-8..11: B is alive
    await b.ledger.markRetrying(occurrence().key, bSending[0]!.recipient, AT);

    const oldId = a.ledger.instanceId!;
    const pid = await lockPid(b.pool, oldId);
    assert.ok(pid, 'the liveness lock is visible in pg_locks');
    // Waits (up to 5 s) until the backend is gone, and with it the lock.
    await b.pool.query('SELECT pg_terminate_backend($1, 5000)', [pid]);

    assert.deepEqual(await b.ledger.recoverInterrupted(AT), { unknown: 4, requeued: 1 });
    assert.deepEqual(
      await b.ledger.recoverInterrupted(AT),
      { unknown: 0, requeued: 0 },
      'callable again: nothing left',
    );
    const [o] = await b.ledger.overview();
    assert.deepEqual(o!.uncertain, ['aad-1', 'aad-2', 'aad-3', 'aad-4']);
    const { rows } = await b.pool.query<{ recipient: string; state: string; owner: string | null }>(
      'SELECT recipient, state, owner FROM delivery_row ORDER BY id',
    );
    const byRecipient = new Map(rows.map((r) => [r.recipient, r]));
    for (const r of aReserved)
      assert.deepEqual(byRecipient.get(r.recipient)!.owner, null, 'a reservation of the dead is freed');
    assert.equal(byRecipient.get('aad-0')!.state, 'pending', 'retrying → pending: it certainly did not reach Teams');
    for (const r of bSending.slice(1))
      assert.equal(byRecipient.get(r.recipient)!.state, 'sending', 'the live instance keeps its rows');
    assert.equal(byRecipient.get(bSending[0]!.recipient)!.state, 'retrying');
    assert.equal(byRecipient.get('aad-8')!.owner, b.ledger.instanceId);

    // The old identity cannot attempt a row recovered under it; the unknown ones are never resent.
    await assert.rejects(a.ledger.markAttempt(occurrence().key, aReserved[0]!.recipient, AT));
    await a.ledger.complete(occurrence().key, 'aad-1', { state: 'sent' }, AT);
    assert.equal((await b.ledger.overview())[0]!.counts.unknown, 4, 'an unknown row stays unknown');

    // A takes a new identity on a new connection and goes on draining with B.
    for (let i = 0; i < 200 && a.ledger.instanceId === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(a.ledger.instanceId && a.ledger.instanceId !== oldId, 'a new identity');
    assert.deepEqual(events, ['acquired', 'lost', 'acquired']);
    const rest = [...(await a.ledger.claim(100, AT)), ...(await b.ledger.claim(100, AT))].map((r) => r.recipient);
    assert.deepEqual(rest.sort(), [
      'aad-0',
      'aad-12',
      'aad-13',
      'aad-14',
      'aad-15',
      'aad-16',
      'aad-17',
      'aad-18',
      'aad-19',
      'aad-5',
      'aad-6',
      'aad-7',
    ]);
    assert.ok(!rest.some((r) => ['aad-1', 'aad-2', 'aad-3', 'aad-4'].includes(r)), 'unknown rows are never resent');
  });

  it('an instance closed with rows in flight: its rows are recovered by another, and a live instance’s own recovery leaves its own rows', async () => {
    const a = await instance();
    const b = await instance();
    await a.ledger.enqueue(occurrence(), items(6), AT);
    await a.ledger.claim(2, AT);
    await b.ledger.claim(2, AT);
    assert.deepEqual(await a.ledger.recoverInterrupted(AT), { unknown: 0, requeued: 0 }, 'both alive: nothing to do');
    assert.deepEqual(await b.ledger.recoverInterrupted(AT), { unknown: 0, requeued: 0 });
    await a.ledger.close();
    assert.deepEqual(await b.ledger.recoverInterrupted(AT), { unknown: 2, requeued: 0 });
    assert.deepEqual(await states(b.pool), { pending: 2, sending: 2, unknown: 2 });
  });

  it('rows in flight without an owner (copied from a file ledger) are recovered as a restart would', async () => {
    const a = await instance();
    await a.ledger.enqueue(occurrence(), items(2), AT);
    await a.pool.query(`UPDATE delivery_row SET state = 'sending', attempts = 1 WHERE recipient = 'aad-0'`);
    await a.pool.query(`UPDATE delivery_row SET state = 'retrying', attempts = 1 WHERE recipient = 'aad-1'`);
    assert.deepEqual(await a.ledger.recoverInterrupted(AT), { unknown: 1, requeued: 1 });
    assert.deepEqual(
      (await a.ledger.claim(5, AT)).map((r) => [r.recipient, r.attempts]),
      [['aad-1', 2]],
    );
  });

  it('two delivery engines (two leaders) delivering the same occurrence at once send each recipient exactly once', async () => {
    const a = await instance();
    const b = await instance();
    const sent: string[] = [];
    const store = new MemoryStore();
    const engine = (ledger: PostgresLedger, name: string) =>
      new DeliveryEngine({
        ledger,
        sender: {
          send: async (target: DeliveryTarget) => {
            sent.push(`${name}:${target.conversationId}`);
            return { activityId: `${name}-${sent.length}` };
          },
        },
        conversations: store.conversations,
        clock: systemClock,
        // Pacing is not under test here: a limit well above what 300 sends reach.
        options: { perTenant: [{ limit: 100_000, windowMs: 1000 }], claimBatch: 3 },
      });
    const [oa, ob] = await Promise.all([
      engine(a.ledger, 'a').deliver(occurrence(), items(300)),
      engine(b.ledger, 'b').deliver(occurrence(), items(300)),
    ]);
    const conversations = sent.map((s) => s.split(':').slice(1).join(':'));
    assert.equal(sent.length, 300, 'no recipient sent twice');
    assert.equal(new Set(conversations).size, 300, 'every recipient sent');
    assert.ok(sent.some((s) => s.startsWith('a:')) && sent.some((s) => s.startsWith('b:')), 'both instances sent');
    for (const o of [oa!, ob!]) assert.equal(o.counts.sent + o.counts.inProgress, 300, 'each sees the other’s rows');
    assert.deepEqual((await a.ledger.overview())[0]!.counts, {
      sent: 300,
      skipped: 0,
      failed: 0,
      unknown: 0,
      inProgress: 0,
    });
  });
});
