import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'mocha';
import { ManualClock, systemClock } from '../../src/app/clock.js';
import {
  DeliveryEngine,
  DeliveryError,
  type DeliveryItem,
  type DeliveryOptions,
  type DeliveryTarget,
  type DeliveryOccurrence,
  type OutgoingMessage,
  type ProactiveSender,
} from '../../src/app/delivery/index.js';
import { backoffDelay, parseRetryAfter, WindowLimiter, type Sleep } from '../../src/app/delivery/index.js';
import {
  DocumentLedger,
  emptyLedger,
  LedgerFile,
  MemoryLedger,
  type LedgerData,
} from '../../src/storage/ledger-file.js';
import { StoreOpenError } from '../../src/storage/lowdb-store.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { VirtualTime } from '../helpers/virtual-time.js';
import { tempDir } from '../helpers/temp.js';

const TENANT = 'tenant-1';
const occurrence = (key = 'weeklyReport|reporters|2024-W11'): DeliveryOccurrence => ({
  key,
  kind: 'weeklyReport',
  due: '2024-03-14T08:00:00.000Z',
});
const message: OutgoingMessage = { text: 'Dags att rapportera vecka 11.' };

/** n people, each in their own personal chat (conversation `a:<i>`). */
function personal(n: number, from = 0): DeliveryItem[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return { recipient: `aad-${i}`, target: { conversationId: `a:${i}`, tenantId: TENANT }, message };
  });
}

type Scripted = DeliveryError | 'hang';

/**
 * A sender standing in for Teams: records every call (virtual time, conversation) and plays a
 * script per conversation. With `latency` set, a send takes that long on virtual time and Teams
 * "receives" it (`arrivals`) at a point within, as a real request reaches Teams some time after it
 * left and before its answer is back.
 */
class FakeSender implements ProactiveSender {
  readonly calls: { at: number; conversation: string; recipientText?: string }[] = [];
  readonly arrivals: { at: number; conversation: string }[] = [];
  readonly script = new Map<string, Scripted[]>();
  /** Milliseconds the n-th send (0-based) takes, and the share of it before it reaches Teams. */
  latency?: (n: number) => { ms: number; toArrival: number };
  sleep?: Sleep;
  constructor(private readonly now: () => number) {}

  fail(conversation: string, ...outcomes: Scripted[]): this {
    this.script.set(conversation, outcomes);
    return this;
  }

  async send(target: DeliveryTarget, msg: OutgoingMessage): Promise<{ activityId?: string }> {
    const conversation = target.channelPost?.channelId ?? target.conversationId;
    const n = this.calls.length;
    this.calls.push({ at: this.now(), conversation, recipientText: msg.text });
    const latency = this.latency?.(n);
    if (latency && this.sleep) {
      await this.sleep(latency.ms * latency.toArrival);
      this.arrivals.push({ at: this.now(), conversation });
      await this.sleep(latency.ms * (1 - latency.toArrival));
    }
    const next = this.script.get(conversation)?.shift();
    if (next === 'hang') return new Promise(() => undefined);
    if (next) throw next;
    return { activityId: `activity-${this.calls.length}` };
  }

  callsTo(conversation: string): number {
    return this.calls.filter((c) => c.conversation === conversation).length;
  }
}

const http = (status: number, retryAfterMs?: number) => new DeliveryError(`HTTP ${status}`, { status, retryAfterMs });
const net = (code: string) => new DeliveryError(code, { code });

async function setup(options: Partial<DeliveryOptions> = {}, ledger: DocumentLedger = new MemoryLedger()) {
  const time = new VirtualTime();
  const store = new MemoryStore();
  const sender = new FakeSender(() => time.now());
  sender.sleep = time.sleep;
  const gone: string[] = [];
  const engine = new DeliveryEngine({
    ledger,
    sender,
    conversations: store.conversations,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    onConversationGone: (id) => void gone.push(id),
    options,
  });
  const remember = async (id: string, updatedAt = '2024-03-01T00:00:00.000Z') =>
    store.conversations.upsert({
      id,
      kind: 'personal',
      tenantId: TENANT,
      serviceUrl: 'https://smba.example/',
      reference: {},
      active: true,
      updatedAt,
    });
  return { time, store, sender, ledger, engine, gone, remember };
}

/** A deterministic pseudo-random sequence in [0, 1) (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** For every send, how many sends to the same key fall in the window ending at it. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, start = 0; i < sorted.length; i++) {
    while (sorted[start]! <= sorted[i]! - windowMs) start++;
    max = Math.max(max, i - start + 1);
  }
  return max;
}

describe('proactive delivery engine', () => {
  describe('exactly once', () => {
    it('sends every recipient once and records the activity id; a second tick sends nothing', async () => {
      const { time, sender, engine, ledger } = await setup();
      const first = await time.run(engine.deliver(occurrence(), personal(20)));
      assert.deepEqual(first.counts, { sent: 20, skipped: 0, failed: 0, unknown: 0, inProgress: 0 });
      const again = await time.run(engine.deliver(occurrence(), personal(20)));
      assert.equal(again.counts.sent, 20);
      assert.equal(sender.calls.length, 20);
      assert.equal(new Set(sender.calls.map((c) => c.conversation)).size, 20);
      const [overview] = await ledger.overview();
      assert.equal(overview!.key, occurrence().key);
    });

    it('two scheduler ticks at once never send the same recipient twice', async () => {
      const { time, sender, engine } = await setup({ concurrency: 3 });
      const [a, b] = await time.run(
        Promise.all([engine.deliver(occurrence(), personal(40)), engine.deliver(occurrence(), personal(40))]),
      );
      // Each tick returns when its own sends are done; the other's may still be in flight.
      assert.equal(a.counts.sent + a.counts.inProgress, 40);
      assert.equal(b.counts.sent + b.counts.inProgress, 40);
      assert.equal((await engine.overview())[0]!.counts.sent, 40);
      assert.equal(sender.calls.length, 40);
      for (let i = 0; i < 40; i++) assert.equal(sender.callsTo(`a:${i}`), 1);
    });

    it('sends recipients added to an occurrence later, and only them', async () => {
      const { time, sender, engine } = await setup();
      await time.run(engine.deliver(occurrence(), personal(5)));
      const after = await time.run(engine.deliver(occurrence(), personal(8)));
      assert.equal(after.counts.sent, 8);
      assert.equal(sender.calls.length, 8);
    });

    it('claims at most `concurrency` rows at once across many concurrent deliveries (a crash leaves few unknown)', async () => {
      const data = emptyLedger();
      const { time, engine, sender } = await setup(
        { concurrency: 4, claimBatch: 1 },
        new DocumentLedger(data, async () => {}),
      );
      let maxClaimed = 0;
      const send = sender.send.bind(sender);
      sender.send = async (target, msg) => {
        const claimed = data.occurrences.flatMap((o) => o.rows).filter((r) => r.state === 'sending').length;
        maxClaimed = Math.max(maxClaimed, claimed);
        return send(target, msg);
      };
      // 60 one-recipient occurrences delivered at once, like the weekly reminder of 60 reporters:
      // without one limit across deliveries every row would be 'sending' while it waits for pacing.
      const all = Array.from({ length: 60 }, (_, i) =>
        engine.deliver(occurrence(`weekly:2024-W11:aad-${i}`), personal(1, i)),
      );
      const results = await time.run(Promise.all(all));
      assert.equal(results.filter((r) => r.counts.sent === 1).length, 60);
      assert.equal(sender.calls.length, 60);
      assert.ok(maxClaimed >= 1 && maxClaimed <= 4, `at most 4 rows claimed at once, saw ${maxClaimed}`);
    });

    it('records items marked skip without sending them', async () => {
      const { time, sender, engine } = await setup();
      const items = personal(3);
      items[1] = { ...items[1]!, skip: 'absent' };
      const result = await time.run(engine.deliver(occurrence(), items));
      assert.deepEqual(result.counts, { sent: 2, skipped: 1, failed: 0, unknown: 0, inProgress: 0 });
      assert.equal(sender.callsTo('a:1'), 0);
    });
  });

  describe('retries', () => {
    it('on a 429 only that row waits for Retry-After; the others go on, even with a single worker', async () => {
      const { time, sender, engine } = await setup({ concurrency: 1 });
      const t0 = time.now();
      sender.fail('a:0', http(429, 5_000));
      // 100 recipients in one tenant take several seconds at 30/s.
      const result = await time.run(engine.deliver(occurrence(), personal(100)));
      assert.deepEqual(result.counts, { sent: 100, skipped: 0, failed: 0, unknown: 0, inProgress: 0 });
      const retry = sender.calls.filter((c) => c.conversation === 'a:0');
      assert.equal(retry.length, 2);
      assert.ok(retry[1]!.at >= t0 + 5_000, 'the row waits for its Retry-After');
      // No global pause: the other rows are sent meanwhile, once each.
      const during = sender.calls.filter((c) => c.at > t0 && c.at < t0 + 5_000);
      assert.ok(during.length >= 90, `others are sent during the 5 s: ${during.length}`);
      for (let i = 1; i < 100; i++) assert.equal(sender.callsTo(`a:${i}`), 1);
    });

    it('slows the tenant down for a moment after a 429, then returns to its full pace', async () => {
      const { time, sender, engine } = await setup({ concurrency: 4, slowdownFactor: 0.5, slowdownMs: 2_000 });
      sender.fail('a:100', http(429, 1_000));
      await time.run(engine.deliver(occurrence(), personal(250)));
      const failedAt = sender.calls.find((c) => c.conversation === 'a:100')!.at;
      const starts = (from: number, to: number) => sender.calls.filter((c) => c.at >= from && c.at < to).length;
      // The 1 s before the 429 and the seconds after the slowdown: the full 30/s.
      assert.ok(starts(failedAt - 1_000, failedAt) >= 29, `before: ${starts(failedAt - 1_000, failedAt)}`);
      assert.ok(
        starts(failedAt + 2_100, failedAt + 3_100) >= 29,
        `after: ${starts(failedAt + 2_100, failedAt + 3_100)}`,
      );
      // During the slowdown: half of it.
      for (const from of [failedAt + 1, failedAt + 1_000])
        assert.ok(starts(from, from + 1_000) <= 15, `slowed: ${starts(from, from + 1_000)}`);
      assert.equal(sender.callsTo('a:100'), 2);
    });

    it('pauses every send only in a storm of 429s, and still delivers each row once', async () => {
      const { time, sender, engine } = await setup({ concurrency: 4, stormThreshold: 4, stormSample: 20 });
      // Teams refuses a run of sends: a storm, not a stray 429.
      for (let i = 10; i < 16; i++) sender.fail(`a:${i}`, http(429, 3_000));
      const result = await time.run(engine.deliver(occurrence(), personal(60)));
      assert.equal(result.counts.sent, 60);
      for (let i = 0; i < 60; i++) assert.ok(sender.callsTo(`a:${i}`) === (i >= 10 && i < 16 ? 2 : 1));
      // After the fourth 429 nothing at all goes out for the Retry-After.
      const refused = sender.calls.filter((c) => /^a:1[0-5]$/.test(c.conversation));
      const fourth = refused[3]!.at;
      const quiet = sender.calls.filter((c) => c.at > fourth && c.at < fourth + 3_000);
      assert.ok(quiet.length <= 4, `only sends already under way may start within the pause: ${quiet.length}`);
      // A stray 429 before the storm did not pause anything: rows 10..12 were refused without a gap.
      assert.ok(refused[2]!.at - refused[0]!.at < 500);
    });

    it("starts a storm's pause from the base again once sends got through in between", async () => {
      const { time, sender, engine } = await setup({ concurrency: 4 });
      // Two storms of 429s without Retry-After, with ordinary sends between them.
      for (const i of [10, 11, 12, 13, 40, 41, 42, 43]) sender.fail(`a:${i}`, http(429));
      const result = await time.run(engine.deliver(occurrence(), personal(80)));
      assert.equal(result.counts.sent, 80);
      const pauseAfter = (conversation: string) => {
        const at = sender.calls.find((c) => c.conversation === conversation)!.at;
        return sender.calls.find((c) => c.at > at)!.at - at;
      };
      // The backoff of a first storm (random 0.5: 750 ms), both times; not doubled the second time.
      assert.ok(pauseAfter('a:13') >= 750 && pauseAfter('a:13') < 1_500, `first pause ${pauseAfter('a:13')} ms`);
      assert.ok(pauseAfter('a:43') >= 750 && pauseAfter('a:43') < 1_500, `second pause ${pauseAfter('a:43')} ms`);
    });

    it('backs off with jitter on a 429 without Retry-After, and gives up after maxAttempts', async () => {
      const { time, sender, engine } = await setup();
      const t0 = time.now();
      sender.fail('a:0', http(429));
      sender.fail('a:1', ...Array.from({ length: 10 }, () => http(429)));
      const result = await time.run(engine.deliver(occurrence(), personal(2)));
      const calls0 = sender.calls.filter((c) => c.conversation === 'a:0');
      assert.equal(calls0.length, 2);
      assert.ok(calls0[1]!.at - t0 >= 500, 'waits at least half the base delay');
      assert.equal(sender.callsTo('a:1'), 6);
      assert.deepEqual(result.failures, [{ recipient: 'aad-1', reason: 'retries-exhausted:http-429', attempts: 6 }]);
      assert.equal(result.counts.sent, 1);
    });

    for (const [label, error] of [
      ['412', http(412)],
      ['502', http(502)],
      ['503', http(503)],
      ['504', http(504)],
      ['500', http(500)],
      ['ECONNRESET', net('ECONNRESET')],
      ['ECONNREFUSED', net('ECONNREFUSED')],
      ['ETIMEDOUT', net('ETIMEDOUT')],
    ] as const) {
      it(`retries ${label} and then delivers once`, async () => {
        const { time, sender, engine } = await setup();
        sender.fail('a:0', error, error);
        const result = await time.run(engine.deliver(occurrence(), personal(1)));
        assert.equal(result.counts.sent, 1);
        assert.equal(sender.callsTo('a:0'), 3);
      });
    }

    it('retries a 500 only a few times (maxAttemptsServerError)', async () => {
      const { time, sender, engine } = await setup();
      sender.fail('a:0', ...Array.from({ length: 10 }, () => http(500)));
      const result = await time.run(engine.deliver(occurrence(), personal(1)));
      assert.equal(sender.callsTo('a:0'), 3);
      assert.deepEqual(result.failures, [{ recipient: 'aad-0', reason: 'retries-exhausted:http-500', attempts: 3 }]);
    });

    it('does not retry a 400 or an unknown error', async () => {
      const { time, sender, engine } = await setup();
      sender.fail('a:0', http(400));
      sender.fail('a:1', new DeliveryError('no reference', { code: 'NO_REFERENCE' }));
      const result = await time.run(engine.deliver(occurrence(), personal(2)));
      assert.equal(sender.callsTo('a:0'), 1);
      assert.equal(sender.callsTo('a:1'), 1);
      assert.deepEqual(
        result.failures.map((f) => [f.recipient, f.reason]),
        [
          ['aad-0', 'http-400'],
          ['aad-1', 'no-reference'],
        ],
      );
    });

    it('records a send that never answers as unknown and does not resend it', async () => {
      const { time, sender, engine } = await setup({ sendTimeoutMs: 10_000 });
      sender.fail('a:0', 'hang');
      const result = await time.run(engine.deliver(occurrence(), personal(2)));
      assert.deepEqual(result.counts, { sent: 1, skipped: 0, failed: 0, unknown: 1, inProgress: 0 });
      assert.deepEqual(result.uncertain, ['aad-0']);
      await time.run(engine.deliver(occurrence(), personal(2)));
      assert.equal(sender.callsTo('a:0'), 1);
    });
  });

  describe('conversations that are gone', () => {
    it('marks a 403/404 conversation inactive, fails the row as gone and tells coordinators once', async () => {
      const { time, sender, engine, store, gone, remember } = await setup();
      for (const id of ['a:0', 'a:1', 'a:2']) await remember(id);
      sender.fail('a:0', http(403));
      sender.fail('a:1', http(404));
      const first = await time.run(engine.deliver(occurrence('o1'), personal(3)));
      assert.deepEqual(first.failures.map((f) => [f.recipient, f.reason]).sort(), [
        ['aad-0', 'gone'],
        ['aad-1', 'gone'],
      ]);
      assert.equal((await store.conversations.get('a:0'))!.active, false);
      assert.equal((await store.conversations.get('a:1'))!.active, false);
      assert.equal((await store.conversations.get('a:2'))!.active, true);
      assert.deepEqual([...gone].sort(), ['a:0', 'a:1']);

      // The next occurrence skips them without a call, and nobody is told again.
      const second = await time.run(engine.deliver(occurrence('o2'), personal(3)));
      assert.deepEqual(second.counts, { sent: 1, skipped: 2, failed: 0, unknown: 0, inProgress: 0 });
      assert.equal(sender.callsTo('a:0'), 1);
      assert.equal(gone.length, 2);
    });

    it('tells coordinators once when many rows of one conversation fail at once, and again after the bot came back', async () => {
      const { time, sender, engine, gone, remember } = await setup({ concurrency: 4 });
      await remember('19:group');
      const group = (n: number): DeliveryItem[] =>
        Array.from({ length: n }, (_, i) => ({
          recipient: `aad-${i}`,
          target: { conversationId: '19:group', tenantId: TENANT },
          message,
        }));
      sender.fail('19:group', http(404), http(404), http(404), http(404));
      const result = await time.run(engine.deliver(occurrence('o1'), group(6)));
      assert.equal(result.counts.sent, 0);
      assert.equal(result.counts.failed + result.counts.skipped, 6);
      assert.deepEqual(gone, ['19:group']);

      // Re-installed later (the conversation service marks it active again), then removed again.
      time.clock.advance(86_400_000);
      await remember('19:group', time.clock.now().toISOString());
      sender.fail('19:group', http(403));
      await time.run(engine.deliver(occurrence('o2'), group(1)));
      assert.deepEqual(gone, ['19:group', '19:group']);
    });
  });

  describe('pacing', () => {
    it('never exceeds 7/1 s, 8/2 s or 60/30 s in a fan-out of 50 to one conversation', async () => {
      const { time, sender, engine } = await setup({ concurrency: 8 });
      const items = Array.from({ length: 50 }, (_, i) => ({
        recipient: `aad-${i}`,
        target: { conversationId: '19:channel', tenantId: TENANT },
        message,
      }));
      const result = await time.run(engine.deliver(occurrence(), items));
      assert.equal(result.counts.sent, 50);
      const times = sender.calls.map((c) => c.at);
      assert.ok(maxInWindow(times, 1_000) <= 7, `7/s exceeded: ${maxInWindow(times, 1_000)}`);
      assert.ok(maxInWindow(times, 2_000) <= 8, `8/2s exceeded: ${maxInWindow(times, 2_000)}`);
      assert.ok(maxInWindow(times, 30_000) <= 60);
      assert.equal(maxInWindow(times, 2_000), 8, 'uses the room it has');
    });

    it('keeps a tenant under 30 sends per second across conversations', async () => {
      const { time, sender, engine } = await setup({ concurrency: 16 });
      await time.run(engine.deliver(occurrence(), personal(200)));
      assert.equal(sender.calls.length, 200);
      assert.ok(
        maxInWindow(
          sender.calls.map((c) => c.at),
          1_000,
        ) <= 30,
      );
    });

    it('keeps the tenant within 30 per second as Teams counts them, on arrival, with latency and jitter', async () => {
      const { time, sender, engine } = await setup({ concurrency: 8 });
      // Each send takes 20–400 ms and reaches Teams anywhere within that time.
      const rand = seeded(42);
      sender.latency = () => ({ ms: 20 + rand() * 380, toArrival: rand() });
      const result = await time.run(engine.deliver(occurrence(), personal(300)));
      assert.equal(result.counts.sent, 300);
      assert.equal(sender.arrivals.length, 300);
      const arrived = sender.arrivals.map((a) => a.at);
      assert.ok(maxInWindow(arrived, 1_000) <= 30, `30/s at arrival exceeded: ${maxInWindow(arrived, 1_000)}`);
      // Counted only at their start, the same sends would have arrived too densely: the case
      // the start-to-answer counting exists for (a slow request followed by a fast one).
      const onlyAtStart = new WindowLimiter([{ limit: 30, windowMs: 1_000 }]);
      const naive: number[] = [];
      let t = 0;
      const rand2 = seeded(42);
      for (let i = 0; i < 300; i++) {
        t += onlyAtStart.waitMs('T', t);
        onlyAtStart.record('T', t);
        const ms = 20 + rand2() * 380;
        naive.push(t + ms * rand2());
      }
      assert.ok(maxInWindow(naive, 1_000) > 30, 'the naive pacing would have gone over');
    });

    it("spreads a tenant's sends evenly instead of a window's worth at once", async () => {
      const { time, sender, engine } = await setup({ concurrency: 16 });
      await time.run(engine.deliver(occurrence(), personal(60)));
      const starts = sender.calls.map((c) => c.at).sort((a, b) => a - b);
      const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
      assert.ok(Math.min(...gaps) >= 33, `smallest gap ${Math.min(...gaps)} ms`);
      assert.ok(maxInWindow(starts, 200) <= 7, 'no burst');
    });

    it('counts a send from its start until its answer plus the window', () => {
      const limiter = new WindowLimiter([{ limit: 1, windowMs: 1_000 }], { marginMs: 5 });
      const answered = limiter.begin('k', 0);
      // In flight: it leaves the window no sooner than a full window (and the margin) from now.
      assert.equal(limiter.waitMs('k', 100), 1_005);
      assert.equal(limiter.waitMs('k', 900), 1_005);
      answered(950);
      assert.equal(limiter.waitMs('k', 1_000), 955);
      assert.equal(limiter.waitMs('k', 1_955), 0);
      // With room for two, either one leaving makes room.
      const two = new WindowLimiter([{ limit: 2, windowMs: 1_000 }]);
      two.begin('k', 0);
      two.begin('k', 10)(50);
      assert.equal(two.waitMs('k', 100), 950);
    });

    it('spaces sends on an even grid, pauses a key and slows it down for a while', () => {
      const limiter = new WindowLimiter([{ limit: 10, windowMs: 1_000 }], { spread: true });
      limiter.record('k', 0);
      assert.equal(limiter.waitMs('k', 0), 100);
      assert.equal(limiter.waitMs('k', 60), 40);
      // A send a millisecond late keeps the grid: the next is due at 200, not 201.
      limiter.record('k', 101);
      assert.equal(limiter.waitMs('k', 101), 99);
      limiter.pause('k', 700);
      assert.equal(limiter.waitMs('k', 300), 400);
      assert.equal(limiter.waitMs('other', 300), 0);
      // Much later than due: a new grid, no catch-up.
      limiter.record('k', 700);
      assert.equal(limiter.waitMs('k', 700), 100);
      assert.equal(limiter.slowDown('k', 0.5, 2_000, 700), 0.5);
      limiter.record('k', 800);
      assert.equal(limiter.waitMs('k', 800), 200, 'half the pace: 200 ms apart');
      assert.equal(limiter.slowDown('k', 0.5, 2_000, 850), 0.25, 'a second 429 deepens the slowdown');
      assert.equal(limiter.slowDown('k', 0.5, 2_000, 860), 0.25, 'never below the floor');
      limiter.record('k', 1_000);
      assert.equal(limiter.waitMs('k', 1_000), 400);
      // The slowdown ended at 2 000: the full pace again.
      limiter.record('k', 2_000);
      assert.equal(limiter.waitMs('k', 2_000), 100);
      // The windows keep their limits (what Teams enforces) in a slowdown.
      const windowOnly = new WindowLimiter([{ limit: 2, windowMs: 1_000 }]);
      windowOnly.slowDown('k', 0.5, 5_000, 0);
      windowOnly.record('k', 0);
      assert.equal(windowOnly.waitMs('k', 10), 0);
    });

    it("paces on its own timer when the bot's clock stands still (real sleep)", async () => {
      const store = new MemoryStore();
      let sent = 0;
      const engine = new DeliveryEngine({
        ledger: new MemoryLedger(),
        sender: { send: async () => ({ activityId: `act-${++sent}` }) },
        conversations: store.conversations,
        clock: new ManualClock('2024-03-14T12:00:00Z'),
        options: { perTenant: [{ limit: 1_000, windowMs: 1_000 }] },
      });
      const result = await engine.deliver(occurrence(), personal(40));
      assert.equal(result.counts.sent, 40);
      assert.equal(sent, 40);
    });

    it('computes waits for several windows at once', () => {
      const limiter = new WindowLimiter([
        { limit: 2, windowMs: 1_000 },
        { limit: 3, windowMs: 10_000 },
      ]);
      limiter.record('k', 0);
      limiter.record('k', 100);
      assert.equal(limiter.waitMs('k', 200), 800);
      limiter.record('k', 1_000);
      assert.equal(limiter.waitMs('k', 1_500), 8_500);
      assert.equal(limiter.waitMs('other', 1_500), 0);
    });

    it('parses Retry-After as seconds or an HTTP-date and backs off within the cap', () => {
      const now = Date.parse('2024-03-14T10:00:00Z');
      assert.equal(parseRetryAfter('3', now), 3_000);
      assert.equal(parseRetryAfter('Thu, 14 Mar 2024 10:00:10 GMT', now), 10_000);
      assert.equal(parseRetryAfter('Thu, 14 Mar 2024 09:00:00 GMT', now), 0);
      assert.equal(parseRetryAfter('soon', now), undefined);
      assert.equal(parseRetryAfter(undefined, now), undefined);
      const settings = { baseMs: 1_000, capMs: 30_000 };
      assert.equal(
        backoffDelay(1, settings, () => 0),
        500,
      );
      assert.equal(
        backoffDelay(1, settings, () => 1),
        1_000,
      );
      assert.equal(
        backoffDelay(3, settings, () => 1),
        4_000,
      );
      assert.equal(
        backoffDelay(20, settings, () => 1),
        30_000,
      );
    });
  });

  describe('restart', () => {
    it('after a restart: in-flight rows become unknown and are not resent, waiting and untouched rows are sent', async () => {
      const data: LedgerData = emptyLedger();
      const first = await setup({}, new DocumentLedger(data, async () => {}));
      await first.ledger.enqueue(occurrence(), personal(4), '2024-03-14T08:00:00.000Z');
      const claimed = await first.ledger.claim(3, '2024-03-14T08:00:01.000Z');
      assert.equal(claimed.length, 3);
      await first.ledger.markRetrying(occurrence().key, 'aad-1', '2024-03-14T08:00:02.000Z'); // a 429, waiting to retry
      await first.ledger.complete(
        occurrence().key,
        'aad-2',
        { state: 'sent', activityId: 'x' },
        '2024-03-14T08:00:02.000Z',
      );
      // The process dies: aad-0 in flight, aad-1 waiting for a retry, aad-3 never started.

      const second = await setup({}, new DocumentLedger(data, async () => {}));
      await second.time.run(second.engine.resume());
      const [overview] = await second.engine.overview();
      assert.deepEqual(overview!.counts, { sent: 3, skipped: 0, failed: 0, unknown: 1, inProgress: 0 });
      assert.deepEqual(overview!.uncertain, ['aad-0']);
      assert.deepEqual(second.sender.calls.map((c) => c.conversation).sort(), ['a:1', 'a:3']);
    });

    it('rows waiting for their pacing slot stay pending on disk: a crash leaves only the row in flight unknown', async () => {
      const data: LedgerData = emptyLedger();
      // Two sends per second and eight workers: most rows wait for the pace at any moment.
      const first = await setup(
        { perTenant: [{ limit: 2, windowMs: 1_000 }], concurrency: 8 },
        new DocumentLedger(data, async () => {}),
      );
      let disk: LedgerData | undefined;
      let inFlight = '';
      const send = first.sender.send.bind(first.sender);
      first.sender.send = async (target, msg) => {
        // The process dies while the fifth send is in flight: what is on disk at that moment.
        if (first.sender.calls.length === 4 && !disk) {
          disk = structuredClone(data);
          inFlight = target.conversationId.replace('a:', 'aad-');
        }
        return send(target, msg);
      };
      await first.time.run(first.engine.deliver(occurrence(), personal(12)));
      assert.ok(disk, 'the fifth send happened');

      const second = await setup({}, new DocumentLedger(disk!, async () => {}));
      await second.time.run(second.engine.resume());
      const [overview] = await second.engine.overview();
      assert.deepEqual(overview!.counts, { sent: 11, skipped: 0, failed: 0, unknown: 1, inProgress: 0 });
      assert.deepEqual(overview!.uncertain, [inFlight]);
      assert.equal(second.sender.calls.length, 7, 'the rows that had waited for the pace are sent after the restart');
    });

    it('stop() wakes a retry and leaves the row to be sent by the next process', async () => {
      const data: LedgerData = emptyLedger();
      const first = await setup({}, new DocumentLedger(data, async () => {}));
      first.sender.fail('a:0', http(429, 60_000));
      const running = first.engine.deliver(occurrence(), personal(1));
      await new Promise((r) => setImmediate(r));
      await first.engine.stop();
      await running;
      assert.equal(first.sender.calls.length, 1);

      const second = await setup({}, new DocumentLedger(data, async () => {}));
      await second.time.run(second.engine.resume());
      assert.equal(second.sender.callsTo('a:0'), 1);
      assert.equal((await second.engine.overview())[0]!.counts.sent, 1);
    });

    it('a crash in the middle of a fan-out of 200: every recipient sent at most once, sent + unknown = 200', async () => {
      const path = join(tempDir('mlbot-ledger-'), 'db.ledger.json');
      const fast: Partial<DeliveryOptions> = {
        perConversation: [{ limit: 1_000, windowMs: 1_000 }],
        perTenant: [{ limit: 10_000, windowMs: 1_000 }],
        concurrency: 8,
        claimBatch: 3,
      };
      const items = personal(200);
      const delivered: string[] = []; // what "Teams" received, in order
      const sendsBeforeCrash = 100;

      // The first process: at the moment of the crash, what is on disk is copied to where the
      // second process starts (appends are synchronous, so the copy is exactly what a kill leaves).
      const restartDir = tempDir('mlbot-ledger-restart-');
      const restartPath = join(restartDir, 'db.ledger.json');
      let dead = false;
      const snapshotDisk = () => {
        for (const f of [path, path.replace(/\.json$/, '.jsonl')])
          if (existsSync(f)) copyFileSync(f, join(restartDir, basename(f)));
      };
      let crashed!: () => void;
      const crash = new Promise<void>((r) => (crashed = r));
      const firstLedger = await LedgerFile.open(path);
      const firstSender: ProactiveSender = {
        async send(target) {
          if (dead) return new Promise(() => undefined); // the process is gone: nothing happens any more
          delivered.push(target.conversationId);
          if (delivered.length === sendsBeforeCrash + 1) {
            // Teams got this one, but the process dies before recording it.
            dead = true;
            snapshotDisk();
            crashed();
            return new Promise(() => undefined);
          }
          return { activityId: `act-${delivered.length}` };
        },
      };
      const firstStore = new MemoryStore();
      const firstEngine = new DeliveryEngine({
        ledger: firstLedger,
        sender: firstSender,
        conversations: firstStore.conversations,
        clock: systemClock,
        options: fast,
      });
      void firstEngine.deliver(occurrence(), items).catch(() => undefined);
      await crash;

      // The second process opens the same file; the scheduler asks again for the same occurrence.
      const secondLedger = await LedgerFile.open(restartPath);
      const secondSender: ProactiveSender = {
        async send(target) {
          delivered.push(target.conversationId);
          return { activityId: `act-${delivered.length}` };
        },
      };
      const secondEngine = new DeliveryEngine({
        ledger: secondLedger,
        sender: secondSender,
        conversations: new MemoryStore().conversations,
        clock: systemClock,
        options: fast,
      });
      await secondEngine.resume();
      const result = await secondEngine.deliver(occurrence(), items);
      await secondLedger.close();

      assert.equal(new Set(delivered).size, delivered.length, 'no recipient received the reminder twice');
      assert.equal(result.counts.sent + result.counts.unknown, 200);
      assert.equal(result.counts.failed, 0);
      assert.equal(result.counts.inProgress, 0);
      assert.ok(result.counts.unknown >= 1, 'the row in flight at the crash is unknown');
      assert.ok(
        result.counts.unknown <= 8 * 3,
        `at most concurrency × claimBatch rows are in flight: ${result.counts.unknown}`,
      );
      const unknown = new Set(result.uncertain.map((r) => `a:${r.slice(4)}`));
      const sent = items.map((i) => i.target.conversationId).filter((c) => !unknown.has(c));
      for (const c of sent) assert.equal(delivered.filter((d) => d === c).length, 1, `${c} delivered exactly once`);
      // The file on disk says the same after another restart.
      const reopened = await LedgerFile.open(restartPath);
      assert.deepEqual((await reopened.overview())[0]!.counts, result.counts);
    });
  });

  describe('overview and ledger file', () => {
    it('reports counts and failures with reason codes and AAD ids only', async () => {
      const { time, sender, engine, ledger } = await setup();
      sender.fail('a:1', http(400));
      const items: DeliveryItem[] = personal(3).map((i) => ({
        ...i,
        message: { text: 'Hej <at>Anna Berg</at>', mentions: [{ aadObjectId: i.recipient, name: 'Anna Berg' }] },
      }));
      items[2] = { ...items[2]!, skip: 'absent' };
      await time.run(engine.deliver(occurrence(), items));
      const [o] = await engine.overview({ kinds: ['weeklyReport'] });
      assert.deepEqual(o, {
        key: occurrence().key,
        kind: 'weeklyReport',
        due: occurrence().due,
        createdAt: o!.createdAt,
        counts: { sent: 1, skipped: 1, failed: 1, unknown: 0, inProgress: 0 },
        failures: [{ recipient: 'aad-1', reason: 'http-400', attempts: 1 }],
        uncertain: [],
      });
      assert.doesNotMatch(JSON.stringify(o), /Anna/);
      // Once nothing more will be sent, the message bodies (names in mentions) leave the ledger.
      assert.doesNotMatch(JSON.stringify((ledger as unknown as { data: unknown }).data), /Anna/);
      assert.deepEqual(await engine.overview({ since: '2025-01-01T00:00:00Z' }), []);
    });

    it('prunes finished occurrences before a date', async () => {
      const { time, engine, ledger } = await setup();
      await time.run(engine.deliver({ key: 'old', kind: 'weeklyReport', due: '2023-01-01T00:00:00Z' }, personal(1)));
      await time.run(engine.deliver(occurrence(), personal(1)));
      assert.equal(await ledger.prune('2024-01-01T00:00:00Z'), 1);
      assert.deepEqual(
        (await engine.overview()).map((o) => o.key),
        [occurrence().key],
      );
    });

    it('one occurrence with many recipients is one batch: one write for all its rows, then only each row’s own changes', async () => {
      const data = emptyLedger();
      const writes: number[] = [];
      const ledger = new DocumentLedger(data, async (changes) => void writes.push(changes.length));
      const { time, engine, sender } = await setup({ perTenant: [{ limit: 10_000, windowMs: 1_000 }] }, ledger);
      const overview = await time.run(engine.deliver(occurrence(), personal(300)));
      assert.equal(overview.counts.sent, 300);
      assert.equal(new Set(sender.calls.map((c) => c.conversation)).size, 300);
      assert.equal(data.occurrences.length, 1);
      // The enqueue: the occurrence, its message and 300 rows in one write; then per row its attempt and its outcome.
      assert.equal(writes[0], 302);
      assert.equal(writes.length, 1 + 2 * 300);
      assert.ok(
        writes.slice(1).every((n) => n <= 2),
        'a row’s outcome (and the settled occurrence) only',
      );
    });

    it('lives next to the data file and refuses a damaged file without touching it', async () => {
      assert.equal(LedgerFile.pathFor('data/db.json'), 'data/db.ledger.json');
      const path = join(tempDir('mlbot-ledger-'), 'db.ledger.json');
      writeFileSync(path, '{"version": 1, "occurrences": [ {');
      await assert.rejects(
        LedgerFile.open(path),
        (err: unknown) => err instanceof StoreOpenError && /could not be read/.test((err as Error).message),
      );
      writeFileSync(path, JSON.stringify({ version: 7, occurrences: [] }));
      await assert.rejects(LedgerFile.open(path), StoreOpenError);
      assert.equal(readFileSync(path, 'utf8'), JSON.stringify({ version: 7, occurrences: [] }));
    });
  });
});
