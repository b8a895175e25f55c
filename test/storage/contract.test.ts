import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, afterEach, beforeEach, describe, it } from 'mocha';
import type { Store } from '../../src/app/ports.js';
import type { StoredConversation } from '../../src/domain/conversation.js';
import { AgreementSchema } from '../../src/domain/agreement.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { MemoryStore } from '../../src/storage/memory-store.js';
import { tempDbPath } from '../helpers/harness.js';

const tranas = AgreementSchema.parse(TRANAS_2023_2024);

function conversation(id: string, extra: Partial<StoredConversation> = {}): StoredConversation {
  return { id, kind: 'personal', serviceUrl: 'http://127.0.0.1:1/', reference: { conversation: { id } }, active: true, updatedAt: '2024-03-14T10:00:00.000Z', ...extra };
}

/** One contract, every implementation. */
const implementations: [string, () => Promise<{ store: Store; reopen?: () => Promise<Store> }>][] = [
  ['MemoryStore', async () => ({ store: new MemoryStore() })],
  [
    'LowdbStore',
    async () => {
      const path = tempDbPath();
      let store = await LowdbStore.open(path);
      return {
        store,
        reopen: async () => {
          await store.close();
          store = await LowdbStore.open(path);
          return store;
        },
      };
    },
  ],
];

for (const [name, make] of implementations) {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let reopen: (() => Promise<Store>) | undefined;
    beforeEach(async () => {
      ({ store, reopen } = await make());
    });
    afterEach(async () => {
      await store.close();
    });

    it('starts empty and open', async () => {
      assert.deepEqual(await store.agreements.list(), []);
      assert.deepEqual(await store.conversations.list(), []);
      assert.equal(store.health().state, 'open');
    });

    it('adds an agreement once and never overwrites it with addIfAbsent', async () => {
      assert.equal(await store.agreements.addIfAbsent(tranas), true);
      assert.equal(await store.agreements.addIfAbsent({ ...tranas, municipality: 'Annan kommun' }), false);
      assert.equal((await store.agreements.get(tranas.id))?.municipality, 'Tranås kommun');
    });

    it('holds several agreements side by side', async () => {
      await store.agreements.addIfAbsent(tranas);
      await store.agreements.addIfAbsent({ ...tranas, id: 'eksjo-2025-2026', municipality: 'Eksjö kommun', periodStart: '2025-01-01', periodEnd: '2026-12-31' });
      assert.deepEqual((await store.agreements.list()).map((a) => a.id).sort(), ['eksjo-2025-2026', 'tranas-2023-2024']);
    });

    it('replaces an agreement with save', async () => {
      await store.agreements.addIfAbsent(tranas);
      await store.agreements.save({ ...tranas, policeArea: 'Lokalpolisområde Höglandet (ändrad)' });
      assert.equal((await store.agreements.list()).length, 1);
      assert.match((await store.agreements.get(tranas.id))!.policeArea, /ändrad/);
    });

    it('hands out frozen objects: changing a returned object throws and does not change the store', async () => {
      await store.agreements.addIfAbsent(tranas);
      const a = (await store.agreements.get(tranas.id))!;
      assert.throws(() => {
        a.municipality = 'X';
      }, TypeError);
      assert.throws(() => (a.activities as unknown[]).push({}), TypeError);
      assert.equal((await store.agreements.get(tranas.id))!.municipality, 'Tranås kommun');
      assert.equal((await store.agreements.list())[0]!.activities[0]!.id, tranas.activities[0]!.id);
      await store.conversations.upsert(conversation('a'));
      const c = (await store.conversations.get('a'))!;
      assert.throws(() => {
        (c.reference as { conversation: { id: string } }).conversation.id = 'b';
      }, TypeError);
      await store.meetings.put({ id: 'm1', agreementId: 'a', kind: 'annat', date: '2024-03-20', time: '13:00', createdBy: 'u', createdAt: 'x', updatedAt: 'x', revision: 1 });
      assert.ok(Object.isFrozen((await store.meetings.list())[0]));
    });

    it('stores a copy of what it is given: the caller may change its own object afterwards', async () => {
      const mine = structuredClone(tranas);
      await store.agreements.addIfAbsent(mine);
      mine.municipality = 'X';
      assert.ok(!Object.isFrozen(mine));
      assert.equal((await store.agreements.get(tranas.id))!.municipality, 'Tranås kommun');
      const c = conversation('a');
      await store.conversations.upsert(c);
      c.serviceUrl = 'http://changed/';
      assert.equal((await store.conversations.get('a'))!.serviceUrl, 'http://127.0.0.1:1/');
    });

    it('returns a fresh list each time: sorting or filling it changes nothing stored', async () => {
      await store.agreements.addIfAbsent(tranas);
      await store.agreements.addIfAbsent({ ...tranas, id: 'a-first' });
      const list = await store.agreements.list();
      list.sort((x, y) => x.id.localeCompare(y.id)).push({ ...tranas, id: 'z' });
      assert.deepEqual((await store.agreements.list()).map((a) => a.id), ['tranas-2023-2024', 'a-first']);
    });

    it('marks a conversation inactive without changing an object handed out before', async () => {
      await store.conversations.upsert(conversation('a'));
      const before = (await store.conversations.get('a'))!;
      await store.conversations.setActive('a', false, '2024-03-15T00:00:00.000Z');
      assert.equal(before.active, true);
      const after = (await store.conversations.get('a'))!;
      assert.equal(after.active, false);
      assert.equal(after.updatedAt, '2024-03-15T00:00:00.000Z');
      assert.ok(Object.isFrozen(after));
    });

    it('upserts conversations, filters them and marks them inactive', async () => {
      await store.conversations.upsert(conversation('a'));
      await store.conversations.upsert(conversation('b', { kind: 'channel', teamId: 't' }));
      await store.conversations.upsert(conversation('a', { serviceUrl: 'http://127.0.0.1:2/' }));
      assert.equal((await store.conversations.list()).length, 2);
      assert.equal((await store.conversations.get('a'))!.serviceUrl, 'http://127.0.0.1:2/');
      await store.conversations.setActive('b', false, '2024-03-15T00:00:00.000Z');
      assert.deepEqual((await store.conversations.list({ active: true })).map((c) => c.id), ['a']);
      assert.deepEqual((await store.conversations.list({ kind: 'channel' })).map((c) => c.id), ['b']);
    });

    it('puts, replaces and lists small collections by key', async () => {
      await store.meetings.put({ id: 'm1', agreementId: 'a', kind: 'samverkansmöte', date: '2024-03-20', time: '13:00', createdBy: 'u', createdAt: 'x', updatedAt: 'x', revision: 1 });
      await store.meetings.put({ id: 'm1', agreementId: 'a', kind: 'EST-möte', date: '2024-03-21', time: '09:00', createdBy: 'u', createdAt: 'x', updatedAt: 'y', revision: 2 });
      await store.reporters.put({ aadObjectId: 'r1', party: 'Kommunen', registeredAt: 'x', active: true });
      await store.channelLinks.put({ agreementId: 'a', conversationId: 'c', linkedBy: 'u', linkedAt: 'x' });
      await store.overrides.put({ id: 'o1', agreementId: 'a', pledgeNumber: 1, level: 'atRisk', reason: 'r', by: 'u', at: 'x' });
      await store.coordinators.put({ aadObjectId: 'k1', addedBy: 'u', addedAt: 'x' });
      assert.equal((await store.meetings.list()).length, 1);
      assert.equal((await store.meetings.get('m1'))!.kind, 'EST-möte');
      assert.equal((await store.reporters.get('r1'))!.party, 'Kommunen');
      assert.equal((await store.channelLinks.get('a'))!.conversationId, 'c');
      assert.equal((await store.overrides.list())[0]!.level, 'atRisk');
      assert.equal((await store.coordinators.get('k1'))!.addedBy, 'u');
      assert.equal(await store.meetings.get('nope'), undefined);
    });

    it('keeps everything across a reopen (where the store is durable)', async function () {
      if (!reopen) this.skip();
      await store.agreements.addIfAbsent(tranas);
      await store.conversations.upsert(conversation('a'));
      store = await reopen!();
      assert.equal((await store.agreements.get(tranas.id))!.activities.length, 6);
      assert.equal((await store.conversations.get('a'))!.kind, 'personal');
      // Read back from the file: frozen like everything else handed out.
      assert.ok(Object.isFrozen((await store.agreements.get(tranas.id))!.activities[0]));
    });
  });
}

describe('LowdbStore file handling', () => {
  const paths: string[] = [];
  after(() => paths.forEach((p) => rmSync(p, { force: true })));

  it('writes a versioned JSON document with correct Swedish characters', async () => {
    const path = tempDbPath();
    const store = await LowdbStore.open(path);
    await store.agreements.addIfAbsent(tranas);
    await store.close();
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(doc.schemaVersion, 2);
    assert.equal(doc.agreements[0].municipality, 'Tranås kommun');
    assert.match(doc.agreements[0].pledges[1].wording, /Öka den upplevda tryggheten/);
  });

  it('refuses a file that does not parse, and leaves it untouched', async () => {
    const path = tempDbPath();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, '{"schemaVersion": 1, "agreements": [');
    await assert.rejects(LowdbStore.open(path), /could not be read as JSON.*has not been changed/s);
    assert.equal(readFileSync(path, 'utf8'), '{"schemaVersion": 1, "agreements": [');
  });

  it('refuses a file that fails validation, and leaves it untouched', async () => {
    const path = tempDbPath();
    const { writeFileSync } = await import('node:fs');
    const bad = JSON.stringify({ schemaVersion: 2, agreements: [{ id: 'x' }], conversations: [], overrides: [], reporters: [], meetings: [], channelLinks: [], coordinators: [] });
    writeFileSync(path, bad);
    await assert.rejects(LowdbStore.open(path), /does not match schema version 2/);
    assert.equal(readFileSync(path, 'utf8'), bad);
  });

  it('refuses a file from a newer bot', async () => {
    const path = tempDbPath();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, JSON.stringify({ schemaVersion: 99, agreements: [], conversations: [] }));
    await assert.rejects(LowdbStore.open(path), /newer than this bot/);
  });

  it('migrates a file without schemaVersion to the current version', async () => {
    const path = tempDbPath();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, JSON.stringify({ agreements: [tranas] }));
    const store = await LowdbStore.open(path);
    assert.equal((await store.agreements.list()).length, 1);
    await store.close();
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(doc.schemaVersion, 2);
    assert.deepEqual(doc.conversations, []);
    assert.deepEqual(doc.meetings, []);
  });

  it('lets only one writer open a data file', async () => {
    const path = tempDbPath();
    const first = await LowdbStore.open(path);
    // A lock held by a live process other than this one.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${path}.lock`, String(process.ppid));
    await assert.rejects(LowdbStore.open(path), /in use by process/);
    await first.close();
  });

  it('takes over a stale lock left by a dead process', async () => {
    const path = tempDbPath();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${path}.lock`, '999999');
    const store = await LowdbStore.open(path);
    assert.equal(store.health().state, 'open');
    await store.close();
  });
});
