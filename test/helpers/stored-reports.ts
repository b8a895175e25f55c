import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The reports stored on disk, read independently of the bot's code: each week's snapshot
 * (<db>.reports/<week>.json, {schemaVersion, week, reports}) and then its journal (<week>.jsonl,
 * one report per line, or one card's rows as a JSON array; a torn last line ignored). A report stored twice (a journal line repeating
 * a snapshot, a crash mid-move) counts once: the copy with more history steps, then the later
 * updatedAt, then the one read later.
 */
export function storedReports(dbPath: string): any[] {
  const dir = dbPath.replace(/\.json$/, '.reports');
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir);
  const byId = new Map<string, any>();
  const take = (r: any) => {
    const seen = byId.get(r.id);
    if (
      seen &&
      (seen.history.length > r.history.length ||
        (seen.history.length === r.history.length && seen.updatedAt > r.updatedAt))
    )
      return;
    byId.set(r.id, r);
  };
  for (const name of names.filter((n) => /^\d{4}-W\d{2}\.json$/.test(n)).sort()) {
    for (const r of JSON.parse(readFileSync(join(dir, name), 'utf8')).reports) take(r);
  }
  for (const name of names.filter((n) => /^\d{4}-W\d{2}\.jsonl$/.test(n)).sort()) {
    const lines = readFileSync(join(dir, name), 'utf8').split('\n');
    const tail = lines.pop();
    // A line is one report, or the rows of one week card written together (a JSON array).
    const takeLine = (parsed: any) => (Array.isArray(parsed) ? parsed.forEach(take) : take(parsed));
    for (const line of lines) if (line) takeLine(JSON.parse(line));
    if (tail) {
      try {
        takeLine(JSON.parse(tail));
      } catch {
        // torn by a crash: never acknowledged
      }
    }
  }
  return [...byId.values()];
}

/** Every report file's text (snapshots and journals), to check what is on disk at all. */
export function reportFilesText(dbPath: string): string {
  const dir = dbPath.replace(/\.json$/, '.reports');
  return existsSync(dir)
    ? readdirSync(dir)
        .map((f) => readFileSync(join(dir, f), 'utf8'))
        .join('')
    : '';
}
