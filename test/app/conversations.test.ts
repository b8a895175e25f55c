import assert from 'node:assert/strict';
import { ManualClock } from '../../src/app/clock.js';
import { ConversationService } from '../../src/app/conversations.js';
import type { StoredConversation } from '../../src/domain/conversation.js';
import { MemoryStore } from '../../src/storage/memory-store.js';

type Remembered = Omit<StoredConversation, 'active' | 'updatedAt'>;

const base = (reference: Record<string, unknown>): Remembered => ({
  id: 'a:personal-1',
  kind: 'personal',
  tenantId: 'tenant-1',
  serviceUrl: 'https://smba.example.invalid/',
  userAadObjectId: 'aad-1',
  reference,
});

const reference = () => ({
  user: { id: '29:user-1', name: 'Användare 1', aadObjectId: 'aad-1' },
  bot: { id: '28:bot', name: 'Bot' },
  conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 'tenant-1', isGroup: false },
  channelId: 'msteams',
  serviceUrl: 'https://smba.example.invalid/',
});

describe('ConversationService.remember', () => {
  async function setup() {
    const store = new MemoryStore();
    const clock = new ManualClock('2024-03-14T10:00:00Z');
    const service = new ConversationService(store, clock);
    await service.remember(base(reference()));
    clock.set('2024-03-14T11:00:00Z');
    const stored = async () => (await store.conversations.get('a:personal-1'))!;
    return { service, stored };
  }

  it('does not write again when the same reference comes in (a new but equal object)', async () => {
    const { service, stored } = await setup();
    await service.remember(base(reference()));
    assert.equal((await stored()).updatedAt, '2024-03-14T10:00:00.000Z');
  });

  it('treats an absent key and one set to undefined alike, as the stored JSON does', async () => {
    const { service, stored } = await setup();
    const r = reference();
    await service.remember(base({ ...r, locale: undefined, user: { ...r.user, role: undefined } }));
    assert.equal((await stored()).updatedAt, '2024-03-14T10:00:00.000Z');
  });

  const changes: [string, (r: ReturnType<typeof reference>) => Record<string, unknown>][] = [
    ['a nested value', (r) => ({ ...r, user: { ...r.user, name: 'Användare 2' } })],
    ['a boolean', (r) => ({ ...r, conversation: { ...r.conversation, isGroup: true } })],
    ['a key added', (r) => ({ ...r, locale: 'sv-SE' })],
    ['a key removed', ({ bot: _bot, ...rest }) => rest],
    ['the order of keys', ({ user, ...rest }) => ({ ...rest, user })],
    ['a value of another type', (r) => ({ ...r, channelId: ['msteams'] })],
  ];
  for (const [what, change] of changes) {
    it(`writes the reference when it changed: ${what}`, async () => {
      const { service, stored } = await setup();
      const next = change(reference());
      await service.remember(base(next));
      const now = await stored();
      assert.equal(now.updatedAt, '2024-03-14T11:00:00.000Z');
      assert.equal(JSON.stringify(now.reference), JSON.stringify(next));
    });
  }
});
