import type { Agreement } from '../domain/agreement.js';
import type { WeeklyReport } from '../domain/report.js';

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

export interface ReportFilter {
  agreementId?: string;
  reporterId?: string;
  /** Inclusive ISO weeks. */
  fromWeek?: string;
  toWeek?: string;
  includeWithdrawn?: boolean;
}

/**
 * Reports are many: the repository hands out read-only objects (no copies) and replaces a report
 * as a whole on update, so a status over 100 000 reports does not clone them all.
 */
export interface ReportRepository {
  /** Adds the report unless one with the same submissionId exists (a retried or double submit). */
  add(report: WeeklyReport): Promise<{ report: Readonly<WeeklyReport>; created: boolean }>;
  get(id: string): Promise<Readonly<WeeklyReport> | undefined>;
  update(report: WeeklyReport): Promise<void>;
  list(filter?: ReportFilter): Promise<ReadonlyArray<Readonly<WeeklyReport>>>;
}

export interface StoreHealth {
  state: 'open' | 'closed';
  kind: 'lowdb' | 'memory';
  schemaVersion: number;
  path?: string;
  reports?: number;
}

export interface Store {
  agreements: AgreementRepository;
  conversations: ConversationRepository;
  reports: ReportRepository;
  health(): StoreHealth;
  close(): Promise<void>;
}
