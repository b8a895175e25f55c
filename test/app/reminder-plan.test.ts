import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'mocha';
import { AgreementService } from '../../src/app/agreements.js';
import { ManualClock } from '../../src/app/clock.js';
import { DeliveryEngine, type ProactiveSender } from '../../src/app/delivery/index.js';
import { ReminderService, type ReminderRenderer } from '../../src/app/reminders.js';
import { StatusService } from '../../src/app/status.js';
import { DEFAULT_REMINDER_SETTINGS, meetingDigestKey, weeklySummaryKey } from '../../src/domain/reminders.js';
import { createLogger } from '../../src/logger.js';
import { MemoryLedger } from '../../src/storage/ledger-file.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { EKSJO_2024_2025 } from '../fixtures/eksjo-2024-2025.js';

const renderer: ReminderRenderer = {
  weeklyPersonal: async () => ({ text: 'weekly' }),
  weeklyChannel: () => ({ text: 'channel' }),
  meetingDigest: () => ({ text: 'digest' }),
  weeklySummary: () => ({ text: 'summary' }),
  followUpDraft: () => ({ text: 'draft' }),
  followUpCommunicate: () => ({ text: 'communicate' }),
  kfReport: () => ({ text: 'kf' }),
  tertialSummary: () => ({ text: 'tertial' }),
  periodWarning: () => ({ text: 'period' }),
  conversationGone: () => ({ text: 'gone' }),
};
const sender: ProactiveSender = { send: async () => ({ activityId: 'a' }) };

/**
 * `påminnelser` for one municipality: the plan comes from the same policy as runDue (so what it
 * lists is what the scheduler sends), and the ledger part shows only that municipality's rows.
 */
describe('ReminderService.plan (what påminnelser shows)', () => {
  // Wednesday 13 March 2024, 10:00 in Stockholm.
  const clock = new ManualClock('2024-03-13T09:00:00Z');
  let store: MemoryStore;
  let ledger: MemoryLedger;
  let service: ReminderService;

  beforeEach(async () => {
    clock.set('2024-03-13T09:00:00Z');
    store = new MemoryStore();
    ledger = new MemoryLedger();
    const agreements = new AgreementService(store, clock);
    await agreements.seedDefaults();
    await agreements.importAgreement({ id: 'cli', isCoordinator: true }, EKSJO_2024_2025);
    const delivery = new DeliveryEngine({
      ledger,
      sender,
      conversations: store.conversations,
      clock,
      options: { perConversation: [], perTenant: [] },
    });
    service = new ReminderService({
      store,
      agreements,
      status: new StatusService(store, agreements, clock, { riskBelow: 0.9, behindBelow: 0.7 }),
      delivery,
      renderer,
      clock,
      logger: createLogger('silent'),
      settings: DEFAULT_REMINDER_SETTINGS,
      coordinatorIds: async () => [],
    });
    for (const [agreementId, id] of [
      ['tranas-2023-2024', 'm-tranas'],
      ['eksjo-2024-2025', 'm-eksjo'],
    ] as const)
      await store.meetings.put({
        id,
        agreementId,
        kind: 'samverkansmöte',
        date: '2024-03-14',
        time: '10:00',
        createdBy: 'x',
        createdAt: '2024-03-01T00:00:00Z',
        updatedAt: '2024-03-01T00:00:00Z',
        revision: 1,
      });
    await store.channelLinks.put({
      agreementId: 'tranas-2023-2024',
      conversationId: '19:t@thread.tacv2',
      linkedBy: 'x',
      linkedAt: '2024-03-01T00:00:00Z',
    });
    // What the ledger already holds for both municipalities.
    for (const key of [meetingDigestKey('m-tranas', 1, '3wd'), meetingDigestKey('m-eksjo', 1, '3wd')])
      await ledger.enqueue(
        { key, kind: 'meetingDigest', due: '2024-03-11T07:00:00.000Z' },
        [{ recipient: 'channel', target: { conversationId: '' }, message: {}, skip: 'no-channel' }],
        '2024-03-11T07:00:00.000Z',
      );
    await ledger.enqueue(
      { key: weeklySummaryKey('eksjo-2024-2025', '2024-W10'), kind: 'weeklySummary', due: '2024-03-11T07:00:00.000Z' },
      [{ recipient: 'channel', target: { conversationId: '' }, message: {}, skip: 'no-channel' }],
      '2024-03-11T07:00:00.000Z',
    );
  });

  it('lists each municipality’s own plan and ledger rows, nothing of the other', async () => {
    const tranas = (await service.plan('tranas-kommun'))!;
    assert.equal(tranas.agreement.id, 'tranas-2023-2024');
    assert.deepEqual(
      tranas.planned.filter((p) => p.kind === 'meetingDigest').map((p) => [p.key, p.dueAt.toISOString()]),
      [[meetingDigestKey('m-tranas', 1, 'morning'), '2024-03-14T06:30:00.000Z']],
    );
    // A linked channel: the weekly summary is planned (Monday 18 March 08:00 CET).
    assert.ok(
      tranas.planned.some(
        (p) =>
          p.key === weeklySummaryKey('tranas-2023-2024', '2024-W11') &&
          p.dueAt.toISOString() === '2024-03-18T07:00:00.000Z',
      ),
    );
    assert.deepEqual(
      tranas.sent.map((o) => o.key),
      [meetingDigestKey('m-tranas', 1, '3wd')],
    );

    const eksjo = (await service.plan('eksjo-kommun'))!;
    assert.equal(eksjo.agreement.id, 'eksjo-2024-2025');
    assert.deepEqual(
      eksjo.planned.map((p) => p.key),
      [meetingDigestKey('m-eksjo', 1, 'morning')],
      'no channel linked: no weekly summary; nobody registered: no weekly reminder',
    );
    assert.equal(eksjo.planned[0]!.toChannel, false);
    assert.deepEqual(eksjo.sent.map((o) => o.key).sort(), [
      meetingDigestKey('m-eksjo', 1, '3wd'),
      weeklySummaryKey('eksjo-2024-2025', '2024-W10'),
    ]);
    // No municipality named with two in the deployment: nothing.
    assert.equal(await service.plan(undefined), undefined);
  });
});
