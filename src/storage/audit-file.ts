import {
  close,
  closeSync,
  existsSync,
  fsyncSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { appendWhole } from './append.js';
import type { AuditEntry, AuditLog } from '../app/audit.js';

const DONE = Promise.resolve();
/** An AuditFile dropped without close() (the bot closes its own at stop; tests may not) closes its file when collected. */
const unclosed = new FinalizationRegistry<number>((fd) => close(fd, () => undefined));

/**
 * One JSON line per entry, appended: an audit file is never rewritten. The file is opened once and
 * kept open; each entry is one write(2) of its line into the page cache, done synchronously (a few
 * microseconds, cheaper than handing it to the thread pool), so `record` resolves with the line in
 * the file and entries stay in the order they were recorded.
 */
export class AuditFile implements AuditLog {
  private fd: number | undefined;
  /** Lines of stored changes that could not be written yet (a full disk): written first at the next entry. */
  private backlog: string[] = [];
  constructor(
    readonly path: string,
    private readonly onBacklog?: (err: Error, pending: number) => void,
  ) {}

  record(entry: AuditEntry): Promise<void> {
    try {
      this.append(`${JSON.stringify(entry)}\n`);
      return DONE;
    } catch (err) {
      this.close(); // reopened (and its tail checked again) at the next entry
      return Promise.reject(err);
    }
  }

  recordStored(entry: AuditEntry): Promise<void> {
    this.backlog.push(`${JSON.stringify(entry)}\n`);
    try {
      this.append('');
    } catch (err) {
      this.close();
      this.onBacklog?.(err as Error, this.backlog.length);
    }
    return DONE;
  }

  /** Lines of stored changes still waiting for the disk. */
  get pending(): number {
    return this.backlog.length;
  }

  /** Writes the backlog, then `line`; a failure leaves the file as it was (cut back) and the backlog kept. */
  private append(line: string): void {
    let text = this.backlog.join('') + line;
    if (text === '') return;
    if (this.fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      this.fd = openSync(this.path, 'a+', 0o600);
      unclosed.register(this, this.fd, this);
      // A process killed mid-append can leave a half line: start on a fresh line after it.
      if (this.endsMidLine(this.fd)) text = `\n${text}`;
    }
    const buf = Buffer.from(text, 'utf8');
    // A failed cut-back is mended by the next open, which starts on a fresh line.
    appendWhole(this.fd, buf);
    this.backlog = [];
  }

  private endsMidLine(fd: number): boolean {
    const { size } = fstatSync(fd);
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  }

  async redact(passes: (value: string) => boolean, marker: string): Promise<number> {
    this.close();
    if (!existsSync(this.path)) return 0;
    let changed = 0;
    // Only the values that earlier versions built from typed text: times, actors and correlation
    // ids are the bot's own and stay as they are.
    const clean = (entry: Record<string, unknown>): Record<string, unknown> => {
      const out = { ...entry };
      for (const key of ['objectId', 'detail'] as const)
        if (typeof out[key] === 'string' && !passes(out[key] as string)) out[key] = marker;
      return out;
    };
    const lines = readFileSync(this.path, 'utf8').split('\n');
    const out = lines.map((line) => {
      if (line.trim() === '') return line;
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return line; // a torn line from a kill: left as it is (the reader skips it)
      }
      const next = JSON.stringify(clean(entry));
      if (next === JSON.stringify(entry)) return line;
      changed++;
      return next;
    });
    if (changed === 0) return 0;
    // Written beside and renamed over: a crash leaves either the old file or the redacted one.
    const tmp = `${this.path}.redact-${process.pid}`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      const buf = Buffer.from(out.join('\n'), 'utf8');
      for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    return changed;
  }

  /** Closes the file (writing the backlog if it can); a later entry opens it again. */
  close(): void {
    if (this.backlog.length > 0 && this.fd !== undefined) {
      try {
        this.append('');
      } catch {
        /* kept for the next entry; start-up reconciliation adds what a stop leaves out */
      }
    }
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    unclosed.unregister(this);
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }

  static pathFor(dbFile: string): string {
    return dbFile.replace(/\.json$/i, '') + '.audit.jsonl';
  }
}
