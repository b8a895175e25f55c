import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, afterEach, beforeEach, describe, it } from 'mocha';
import { recordStored, type AuditEntry } from '../../src/app/audit.js';
import type { Store } from '../../src/app/ports.js';
import type { StoredConversation } from '../../src/domain/conversation.js';
import { ReportTally } from '../../src/domain/report-tally.js';
import { AgreementSchema } from '../../src/domain/agreement.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { tempDbPath } from '../helpers/harness.js';
import { describeContract, AUDITS, STORES, type Audit, type Opened } from '../helpers/stores.js';
import { storedReport } from '../helpers/report-builder.js';

const tranas = AgreementSchema.parse(TRANAS_2023_2024);

function conversation(id: string, extra: Partial<StoredConversation> = {}): StoredConversation {
  return {
    id,
    kind: 'personal',
    serviceUrl: 'http://127.0.0.1:1/',
    reference: { conversation: { id } },
    active: true,
    updatedAt: '2024-03-14T10:00:00.000Z',
    ...extra,
  };
}

describeContract('store contract', STORES, (impl) => {
  let opened: Opened<Store>;
  let store: Store;
  let reopen: (() => Promise<Store>) | undefined;
  beforeEach(async () => {
    opened = await impl.open();
    store = opened.subject;
    reopen = opened.reopen;
  });
  afterEach(async () => {
    await opened.close();
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
    await store.agreements.addIfAbsent({
      ...tranas,
      id: 'eksjo-2025-2026',
      municipality: 'Eksjö kommun',
      periodStart: '2025-01-01',
      periodEnd: '2026-12-31',
    });
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
    await store.meetings.put({
      id: 'm1',
      agreementId: 'a',
      kind: 'annat',
      date: '2024-03-20',
      time: '13:00',
      createdBy: 'u',
      createdAt: 'x',
      updatedAt: 'x',
      revision: 1,
    });
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
    assert.deepEqual(
      (await store.agreements.list()).map((a) => a.id),
      ['tranas-2023-2024', 'a-first'],
    );
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
    assert.deepEqual(
      (await store.conversations.list({ active: true })).map((c) => c.id),
      ['a'],
    );
    assert.deepEqual(
      (await store.conversations.list({ kind: 'channel' })).map((c) => c.id),
      ['b'],
    );
  });

  it('puts, replaces and lists small collections by key', async () => {
    await store.meetings.put({
      id: 'm1',
      agreementId: 'a',
      kind: 'samverkansmöte',
      date: '2024-03-20',
      time: '13:00',
      createdBy: 'u',
      createdAt: 'x',
      updatedAt: 'x',
      revision: 1,
    });
    await store.meetings.put({
      id: 'm1',
      agreementId: 'a',
      kind: 'EST-möte',
      date: '2024-03-21',
      time: '09:00',
      createdBy: 'u',
      createdAt: 'x',
      updatedAt: 'y',
      revision: 2,
    });
    await store.reporters.put({ aadObjectId: 'r1', party: 'Kommunen', registeredAt: 'x', active: true });
    await store.channelLinks.put({ agreementId: 'a', conversationId: 'c', linkedBy: 'u', linkedAt: 'x' });
    await store.overrides.put({
      id: 'o1',
      agreementId: 'a',
      pledgeNumber: 1,
      level: 'atRisk',
      reason: 'r',
      by: 'u',
      at: 'x',
    });
    await store.coordinators.put({ aadObjectId: 'k1', addedBy: 'u', addedAt: 'x' });
    assert.equal((await store.meetings.list()).length, 1);
    assert.equal((await store.meetings.get('m1'))!.kind, 'EST-möte');
    assert.equal((await store.reporters.get('r1'))!.party, 'Kommunen');
    assert.equal((await store.channelLinks.get('a'))!.conversationId, 'c');
    assert.equal((await store.overrides.list())[0]!.level, 'atRisk');
    assert.equal((await store.coordinators.get('k1'))!.addedBy, 'u');
    assert.equal(await store.meetings.get('nope'), undefined);
  });

  it("keeps a reporter's remembered party and snooze (issue #16), across a reopen where durable", async () => {
    const snooze = { at: '2024-03-14T14:00:00.000Z', week: '2024-W11', agreementId: 'tranas-2023-2024' };
    await store.reporters.put({
      aadObjectId: 'r2',
      party: 'Polisen',
      registeredAt: 'x',
      active: true,
      lastParty: 'Kommunen',
      snooze,
    });
    await store.reporters.put({
      aadObjectId: 'r3',
      party: 'Kommunen',
      lastParty: 'Kommunen',
      registeredAt: 'x',
      active: false,
      partyOnly: true,
    });
    const check = async (s: Store) => {
      const r2 = (await s.reporters.get('r2'))!;
      assert.equal(r2.lastParty, 'Kommunen');
      assert.deepEqual(r2.snooze, snooze);
      const r3 = (await s.reporters.get('r3'))!;
      assert.equal(r3.partyOnly, true);
      assert.equal(r3.active, false);
    };
    await check(store);
    if (reopen) {
      store = await reopen();
      await check(store);
    }
  });

  it("lists one agreement's meetings and overrides with listOf, in list order, a replaced one in its place", async () => {
    const meeting = (id: string, agreementId: string, date: string) => ({
      id,
      agreementId,
      kind: 'samverkansmöte' as const,
      date,
      time: '13:00',
      createdBy: 'u',
      createdAt: 'x',
      updatedAt: 'x',
      revision: 1,
    });
    await store.meetings.put(meeting('m1', 'a', '2024-03-20'));
    await store.meetings.put(meeting('m2', 'b', '2024-03-21'));
    await store.meetings.put(meeting('m3', 'a', '2024-03-01'));
    await store.meetings.put({ ...meeting('m1', 'a', '2024-04-02'), revision: 2 });
    const override = (id: string, agreementId: string) => ({
      id,
      agreementId,
      pledgeNumber: 1,
      level: 'atRisk' as const,
      reason: 'r',
      by: 'u',
      at: 'x',
    });
    for (const [id, agreementId] of [
      ['o1', 'b'],
      ['o2', 'a'],
      ['o3', 'b'],
    ])
      await store.overrides.put(override(id!, agreementId!));
    assert.deepEqual(
      (await store.meetings.listOf('a')).map((m) => [m.id, m.date]),
      [
        ['m1', '2024-04-02'],
        ['m3', '2024-03-01'],
      ],
    );
    assert.deepEqual(
      (await store.meetings.listOf('b')).map((m) => m.id),
      ['m2'],
    );
    assert.deepEqual(
      (await store.overrides.listOf('b')).map((o) => o.id),
      ['o1', 'o3'],
    );
    assert.deepEqual(await store.overrides.listOf('c'), []);
    assert.deepEqual(
      (await store.meetings.list()).filter((m) => m.agreementId === 'a'),
      await store.meetings.listOf('a'),
    );
  });

  it('hands out the same frozen agreement until it is saved again (the status cache keys on it)', async () => {
    await store.agreements.addIfAbsent(tranas);
    const first = (await store.agreements.get(tranas.id))!;
    assert.ok(Object.isFrozen(first));
    assert.equal((await store.agreements.get(tranas.id))!, first);
    assert.equal((await store.agreements.list())[0]!, first);
    await store.agreements.save({ ...tranas, municipality: 'Tranås' });
    const saved = (await store.agreements.get(tranas.id))!;
    assert.notEqual(saved, first);
    assert.equal(saved.municipality, 'Tranås');
    assert.equal((await store.agreements.list())[0]!, saved);
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

describeContract('report repository contract', STORES, (impl) => {
  let opened: Opened<Store>;
  let store: Store;
  beforeEach(async () => {
    opened = await impl.open();
    store = opened.subject;
  });
  afterEach(async () => {
    await opened.close();
  });

  const totals = async (s: Store, agreementId: string) =>
    [...(await s.reports.tally(agreementId)).activities(agreementId)].sort((a, b) =>
      a.activityId.localeCompare(b.activityId),
    );
  const expectedTotals = async (s: Store, agreementId: string) =>
    [...ReportTally.of(await s.reports.list({ includeWithdrawn: true })).activities(agreementId)].sort((a, b) =>
      a.activityId.localeCompare(b.activityId),
    );

  it('starts empty', async () => {
    assert.deepEqual(await store.reports.list(), []);
    assert.deepEqual(await store.reports.weeks(), []);
    assert.equal(await store.reports.get('nope'), undefined);
  });

  it("adds a report once per reporter and submission: a retried submit returns the first, another reporter's id never matches", async () => {
    const first = await store.reports.add(storedReport({ id: 'r1', submissionId: 's1', reporterId: 'u1' }));
    assert.equal(first.created, true);
    const again = await store.reports.add(storedReport({ id: 'r2', submissionId: 's1', reporterId: 'u1', count: 99 }));
    assert.equal(again.created, false);
    assert.equal(again.report.id, 'r1');
    assert.equal(again.report.count, 5);
    const other = await store.reports.add(storedReport({ id: 'r3', submissionId: 's1', reporterId: 'u2' }));
    assert.equal(other.created, true);
    assert.deepEqual((await store.reports.list()).map((r) => r.id).sort(), ['r1', 'r3']);
  });

  it('replaces a report as a whole on update, and hands out frozen reports', async () => {
    await store.reports.add(storedReport({ id: 'r1', count: 5 }));
    const before = (await store.reports.get('r1'))!;
    assert.ok(Object.isFrozen(before));
    assert.throws(() => {
      (before as { count: number }).count = 7;
    }, TypeError);
    await store.reports.update({
      ...before,
      count: 8,
      updatedAt: '2024-03-06T10:00:00.000Z',
      history: [...before.history, { at: '2024-03-06T10:00:00.000Z', by: 'u', action: 'edited' }],
    });
    const after = (await store.reports.get('r1'))!;
    assert.equal(after.count, 8);
    assert.equal(after.history.length, 1);
    assert.equal(before.count, 5, 'a report handed out before does not change');
  });

  it('filters by agreement, reporter and week range; withdrawn reports only when asked', async () => {
    await store.reports.add(storedReport({ id: 'a', week: '2024-W09', date: '2024-02-27', reporterId: 'u1' }));
    await store.reports.add(storedReport({ id: 'b', week: '2024-W10', reporterId: 'u2' }));
    await store.reports.add(
      storedReport({ id: 'c', week: '2024-W11', date: '2024-03-12', reporterId: 'u1', agreementId: 'eksjo-2025-2026' }),
    );
    await store.reports.add(
      storedReport({
        id: 'd',
        week: '2024-W10',
        reporterId: 'u1',
        withdrawn: { at: '2024-03-06T10:00:00.000Z', by: 'u1' },
      }),
    );
    const ids = async (filter: Parameters<Store['reports']['list']>[0]) =>
      (await store.reports.list(filter)).map((r) => r.id).sort();
    assert.deepEqual(await ids({}), ['a', 'b', 'c']);
    assert.deepEqual(await ids({ includeWithdrawn: true }), ['a', 'b', 'c', 'd']);
    assert.deepEqual(await ids({ agreementId: 'tranas-2023-2024' }), ['a', 'b']);
    assert.deepEqual(await ids({ reporterId: 'u1' }), ['a', 'c']);
    assert.deepEqual(await ids({ fromWeek: '2024-W10' }), ['b', 'c']);
    assert.deepEqual(await ids({ toWeek: '2024-W10' }), ['a', 'b']);
    assert.deepEqual(await ids({ fromWeek: '2024-W10', toWeek: '2024-W10', includeWithdrawn: true }), ['b', 'd']);
    assert.deepEqual((await store.reports.weeks()).sort(), ['2024-W09', '2024-W10', '2024-W11']);
  });

  it('moves its revision and running totals with every change', async () => {
    const r0 = await store.reports.revision();
    await store.reports.add(storedReport({ id: 'r1', count: 5 }));
    const r1 = await store.reports.revision();
    assert.ok(r1 > r0);
    await store.reports.add(storedReport({ id: 'r2', count: 3, activityId: 'riktade-insatser' }));
    const r = (await store.reports.get('r1'))!;
    await store.reports.update({ ...r, count: 9 });
    assert.ok((await store.reports.revision()) > r1);
    assert.deepEqual(await totals(store, 'tranas-2023-2024'), await expectedTotals(store, 'tranas-2023-2024'));
    await store.reports.update({ ...r, count: 9, withdrawn: { at: '2024-03-07T10:00:00.000Z', by: 'u' } });
    assert.deepEqual(await totals(store, 'tranas-2023-2024'), await expectedTotals(store, 'tranas-2023-2024'));
    assert.deepEqual(
      (await totals(store, 'tranas-2023-2024')).map((a) => a.activityId),
      ['riktade-insatser'],
    );
  });

  // A week card (issue #16): its rows stored together, all or none, idempotent on a double submit.
  it('adds the rows of one card together with addAll; a double submit adds nothing and hands back the stored rows', async () => {
    const rows = [0, 1, 2].map((i) =>
      storedReport({ id: `w${i}`, submissionId: i === 0 ? 'card' : `card-r${i}`, count: i + 1 }),
    );
    const first = await store.reports.addAll(rows);
    assert.equal(first.created, 3);
    assert.deepEqual(
      first.reports.map((r) => r.id),
      ['w0', 'w1', 'w2'],
    );
    const again = await store.reports.addAll(rows.map((r, i) => ({ ...r, id: `again-${i}` })));
    assert.equal(again.created, 0);
    assert.deepEqual(
      again.reports.map((r) => r.id),
      ['w0', 'w1', 'w2'],
      'the stored rows, not the retried copies',
    );
    assert.equal((await store.reports.list()).length, 3);
    assert.deepEqual(await totals(store, 'tranas-2023-2024'), await expectedTotals(store, 'tranas-2023-2024'));
    // Two submits of one card at once store it once.
    const other = [0, 1].map((i) => storedReport({ id: `p${i}`, submissionId: i === 0 ? 'par' : `par-r${i}` }));
    const [a, b] = await Promise.all([
      store.reports.addAll(other),
      store.reports.addAll(other.map((r) => ({ ...r, id: `${r.id}-copy` }))),
    ]);
    assert.equal(a.created + b.created, 2);
    assert.equal((await store.reports.list()).length, 5);
  });

  it('keeps the rows of one card across a reopen, and still knows their submission ids (where durable)', async function () {
    if (!opened.reopen) this.skip();
    await store.reports.addAll([
      storedReport({ id: 'k0', submissionId: 'kcard' }),
      storedReport({ id: 'k1', submissionId: 'kcard-r1', activityId: 'krogkontroller', pledgeNumber: 2 }),
    ]);
    store = await opened.reopen!();
    assert.deepEqual((await store.reports.list()).map((r) => r.id).sort(), ['k0', 'k1']);
    const again = await store.reports.addAll([storedReport({ id: 'k9', submissionId: 'kcard-r1' })]);
    assert.equal(again.created, 0);
    assert.equal(again.reports[0]!.id, 'k1');
    assert.deepEqual(await totals(store, 'tranas-2023-2024'), await expectedTotals(store, 'tranas-2023-2024'));
  });

  it('stores "inget att rapportera" as a report that is listed but never counted', async () => {
    await store.reports.add(storedReport({ id: 'n1', count: 4 }));
    await store.reports.add(
      storedReport({
        id: 'n2',
        kind: 'nothingToReport',
        activityId: 'inget-att-rapportera',
        count: 0,
        area: '-',
        description: '',
        raiseAtNextMeeting: false,
      }),
    );
    assert.equal((await store.reports.get('n2'))!.kind, 'nothingToReport');
    assert.deepEqual((await store.reports.list()).map((r) => r.id).sort(), ['n1', 'n2']);
    const acts = await totals(store, 'tranas-2023-2024');
    assert.deepEqual(
      acts.map((a) => a.activityId),
      ['trafikkontroller'],
    );
    assert.equal(
      [...acts[0]!.cells.values()].reduce((sum, c) => sum + c.reports, 0),
      1,
    );
  });

  it('keeps reports, withdrawals and edits across a reopen (where the store is durable)', async function () {
    if (!opened.reopen) this.skip();
    await store.reports.add(storedReport({ id: 'r1', submissionId: 's1', reporterId: 'u1' }));
    await store.reports.add(storedReport({ id: 'r2', week: '2024-W11', date: '2024-03-12' }));
    const r2 = (await store.reports.get('r2'))!;
    await store.reports.update({ ...r2, count: 11, withdrawn: { at: '2024-03-13T10:00:00.000Z', by: 'u' } });
    store = await opened.reopen!();
    assert.equal((await store.reports.get('r1'))!.count, 5);
    assert.equal((await store.reports.get('r2'))!.count, 11);
    assert.deepEqual(
      (await store.reports.list()).map((r) => r.id),
      ['r1'],
    );
    assert.equal(
      (await store.reports.add(storedReport({ id: 'r9', submissionId: 's1', reporterId: 'u1' }))).created,
      false,
      'the submission id is remembered',
    );
    assert.deepEqual(await totals(store, 'tranas-2023-2024'), await expectedTotals(store, 'tranas-2023-2024'));
  });
});

describeContract('audit contract', AUDITS, (impl) => {
  let opened: Opened<Audit>;
  beforeEach(async () => {
    opened = await impl.open();
  });
  afterEach(async () => {
    await opened.close();
  });

  const entry = (n: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
    at: `2024-03-14T10:00:${String(n).padStart(2, '0')}.000Z`,
    actor: { id: `u${n}`, tenantId: 't' },
    action: 'report.created',
    objectId: `r${n}`,
    outcome: 'ok',
    ...extra,
  });

  it('starts empty', async () => {
    assert.deepEqual(await opened.subject.trail.read(), { entries: [], unreadable: 0 });
    assert.deepEqual(await opened.subject.trail.tail(5), []);
  });

  it('reads back what was recorded, in order, with every field; tail gives the newest first', async () => {
    const { log, trail } = opened.subject;
    await log.record(entry(1));
    await log.record(
      entry(2, { action: 'status.override', outcome: 'refused', detail: 'reason', correlationId: 'c-2' }),
    );
    await recordStored(log, entry(3, { action: 'report.withdrawn' }));
    const { entries, unreadable } = await trail.read();
    assert.equal(unreadable, 0);
    assert.deepEqual(entries, [
      entry(1),
      entry(2, { action: 'status.override', outcome: 'refused', detail: 'reason', correlationId: 'c-2' }),
      entry(3, { action: 'report.withdrawn' }),
    ]);
    assert.deepEqual(
      (await trail.tail(2)).map((e) => e.objectId),
      ['r3', 'r2'],
    );
    assert.equal((await trail.tail(10)).length, 3);
  });

  it('keeps a copy: the caller may change its entry afterwards', async () => {
    const mine = entry(1);
    await opened.subject.log.record(mine);
    mine.objectId = 'changed';
    mine.actor.id = 'changed';
    const [read] = (await opened.subject.trail.read()).entries;
    assert.equal(read!.objectId, 'r1');
    assert.equal(read!.actor.id, 'u1');
  });

  it('keeps every line across a reopen and appends after them (where the log is durable)', async function () {
    if (!opened.reopen) this.skip();
    await opened.subject.log.record(entry(1));
    await opened.subject.log.record(entry(2));
    const { log, trail } = await opened.reopen!();
    await log.record(entry(3));
    assert.deepEqual(
      (await trail.read()).entries.map((e) => e.objectId),
      ['r1', 'r2', 'r3'],
    );
  });

  it('redacts an objectId or detail that fails the check, and nothing else (where the log can)', async function () {
    const { log, trail } = opened.subject;
    if (!log.redact) this.skip();
    await log.record(entry(1, { objectId: 'ok-1' }));
    await log.record(entry(2, { objectId: 'bad-850709-1234', detail: 'bad-detail' }));
    const changed = await log.redact!((v) => !v.startsWith('bad'), '[redacted]');
    assert.equal(changed, 1);
    const { entries } = await trail.read();
    assert.deepEqual(
      entries.map((e) => [e.objectId, e.detail]),
      [
        ['ok-1', undefined],
        ['[redacted]', '[redacted]'],
      ],
    );
  });
});

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
    const bad = JSON.stringify({
      schemaVersion: 2,
      agreements: [{ id: 'x' }],
      conversations: [],
      overrides: [],
      reporters: [],
      meetings: [],
      channelLinks: [],
      coordinators: [],
    });
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
