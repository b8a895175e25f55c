import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Config } from '../config.js';

/** The path as the file system sees it (symlinks resolved as far as they exist). */
function realPath(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

/**
 * Why an export may not be written to `out`, or undefined. Never onto a file or folder of the store
 * (the data file, its lock, audit, ledger, reports, lowdb's temp files, the backups), not even with
 * --force; an existing file only with --force.
 */
export function outFileProblem(
  out: string,
  config: Pick<Config, 'dbPath' | 'backups'>,
  force: boolean,
): string | undefined {
  const target = realPath(out);
  const db = realPath(config.dbPath);
  const base = db.replace(/\.json$/i, '');
  const files = [
    db,
    `${db}.lock`,
    `${base}.audit.jsonl`,
    `${base}.ledger.json`,
    `${base}.ledger.jsonl`,
    `${base}.ledger.json.lock`,
  ].flatMap((f) => [f, join(dirname(f), `.${basename(f)}.tmp`)]);
  const folders = [`${base}.reports`, realPath(config.backups.dir)];
  if (files.includes(target) || folders.some((d) => target === d || target.startsWith(d + sep))) {
    return `${out} är en av botens egna datafiler (eller ligger bland dem). Exporten skrivs aldrig dit: välj en fil utanför datamappen.`;
  }
  if (!force && existsSync(target))
    return `${out} finns redan och skrivs inte över. Välj ett annat filnamn, eller lägg till --force för att skriva över den.`;
  return undefined;
}
