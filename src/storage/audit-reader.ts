import { open, readFile } from 'node:fs/promises';
import type { AuditEntry } from '../app/audit.js';
import type { AuditTrail } from '../app/export.js';

const CHUNK = 64 * 1024;

function parseJson(text: string): AuditEntry | undefined {
  try {
    const e = JSON.parse(text) as AuditEntry;
    return e && typeof e === 'object' && typeof e.at === 'string' && typeof e.action === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}

/** An entry appended after a torn line shares its line: the last whole entry on it is kept. */
function parseLine(line: string): AuditEntry | undefined {
  if (line.trim() === '') return undefined;
  const whole = parseJson(line);
  if (whole) return whole;
  const start = line.lastIndexOf('{"at":');
  return start > 0 ? parseJson(line.slice(start)) : undefined;
}

/**
 * Reads the append-only audit file (<name>.audit.jsonl). A line that does not parse (the last line
 * torn by a crash during an append) is skipped and counted, never fatal.
 */
export class AuditFileTrail implements AuditTrail {
  constructor(readonly path: string) {}

  async read(options: { since?: string } = {}): Promise<{ entries: AuditEntry[]; unreadable: number }> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], unreadable: 0 };
      throw err;
    }
    const entries: AuditEntry[] = [];
    let unreadable = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const e = parseLine(line);
      if (!e) unreadable += 1;
      else if (options.since === undefined || e.at >= options.since) entries.push(e);
    }
    return { entries, unreadable };
  }

  /** Reads from the end in chunks, so the chat card does not read years of trail. */
  async tail(n: number): Promise<AuditEntry[]> {
    let fh;
    try {
      fh = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    try {
      let pos = (await fh.stat()).size;
      let buf = Buffer.alloc(0);
      for (;;) {
        // The first line of a chunk that does not start the file may be cut: it is left out.
        const lines = buf.toString('utf8').split('\n');
        const complete = pos > 0 ? lines.slice(1) : lines;
        const entries: AuditEntry[] = [];
        for (let i = complete.length - 1; i >= 0 && entries.length < n; i--) {
          const e = parseLine(complete[i]!);
          if (e) entries.push(e);
        }
        if (entries.length >= n || pos === 0) return entries;
        const len = Math.min(CHUNK, pos);
        pos -= len;
        const chunk = Buffer.alloc(len);
        await fh.read(chunk, 0, len, pos);
        buf = Buffer.concat([chunk, buf]);
      }
    } finally {
      await fh.close();
    }
  }
}

/** An audit trail over entries in memory (MemoryAuditLog in tests). */
export function memoryAuditTrail(entries: AuditEntry[]): AuditTrail {
  return {
    read: async (options = {}) => ({
      entries: structuredClone(entries.filter((e) => options.since === undefined || e.at >= options.since)),
      unreadable: 0,
    }),
    tail: async (n) => structuredClone(entries.slice(-n).reverse()),
  };
}
