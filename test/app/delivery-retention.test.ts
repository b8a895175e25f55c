import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { MemoryAuditLog } from '../../src/app/audit.js';
import { ManualClock } from '../../src/app/clock.js';
import type { DeliveryItem } from '../../src/app/delivery/index.js';
import { RetentionService } from '../../src/app/retention.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { MemoryLedger } from '../../src/storage/ledger-file.js';
import { MemoryStore } from '../../src/storage/memory-store.js';

const DAY = 24 * 3600 * 1000;
const NOW = '2024-06-01T03:15:00.000Z';
const daysAgo = (d: number) => new Date(Date.parse(NOW) - d * DAY).toISOString();
const item = (recipient: string): DeliveryItem => ({
  recipient,
  target: { conversationId: `c:${recipient}` },
  message: { text: 'Hej' },
});

/** A ledger with a settled occurrence due `days` ago for each, and one still open from long ago. */
async function ledgerWith(days: number[]): Promise<MemoryLedger> {
  const ledger = new MemoryLedger();
  for (const d of days) {
    const key = `weekly:a1:${d}`;
    await ledger.enqueue({ key, kind: 'weeklyReport', due: daysAgo(d) }, [item('aad-1'), item('aad-2')], daysAgo(d));
    for (const row of await ledger.claim(10, daysAgo(d), key))
      await ledger.complete(key, row.recipient, { state: 'sent' }, daysAgo(d));
  }
  await ledger.enqueue({ key: 'open', kind: 'weeklyReport', due: daysAgo(400) }, [item('aad-3')], daysAgo(400));
  return ledger;
}

const service = (ledger: MemoryLedger, deliveryLedgerDays: number) =>
  new RetentionService(
    new MemoryStore(),
    new ManualClock(NOW),
    new MemoryAuditLog(),
    { freeTextDays: 0, deliveryLedgerDays },
    undefined,
    ledger,
  );

describe('retention of the delivery ledger', () => {
  it('the nightly run prunes settled occurrences older than the retention, keeps rows still to be sent', async () => {
    const ledger = await ledgerWith([200, 91, 89, 7]);
    const result = await service(ledger, 90).run();
    assert.equal(result.deliveryOccurrencesPruned, 2);
    assert.deepEqual((await ledger.overview()).map((o) => o.key).sort(), ['open', 'weekly:a1:7', 'weekly:a1:89']);
  });

  it('keeps everything with 0', async () => {
    const ledger = await ledgerWith([2000]);
    const result = await service(ledger, 0).run();
    assert.equal(result.deliveryOccurrencesPruned, undefined);
    assert.equal((await ledger.overview()).length, 2);
  });

  it('påminnelser (the last 30 days) shows the same before and after a prune at the shortest retention', async () => {
    const ledger = await ledgerWith([45, 32, 31, 30, 29, 1]);
    const shown = () => ledger.overview({ since: daysAgo(30), limit: 25 });
    const before = await shown();
    const { deliveryLedgerDays } = loadConfig(
      { DELIVERY_LEDGER_RETENTION_DAYS: '31' },
      '/nonexistent-env-dir',
    ).retention;
    await service(ledger, deliveryLedgerDays).run();
    assert.deepEqual(await shown(), before);
    assert.deepEqual((await ledger.overview()).map((o) => o.key).sort(), [
      'open',
      'weekly:a1:1',
      'weekly:a1:29',
      'weekly:a1:30',
      'weekly:a1:31',
    ]);
  });

  it('DELIVERY_LEDGER_RETENTION_DAYS: default 90, 0 keeps forever, fewer than 31 or not a whole number is a clear error', () => {
    const load = (v?: string) =>
      loadConfig(v === undefined ? {} : { DELIVERY_LEDGER_RETENTION_DAYS: v }, '/nonexistent-env-dir').retention
        .deliveryLedgerDays;
    assert.equal(load(), 90);
    assert.equal(load(''), 90);
    assert.equal(load('0'), 0);
    assert.equal(load('31'), 31);
    for (const [bad, message] of [
      ['30', /DELIVERY_LEDGER_RETENTION_DAYS: .*at least 31 days/],
      ['7.5', /DELIVERY_LEDGER_RETENTION_DAYS: .*whole number of days/],
      ['ninety', /DELIVERY_LEDGER_RETENTION_DAYS: .*whole number of days/],
      ['-1', /DELIVERY_LEDGER_RETENTION_DAYS: .*at least 31 days/],
    ] as const) {
      assert.throws(
        () => load(bad),
        (err: unknown) => err instanceof ConfigError && message.test(err.message),
        bad,
      );
    }
  });
});
