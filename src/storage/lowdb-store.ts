import { closeSync, existsSync, mkdirSync, openSync, readFileSync, realpathSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Store, StoreHealth } from '../app/ports.js';
import { DocumentRepositories } from './memory-store.js';
import { ReportFiles } from './report-files.js';
import { DbSchema, emptyDb, migrate, SCHEMA_VERSION, type DbData } from './schema.js';

export class StoreOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

/** A fault of the disk or of permissions: passed on as it is, for a clear message and exit code. */
function isFsFault(err: unknown): boolean {
  return ['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR'].includes(
    (err as NodeJS.ErrnoException)?.code ?? '',
  );
}

/** One process owns a data file: two writers lose each other's writes. A pid lock file enforces it. */
function acquireLock(lockPath: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      try {
        writeSync(fd, String(process.pid));
      } catch (err) {
        closeSync(fd);
        rmSync(lockPath, { force: true });
        throw err;
      }
      closeSync(fd);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
        throw new StoreOpenError(
          `The data file is in use by process ${pid} (lock ${lockPath}). Only one process may write it: stop the bot first.`,
        );
      }
      rmSync(lockPath, { force: true }); // stale lock from a process that died
    }
  }
  throw new StoreOpenError(`Could not take the lock ${lockPath}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded default store: one JSON file written by lowdb (steno: temp file + rename, so a
 * killed process leaves the old or the new file). Opened explicitly on a path, never the
 * NODE_ENV=test memory switch of JSONFilePreset.
 */
export class LowdbStore implements Store {
  private repos!: DocumentRepositories;
  private reportFiles!: ReportFiles;
  private open = false;
  private constructor(
    private readonly db: Low<DbData>,
    readonly path: string,
    private readonly lockPath: string,
  ) {}

  static async open(path: string): Promise<LowdbStore> {
    // Data files private to the bot's user: every file and folder the store (and the audit,
    // ledger and backups next to it) creates is 0600/0700, whatever the shell's umask.
    process.umask(0o077);
    const given = resolve(path);
    mkdirSync(dirname(given), { recursive: true, mode: 0o700 });
    // The lock is taken on the real path (symlinks and `..` resolved): two spellings of one data
    // folder cannot both run.
    const file = join(realpathSync(dirname(given)), basename(given));
    const lockPath = `${file}.lock`;
    acquireLock(lockPath);
    try {
      const adapter = new JSONFile<DbData>(file);
      const db = new Low<DbData>(adapter, emptyDb());
      const existed = existsSync(file);
      let raw: unknown;
      try {
        raw = await adapter.read();
      } catch (err) {
        if (isFsFault(err)) throw err;
        throw new StoreOpenError(
          `The data file ${file} could not be read as JSON (${(err as Error).message}). It has not been changed. Restore a backup or move the file away, then start again.`,
        );
      }
      let migrated = false;
      if (raw === null && existed) {
        throw new StoreOpenError(
          `The data file ${file} holds null, not the bot's data. It has not been changed. Restore it from a backup (see "Backups and restore" in docs/operations.md), then start again.`,
        );
      }
      if (raw === null && ReportFiles.hasReports(ReportFiles.dirFor(file))) {
        throw new StoreOpenError(
          `The data file ${file} is missing, but reports exist in ${ReportFiles.dirFor(file)}. Starting empty would hide them: restore the data file from a backup (see "Backups and restore" in docs/operations.md), or move the reports folder away to start afresh.`,
        );
      }
      if (raw === null) {
        db.data = emptyDb();
        migrated = true;
      } else {
        if (typeof raw !== 'object' || Array.isArray(raw)) {
          throw new StoreOpenError(`The data file ${file} does not hold a JSON object. It has not been changed.`);
        }
        let doc: Record<string, unknown>;
        try {
          ({ doc, migrated } = migrate(raw as Record<string, unknown>));
        } catch (err) {
          throw new StoreOpenError(`The data file ${file}: ${(err as Error).message}. It has not been changed.`);
        }
        const checked = DbSchema.safeParse(doc);
        if (!checked.success) {
          const first = checked.error.issues
            .slice(0, 5)
            .map((i) => `${i.path.join('.')}: ${i.message}`)
            .join('; ');
          throw new StoreOpenError(
            `The data file ${file} does not match schema version ${SCHEMA_VERSION} (${first}). It has not been changed.`,
          );
        }
        db.data = checked.data;
      }
      const store = new LowdbStore(db, file, lockPath);
      store.repos = new DocumentRepositories(
        () => db.data,
        () => db.write(),
      );
      store.reportFiles = await ReportFiles.open(ReportFiles.dirFor(file), (m) => new StoreOpenError(m));
      store.open = true;
      if (migrated) await db.write();
      return store;
    } catch (err) {
      rmSync(lockPath, { force: true });
      throw err;
    }
  }

  get agreements() {
    return this.repos.agreements;
  }
  get conversations() {
    return this.repos.conversations;
  }
  get overrides() {
    return this.repos.overrides;
  }
  get reporters() {
    return this.repos.reporters;
  }
  get meetings() {
    return this.repos.meetings;
  }
  get channelLinks() {
    return this.repos.channelLinks;
  }
  get coordinators() {
    return this.repos.coordinators;
  }
  get markers() {
    return this.repos.markers;
  }
  get followUps() {
    return this.repos.followUps;
  }
  get reports() {
    return this.reportFiles.index;
  }

  health(): StoreHealth {
    return {
      state: this.open ? 'open' : 'closed',
      kind: 'lowdb',
      schemaVersion: SCHEMA_VERSION,
      path: this.path,
      reports: this.reportFiles.index.size,
    };
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.reportFiles.close();
    await this.db.write();
    rmSync(this.lockPath, { force: true });
  }
}
