import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'mocha';
import { AgreementService } from '../../src/app/agreements.js';
import { MemoryAuditLog } from '../../src/app/audit.js';
import { ManualClock } from '../../src/app/clock.js';
import { ScopeService, type TurnPlace } from '../../src/app/scopes.js';
import { AgreementSchema } from '../../src/domain/agreement.js';
import { belongsTo, scopeKeyOf, scopeOf } from '../../src/domain/scope.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import type { Store } from '../../src/app/ports.js';
import { describeContract, STORES, type Opened } from '../helpers/stores.js';
import { EKSJO_2024_2025 } from '../fixtures/eksjo-2024-2025.js';

const OPERATOR = 'dddddddd-0000-4000-8000-000000000001';
const READER = 'dddddddd-0000-4000-8000-000000000002';
const PERSON = 'dddddddd-0000-4000-8000-000000000003';
const CLI = { id: 'cli:test', isCoordinator: true };

// Over every store: the bindings and scopes are optional fields of stored records, which each
// implementation must keep (PostgreSQL keeps them in its jsonb documents).
describeContract('scopes: which municipality a conversation is about', STORES, (impl) => {
  let opened: Opened<Store>;
  let store: Store;
  let clock: ManualClock;
  let scopes: ScopeService;
  let agreements: AgreementService;
  const place = (conversationId: string, kind: TurnPlace['kind'] = 'personal', teamId?: string): TurnPlace => ({
    conversationId,
    kind,
    ...(teamId ? { teamId } : {}),
  });
  const remember = (id: string, kind: 'personal' | 'channel', extra: Record<string, unknown> = {}) =>
    store.conversations.upsert({
      id,
      kind,
      serviceUrl: 'http://127.0.0.1:1/',
      reference: {},
      active: true,
      updatedAt: '2024-03-01T00:00:00Z',
      ...extra,
    });

  afterEach(async () => {
    await opened.close();
  });
  beforeEach(async () => {
    opened = await impl.open();
    store = opened.subject;
    clock = new ManualClock('2024-03-14T10:00:00Z');
    agreements = new AgreementService(store, clock);
    scopes = new ScopeService(store, clock, new MemoryAuditLog(), { coordinatorIds: [OPERATOR], readerIds: [READER] });
    await agreements.importAgreement(CLI, AgreementSchema.parse(TRANAS_2023_2024));
  });

  it('derives the key from the municipality, or takes the agreement’s own', () => {
    assert.equal(scopeKeyOf('Tranås kommun'), 'tranas-kommun');
    assert.equal(scopeKeyOf('  Eksjö  Kommun! '), 'eksjo-kommun');
    assert.equal(scopeOf({ municipality: 'Tranås kommun', scope: 'tranas' }), 'tranas');
    assert.equal(belongsTo(undefined, 'tranas-kommun', 1), true, 'a record from before scopes, one municipality');
    assert.equal(belongsTo(undefined, 'tranas-kommun', 2), false);
    assert.equal(belongsTo('eksjo-kommun', 'tranas-kommun', 2), false);
  });

  it('with one municipality every conversation is that one, bound or not', async () => {
    const r = await scopes.resolve(place('19:any@thread.tacv2', 'channel'), PERSON);
    assert.deepEqual(r.kind === 'scoped' && r.scope, 'tranas-kommun');
    assert.equal((await agreements.current())?.agreement.id, 'tranas-2023-2024');
  });

  it('with two: unbound until bound; a thread follows its channel; a person in one municipality is resolved', async () => {
    await store.reporters.put({ aadObjectId: PERSON, party: 'Polisen', registeredAt: '2024-01-01', active: true });
    await agreements.importAgreement(CLI, EKSJO_2024_2025);
    // The rapportör stored before the second municipality was stamped with the first.
    assert.equal((await store.reporters.get(PERSON))?.scope, 'tranas-kommun');
    assert.equal(await agreements.current(), undefined, 'no scope, two municipalities: no agreement at all');
    assert.equal((await agreements.current('eksjo-kommun'))?.agreement.id, 'eksjo-2024-2025');

    const channel = '19:c@thread.tacv2';
    await remember(channel, 'channel');
    const unbound = await scopes.resolve(place(channel, 'channel'), OPERATOR);
    assert.equal(unbound.kind, 'unbound');
    assert.deepEqual(unbound.kind === 'unbound' && unbound.choices.map((c) => c.key), [
      'eksjo-kommun',
      'tranas-kommun',
    ]);
    assert.equal(
      (await scopes.choose({ id: PERSON, isCoordinator: false }, place(channel, 'channel'), 'eksjo-kommun')).kind,
      'forbidden',
    );
    assert.equal(
      (await scopes.choose({ id: OPERATOR, isCoordinator: true }, place(channel, 'channel'), 'eksjo-kommun')).kind,
      'bound',
    );
    const thread = await scopes.resolve(place(`${channel};messageid=123`, 'channel'), PERSON);
    assert.deepEqual(thread.kind === 'scoped' && thread.scope, 'eksjo-kommun');
    if (opened.reopen) store = await opened.reopen();
    scopes = new ScopeService(store, clock, new MemoryAuditLog(), { coordinatorIds: [OPERATOR], readerIds: [READER] });
    const kept = await scopes.resolve(place(channel, 'channel'), PERSON);
    assert.deepEqual(kept.kind === 'scoped' && kept.scope, 'eksjo-kommun', 'the binding is stored');

    const mine = await scopes.resolve(place('a:personal'), PERSON);
    assert.deepEqual(mine.kind === 'scoped' && mine.scope, 'tranas-kommun');
    const reader = await scopes.resolve(place('a:reader'), READER);
    assert.equal(reader.kind, 'unbound', 'a reader of every municipality chooses');
    const stranger = await scopes.resolve(place('a:stranger'), 'dddddddd-0000-4000-8000-000000000009');
    assert.deepEqual(stranger.kind === 'unbound' && stranger.choices, []);
  });

  it('stored coordinators coordinate their own municipalities; operators all', async () => {
    await store.coordinators.put({ aadObjectId: PERSON, addedBy: OPERATOR, addedAt: '2024-01-01' });
    assert.equal(await scopes.isCoordinatorOf(PERSON, 'tranas-kommun'), true, 'unscoped, one municipality');
    await agreements.importAgreement(CLI, EKSJO_2024_2025);
    assert.equal(await scopes.isCoordinatorOf(PERSON, 'tranas-kommun'), true);
    assert.equal(await scopes.isCoordinatorOf(PERSON, 'eksjo-kommun'), false);
    assert.equal(await scopes.isCoordinatorOf(OPERATOR, 'eksjo-kommun'), true);
    assert.equal(await scopes.isCoordinatorOf(READER, 'eksjo-kommun'), false, 'a reader reads, never acts');
  });
});
