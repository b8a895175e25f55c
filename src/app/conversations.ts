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
    sameJson(a.reference, b.reference)
  );
}

/**
 * Whether two JSON values are equal as JSON.stringify would write them (keys in order), without
 * writing them: every message turn compares the stored reference with the new one.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  // Anything but plain objects and arrays (a Date, an object with toJSON): as JSON.stringify says.
  if (!isPlain(a) || !isPlain(b)) return JSON.stringify(a) === JSON.stringify(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    if (!sameJson((a as Record<string, unknown>)[ka[i]!], (b as Record<string, unknown>)[kb[i]!])) return false;
  }
  return true;
}

function isPlain(v: object): boolean {
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}
