import { TurnContext, type Activity } from 'botbuilder';
import type { ConversationKind, StoredConversation } from '../app/ports.js';

/** What Teams tells us about where an activity came from, as a storable reference. */
export function conversationOf(activity: Activity): Omit<StoredConversation, 'active' | 'updatedAt'> | undefined {
  if (!activity.conversation?.id || !activity.serviceUrl) return undefined;
  const channelData = (activity.channelData ?? {}) as {
    tenant?: { id?: string };
    team?: { id?: string };
    channel?: { id?: string };
  };
  const type = activity.conversation.conversationType;
  const kind: ConversationKind = type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
  const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as Record<string, unknown>;
  return {
    id: activity.conversation.id,
    kind,
    tenantId: activity.conversation.tenantId ?? channelData.tenant?.id,
    teamId: channelData.team?.id,
    channelId: channelData.channel?.id,
    serviceUrl: activity.serviceUrl,
    userAadObjectId: kind === 'personal' ? activity.from?.aadObjectId : undefined,
    reference,
  };
}
