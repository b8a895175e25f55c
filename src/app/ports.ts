import type { Agreement } from '../domain/agreement.js';
import type { FollowUpDocument } from '../domain/follow-up-document.js';
import type { ChannelLink } from '../domain/channel-link.js';
import type { ConversationKind, StoredConversation } from '../domain/conversation.js';
import type { StoredCoordinator } from '../domain/coordinator.js';
import type { StoredMarker } from '../domain/marker.js';
import type { StoredFollowUp } from '../domain/follow-up.js';
import type { Meeting } from '../domain/meeting.js';
import type { StoredOverride } from '../domain/override.js';
import type { WeeklyReport } from '../domain/report.js';
import type { ReportTally } from '../domain/report-tally.js';
import type { Reporter } from '../domain/reporter.js';

/** Ports the application layer needs; storage/ implements them (lowdb, memory). The records are the domain's. */

/**
 * Agreements are handed out read-only (frozen) and as the same object until that agreement is
 * saved again: a view derived from one (StatusService) is kept while the object is the same.
 */
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
  /** Only reports changed (updatedAt) at or after this ISO instant. */
  changedSince?: string;
}

/**
 * Reports are many: the repository hands out read-only objects (no copies) and replaces a report
 * as a whole on update, so a status over 100 000 reports does not clone them all.
 */
export interface ReportRepository {
  /** Adds the report unless the same reporter already stored one with this submissionId (a retried or double submit); another reporter's id never matches. */
  add(report: WeeklyReport): Promise<{ report: Readonly<WeeklyReport>; created: boolean }>;
  get(id: string): Promise<Readonly<WeeklyReport> | undefined>;
  update(report: WeeklyReport): Promise<void>;
  list(filter?: ReportFilter): Promise<ReadonlyArray<Readonly<WeeklyReport>>>;
  /**
   * Grows with every change to the reports (to `agreementId`'s when named; any change may count):
   * status and answers are kept until it changes. Another process's write changes it too.
   */
  revision(agreementId?: string): Promise<number>;
  /**
   * Running totals of the countable reports: at least `agreementId`'s (every agreement's when none
   * is named). Read-only for the caller; kept up to date by the store with every change.
   */
  tally(agreementId?: string): Promise<ReportTally>;
  /**
   * The ISO weeks that hold reports, any order: with `agreementId`, at least the weeks holding that
   * agreement's reports (a store may return others too; list() with the agreement then finds none).
   */
  weeks(agreementId?: string): Promise<string[]>;
}

/** Small collections kept in the main data file: whole-list reads, single-item writes. */
export interface Collection<T> {
  list(): Promise<T[]>;
  /** Inserts or replaces the item whose key equals key(item). */
  put(item: T): Promise<void>;
  get(key: string): Promise<T | undefined>;
}

/**
 * A collection whose records each belong to one agreement (meetings, overrides): a turn asks for
 * its own agreement's, which on a shared database is a query on an index, not the whole country's.
 */
export interface AgreementCollection<T extends { agreementId: string }> extends Collection<T> {
  /** The records of one agreement, in the order list() gives them. */
  listOf(agreementId: string): Promise<T[]>;
}

/**
 * The follow-ups both parties sign (src/domain/follow-up.ts), one per agreement and follow-up
 * point. Writes are compare-and-set on `version`: a read-modify-write that lost a race is told so
 * and reads again, so two approvals at the same moment are both kept.
 */
export interface FollowUpRepository {
  get(agreementId: string, periodKey: string): Promise<StoredFollowUp | undefined>;
  /** An agreement's follow-ups, oldest first (by when each was first stored). */
  listOf(agreementId: string): Promise<StoredFollowUp[]>;
  /**
   * Stores `followUp` if the stored version is `followUp.version - 1` (none stored for version 1);
   * returns false, changing nothing, when another write came first.
   */
  save(followUp: StoredFollowUp): Promise<boolean>;
}

export interface StoreHealth {
  state: 'open' | 'closed';
  kind: 'lowdb' | 'memory' | 'postgres';
  schemaVersion: number;
  path?: string;
  reports?: number;
}

export interface Store {
  agreements: AgreementRepository;
  conversations: ConversationRepository;
  reports: ReportRepository;
  overrides: AgreementCollection<StoredOverride>;
  reporters: Collection<Reporter>;
  meetings: AgreementCollection<Meeting>;
  channelLinks: Collection<ChannelLink>;
  coordinators: Collection<StoredCoordinator>;
  markers: Collection<StoredMarker>;
  followUps: FollowUpRepository;
  health(): StoreHealth;
  close(): Promise<void>;
}

/**
 * Several bot instances share one PostgreSQL database and all tick: only the leader decides what
 * is due (enqueueing is idempotent anyway). With lowdb one process owns the data: always the leader.
 */
export interface Leadership {
  /** Whether this process leads now (tries to become the leader when nobody does). */
  isLeader(): Promise<boolean>;
}

// ---------------------------------------------------------------------------
// Follow-up documents (issue #15): the renderers in src/documents consume these.
// ---------------------------------------------------------------------------

/**
 * The follow-up document of an agreement's follow-up point ("2024-T2"), or its KF report ("2024",
 * "2023-2024"), as the chat flow built and the parties signed it; undefined when there is none.
 */
export interface FollowUpDocuments {
  get(agreementId: string, periodKey: string): Promise<FollowUpDocument | undefined>;
}
