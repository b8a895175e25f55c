import { appendFile, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEntry, AuditLog } from '../app/audit.js';

/** One JSON line per entry, appended: an audit file is never rewritten. */
export class AuditFile implements AuditLog {
  private chain: Promise<void> = Promise.resolve();
  private checkedTail = false;
  constructor(readonly path: string) {}

  record(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    this.chain = this.chain.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      // A process killed mid-append can leave a half line: start on a fresh line after it.
      const prefix = this.checkedTail ? '' : await this.separatorAfterTail();
      this.checkedTail = true;
      await appendFile(this.path, prefix + line, 'utf8');
    });
    return this.chain;
  }

  private async separatorAfterTail(): Promise<string> {
    try {
      const fh = await open(this.path, 'r');
      try {
        const { size } = await fh.stat();
        if (size === 0) return '';
        const buf = Buffer.alloc(1);
        await fh.read(buf, 0, 1, size - 1);
        return buf[0] === 0x0a ? '' : '\n';
      } finally {
        await fh.close();
      }
    } catch {
      return '';
    }
  }

  static pathFor(dbFile: string): string {
    return dbFile.replace(/\.json$/i, '') + '.audit.jsonl';
  }
}
