import { TurnContext, type Activity } from 'botbuilder';
import type { ConversationKind, StoredConversation } from '../domain/conversation.js';
import { safeText } from '../domain/outbound-guard.js';

/**
 * Display names already checked by the privacy guard, with the result. The guard is a pure function
 * of the text and every message turn builds a reference, so the same few names were checked on every
 * message (10–15 µs of a 0.7–1 ms turn). Bounded: started over when full.
 */
const checkedNames = new Map<string, boolean>();
const MAX_CHECKED_NAMES = 1000;
function namePasses(name: string): boolean {
  let passes = checkedNames.get(name);
  if (passes === undefined) {
    passes = safeText(name) !== undefined;
    if (checkedNames.size >= MAX_CHECKED_NAMES) checkedNames.clear();
    checkedNames.set(name, passes);
  }
  return passes;
}

/** What Teams tells us about where an activity came from, as a storable reference. */
export function conversationOf(activity: Activity): Omit<StoredConversation, 'active' | 'updatedAt'> | undefined {
  if (!activity.conversation?.id || !activity.serviceUrl) return undefined;
  const channelData = (activity.channelData ?? {}) as {
    tenant?: { id?: unknown };
    team?: { id?: unknown };
    channel?: { id?: unknown };
  };
  // Only strings are stored: a null or an object here would make the data file fail its schema
  // at the next start.
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const type = activity.conversation.conversationType;
  const kind: ConversationKind = type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
  // No activityId: it changes with every message and would rewrite the data file each time.
  // Only the fields a proactive send needs, as strings: botbuilder's reference copies `from`,
  // `recipient` and `conversation` whole, and whatever else a caller put in them (a deeply nested
  // object is megabytes once the data file is pretty-printed, rewritten on every change).
  const full = TurnContext.getConversationReference(activity) as unknown as Record<string, unknown>;
  const pick = (v: unknown, keys: string[]): Record<string, unknown> | undefined => {
    if (!v || typeof v !== 'object') return undefined;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of keys) if (typeof o[k] === 'string' || typeof o[k] === 'boolean') out[k] = o[k];
    return out;
  };
  // Absent values are left out, as in the stored JSON (every value here is a string, a boolean or
  // one of these flat objects).
  const reference: Record<string, unknown> = {};
  const fields: [string, unknown][] = [
    ['user', pick(full.user, ['id', 'name', 'aadObjectId', 'role'])],
    ['bot', pick(full.bot, ['id', 'name', 'role'])],
    ['conversation', pick(full.conversation, ['id', 'name', 'conversationType', 'tenantId', 'isGroup'])],
    ['channelId', str(full.channelId)],
    ['locale', str(full.locale)],
    ['serviceUrl', str(full.serviceUrl)],
  ];
  for (const [k, v] of fields) if (v !== undefined) reference[k] = v;
  // Display names (the user's, a group chat's) are kept only when they pass the privacy guard: a
  // proactive send does not need them.
  for (const k of ['user', 'conversation']) {
    const o = reference[k] as Record<string, unknown> | undefined;
    if (o && typeof o.name === 'string' && !namePasses(o.name)) delete o.name;
  }
  return {
    id: activity.conversation.id,
    kind,
    tenantId: str(activity.conversation.tenantId) ?? str(channelData.tenant?.id),
    teamId: str(channelData.team?.id),
    channelId: str(channelData.channel?.id),
    serviceUrl: activity.serviceUrl,
    userAadObjectId: kind === 'personal' ? str(activity.from?.aadObjectId) : undefined,
    reference,
  };
}
