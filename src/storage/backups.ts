import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { AuditLog } from '../app/audit.js';
import type { Clock } from '../app/clock.js';
import type { Logger } from '../logger.js';
import { AuditFile } from './audit-file.js';
import { ReportFiles } from './report-files.js';

export interface BackupSettings {
  /** The main data file (DB_PATH); its reports folder and audit file are found next to it. */
  dbPath: string;
  /** Where the backups go: one folder per backup, named by the UTC time it was taken. */
  dir: string;
  /** How many backups to keep (the newest). */
  keep: number;
  /** How old the newest backup may get before the next is taken; 0 turns periodic backups off. */
  intervalHours: number;
}

export interface BackupResult {
  name: string;
  path: string;
  files: number;
  bytes: number;
  /** Older backups deleted to keep `keep`. */
  pruned: string[];
}

export const BACKUP_ACTOR = 'system:backup';

/** "2024-03-14T10-00-00Z" (no colons: the name must work on every file system), maybe with "-2". */
const NAME = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z(?:-\d+)?$/;
const TMP_PREFIX = '.partial-';
/** A week's snapshot and its journal (storage/report-files.ts). */
const WEEK_FILE = /^\d{4}-W\d{2}\.jsonl?$/;
/** A week's journal is copied before its snapshot: a fold in between then leaves a report in both copies, never in neither. */
const journalFirst = (a: string, b: string) =>
  a
    .replace(/\.jsonl$/, '.0')
    .replace(/\.json$/, '.1')
    .localeCompare(b.replace(/\.jsonl$/, '.0').replace(/\.json$/, '.1'));
/** The hourly check tolerates this much, so a daily backup does not slip by an hour every day. */
const DUE_SLACK_MS = 5 * 60_000;

export function backupName(instant: Date): string {
  return instant
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}

export function backupTime(name: string): Date | undefined {
  const m = NAME.exec(name);
  return m ? new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`) : undefined;
}

/**
 * Rotating copies of the data: the main file, each week file of reports and the audit file, into
 * <dir>/<UTC time>/ with the same names as in the data folder, so a restore is a copy back. Each
 * data file is replaced atomically by rename when written, so each copied file is whole; the set of
 * files is not one snapshot (see docs/operations.md). A backup is built in a hidden folder and renamed
 * when complete: a crash mid-copy never leaves something that looks like a backup.
 */
export class Backups {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly settings: BackupSettings,
    private readonly clock: Clock,
    private readonly audit?: AuditLog,
    private readonly logger?: Logger,
  ) {}

  /** Complete backups, newest first. Only folders this class named are ever listed or deleted. */
  async list(): Promise<{ name: string; at: Date }[]> {
    let names: string[];
    try {
      names = await readdir(this.settings.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names
      .flatMap((name) => {
        const at = backupTime(name);
        return at ? [{ name, at }] : [];
      })
      .sort((a, b) => b.at.getTime() - a.at.getTime() || b.name.localeCompare(a.name, 'en', { numeric: true }));
  }

  async isDue(): Promise<boolean> {
    if (this.settings.intervalHours <= 0) return false;
    const [newest] = await this.list();
    if (!newest) return true;
    return this.clock.now().getTime() - newest.at.getTime() >= this.settings.intervalHours * 3_600_000 - DUE_SLACK_MS;
  }

  /** Takes a backup if the newest is older than the interval (at start, then every hour). */
  runIfDue(): Promise<BackupResult | undefined> {
    return this.serial(async () => ((await this.isDue()) ? this.createNow() : undefined));
  }

  /** Takes a backup now and deletes the oldest beyond `keep`. */
  create(): Promise<BackupResult> {
    return this.serial(() => this.createNow());
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async createNow(): Promise<BackupResult> {
    const at = this.clock.now();
    const dir = resolve(this.settings.dir);
    await mkdir(dir, { recursive: true });
    let name = backupName(at);
    for (let i = 2; existsSync(join(dir, name)) && i < 1000; i++) name = `${backupName(at)}-${i}`;
    const tmp = join(dir, `${TMP_PREFIX}${name}`);
    try {
      await rm(tmp, { recursive: true, force: true });
      await mkdir(tmp, { recursive: true });
      const { files, bytes } = await this.copyData(tmp);
      await rename(tmp, join(dir, name));
      const pruned = await this.prune();
      const result: BackupResult = { name, path: join(dir, name), files, bytes, pruned };
      await this.audit?.record({
        at: at.toISOString(),
        actor: { id: BACKUP_ACTOR },
        action: 'backup.created',
        objectId: name,
        outcome: 'ok',
        detail: `files=${files};bytes=${bytes};pruned=${pruned.length}`,
      });
      this.logger?.info({ backup: result.path, files, bytes, pruned }, 'backup written');
      return result;
    } catch (err) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      await this.audit
        ?.record({
          at: at.toISOString(),
          actor: { id: BACKUP_ACTOR },
          action: 'backup.created',
          objectId: name,
          outcome: 'failed',
          detail: (err as NodeJS.ErrnoException).code ?? 'error',
        })
        .catch(() => undefined);
      this.logger?.error({ err: { message: (err as Error).message }, dir }, 'backup failed');
      throw err;
    }
  }

  private async copyData(target: string): Promise<{ files: number; bytes: number }> {
    const dbFile = resolve(this.settings.dbPath);
    let files = 0;
    let bytes = 0;
    const copy = async (from: string, to: string) => {
      try {
        await copyFile(from, to);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // not written yet
        throw err;
      }
      // A data file damaged on disk must not rotate the good backups away: such a backup fails.
      if (to.endsWith('.json')) {
        try {
          JSON.parse(await readFile(to, 'utf8'));
        } catch {
          throw new Error(`${from} does not parse as JSON: not backed up, older backups kept`);
        }
      }
      files += 1;
      bytes += (await stat(to)).size;
    };
    await copy(dbFile, join(target, basename(dbFile)));
    const reportsDir = ReportFiles.dirFor(dbFile);
    if (existsSync(reportsDir)) {
      const to = join(target, basename(reportsDir));
      await mkdir(to, { recursive: true });
      for (const name of (await readdir(reportsDir)).filter((n) => WEEK_FILE.test(n)).sort(journalFirst))
        await copy(join(reportsDir, name), join(to, name));
    }
    const auditFile = AuditFile.pathFor(dbFile);
    await copy(auditFile, join(target, basename(auditFile)));
    return { files, bytes };
  }

  /** Deletes complete backups beyond `keep` and partial ones left by a crash. */
  private async prune(): Promise<string[]> {
    const dir = resolve(this.settings.dir);
    for (const name of await readdir(dir)) {
      if (name.startsWith(TMP_PREFIX) && backupTime(name.slice(TMP_PREFIX.length)))
        await rm(join(dir, name), { recursive: true, force: true });
    }
    const old = (await this.list()).slice(Math.max(1, this.settings.keep));
    for (const b of old) await rm(join(dir, b.name), { recursive: true, force: true });
    return old.map((b) => b.name);
  }
}
