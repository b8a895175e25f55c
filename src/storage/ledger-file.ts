import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { DataFile } from 'lowdb/node';
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
import { StoreOpenError } from './lowdb-store.js';

/**
 * The delivery ledger (see app/delivery.ts): one row per (occurrence, recipient). Kept in its own
 * lowdb file next to the data file, `<name>.ledger.json`, because a fan-out writes many rows and
 * lowdb rewrites the whole file on every write; the data file stays small and calm.
 */

export const LEDGER_VERSION = 1;

const TargetSchema = z.object({
  conversationId: z.string().min(1),
  tenantId: z.string().optional(),
  channelPost: z.object({ teamConversationId: z.string().min(1), channelId: z.string().min(1) }).optional(),
});

const MessageSchema = z.object({
  text: z.string().optional(),
  card: z.record(z.unknown()).optional(),
  mentions: z.array(z.object({ aadObjectId: z.string(), name: z.string() })).optional(),
});

const RowSchema = z.object({
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

const LedgerSchema = z.object({
  version: z.literal(LEDGER_VERSION),
  occurrences: z.array(OccurrenceSchema),
  goneNotices: z.array(z.object({ conversationId: z.string().min(1), at: z.string() })),
});

export type LedgerData = z.infer<typeof LedgerSchema>;
type OccurrenceDoc = z.infer<typeof OccurrenceSchema>;
type RowDoc = z.infer<typeof RowSchema>;

export const emptyLedger = (): LedgerData => ({ version: LEDGER_VERSION, occurrences: [], goneNotices: [] });

const ACTIVE: ReadonlySet<RowState> = new Set(['pending', 'sending', 'retrying']);

const messageRef = (m: OutgoingMessage) => createHash('sha256').update(JSON.stringify(m)).digest('hex').slice(0, 20);

interface Indexed {
  doc: OccurrenceDoc;
  rows: Map<string, RowDoc>;
  /** Rows before this index are known not to be pending. */
  cursor: number;
}

/**
 * The ledger over a plain document. Every change is made synchronously in memory (so a claim is an
 * atomic check-and-set within the process) and then persisted; a method resolves after the write.
 */
export class DocumentLedger implements DeliveryLedger {
  private readonly index = new Map<string, Indexed>();
  private readonly notices = new Map<string, { conversationId: string; at: string }>();
  private recovered = false;

  constructor(
    private readonly data: LedgerData,
    private readonly persist: () => Promise<void>,
  ) {
    for (const doc of data.occurrences) this.index.set(doc.key, { doc, rows: new Map(doc.rows.map((r) => [r.recipient, r])), cursor: 0 });
    for (const n of data.goneNotices) this.notices.set(n.conversationId, n);
  }

  async enqueue(occurrence: DeliveryOccurrence, items: DeliveryItem[], at: string): Promise<void> {
    let changed = false;
    let entry = this.index.get(occurrence.key);
    if (!entry) {
      const doc: OccurrenceDoc = { key: occurrence.key, kind: occurrence.kind, due: occurrence.due, createdAt: at, rows: [] };
      this.data.occurrences.push(doc);
      this.index.set(doc.key, (entry = { doc, rows: new Map(), cursor: 0 }));
      changed = true;
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
        (entry.doc.messages ??= {})[ref] ??= message;
        row.target = structuredClone(item.target);
        row.messageRef = ref;
      }
      entry.doc.rows.push(row);
      entry.rows.set(row.recipient, row);
      changed = true;
    }
    if (changed) await this.persist();
  }

  async claim(limit: number, at: string, occurrenceKey?: string): Promise<ClaimedRow[]> {
    const claimed = this.take(limit, at, occurrenceKey, true);
    if (claimed.length > 0) await this.persist();
    return claimed;
  }

  async reserve(limit: number, at: string, occurrenceKey?: string): Promise<ClaimedRow[]> {
    const reserved = this.take(limit, at, occurrenceKey, false);
    // Rows that failed for a missing message were finished: that change is written.
    if (this.dirtyFromTake) await this.persist();
    return reserved;
  }

  /** Rows finished by take() itself (message missing) since the last persist. */
  private dirtyFromTake = false;
  /** Reserved rows: still 'pending' on disk, handed to one worker; 'occurrence\u0000recipient'. */
  private readonly reserved = new Set<string>();

  /** The next pending rows, past the cursor so no other caller gets them: 'sending' when `claim`, else reserved. */
  private take(limit: number, at: string, occurrenceKey: string | undefined, claim: boolean): ClaimedRow[] {
    const taken: ClaimedRow[] = [];
    this.dirtyFromTake = false;
    const entries = occurrenceKey ? [this.index.get(occurrenceKey)].filter((e): e is Indexed => !!e) : [...this.index.values()];
    for (const entry of entries) {
      const rows = entry.doc.rows;
      while (entry.cursor < rows.length && taken.length < limit) {
        const row = rows[entry.cursor]!;
        entry.cursor++;
        if (row.state !== 'pending') continue;
        const message = row.messageRef ? entry.doc.messages?.[row.messageRef] : undefined;
        if (!row.target || !message) {
          this.finish(row, { state: 'failed', reason: 'message-missing' }, at);
          this.dirtyFromTake = true;
          continue;
        }
        if (claim) {
          row.state = 'sending';
          row.attempts += 1;
          row.updatedAt = at;
        } else {
          this.reserved.add(`${entry.doc.key}\u0000${row.recipient}`);
        }
        taken.push({ occurrenceKey: entry.doc.key, recipient: row.recipient, target: structuredClone(row.target), message: structuredClone(message), attempts: row.attempts });
      }
      if (taken.length >= limit) break;
    }
    return taken;
  }

  async markRetrying(occurrenceKey: string, recipient: string, at: string): Promise<void> {
    const row = this.row(occurrenceKey, recipient);
    if (row?.state !== 'sending') return;
    row.state = 'retrying';
    row.updatedAt = at;
    await this.persist();
  }

  async markAttempt(occurrenceKey: string, recipient: string, at: string): Promise<number> {
    const row = this.row(occurrenceKey, recipient);
    const wasReserved = this.reserved.delete(`${occurrenceKey}\u0000${recipient}`);
    if (!row || !(row.state === 'sending' || row.state === 'retrying' || (row.state === 'pending' && wasReserved))) throw new Error(`ledger: row ${occurrenceKey} / ${recipient} is not in flight`);
    row.state = 'sending';
    row.attempts += 1;
    row.updatedAt = at;
    await this.persist();
    return row.attempts;
  }

  async complete(occurrenceKey: string, recipient: string, outcome: RowOutcome, at: string): Promise<void> {
    const entry = this.index.get(occurrenceKey);
    const row = entry?.rows.get(recipient);
    if (!entry || !row || !ACTIVE.has(row.state)) return;
    this.finish(row, outcome, at);
    this.dropSettledMessages(entry);
    await this.persist();
  }

  async recoverInterrupted(at: string): Promise<RecoveryResult> {
    if (this.recovered) return { unknown: 0, requeued: 0 };
    this.recovered = true;
    const result = { unknown: 0, requeued: 0 };
    for (const entry of this.index.values()) {
      for (const row of entry.doc.rows) {
        if (row.state === 'sending') {
          this.finish(row, { state: 'unknown', reason: 'interrupted' }, at);
          result.unknown++;
        } else if (row.state === 'retrying') {
          row.state = 'pending';
          row.updatedAt = at;
          result.requeued++;
        }
      }
      entry.cursor = 0;
      this.dropSettledMessages(entry);
      this.reserved.clear();
    }
    if (result.unknown + result.requeued > 0) await this.persist();
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
    await this.persist();
    return true;
  }

  async overview(filter: OverviewFilter = {}): Promise<OccurrenceOverview[]> {
    const keys = filter.keys ? new Set(filter.keys) : undefined;
    const kinds = filter.kinds ? new Set(filter.kinds) : undefined;
    return [...this.index.values()]
      .map((e) => e.doc)
      .filter((d) => (!keys || keys.has(d.key)) && (!kinds || kinds.has(d.kind)) && (!filter.since || d.due >= filter.since))
      .sort((a, b) => (a.due === b.due ? b.createdAt.localeCompare(a.createdAt) : b.due.localeCompare(a.due)))
      .slice(0, filter.limit ?? 50)
      .map((d) => {
        const counts = { sent: 0, skipped: 0, failed: 0, unknown: 0, inProgress: 0 };
        const failures: OccurrenceOverview['failures'] = [];
        const uncertain: string[] = [];
        for (const r of d.rows) {
          if (ACTIVE.has(r.state)) counts.inProgress++;
          else counts[r.state as 'sent' | 'skipped' | 'failed' | 'unknown']++;
          if (r.state === 'failed') failures.push({ recipient: r.recipient, reason: r.reason ?? 'error', attempts: r.attempts });
          if (r.state === 'unknown') uncertain.push(r.recipient);
        }
        return { key: d.key, kind: d.kind, due: d.due, createdAt: d.createdAt, counts, failures, uncertain };
      });
  }

  async prune(before: string): Promise<number> {
    const keep = this.data.occurrences.filter((d) => d.due >= before || d.rows.some((r) => ACTIVE.has(r.state)));
    const removed = this.data.occurrences.length - keep.length;
    if (removed === 0) return 0;
    for (const d of this.data.occurrences) if (!keep.includes(d)) this.index.delete(d.key);
    this.data.occurrences.splice(0, this.data.occurrences.length, ...keep);
    await this.persist();
    return removed;
  }

  private row(occurrenceKey: string, recipient: string): RowDoc | undefined {
    return this.index.get(occurrenceKey)?.rows.get(recipient);
  }

  private finish(row: RowDoc, outcome: RowOutcome, at: string): void {
    row.state = outcome.state;
    row.updatedAt = at;
    if (outcome.state === 'sent') {
      if (outcome.activityId) row.activityId = outcome.activityId;
      delete row.reason;
    } else row.reason = outcome.reason;
    delete row.target;
    delete row.messageRef;
  }

  /** Once no row of an occurrence may still be sent, its message bodies (names in mentions) go. */
  private dropSettledMessages(entry: Indexed): void {
    if (!entry.doc.messages) return;
    if (entry.doc.rows.some((r) => ACTIVE.has(r.state))) return;
    delete entry.doc.messages;
  }
}

/** The ledger in memory: tests and the memory store. */
export class MemoryLedger extends DocumentLedger {
  constructor() {
    super(emptyLedger(), async () => {});
  }
}

/** The ledger in `<DB_PATH without .json>.ledger.json`, written by lowdb (temp file + rename). */
export class LedgerFile extends DocumentLedger {
  private constructor(
    private readonly db: Low<LedgerData>,
    readonly path: string,
    private readonly state = { closed: false },
  ) {
    super(db.data, async () => {
      if (state.closed) throw new Error(`the delivery ledger ${path} is closed`);
      await db.write();
    });
  }

  /** Compact JSON: a fan-out rewrites the file for every row, and indentation doubles the cost. */
  static fileAdapter(path: string): Adapter<LedgerData> {
    return new DataFile<LedgerData>(path, { parse: JSON.parse, stringify: (data) => JSON.stringify(data) });
  }

  static pathFor(dbFile: string): string {
    return dbFile.replace(/\.json$/i, '') + '.ledger.json';
  }

  /**
   * Opens (or creates) the ledger. A file that does not parse or validate stops start-up and is
   * never overwritten. `adapter` replaces the JSON file adapter (tests simulate a crash with it).
   */
  static async open(path: string, options: { adapter?: Adapter<LedgerData> } = {}): Promise<LedgerFile> {
    const file = resolve(path);
    mkdirSync(dirname(file), { recursive: true });
    const adapter = options.adapter ?? LedgerFile.fileAdapter(file);
    let raw: unknown;
    try {
      raw = await adapter.read();
    } catch (err) {
      throw new StoreOpenError(`The delivery ledger ${file} could not be read as JSON (${(err as Error).message}). It has not been changed. Restore a backup or move the file away, then start again.`);
    }
    let data: LedgerData;
    if (raw === null) data = emptyLedger();
    else {
      const checked = LedgerSchema.safeParse(raw);
      if (!checked.success) {
        const first = checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new StoreOpenError(`The delivery ledger ${file} does not match version ${LEDGER_VERSION} (${first}). It has not been changed.`);
      }
      data = checked.data;
    }
    const db = new Low<LedgerData>(adapter, data);
    db.data = data;
    const ledger = new LedgerFile(db, file);
    if (raw === null) await db.write();
    return ledger;
  }

  /** Waits for the last write; later changes throw. */
  async close(): Promise<void> {
    if (this.state.closed) return;
    await this.db.write();
    this.state.closed = true;
  }
}
