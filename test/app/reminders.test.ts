import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'mocha';
import { AgreementService } from '../../src/app/agreements.js';
import { ManualClock } from '../../src/app/clock.js';
import {
  DeliveryEngine,
  type DeliveryTarget,
  type OutgoingMessage,
  type ProactiveSender,
} from '../../src/app/delivery/index.js';
import { ReminderService, SKIP_OLD_KEY, weeklyOccurrenceKey, type ReminderRenderer } from '../../src/app/reminders.js';
import type { StoredConversation } from '../../src/domain/conversation.js';
import type { Reporter } from '../../src/domain/reporter.js';
import { StatusService } from '../../src/app/status.js';
import { DEFAULT_REMINDER_SETTINGS, weeklyKey } from '../../src/domain/reminders.js';
import { MemoryLedger } from '../../src/storage/ledger-file.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { createLogger } from '../../src/logger.js';

const WEEK = '2024-W11';
const AGREEMENT = 'tranas-2023-2024';
const aad = (n: number) => `aaaaaaaa-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;

class RecordingSender implements ProactiveSender {
  readonly sent: { conversationId: string; message: OutgoingMessage }[] = [];
  async send(target: DeliveryTarget, message: OutgoingMessage) {
    this.sent.push({ conversationId: target.channelPost?.channelId ?? target.conversationId, message });
    return { activityId: `activity-${this.sent.length}` };
  }
}

/** Renders plain markers: the use case is tested without Teams. */
const renderer: ReminderRenderer = {
  weeklyPersonal: async (r, week) => ({ text: `weekly ${week} ${r.aadObjectId}` }),
  weeklyChannel: (rs, week) => ({ text: `channel ${week} ${rs.map((r) => r.aadObjectId).join(',')}` }),
  meetingDigest: () => ({ text: 'digest' }),
  weeklySummary: (w) => ({ text: `summary ${w.week} ${w.reports}` }),
  tertialSummary: () => ({ text: 'tertial' }),
  periodWarning: () => ({ text: 'period' }),
  conversationGone: () => ({ text: 'gone' }),
  followUpDraft: (v) => ({ text: `follow-up draft ${v.stored.periodKey}` }),
  followUpCommunicate: (_a, p) => ({ text: `communicate ${p.key}` }),
  kfReport: (r) => ({ text: `kf report ${r.document.period.key}` }),
};

describe('ReminderService.runDue (the reminder use case)', () => {
  let store: MemoryStore;
  let ledger: MemoryLedger;
  let sender: RecordingSender;
  let service: ReminderService;
  let listed: number;
  // Thursday 14 March 2024, 13:00:30 in Stockholm: just after the weekly reminder.
  const clock = new ManualClock('2024-03-14T12:00:30Z');

  const personalChat = (n: number, updatedAt = '2024-03-01T00:00:00Z'): StoredConversation => ({
    id: `a:personal-${n}`,
    kind: 'personal',
    serviceUrl: 'http://127.0.0.1:1/',
    userAadObjectId: aad(n),
    reference: {},
    active: true,
    updatedAt,
  });
  const reporter = (n: number, extra: Partial<Reporter> = {}): Reporter => ({
    aadObjectId: aad(n),
    party: 'Polisen',
    name: `Rapportör ${n}`,
    registeredAt: '2024-01-01T00:00:00Z',
    active: true,
    ...extra,
  });

  /** The shared channel, stored and linked to the agreement. */
  const linkChannel = async (channelId = '19:general@thread.tacv2'): Promise<string> => {
    await store.conversations.upsert({
      id: channelId,
      kind: 'channel',
      teamId: 'team-1',
      serviceUrl: 'http://127.0.0.1:1/',
      reference: {},
      active: true,
      updatedAt: '2024-03-01T00:00:00Z',
    });
    await store.channelLinks.put({
      agreementId: AGREEMENT,
      conversationId: channelId,
      teamId: 'team-1',
      linkedBy: 'x',
      linkedAt: '2024-03-01T00:00:00Z',
    });
    return channelId;
  };

  beforeEach(async () => {
    clock.set('2024-03-14T12:00:30Z');
    store = new MemoryStore();
    ledger = new MemoryLedger();
    sender = new RecordingSender();
    const agreements = new AgreementService(store, clock);
    await agreements.seedDefaults();
    const status = new StatusService(store, agreements, clock, { riskBelow: 0.9, behindBelow: 0.7 });
    const delivery = new DeliveryEngine({
      ledger,
      sender,
      conversations: store.conversations,
      clock,
      options: { perConversation: [], perTenant: [] },
    });
    // Counts the reads of the stored conversations: once per pass, however many reporters.
    listed = 0;
    const list = store.conversations.list.bind(store.conversations);
    store.conversations.list = (filter) => {
      listed++;
      return list(filter);
    };
    service = new ReminderService({
      store,
      agreements,
      status,
      delivery,
      renderer,
      clock,
      logger: createLogger('silent'),
      settings: DEFAULT_REMINDER_SETTINGS,
      coordinatorIds: async () => [],
    });
  });

  it('sends one weekly occurrence per week with one row per reporter, reading the conversations once', async () => {
    for (const n of [1, 2, 3, 4, 5]) {
      await store.conversations.upsert(personalChat(n));
      await store.reporters.put(reporter(n));
    }
    await service.runDue(clock.now());
    assert.equal(sender.sent.length, 5);
    assert.deepEqual(
      sender.sent.map((s) => s.conversationId).sort(),
      [1, 2, 3, 4, 5].map((n) => `a:personal-${n}`),
    );
    const [overview, ...others] = await ledger.overview({ kinds: ['weekly'] });
    assert.equal(others.length, 0, 'one occurrence for the week');
    assert.equal(overview!.key, weeklyOccurrenceKey(AGREEMENT, WEEK));
    assert.equal(overview!.counts.sent, 5);
    assert.ok(listed <= 2, `the stored conversations are read once per kind per pass (read ${listed} times)`);
    // Another pass sends nothing again.
    clock.set('2024-03-14T12:05:00Z');
    await service.runDue(clock.now());
    assert.equal(sender.sent.length, 5);
  });

  it('reads the agreement once in a pass that also needs the status (a tertial summary in the linked channel)', async () => {
    const channelId = await linkChannel();
    let reads = 0;
    const list = store.agreements.list.bind(store.agreements);
    store.agreements.list = () => {
      reads++;
      return list();
    };
    // Tuesday 30 April 2024, 14:00:30 in Stockholm: the last working day of 2024-T1.
    clock.set('2024-04-30T12:00:30Z');
    await service.runDue(clock.now());
    assert.deepEqual(
      sender.sent.map((s) => [s.conversationId, s.message.text]),
      [[channelId, 'tertial']],
    );
    assert.equal(reads, 1, 'the agreement is read once per pass');
  });

  it('warns the channel that the period ends, unless the next period is already saved (then recorded, not sent)', async () => {
    const channelId = await linkChannel();
    // 90 days before 31 December 2024 is Wednesday 2 October, 09:00 in Stockholm.
    clock.set('2024-10-02T07:00:30Z');
    await service.runDue(clock.now());
    assert.deepEqual(
      sender.sent.map((s) => [s.conversationId, s.message.text]),
      [[channelId, 'period']],
    );
    // A coordinator saves 2025–2026 ("ny period"); 30 days before the end the warning is not sent.
    const tranas = (await store.agreements.get(AGREEMENT))!;
    await store.agreements.save({
      ...structuredClone(tranas),
      id: 'tranas-2025-2026',
      periodStart: '2025-01-01',
      periodEnd: '2026-12-31',
    });
    clock.set('2024-12-02T08:00:30Z');
    await service.runDue(clock.now());
    // (That Monday morning's weekly summary of the week before is due too: it is not the warning.)
    assert.deepEqual(
      sender.sent.filter((s) => !s.message.text?.startsWith('summary ')).length,
      1,
      'nothing more was sent',
    );
    const [warning30] = await ledger.overview({ kinds: ['periodWarning'], since: '2024-11-01T00:00:00Z' });
    assert.equal(warning30?.counts.skipped, 1, 'recorded as skipped');
  });

  it('picks the newest personal chat of a reporter, the recorded one or any with their AAD id', async () => {
    await store.conversations.upsert(personalChat(1, '2024-03-01T00:00:00Z'));
    await store.conversations.upsert({ ...personalChat(1, '2024-03-10T00:00:00Z'), id: 'a:personal-1-newer' });
    await store.reporters.put(reporter(1, { personalConversationId: 'a:personal-1' }));
    await service.runDue(clock.now());
    assert.deepEqual(
      sender.sent.map((s) => s.conversationId),
      ['a:personal-1-newer'],
    );
  });

  it('does not remind again whoever a ledger already holds under the old per-reporter key', async () => {
    for (const n of [1, 2, 3]) {
      await store.conversations.upsert(personalChat(n));
      await store.reporters.put(reporter(n));
    }
    // Written by the previous version before the upgrade: reporter 1 was reminded, reporter 2 skipped.
    await ledger.enqueue(
      { key: weeklyKey(WEEK, aad(1)), kind: 'weekly', due: '2024-03-14T12:00:00.000Z' },
      [{ recipient: aad(1), target: { conversationId: 'a:personal-1' }, message: {} }],
      '2024-03-14T12:00:01Z',
    );
    await ledger.complete(weeklyKey(WEEK, aad(1)), aad(1), { state: 'sent', activityId: 'x' }, '2024-03-14T12:00:02Z');
    await ledger.enqueue(
      { key: weeklyKey(WEEK, aad(2)), kind: 'weekly', due: '2024-03-14T12:00:00.000Z' },
      [{ recipient: aad(2), target: { conversationId: '' }, message: {}, skip: 'mentioned-in-channel' }],
      '2024-03-14T12:00:01Z',
    );
    await service.runDue(clock.now());
    assert.deepEqual(
      sender.sent.map((s) => s.conversationId),
      ['a:personal-3'],
    );
    const [overview] = await ledger.overview({ keys: [weeklyOccurrenceKey(AGREEMENT, WEEK)] });
    assert.deepEqual(overview!.counts, { sent: 1, skipped: 2, failed: 0, unknown: 0, inProgress: 0 });
  });

  it('names the skip reason of a row recorded under the old key', async () => {
    await store.conversations.upsert(personalChat(1));
    await store.reporters.put(reporter(1));
    await ledger.enqueue(
      { key: weeklyKey(WEEK, aad(1)), kind: 'weekly', due: '2024-03-14T12:00:00.000Z' },
      [{ recipient: aad(1), target: { conversationId: '' }, message: {}, skip: 'expired' }],
      '2024-03-14T12:00:01Z',
    );
    const enqueued: string[] = [];
    const enqueue = ledger.enqueue.bind(ledger);
    ledger.enqueue = async (o, items, at) => {
      for (const i of items) enqueued.push(`${o.key} ${i.recipient} ${i.skip ?? 'send'}`);
      return enqueue(o, items, at);
    };
    await service.runDue(clock.now());
    assert.deepEqual(enqueued, [`${weeklyOccurrenceKey(AGREEMENT, WEEK)} ${aad(1)} ${SKIP_OLD_KEY}`]);
    assert.equal(sender.sent.length, 0);
  });
});
