import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { ManualClock } from '../../src/app/clock.js';
import type { Leadership } from '../../src/app/ports.js';
import type { ReminderService } from '../../src/app/reminders.js';
import { ReminderTicker } from '../../src/scheduler/reminders.js';

/** Two instances on one database: both tick, only the leader runs the reminder pass. */
describe('ReminderTicker with several instances', () => {
  const quiet = { error: () => undefined, info: () => undefined };
  function instance(leadership: Leadership) {
    const passes: Date[] = [];
    const reminders = { runDue: async (now: Date) => void passes.push(now) } as unknown as ReminderService;
    const clock = new ManualClock('2024-03-14T10:00:00Z');
    return { passes, ticker: new ReminderTicker({ reminders, clock, logger: quiet, leadership }) };
  }

  it('runs the pass only in the instance that leads, and in the other once it takes over', async () => {
    let leader = 'a';
    const a = instance({ isLeader: async () => leader === 'a' });
    const b = instance({ isLeader: async () => leader === 'b' });
    for (let i = 0; i < 3; i++) await Promise.all([a.ticker.tick(), b.ticker.tick()]);
    assert.equal(a.passes.length, 3);
    assert.equal(b.passes.length, 0);
    leader = 'b'; // a died or lost its lock
    for (let i = 0; i < 2; i++) await Promise.all([a.ticker.tick(), b.ticker.tick()]);
    assert.equal(a.passes.length, 3);
    assert.equal(b.passes.length, 2);
  });

  it('shares one pass between concurrent ticks of the same instance', async () => {
    const a = instance({ isLeader: async () => true });
    await Promise.all([a.ticker.tick(), a.ticker.tick(), a.ticker.tick()]);
    assert.equal(a.passes.length, 1);
  });
});
