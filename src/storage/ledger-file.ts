import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writevSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { appendWhole } from './append.js';
import {
  applyChanges,
  DocumentLedger,
  emptyLedger,
  LEDGER_VERSION,
  LedgerChangeSchema,
  LedgerSchema,
  type LedgerChange,
  type LedgerData,
} from './ledger-document.js';
import { StoreOpenError } from './lowdb-store.js';

export {
  DocumentLedger,
  emptyLedger,
  LEDGER_VERSION,
  MemoryLedger,
  type LedgerChange,
  type LedgerData,
} from './ledger-document.js';

/**
 * The delivery ledger on disk, next to the data file: a snapshot `<name>.ledger.json` and a journal
 * `<name>.ledger.jsonl` of the changes since (one JSON line each, with a sequence number).
 *
 * A change costs one line appended to the open journal (one write(2) of whole lines, synchronously,
 * so it is in the file before the caller's promise resolves), whatever the size of the ledger: a
 * fan-out to 1,000 recipients no longer rewrites the whole history for every row. The journal is
 * folded into the snapshot (temp file + rename, then the journal is emptied) once it holds
 * FOLD_LINES lines, at start-up, at close and after the nightly prune. The snapshot records the
 * last change it holds (`seq`), so a crash between the rename and the emptying replays nothing
 * twice; a torn last line (a crash mid-append) is ignored. Settled occurrences never change, so
 * the fold reuses their JSON from the previous fold.
 *
 * A ledger written before the journal existed (one file, no `seq`) is read as a snapshot.
 */

/** Journal lines that trigger a fold. */
export const FOLD_LINES = 1024;

export interface LedgerFiles {
  data: LedgerData;
  /** Journal lines applied on top of the snapshot. */
  journalLines: number;
  /** The journal ended in a torn line (ignored). */
  tornTail: boolean;
  /** The highest sequence number in the snapshot and the journal. */
  seq: number;
}

const journalPathOf = (snapshotPath: string) => snapshotPath.replace(/\.json$/i, '') + '.jsonl';

/**
 * Reads the ledger as it is on disk (snapshot + journal) without changing either file: for the
 * ledger itself at start-up, and for scripts and tests. A missing snapshot reads as empty. Throws
 * StoreOpenError for a snapshot or a journal line (other than a torn last one) that is damaged.
 */
export function readLedgerFiles(path: string): LedgerFiles {
  const file = resolve(path);
  let data: LedgerData = emptyLedger();
  if (existsSync(file)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new StoreOpenError(
        `The delivery ledger ${file} could not be read as JSON (${(err as Error).message}). It has not been changed. Restore a backup or move the file away, then start again.`,
      );
    }
    const checked = LedgerSchema.safeParse(raw);
    if (!checked.success) {
      const first = checked.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ');
      throw new StoreOpenError(
        `The delivery ledger ${file} does not match version ${LEDGER_VERSION} (${first}). It has not been changed.`,
      );
    }
    data = checked.data;
  }
  const snapshotSeq = data.seq ?? 0;
  let seq = snapshotSeq;
  let journalLines = 0;
  let tornTail = false;
  const journal = journalPathOf(file);
  if (existsSync(journal)) {
    const text = readFileSync(journal, 'utf8');
    const lines = text.split('\n');
    // A complete journal ends with '\n': the last element is then ''. Anything else is a torn line.
    const last = lines.pop();
    if (last !== '' && last !== undefined) tornTail = true;
    const changes: LedgerChange[] = [];
    lines.forEach((line, i) => {
      if (line === '') return;
      let parsed: { seq?: unknown } & Record<string, unknown>;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new StoreOpenError(
          `The delivery ledger journal ${journal} has a damaged line ${i + 1}. It has not been changed.`,
        );
      }
      const change = LedgerChangeSchema.safeParse(parsed);
      if (typeof parsed.seq !== 'number' || !change.success)
        throw new StoreOpenError(
          `The delivery ledger journal ${journal} has an unknown change on line ${i + 1}. It has not been changed.`,
        );
      if (parsed.seq <= snapshotSeq) return; // already in the snapshot (a crash after the fold's rename)
      seq = Math.max(seq, parsed.seq);
      changes.push(change.data);
      journalLines++;
    });
    applyChanges(data, changes);
  }
  data.seq = seq;
  return { data, journalLines, tornTail, seq };
}

export class LedgerFile extends DocumentLedger {
  private fd: number | undefined;
  private size = 0;
  private lines = 0;
  private closed = false;
  /** A failed append may have left the journal behind memory: the next write folds. */
  private mustFold = false;
  /** Each occurrence's JSON (UTF-8, outside the heap) as of the last fold, dropped when it changes. */
  private readonly json = new Map<string, Buffer>();

  private constructor(
    readonly path: string,
    data: LedgerData,
    private seq: number,
  ) {
    super(data, async (changes) => this.write(changes));
  }

  static pathFor(dbFile: string): string {
    return dbFile.replace(/\.json$/i, '') + '.ledger.json';
  }

  static journalPathFor(dbFile: string): string {
    return journalPathOf(LedgerFile.pathFor(dbFile));
  }

  get journalPath(): string {
    return journalPathOf(this.path);
  }

  /**
   * Opens (or creates) the ledger and folds what the journal holds into the snapshot. A file that
   * does not parse or validate stops start-up and is never overwritten.
   */
  static async open(path: string): Promise<LedgerFile> {
    const file = resolve(path);
    mkdirSync(dirname(file), { recursive: true });
    const { data, seq } = readLedgerFiles(file);
    const ledger = new LedgerFile(file, data, seq);
    ledger.fold();
    return ledger;
  }

  /** Journal lines since the last fold. */
  get journalLines(): number {
    return this.lines;
  }

  override async prune(before: string): Promise<number> {
    const removed = await super.prune(before);
    const kept = new Set(this.data.occurrences.map((d) => d.key));
    for (const key of this.json.keys()) if (!kept.has(key)) this.json.delete(key);
    this.fold();
    return removed;
  }

  /** Folds the journal into the snapshot; later changes throw. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.fold();
    this.closeJournal();
    this.closed = true;
  }

  private write(changes: LedgerChange[]): void {
    if (this.closed) throw new Error(`the delivery ledger ${this.path} is closed`);
    for (const c of changes) if ('key' in c) this.json.delete(c.key);
    if (this.mustFold) {
      this.seq += changes.length;
      this.fold();
      return;
    }
    let text = '';
    for (const c of changes) text += JSON.stringify({ seq: ++this.seq, ...c }) + '\n';
    const buf = Buffer.from(text, 'utf8');
    try {
      if (this.fd === undefined) {
        this.fd = openSync(this.journalPath, 'a', 0o600);
        this.size = fstatSync(this.fd).size;
      }
      // Nothing half-kept; when even the cut-back fails, the next write folds, which empties the journal.
      appendWhole(this.fd, buf, this.size, () => (this.mustFold = true));
    } catch (err) {
      this.mustFold = true;
      throw err;
    }
    this.size += buf.length;
    this.lines += changes.length;
    if (this.lines >= FOLD_LINES) this.fold();
  }

  /**
   * Writes memory as the snapshot (temp file + rename) and empties the journal. Synchronous: no
   * change can slip in between the snapshot and the emptying.
   */
  private fold(): void {
    const parts: Buffer[] = [Buffer.from(`{"version":${LEDGER_VERSION},"seq":${this.seq},"occurrences":[`)];
    const comma = Buffer.from(',');
    this.data.occurrences.forEach((doc, i) => {
      let json = this.json.get(doc.key);
      if (json === undefined) {
        json = Buffer.from(JSON.stringify(doc));
        this.json.set(doc.key, json);
      }
      if (i > 0) parts.push(comma);
      parts.push(json);
    });
    parts.push(Buffer.from(`],"goneNotices":${JSON.stringify(this.data.goneNotices)}}`));
    const tmp = join(dirname(this.path), `.${basename(this.path)}.tmp`);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      // writev takes at most IOV_MAX (1024) buffers at a time and may write fewer bytes than asked.
      for (let i = 0; i < parts.length; i += 1024) {
        const chunk = parts.slice(i, i + 1024);
        let left = chunk.reduce((n, b) => n + b.length, 0);
        while (left > 0) {
          let written = writevSync(fd, chunk);
          left -= written;
          while (written > 0 && chunk.length > 0) {
            if (written >= chunk[0]!.length) written -= chunk.shift()!.length;
            else {
              chunk[0] = chunk[0]!.subarray(written);
              written = 0;
            }
          }
        }
      }
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    if (this.fd === undefined && existsSync(this.journalPath)) this.fd = openSync(this.journalPath, 'a', 0o600);
    if (this.fd !== undefined) ftruncateSync(this.fd, 0);
    this.size = 0;
    this.lines = 0;
    this.mustFold = false;
  }

  private closeJournal(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
