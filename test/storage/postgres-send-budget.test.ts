import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it } from 'mocha';
import { PostgresSendBudget } from '../../src/storage/postgres/send-budget.js';
import { freshSchema, skipWithoutPostgres, type TestSchema } from '../helpers/postgres.js';
import { maxPerWindow } from '../helpers/windows.js';

describe('PostgresSendBudget: one pace per tenant across instances', () => {
  before(skipWithoutPostgres);
  let schema: TestSchema;
  beforeEach(async () => {
    schema = await freshSchema('pgbudget');
  });
  afterEach(async () => {
    await schema?.drop();
  });

  it('two budgets on one schema never hand out more than 30 slots of a tenant in any second together', async () => {
    // Two instances, each with its own pool and eight workers asking at once.
    const budgets = [new PostgresSendBudget(schema.pool(4)), new PostgresSendBudget(schema.pool(4))];
    const slots: { budget: number; slotMs: number }[] = [];
    await Promise.all(
      budgets.flatMap((budget, b) =>
        Array.from({ length: 8 }, async () => {
          for (let i = 0; i < 12; i++) slots.push({ budget: b, slotMs: (await budget.slot('tenant-1')).slotMs });
        }),
      ),
    );
    assert.equal(slots.length, 192);
    assert.ok(slots.some((s) => s.budget === 0) && slots.some((s) => s.budget === 1));
    const times = slots.map((s) => s.slotMs);
    assert.equal(new Set(times).size, times.length, 'no slot handed out twice');
    const max = maxPerWindow(times, 1000);
    assert.ok(max <= 30, `${max} slots in one second`);
    // The slots are on the database's clock: 192 slots span over six seconds whatever the machine did.
    assert.ok(Math.max(...times) - Math.min(...times) >= (191 * 1000) / 30);
  });

  it('leaves room for a stall of 100 ms: the sends it held back still make at most 30 in any second', async () => {
    // After its slot a send still waits for the ledger's commit and the reference lookup: a stall
    // there (a slow commit, a busy event loop) holds back every send whose slot falls in it and
    // releases them at once, bunched with the punctual slots after it.
    const budget = new PostgresSendBudget(schema.pool(2));
    const times: number[] = [];
    for (let i = 0; i < 100; i++) times.push((await budget.slot('tenant-1')).slotMs);
    const stallMs = 100;
    for (let from = times[0]!; from < times[60]!; from += 5) {
      const held = times.map((t) => (t >= from && t < from + stallMs ? from + stallMs : t));
      const max = maxPerWindow(held, 1000);
      assert.ok(max <= 30, `${max} in one second after a stall of ${stallMs} ms at ${from - times[0]!} ms`);
    }
  });

  it('another tenant has its own pace, and the wait is until the slot', async () => {
    const budget = new PostgresSendBudget(schema.pool(2), [{ limit: 1, windowMs: 10_000 }], 0);
    const first = await budget.slot('tenant-1');
    const second = await budget.slot('tenant-1');
    assert.equal(first.waitMs, 0);
    assert.ok(Math.abs(second.slotMs - first.slotMs - 10_000) < 0.01, `${second.slotMs - first.slotMs} ms apart`);
    assert.ok(second.waitMs > 0 && second.waitMs <= 10_000);
    assert.equal((await budget.slot('tenant-2')).waitMs, 0);
  });
});
