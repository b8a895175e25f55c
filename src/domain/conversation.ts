import { z } from 'zod';

export const CONVERSATION_KINDS = ['personal', 'groupChat', 'channel'] as const;
export const ConversationKindSchema = z.enum(CONVERSATION_KINDS);
export type ConversationKind = z.infer<typeof ConversationKindSchema>;

/** Where the bot can speak later (proactive messages): what Teams told us about a conversation. */
export const StoredConversationSchema = z.object({
  /** The Bot Framework conversation id. */
  id: z.string().min(1),
  kind: ConversationKindSchema,
  tenantId: z.string().optional(),
  teamId: z.string().optional(),
  channelId: z.string().optional(),
  serviceUrl: z.string(),
  /** For personal chats: the user's AAD object id, so reminders can find the person. */
  userAadObjectId: z.string().optional(),
  /** The raw ConversationReference as JSON, replayed for proactive sends. */
  reference: z.record(z.unknown()),
  active: z.boolean(),
  updatedAt: z.string(),
  /**
   * The municipality (src/domain/scope.ts) this conversation is bound to: by `koppla kanal`, or a
   * choice made with `byt kommun`. Absent: resolved from the team's channel link or the person.
   */
  scope: z.string().min(1).optional(),
});
export type StoredConversation = z.infer<typeof StoredConversationSchema>;
