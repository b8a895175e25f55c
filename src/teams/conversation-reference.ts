import { TurnContext, type Activity } from 'botbuilder';
import type { ConversationKind, StoredConversation } from '../app/ports.js';

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
  const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as Record<string, unknown>;
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
