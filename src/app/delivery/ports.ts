// The ports of proactive delivery: where messages go (the sender) and where every row is recorded
// (the ledger, implemented in storage/).

/** Where a proactive message goes. */
export interface DeliveryTarget {
  /** The stored conversation (store.conversations) the message is meant for. */
  conversationId: string;
  tenantId?: string;
  /**
   * A new post in a team channel: the reference stored for `teamConversationId` is replayed with
   * its conversation id replaced by `channelId`.
   */
  channelPost?: { teamConversationId: string; channelId: string };
}

/** An @mention: `<at>name</at>` in the text plus a Teams mention entity with the AAD object id. */
export interface Mention {
  aadObjectId: string;
  name: string;
}

export interface OutgoingMessage {
  text?: string;
  /** Adaptive Card JSON. */
  card?: Record<string, unknown>;
  mentions?: Mention[];
}

/** Sends one message to one target. Throws DeliveryError (errors.ts). Never retries by itself. */
export interface ProactiveSender {
  send(target: DeliveryTarget, message: OutgoingMessage): Promise<{ activityId?: string }>;
}

/**
 * One occurrence to deliver (a weekly reminder, a digest): the key comes from the reminder policy.
 * Every recipient is one row of the same occurrence, delivered as one batch.
 */
export interface DeliveryOccurrence {
  key: string;
  kind: string;
  /** ISO instant the occurrence was due. */
  due: string;
}

/** One recipient of an occurrence (a person or a channel): one ledger row. */
export interface DeliveryItem {
  /** Stable within the occurrence: the person's AAD object id, or the channel's conversation id. */
  recipient: string;
  target: DeliveryTarget;
  message: OutgoingMessage;
  /** Recorded as skipped with this reason, never sent (e.g. the reporter is away). */
  skip?: string;
}

/**
 * pending   → not started; sent by any process
 * sending   → an attempt is (or was) in flight
 * retrying  → the last attempt certainly did not reach Teams; waiting to retry
 * sent      → Teams accepted it (activityId)
 * failed    → will not be sent (reason)
 * skipped   → deliberately not sent (reason)
 * unknown   → interrupted in flight: Teams may or may not have it; never resent
 */
export type RowState = 'pending' | 'sending' | 'retrying' | 'sent' | 'failed' | 'skipped' | 'unknown';

export interface ClaimedRow {
  occurrenceKey: string;
  recipient: string;
  target: DeliveryTarget;
  message: OutgoingMessage;
  attempts: number;
}

export type RowOutcome =
  { state: 'sent'; activityId?: string } | { state: 'failed' | 'skipped' | 'unknown'; reason: string };

export interface OccurrenceCounts {
  sent: number;
  skipped: number;
  failed: number;
  /** Interrupted in flight ("osäker"). */
  unknown: number;
  /** pending, sending or retrying. */
  inProgress: number;
}

/** What coordinators see for `påminnelser`: AAD object ids (or channel ids) and reason codes only. */
export interface OccurrenceOverview {
  key: string;
  kind: string;
  due: string;
  createdAt: string;
  counts: OccurrenceCounts;
  failures: { recipient: string; reason: string; attempts: number }[];
  /** Recipients in state unknown. */
  uncertain: string[];
}

export interface OverviewFilter {
  keys?: string[];
  kinds?: string[];
  /** Only occurrences due at or after this instant. */
  since?: string;
  /** Newest first; default 50. */
  limit?: number;
}

export interface RecoveryResult {
  /** Rows found in 'sending': now 'unknown'. */
  unknown: number;
  /** Rows found in 'retrying': now 'pending' again. */
  requeued: number;
}

/**
 * Durable record of every (occurrence, recipient). Every method that changes a row resolves only
 * once the change is on disk. A file ledger is owned by exactly one process (the one owning the data
 * file); the PostgreSQL ledger is shared by every instance, each row taken by one of them at a time
 * (storage/postgres/ledger.ts).
 */
export interface DeliveryLedger {
  /** Adds the occurrence and a 'pending' row per item ('skipped' when item.skip). Existing rows keep their state. */
  enqueue(occurrence: DeliveryOccurrence, items: DeliveryItem[], at: string): Promise<void>;
  /**
   * Moves up to `limit` pending rows (of one occurrence, or any) to 'sending' with attempts 1 and
   * returns them. The selection is synchronous, so two callers never get the same row.
   */
  claim(limit: number, at: string, occurrenceKey?: string): Promise<ClaimedRow[]>;
  /**
   * Hands up to `limit` pending rows to the caller alone, leaving them 'pending' on disk (a crash
   * now sends them after the restart: they were never attempted). The caller marks each with
   * `markAttempt` right before it goes out.
   */
  reserve(limit: number, at: string, occurrenceKey?: string): Promise<ClaimedRow[]>;
  /** The last attempt certainly did not reach Teams: 'retrying'. */
  markRetrying(occurrenceKey: string, recipient: string, at: string): Promise<void>;
  /** An attempt is about to start ('sending' or 'retrying', or a reserved 'pending' row): 'sending', attempts + 1. Returns the attempt number. */
  markAttempt(occurrenceKey: string, recipient: string, at: string): Promise<number>;
  complete(occurrenceKey: string, recipient: string, outcome: RowOutcome, at: string): Promise<void>;
  /**
   * Before any send, for rows left by a process that ended: 'sending' → 'unknown', 'retrying' →
   * 'pending'. A file ledger does it once per process; a shared ledger only for instances that are no
   * longer alive, never for live ones, and may be called periodically.
   */
  recoverInterrupted(at: string): Promise<RecoveryResult>;
  /** Records that coordinators are told `conversationId` is gone; false when they already were since it was last active. */
  noteConversationGone(conversationId: string, at: string, activeSince?: string): Promise<boolean>;
  overview(filter?: OverviewFilter): Promise<OccurrenceOverview[]>;
  /** Removes finished occurrences due before `before`; returns how many. */
  prune(before: string): Promise<number>;
}
