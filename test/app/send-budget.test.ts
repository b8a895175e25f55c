import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import {
  DeliveryEngine,
  MemorySendBudget,
  spacingMs,
  type DeliveryItem,
  type DeliveryLedger,
  type DeliveryTarget,
  type ProactiveSender,
  type SendBudget,
} from '../../src/app/delivery/index.js';
import { MemoryLedger } from '../../src/storage/ledger-file.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { VirtualTime } from '../helpers/virtual-time.js';
import { maxPerWindow } from '../helpers/windows.js';

/** A ledger whose marking of a row 'sending' takes `stall(recipient)` ms of virtual time. */
function stalling(ledger: MemoryLedger, time: VirtualTime, stall?: (recipient: string) => number): DeliveryLedger {
  if (!stall) return ledger;
  return new Proxy(ledger, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'markAttempt' || typeof value !== 'function')
        return typeof value === 'function' ? value.bind(target) : value;
      return async (key: string, recipient: string, at: string) => {
        const ms = stall(recipient);
        if (ms > 0) await time.sleep(ms);
        return target.markAttempt(key, recipient, at);
      };
    },
  });
}

describe('send budget per tenant', () => {
  it('spaces one tenant’s slots by the strictest window / limit, other tenants apart', async () => {
    assert.ok(Math.abs(spacingMs() - 1000 / 30) < 1e-9);
    const budget = new MemorySendBudget([{ limit: 10, windowMs: 1000 }]);
    assert.deepEqual(await Promise.all([0, 0, 0, 50].map((at) => budget.take('t1', at))), [0, 100, 200, 250]);
    assert.equal(await budget.take('t2', 0), 0, 'another tenant has its own pace');
    assert.equal(await budget.take('t1', 1000), 0, 'an idle tenant starts at once');
  });

  /** Two engines (two instances) sending to one tenant at once, with or without a shared budget. */
  async function twoInstances(
    budget?: SendBudget,
    opts: { stall?: (recipient: string) => number; lateSlotMs?: number } = {},
  ): Promise<number[]> {
    const time = new VirtualTime();
    const sends: number[] = [];
    const sender: ProactiveSender = {
      send: async (_target: DeliveryTarget) => {
        sends.push(time.now());
        await time.sleep(20); // Teams answers after 20 ms
        return { activityId: `a-${sends.length}` };
      },
    };
    const store = new MemoryStore();
    const engines = [0, 1].map(
      () =>
        new DeliveryEngine({
          ledger: stalling(new MemoryLedger(), time, opts.stall),
          sender,
          conversations: store.conversations,
          clock: time.clock,
          sleep: time.sleep,
          random: () => 0.5,
          sendBudget: budget,
          ...(opts.lateSlotMs !== undefined ? { options: { lateSlotMs: opts.lateSlotMs } } : {}),
        }),
    );
    const items = (instance: number): DeliveryItem[] =>
      Array.from({ length: 90 }, (_, i) => ({
        recipient: `aad-${instance}-${i}`,
        target: { conversationId: `a:${instance}:${i}`, tenantId: 'tenant-1' },
        message: { text: 'Dags att rapportera.' },
      }));
    await time.run(
      Promise.all(
        engines.map((e, n) =>
          e.deliver({ key: 'weekly', kind: 'weeklyReport', due: time.clock.now().toISOString() }, items(n)),
        ),
      ),
    );
    assert.equal(sends.length, 180);
    return sends;
  }

  it('two instances sharing the budget never start more than 30 sends to a tenant in any second together', async () => {
    const shared = new MemorySendBudget(undefined, 1);
    const max = maxPerWindow(await twoInstances(shared), 1000);
    assert.ok(max <= 30);
  });

  // Instance 0's ledger commits stall for 400 ms for eight rows in a row (all its permits): their
  // slots pass while they wait, and sent late they would bunch with instance 1's punctual slots.
  const stall = (recipient: string) => (/^aad-0-(3[0-7])$/.test(recipient) ? 400 : 0);

  it('a slot kept too long by a stalled commit is given up and a new one taken: still 30 per second at most', async () => {
    const max = maxPerWindow(await twoInstances(new MemorySendBudget(undefined, 1), { stall }), 1000);
    assert.ok(max <= 30, `${max} sends in one second`);
  });

  it('(the same stall with every slot kept exceeds the limit: the check above can fail)', async () => {
    const max = maxPerWindow(
      await twoInstances(new MemorySendBudget(undefined, 1), { stall, lateSlotMs: Infinity }),
      1000,
    );
    assert.ok(max > 30, `${max} sends in one second`);
  });

  it('without it each instance keeps its own 30 per second, and together they exceed the limit', async () => {
    const max = maxPerWindow(await twoInstances(), 1000);
    assert.ok(max > 30);
  });
});
