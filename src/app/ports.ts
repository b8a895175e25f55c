import type { Agreement } from '../domain/agreement.js';

/** Ports the application layer needs; storage/ implements them (lowdb, memory). */

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/** Where the bot can speak later (proactive messages): what Teams told us about a conversation. */
export interface StoredConversation {
  /** The Bot Framework conversation id. */
  id: string;
  kind: ConversationKind;
  tenantId?: string;
  teamId?: string;
  channelId?: string;
  serviceUrl: string;
  /** For personal chats: the user's AAD object id, so reminders can find the person. */
  userAadObjectId?: string;
  /** The raw ConversationReference as JSON, replayed for proactive sends. */
  reference: Record<string, unknown>;
  active: boolean;
  updatedAt: string;
}

export interface AgreementRepository {
  list(): Promise<Agreement[]>;
  get(id: string): Promise<Agreement | undefined>;
  /** Adds the agreement if no agreement with that id exists; returns whether it was added. */
  addIfAbsent(agreement: Agreement): Promise<boolean>;
  /** Adds or replaces the agreement with this id. */
  save(agreement: Agreement): Promise<void>;
}

export interface ConversationRepository {
  upsert(conversation: StoredConversation): Promise<void>;
  get(id: string): Promise<StoredConversation | undefined>;
  list(filter?: { active?: boolean; kind?: ConversationKind }): Promise<StoredConversation[]>;
  setActive(id: string, active: boolean, at: string): Promise<void>;
}

export interface StoreHealth {
  state: 'open' | 'closed';
  kind: 'lowdb' | 'memory';
  schemaVersion: number;
  path?: string;
}

export interface Store {
  agreements: AgreementRepository;
  conversations: ConversationRepository;
  health(): StoreHealth;
  close(): Promise<void>;
}
