import type { Clock } from './clock.js';
import type { StoredConversation } from '../domain/conversation.js';
import type { Store } from './ports.js';

/**
 * Keeps the references proactive messages need. Writes only when something changed, so a busy chat
 * does not rewrite the data file on every message.
 */
export class ConversationService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async remember(conversation: Omit<StoredConversation, 'active' | 'updatedAt'>): Promise<void> {
    const existing = await this.store.conversations.get(conversation.id);
    const next: StoredConversation = {
      ...conversation,
      active: true,
      updatedAt: this.clock.now().toISOString(),
      // The binding to a municipality is the bot's own, not Teams': it survives a new reference.
      ...(existing?.scope ? { scope: existing.scope } : {}),
    };
    if (existing && existing.active && sameTarget(existing, next)) return;
    await this.store.conversations.upsert(next);
  }

  /** Binds a conversation the bot has heard from to a municipality (scope); false when it is unknown. */
  async bind(conversationId: string, scope: string): Promise<boolean> {
    const existing = await this.store.conversations.get(conversationId);
    if (!existing) return false;
    if (existing.scope !== scope) await this.store.conversations.upsert({ ...existing, scope });
    return true;
  }

  async forget(conversationId: string): Promise<void> {
    await this.store.conversations.setActive(conversationId, false, this.clock.now().toISOString());
  }
}

function sameTarget(a: StoredConversation, b: StoredConversation): boolean {
  return (
    a.serviceUrl === b.serviceUrl &&
    a.kind === b.kind &&
    a.tenantId === b.tenantId &&
    a.teamId === b.teamId &&
    a.channelId === b.channelId &&
    a.userAadObjectId === b.userAadObjectId &&
    JSON.stringify(a.reference) === JSON.stringify(b.reference)
  );
}
