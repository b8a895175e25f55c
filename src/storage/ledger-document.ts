import { createHash } from 'node:crypto';
import { z } from 'zod';
import type {
  ClaimedRow,
  DeliveryItem,
  DeliveryLedger,
  DeliveryOccurrence,
  OccurrenceOverview,
  OutgoingMessage,
  OverviewFilter,
  RecoveryResult,
  RowOutcome,
  RowState,
} from '../app/delivery/index.js';

/**
 * The delivery ledger over a plain document (see app/delivery/ports.ts): one row per (occurrence,
 * recipient). Every change is made synchronously in memory (so a claim is an atomic check-and-set
 * within the process) and handed to `persist` as a list of changes (LedgerChange), which the file
 * ledger appends to its journal; a method resolves once they are persisted.
 */

export const LEDGER_VERSION = 1;

const TargetSchema = z.object({
  conversationId: z.string().min(1),
  tenantId: z.string().optional(),
  channelPost: z.object({ teamConversationId: z.string().min(1), channelId: z.string().min(1) }).optional(),
});

export const MessageSchema = z.object({
  text: z.string().optional(),
  card: z.record(z.unknown()).optional(),
  mentions: z.array(z.object({ aadObjectId: z.string(), name: z.string() })).optional(),
});

export const RowSchema = z.object({
  recipient: z.string().min(1),
  conversationId: z.string(),
  state: z.enum(['pending', 'sending', 'retrying', 'sent', 'failed', 'skipped', 'unknown']),
  attempts: z.number().int().min(0),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Kept only while the row may still be sent. */
  target: TargetSchema.optional(),
  messageRef: z.string().optional(),
  activityId: z.string().optional(),
  reason: z.string().optional(),
});

const OccurrenceSchema = z.object({
  key: z.string().min(1),
  kind: z.string(),
  due: z.string(),
  createdAt: z.string(),
  /** Message bodies by content hash, shared by rows; dropped once no row may still be sent. */
  messages: z.record(MessageSchema).optional(),
  rows: z.array(RowSchema),
});

const GoneNoticeSchema = z.object({ conversationId: z.string().min(1), at: z.string() });

export const LedgerSchema = z.object({
  version: z.literal(LEDGER_VERSION),
  /** The last journal change the snapshot holds (absent in a ledger written before the journal). */
  seq: z.number().int().min(0).optional(),
  occurrences: z.array(OccurrenceSchema),
  goneNotices: z.array(GoneNoticeSchema),
});

export type LedgerData = z.infer<typeof LedgerSchema>;
export type OccurrenceDoc = z.infer<typeof OccurrenceSchema>;
export type RowDoc = z.infer<typeof RowSchema>;

/**
 * One change to the ledger, as a journal line holds it. Each sets a state (never "add one"), so
 * applying a change twice gives the same ledger.
 */
export const LedgerChangeSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('occurrence'),
    key: z.string().min(1),
    kind: z.string(),
    due: z.string(),
    createdAt: z.string(),
  }),
  z.object({ op: z.literal('message'), key: z.string().min(1), ref: z.string(), message: MessageSchema }),
  z.object({ op: z.literal('row'), key: z.string().min(1), row: RowSchema }),
  /** No row of the occurrence may still be sent: its message bodies go. */
  z.object({ op: z.literal('settled'), key: z.string().min(1) }),
  z.object({ op: z.literal('gone'), conversationId: z.string().min(1), at: z.string() }),
  z.object({ op: z.literal('prune'), keys: z.array(z.string()) }),
]);
export type LedgerChange = z.infer<typeof LedgerChangeSchema>;

export const emptyLedger = (): LedgerData => ({ version: LEDGER_VERSION, occurrences: [], goneNotices: [] });

const ACTIVE: ReadonlySet<RowState> = new Set(['pending', 'sending', 'retrying']);

const messageRef = (m: OutgoingMessage) => createHash('sha256').update(JSON.stringify(m)).digest('hex').slice(0, 20);

/** Applies journal changes to a plain ledger document (reading the files; no index needed after). */
export function applyChanges(data: LedgerData, changes: Iterable<LedgerChange>): void {
  const docs = new Map(data.occurrences.map((d) => [d.key, d]));
  const rowIndex = new Map<OccurrenceDoc, Map<string, number>>();
  const rowsOf = (doc: OccurrenceDoc) => {
    let idx = rowIndex.get(doc);
    if (!idx) rowIndex.set(doc, (idx = new Map(doc.rows.map((r, i) => [r.recipient, i]))));
    return idx;
  };
  for (const c of changes) {
    switch (c.op) {
      case 'occurrence':
        if (!docs.has(c.key)) {
          const doc: OccurrenceDoc = { key: c.key, kind: c.kind, due: c.due, createdAt: c.createdAt, rows: [] };
          data.occurrences.push(doc);
          docs.set(c.key, doc);
        }
        break;
      case 'message': {
        const doc = docs.get(c.key);
        if (doc) (doc.messages ??= {})[c.ref] = c.message;
        break;
      }
      case 'row': {
        const doc = docs.get(c.key);
        if (!doc) break;
        const idx = rowsOf(doc);
        const at = idx.get(c.row.recipient);
        if (at === undefined) {
          idx.set(c.row.recipient, doc.rows.length);
          doc.rows.push(c.row);
        } else doc.rows[at] = c.row;
        break;
      }
      case 'settled': {
        const doc = docs.get(c.key);
        if (doc) delete doc.messages;
        break;
      }
      case 'gone': {
        const notice = data.goneNotices.find((n) => n.conversationId === c.conversationId);
        if (notice) notice.at = c.at;
        else data.goneNotices.push({ conversationId: c.conversationId, at: c.at });
        break;
      }
      case 'prune': {
        const gone = new Set(c.keys);
        data.occurrences = data.occurrences.filter((d) => !gone.has(d.key));
        for (const k of c.keys) docs.delete(k);
        break;
      }
    }
  }
}

interface Indexed {
  doc: OccurrenceDoc;
  rows: Map<string, RowDoc>;
  /** Rows before this index are known not to be pending. */
  cursor: number;
  /** Rows pending, sending or retrying. */
  active: number;
}

export class DocumentLedger implements DeliveryLedger {
  private readonly index = new Map<string, Indexed>();
  /** Occurrences that may have pending rows past their cursor: a drain over all never walks the settled history. */
  private readonly open = new Set<Indexed>();
  private readonly notices = new Map<string, { conversationId: string; at: string }>();
  private recovered = false;
  /** Changes made in memory and not yet handed to persist. */
  private changes: LedgerChange[] = [];
  /** Reserved rows: still 'pending' on disk, handed to one worker; 'occurrence\u0000recipient'. */
  private readonly reserved = new Set<string>();

  constructor(
    protected readonly data: LedgerData,
    private readonly persist: (changes: LedgerChange[]) => Promise<void>,
  ) {
    for (const doc of data.occurrences) {
      const entry: Indexed = {
        doc,
        rows: new Map(doc.rows.map((r) => [r.recipient, r])),
        cursor: 0,
        active: doc.rows.filter((r) => ACTIVE.has(r.state)).length,
      };
      this.index.set(doc.key, entry);
      if (entry.active > 0) this.open.add(entry);
    }
    for (const n of data.goneNotices) this.notices.set(n.conversationId, n);
  }

  async enqueue(occurrence: DeliveryOccurrence, items: DeliveryItem[], at: string): Promise<void> {
    let entry = this.index.get(occurrence.key);
    if (!entry) {
      const doc: OccurrenceDoc = {
        key: occurrence.key,
        kind: occurrence.kind,
        due: occurrence.due,
        createdAt: at,
        rows: [],
      };
      this.data.occurrences.push(doc);
      this.index.set(doc.key, (entry = { doc, rows: new Map(), cursor: 0, active: 0 }));
      this.changes.push({ op: 'occurrence', key: doc.key, kind: doc.kind, due: doc.due, createdAt: at });
    }
    for (const item of items) {
      if (entry.rows.has(item.recipient)) continue;
      const row: RowDoc = {
        recipient: item.recipient,
        conversationId: item.target.conversationId,
        state: item.skip ? 'skipped' : 'pending',
        attempts: 0,
        createdAt: at,
        updatedAt: at,
      };
      if (item.skip) row.reason = item.skip;
      else {
        const message = structuredClone(item.message);
        const ref = messageRef(message);
        const messages = (entry.doc.messages ??= {});
        if (!messages[ref]) {
          messages[ref] = message;
          this.changes.push({ op: 'message', key: entry.doc.key, ref, message });
        }
        row.target = structuredClone(item.target);
        row.messageRef = ref;
        entry.active++;
        this.open.add(entry);
      }
      entry.doc.rows.push(row);
      entry.rows.set(row.recipient, row);
      this.changes.push({ op: 'row', key: entry.doc.key, row });
    }
    await this.flush();
  }

  async claim(limit: number, at: string, occurrenceKey?: string): Promise<ClaimedRow[]> {
    const claimed = this.take(limit, at, occurrenceKey, true);
    await this.flush();
    return claimed;
  }

  async reserve(limit: number, at: string, occurrenceKey?: string): Promise<ClaimedRow[]> {
    const reserved = this.take(limit, at, occurrenceKey, false);
    // Rows that failed for a missing message were finished: that change is written.
    await this.flush();
    return reserved;
  }

  /** The next pending rows, past the cursor so no other caller gets them: 'sending' when `claim`, else reserved. */
  private take(limit: number, at: string, occurrenceKey: string | undefined, claim: boolean): ClaimedRow[] {
    const taken: ClaimedRow[] = [];
    const entries = occurrenceKey ? [this.index.get(occurrenceKey)].filter((e): e is Indexed => !!e) : [...this.open];
    for (const entry of entries) {
      const rows = entry.doc.rows;
      while (entry.cursor < rows.length && taken.length < limit) {
        const row = rows[entry.cursor]!;
        entry.cursor++;
        if (row.state !== 'pending') continue;
        const message = row.messageRef ? entry.doc.messages?.[row.messageRef] : undefined;
        if (!row.target || !message) {
          this.finish(entry, row, { state: 'failed', reason: 'message-missing' }, at);
          continue;
        }
        if (claim) {
          row.state = 'sending';
          row.attempts += 1;
          row.updatedAt = at;
          this.changes.push({ op: 'row', key: entry.doc.key, row });
        } else {
          this.reserved.add(`${entry.doc.key}\u0000${row.recipient}`);
        }
        taken.push({
          occurrenceKey: entry.doc.key,
          recipient: row.recipient,
          target: structuredClone(row.target),
          message: structuredClone(message),
          attempts: row.attempts,
        });
      }
      if (entry.cursor >= rows.length) this.open.delete(entry);
      if (taken.length >= limit) break;
    }
    return taken;
  }

  async markRetrying(occurrenceKey: string, recipient: string, at: string): Promise<void> {
    const row = this.row(occurrenceKey, recipient);
    if (row?.state !== 'sending') return;
    row.state = 'retrying';
    row.updatedAt = at;
    this.changes.push({ op: 'row', key: occurrenceKey, row });
    await this.flush();
  }

  async markAttempt(occurrenceKey: string, recipient: string, at: string): Promise<number> {
    const row = this.row(occurrenceKey, recipient);
    const wasReserved = this.reserved.delete(`${occurrenceKey}\u0000${recipient}`);
    if (!row || !(row.state === 'sending' || row.state === 'retrying' || (row.state === 'pending' && wasReserved)))
      throw new Error(`ledger: row ${occurrenceKey} / ${recipient} is not in flight`);
    row.state = 'sending';
    row.attempts += 1;
    row.updatedAt = at;
    this.changes.push({ op: 'row', key: occurrenceKey, row });
    await this.flush();
    return row.attempts;
  }

  async complete(occurrenceKey: string, recipient: string, outcome: RowOutcome, at: string): Promise<void> {
    const entry = this.index.get(occurrenceKey);
    const row = entry?.rows.get(recipient);
    if (!entry || !row || !ACTIVE.has(row.state)) return;
    this.finish(entry, row, outcome, at);
    await this.flush();
  }

  async recoverInterrupted(at: string): Promise<RecoveryResult> {
    if (this.recovered) return { unknown: 0, requeued: 0 };
    this.recovered = true;
    const result = { unknown: 0, requeued: 0 };
    for (const entry of this.index.values()) {
      if (entry.active === 0) continue;
      for (const row of entry.doc.rows) {
        if (row.state === 'sending') {
          this.finish(entry, row, { state: 'unknown', reason: 'interrupted' }, at);
          result.unknown++;
        } else if (row.state === 'retrying') {
          row.state = 'pending';
          row.updatedAt = at;
          this.changes.push({ op: 'row', key: entry.doc.key, row });
          result.requeued++;
        }
      }
      entry.cursor = 0;
      if (entry.active > 0) this.open.add(entry);
    }
    this.reserved.clear();
    await this.flush();
    return result;
  }

  async noteConversationGone(conversationId: string, at: string, activeSince?: string): Promise<boolean> {
    const notice = this.notices.get(conversationId);
    if (notice && (activeSince === undefined || notice.at >= activeSince)) return false;
    if (notice) notice.at = at;
    else {
      const n = { conversationId, at };
      this.data.goneNotices.push(n);
      this.notices.set(conversationId, n);
    }
    this.changes.push({ op: 'gone', conversationId, at });
    await this.flush();
    return true;
  }

  async overview(filter: OverviewFilter = {}): Promise<OccurrenceOverview[]> {
    const docs = filter.keys
      ? [...new Set(filter.keys)].map((k) => this.index.get(k)?.doc).filter((d): d is OccurrenceDoc => !!d)
      : [...this.index.values()].map((e) => e.doc);
    const kinds = filter.kinds ? new Set(filter.kinds) : undefined;
    return docs
      .filter((d) => (!kinds || kinds.has(d.kind)) && (!filter.since || d.due >= filter.since))
      .sort((a, b) => (a.due === b.due ? b.createdAt.localeCompare(a.createdAt) : b.due.localeCompare(a.due)))
      .slice(0, filter.limit ?? 50)
      .map((d) => {
        const counts = { sent: 0, skipped: 0, failed: 0, unknown: 0, inProgress: 0 };
        const failures: OccurrenceOverview['failures'] = [];
        const uncertain: string[] = [];
        for (const r of d.rows) {
          if (ACTIVE.has(r.state)) counts.inProgress++;
          else counts[r.state as 'sent' | 'skipped' | 'failed' | 'unknown']++;
          if (r.state === 'failed')
            failures.push({ recipient: r.recipient, reason: r.reason ?? 'error', attempts: r.attempts });
          if (r.state === 'unknown') uncertain.push(r.recipient);
        }
        return { key: d.key, kind: d.kind, due: d.due, createdAt: d.createdAt, counts, failures, uncertain };
      });
  }

  async prune(before: string): Promise<number> {
    const removed = new Set<OccurrenceDoc>();
    for (const entry of this.index.values()) if (entry.doc.due < before && entry.active === 0) removed.add(entry.doc);
    if (removed.size === 0) return 0;
    const keys = [...removed].map((d) => d.key);
    for (const key of keys) this.index.delete(key);
    this.data.occurrences = this.data.occurrences.filter((d) => !removed.has(d));
    this.changes.push({ op: 'prune', keys });
    await this.flush();
    return removed.size;
  }

  /** Hands the changes made since the last call to persist (nothing to do: no write). */
  private flush(): Promise<void> {
    if (this.changes.length === 0) return Promise.resolve();
    const changes = this.changes;
    this.changes = [];
    return this.persist(changes);
  }

  private row(occurrenceKey: string, recipient: string): RowDoc | undefined {
    return this.index.get(occurrenceKey)?.rows.get(recipient);
  }

  private finish(entry: Indexed, row: RowDoc, outcome: RowOutcome, at: string): void {
    if (ACTIVE.has(row.state)) entry.active--;
    row.state = outcome.state;
    row.updatedAt = at;
    if (outcome.state === 'sent') {
      if (outcome.activityId) row.activityId = outcome.activityId;
      delete row.reason;
    } else row.reason = outcome.reason;
    delete row.target;
    delete row.messageRef;
    this.changes.push({ op: 'row', key: entry.doc.key, row });
    // Once no row of an occurrence may still be sent, its message bodies (names in mentions) go.
    if (entry.active === 0 && entry.doc.messages) {
      delete entry.doc.messages;
      this.changes.push({ op: 'settled', key: entry.doc.key });
    }
  }
}

/** The ledger in memory: tests and the memory store. */
export class MemoryLedger extends DocumentLedger {
  constructor() {
    super(emptyLedger(), async () => {});
  }
}
