import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, beforeEach, describe, it } from 'mocha';
import { ManualClock, systemClock } from '../../src/app/clock.js';
import {
  DeliveryEngine,
  DeliveryError,
  type DeliveryItem,
  type DeliveryOptions,
  type OutgoingMessage,
} from '../../src/app/delivery/index.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { LedgerFile } from '../../src/storage/ledger-file.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { createAdapter, type BotAdapter } from '../../src/teams/adapter.js';
import { card, textBlock } from '../../src/teams/cards/card.js';
import { conversationOf } from '../../src/teams/conversation-reference.js';
import { TeamsProactiveSender } from '../../src/teams/proactive.js';
import { message, TENANT } from '../helpers/activities.js';
import { assertValidCard } from '../helpers/card-validate.js';
import { ConnectorStub, type ReceivedActivity } from '../helpers/connector-stub.js';
import { tempDbPath } from '../helpers/harness.js';

/** Short backoff and no tenant pacing: the pacing itself is tested on virtual time in test/app. */
const FAST: Partial<DeliveryOptions> = {
  backoffBaseMs: 5,
  backoffCapMs: 40,
  perTenant: [{ limit: 10_000, windowMs: 1_000 }],
  concurrency: 8,
};

const aad = (i: number) => `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, '0')}`;
const personalId = (i: number) => `a:personal-${i}`;

describe('proactive delivery through the real TeamsAdapter to the connector stub', () => {
  let connector: ConnectorStub;
  let store: LowdbStore;
  let ledger: LedgerFile;
  let adapter: BotAdapter;
  let sender: TeamsProactiveSender;
  let engine: DeliveryEngine;
  const gone: string[] = [];
  /** Every request the stub saw, per conversation, including the ones answered with an error. */
  const requests = new Map<string, number>();
  let inject: (
    req: ReceivedActivity,
    attempt: number,
  ) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined = () => undefined;

  const remember = async (activity: ReturnType<typeof message>) => {
    const c = conversationOf(activity as unknown as Parameters<typeof conversationOf>[0])!;
    await store.conversations.upsert({ ...c, active: true, updatedAt: '2024-03-01T00:00:00.000Z' });
    return c;
  };

  before(async () => {
    connector = await new ConnectorStub().start();
    connector.responder = (req) => {
      if (req.method !== 'POST') return undefined;
      const attempt = (requests.get(req.conversationId) ?? 0) + 1;
      requests.set(req.conversationId, attempt);
      return inject(req, attempt);
    };
    const dbPath = tempDbPath();
    const config = loadConfig(
      { NODE_ENV: 'test', PORT: '0', DB_PATH: dbPath, LOG_LEVEL: 'silent' },
      '/nonexistent-env-dir',
    );
    assert.equal(config.devMode, true);
    store = await LowdbStore.open(dbPath);
    ledger = await LedgerFile.open(LedgerFile.pathFor(dbPath));
    adapter = createAdapter(config, {}, createLogger('silent'));
    sender = new TeamsProactiveSender({
      adapter,
      conversations: store.conversations,
      botAppId: config.bot.id,
      clock: systemClock,
    });
    engine = new DeliveryEngine({
      ledger,
      sender,
      conversations: store.conversations,
      clock: systemClock,
      options: FAST,
      onConversationGone: (id) => void gone.push(id),
    });
    for (let i = 0; i < 200; i++) {
      await remember(
        message('hej', {
          serviceUrl: connector.url,
          conversationId: personalId(i),
          from: { id: `29:user-${i}`, name: `Person ${i}`, aadObjectId: aad(i) },
        }),
      );
    }
  });

  after(async () => {
    await engine.stop();
    await ledger.close();
    await store.close();
    await connector.stop();
  });

  beforeEach(() => {
    connector.clear();
    requests.clear();
    inject = () => undefined;
  });

  const reminder: OutgoingMessage = { text: 'Dags att rapportera vecka 11.' };
  const fanOut = (n: number): DeliveryItem[] =>
    Array.from({ length: n }, (_, i) => ({
      recipient: aad(i),
      target: { conversationId: personalId(i), tenantId: TENANT },
      message: reminder,
    }));

  it('fans out to 200 personal chats exactly once each through 429s (with and without Retry-After), 500s and 502s', async () => {
    inject = (req, attempt) => {
      const i = Number(req.conversationId.slice('a:personal-'.length));
      if (i === 3 && attempt === 1) return { status: 429, headers: { 'Retry-After': '1' } };
      if (i % 10 === 0 && attempt === 1) return { status: 429 };
      if (i % 10 === 1 && attempt === 1)
        return { status: 500, body: { error: { code: 'ServiceError', message: 'boom' } } };
      if (i % 10 === 2 && attempt <= 2) return { status: 502 };
      return undefined;
    };
    const result = await engine.deliver(
      { key: 'weeklyReport|all|2024-W11', kind: 'weeklyReport', due: '2024-03-14T08:00:00.000Z' },
      fanOut(200),
    );
    assert.deepEqual(result.counts, { sent: 200, skipped: 0, failed: 0, unknown: 0, inProgress: 0 });

    const posted = new Map<string, number>();
    for (const p of connector.posted) posted.set(p.conversationId, (posted.get(p.conversationId) ?? 0) + 1);
    assert.equal(posted.size, 200);
    for (let i = 0; i < 200; i++)
      assert.equal(posted.get(personalId(i)), 1, `${personalId(i)} got exactly one message`);
    for (const p of connector.posted) {
      assert.equal(p.body.type, 'message', 'no typing indicator or other activity');
      assert.equal(p.body.text, reminder.text);
    }
    // botbuilder's own retry policy is off: the stub saw exactly the engine's attempts.
    assert.equal(requests.get(personalId(3)), 2);
    assert.equal(requests.get(personalId(10)), 2);
    assert.equal(requests.get(personalId(11)), 2);
    assert.equal(requests.get(personalId(12)), 3);
    assert.equal(requests.get(personalId(5)), 1);

    // Another tick for the same occurrence sends nothing.
    connector.clear();
    await engine.deliver(
      { key: 'weeklyReport|all|2024-W11', kind: 'weeklyReport', due: '2024-03-14T08:00:00.000Z' },
      fanOut(200),
    );
    assert.equal(connector.posted.length, 0);
  });

  it('stops at the engine’s attempts, marks a 404 conversation inactive and tells coordinators once', async () => {
    inject = (req) => {
      if (req.conversationId === personalId(0)) return { status: 502 };
      if (req.conversationId === personalId(1))
        return { status: 404, body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } } };
      if (req.conversationId === personalId(2))
        return { status: 400, body: { error: { code: 'BadArgument', message: 'bad' } } };
      return undefined;
    };
    const items = [
      ...fanOut(4),
      {
        recipient: 'aaaaaaaa-0000-4000-8000-999999999999',
        target: { conversationId: 'a:never-seen', tenantId: TENANT },
        message: reminder,
      },
    ];
    const result = await engine.deliver(
      { key: 'weeklyReport|all|2024-W12', kind: 'weeklyReport', due: '2024-03-21T08:00:00.000Z' },
      items,
    );
    assert.equal(requests.get(personalId(0)), 6, 'six attempts in all, none hidden inside botbuilder');
    assert.equal(requests.get(personalId(1)), 1);
    assert.equal(requests.get(personalId(2)), 1);
    assert.deepEqual(result.counts, { sent: 1, skipped: 0, failed: 4, unknown: 0, inProgress: 0 });
    assert.deepEqual(Object.fromEntries(result.failures.map((f) => [f.recipient, f.reason])), {
      [aad(0)]: 'retries-exhausted:http-502',
      [aad(1)]: 'gone',
      [aad(2)]: 'http-400',
      'aaaaaaaa-0000-4000-8000-999999999999': 'no-reference',
    });
    assert.equal((await store.conversations.get(personalId(1)))!.active, false);
    assert.deepEqual(gone, [personalId(1)]);

    inject = () => undefined;
    const next = await engine.deliver(
      { key: 'weeklyReport|all|2024-W13', kind: 'weeklyReport', due: '2024-03-28T08:00:00.000Z' },
      fanOut(2),
    );
    assert.deepEqual(next.counts, { sent: 1, skipped: 1, failed: 0, unknown: 0, inProgress: 0 });
    assert.equal(requests.get(personalId(1)), 1, 'an inactive conversation is not tried again');
    assert.equal(requests.get(personalId(0)), 7);
    assert.deepEqual(gone, [personalId(1)]);
    await store.conversations.setActive(personalId(1), true, '2024-03-28T09:00:00.000Z');
  });

  it('posts in a chosen channel with an @mention: <at> text and a msteams mention entity', async () => {
    const team = await remember(
      message('koppla kanal', {
        serviceUrl: connector.url,
        kind: 'channel',
        conversationId: '19:general@thread.tacv2;messageid=1710400000000',
      }),
    );
    const reminderCard = card([textBlock('Uppföljningsmöte torsdag 14 mars 2024 kl. 13.00.')]);
    const items: DeliveryItem[] = [
      {
        recipient: '19:reminders@thread.tacv2',
        target: {
          conversationId: team.id,
          tenantId: TENANT,
          channelPost: { teamConversationId: team.id, channelId: '19:reminders@thread.tacv2' },
        },
        message: {
          text: 'Påminnelse: veckorapporten för vecka 11.',
          mentions: [{ aadObjectId: aad(7), name: 'Anna Berg' }],
          card: reminderCard,
        },
      },
    ];
    const result = await engine.deliver(
      { key: 'meeting|m1|24h', kind: 'meetingReminder', due: '2024-03-13T12:00:00.000Z' },
      items,
    );
    assert.equal(result.counts.sent, 1);
    assert.equal(connector.posted.length, 1);
    const [post] = connector.posted;
    assert.equal(post!.conversationId, '19:reminders@thread.tacv2');
    assert.doesNotMatch(post!.path, /messageid/);
    assert.equal(post!.body.type, 'message');
    assert.equal(post!.body.text, '<at>Anna Berg</at> Påminnelse: veckorapporten för vecka 11.');
    assert.deepEqual(post!.body.entities, [
      { type: 'mention', text: '<at>Anna Berg</at>', mentioned: { id: aad(7), name: 'Anna Berg' } },
    ]);
    assert.equal(post!.body.conversation.tenantId, TENANT);
    assert.equal(post!.body.attachments[0].contentType, 'application/vnd.microsoft.card.adaptive');
    assertValidCard(post!.body.attachments[0].content);
  });

  it('reports a failed send as failed although the adapter has a turn error handler (the bot’s app.error)', async () => {
    // In the running bot the Teams AI app sets the adapter's onTurnError, which swallows an error of
    // the turn's logic: without care a 429 resolves like a success and its row is recorded 'sent'.
    const seen: string[] = [];
    const previous = adapter.onTurnError;
    adapter.onTurnError = async (_context, error) => void seen.push(error.message);
    try {
      const target = { conversationId: personalId(1), tenantId: TENANT };
      inject = () => ({ status: 429, headers: { 'Retry-After': '1' } });
      await assert.rejects(
        sender.send(target, reminder),
        (err: unknown) => err instanceof DeliveryError && err.status === 429,
      );
      inject = () => ({ status: 502 });
      await assert.rejects(
        sender.send(target, reminder),
        (err: unknown) => err instanceof DeliveryError && err.status === 502,
      );
      assert.deepEqual(seen, [], 'the send failure is the engine’s to handle, not a failed turn');
      inject = () => undefined;
      assert.ok((await sender.send(target, reminder)).activityId, 'an accepted send still returns its id');
    } finally {
      adapter.onTurnError = previous;
    }
  });

  it('maps Bot Connector errors to DeliveryError: status, Retry-After in seconds or as an HTTP-date, network codes', async () => {
    const clock = new ManualClock('2024-03-14T10:00:00Z');
    const probe = new TeamsProactiveSender({ adapter, conversations: store.conversations, clock });
    const target = { conversationId: personalId(0), tenantId: TENANT };
    const failure = async () => {
      try {
        await probe.send(target, reminder);
      } catch (err) {
        assert.ok(err instanceof DeliveryError);
        return err;
      }
      assert.fail('expected the send to fail');
    };

    inject = () => ({ status: 429, headers: { 'Retry-After': '3' } });
    assert.deepEqual(pick(await failure()), { status: 429, retryAfterMs: 3_000, code: undefined });
    assert.equal(requests.get(personalId(0)), 1, 'botbuilder did not retry the 429 by itself');

    inject = () => ({ status: 429, headers: { 'Retry-After': 'Thu, 14 Mar 2024 10:00:10 GMT' } });
    assert.equal((await failure()).retryAfterMs, 10_000);

    inject = () => ({
      status: 403,
      body: {
        error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' },
      },
    });
    assert.deepEqual(pick(await failure()), {
      status: 403,
      retryAfterMs: undefined,
      code: 'BotNotInConversationRoster',
    });

    // Nothing listens on the port: a network error.
    const closed = await new ConnectorStub().start();
    await closed.stop();
    const offline = await remember(message('hej', { serviceUrl: closed.url, conversationId: 'a:offline' }));
    await assert.rejects(
      probe.send({ conversationId: offline.id }, reminder),
      (err: unknown) => err instanceof DeliveryError && err.code === 'ECONNREFUSED' && err.status === undefined,
    );

    // A connection reset: botbuilder would retry it three times by itself; here it is tried once.
    const connections: Socket[] = [];
    const resetter = createServer((socket) => {
      connections.push(socket);
      socket.destroy();
    });
    await new Promise<void>((r) => resetter.listen(0, '127.0.0.1', r));
    try {
      const flaky = await remember(
        message('hej', {
          serviceUrl: `http://127.0.0.1:${(resetter.address() as AddressInfo).port}/`,
          conversationId: 'a:flaky',
        }),
      );
      await assert.rejects(
        probe.send({ conversationId: flaky.id }, reminder),
        (err: unknown) => err instanceof DeliveryError && err.code === 'ECONNRESET',
      );
      assert.equal(connections.length, 1);
    } finally {
      await new Promise<void>((r) => resetter.close(() => r()));
    }
  });
});

const pick = (e: DeliveryError) => ({ status: e.status, retryAfterMs: e.retryAfterMs, code: e.code });
