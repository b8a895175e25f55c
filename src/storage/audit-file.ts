import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEntry, AuditLog } from '../app/audit.js';

/** One JSON line per entry, appended: an audit file is never rewritten. */
export class AuditFile implements AuditLog {
  private chain: Promise<void> = Promise.resolve();
  constructor(readonly path: string) {}

  record(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    this.chain = this.chain.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, line, 'utf8');
    });
    return this.chain;
  }

  static pathFor(dbFile: string): string {
    return dbFile.replace(/\.json$/i, '') + '.audit.jsonl';
  }
}
