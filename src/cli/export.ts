import { writeFileSync } from 'node:fs';
import { outFileProblem } from './out-file.js';
import { runFollowUpExportCli, type FollowUpDocumentsOf } from './export-follow-up.js';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Actor } from '../app/actor.js';
import { AgreementService } from '../app/agreements.js';
import { runningClockFrom, systemClock, type Clock } from '../app/clock.js';
import { ExportService, type ExportFormat } from '../app/export.js';
import { loadConfig, type Config } from '../config.js';
import { AuditFile } from '../storage/audit-file.js';
import { LowdbStore, StoreOpenError } from '../storage/lowdb-store.js';
import { recordsSv } from '../texts/records.js';

/**
 * An agreement's reports for a public-records request (allmänna handlingar) or the archive:
 *   npm run export -- <agreementId> [--format csv|json] [--out file [--force]] [--delimiter ";"]
 *   npm run export -- uppfoljning <agreementId> <period> [--format docx|pdf|txt] [--out file]  (export-follow-up.ts)
 * Works on DB_PATH while the bot is stopped (one process per data file). Without --out the file
 * goes to stdout and messages to stderr. Audited as data.exported by the operator's OS account.
 */
const usage = `Användning:
  npm run export -- <medborgarlöftets id> [--format csv|json] [--out fil [--force]] [--delimiter ";"]
  csv (standard): en rad per rapport, UTF-8 med BOM för Excel. json: hela posterna med historik.
  npm run export -- uppfoljning <medborgarlöftets id> <period> [--format docx|pdf|txt] [--out fil]
  uppföljningen eller återrapporten som Word, PDF eller text.`;

export interface CliIo {
  /** Messages for the operator. */
  say(s: string): void;
  /** The export itself when no --out is given. */
  write(s: string): void;
  /** A binary export (Word, PDF) when no --out is given; absent: such a file needs --out. */
  writeBytes?(b: Uint8Array): void;
  /** Whether `write` goes to a terminal (no binary file is written there). */
  isTerminal?: boolean;
}

export const consoleIo: CliIo = {
  say: (s) => console.error(s),
  write: (s) => void process.stdout.write(s),
  writeBytes: (b) => void process.stdout.write(b),
  isTerminal: process.stdout.isTTY === true,
};

/** The operator at the server: trusted like a coordinator, named by the OS account in the audit trail. */
export function operatorActor(): Actor {
  let name = 'operator';
  try {
    name = userInfo().username || name;
  } catch {
    /* no passwd entry in some containers */
  }
  return { id: `cli:${name}`, isCoordinator: true };
}

export const cliClock = (config: Config): Clock =>
  config.clockStart ? runningClockFrom(config.clockStart) : systemClock;

/**
 * What every export does before it writes: the --out file checked, the data file opened. A number
 * is the exit code after a message to the operator.
 */
export async function openForExport(
  io: CliIo,
  config: Config,
  out: string | undefined,
  force: boolean,
): Promise<LowdbStore | number> {
  const outProblem = out ? outFileProblem(out, config, force) : undefined;
  if (outProblem) {
    io.say(outProblem);
    return 1;
  }
  try {
    return await LowdbStore.open(config.dbPath);
  } catch (err) {
    if (err instanceof StoreOpenError) {
      io.say(err.message);
      return 1;
    }
    throw err;
  }
}

export async function runExportCli(
  args: string[],
  io: CliIo = consoleIo,
  config?: Config,
  followUps?: FollowUpDocumentsOf,
): Promise<number> {
  // npm run export -- uppfoljning <agreement> <period> [--format docx|pdf|txt] [--out file]
  if (args[0] === 'uppfoljning' || args[0] === 'uppföljning')
    return runFollowUpExportCli(args.slice(1), io, config ?? loadConfig(), followUps);
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'csv' },
        out: { type: 'string' },
        delimiter: { type: 'string', default: ',' },
        force: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    io.say(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  const [agreementId, ...extra] = parsed.positionals;
  const { format, out, delimiter, force } = parsed.values;
  if (
    !agreementId ||
    extra.length > 0 ||
    (format !== 'csv' && format !== 'json') ||
    ![',', ';', '\t'].includes(delimiter)
  ) {
    io.say(usage);
    return 2;
  }
  const cfg = config ?? loadConfig();
  const store = await openForExport(io, cfg, out, force ?? false);
  if (typeof store === 'number') return store;
  try {
    const clock = cliClock(cfg);
    const exports = new ExportService(
      store,
      new AgreementService(store, clock),
      clock,
      new AuditFile(AuditFile.pathFor(cfg.dbPath)),
      { freeTextDays: cfg.retention.freeTextDays },
    );
    const result = await exports.exportAgreement(operatorActor(), agreementId, format as ExportFormat, recordsSv.csv, {
      delimiter,
    });
    if (result.kind === 'notFound') {
      io.say(recordsSv.export.notFound(agreementId, result.known));
      return 1;
    }
    if (result.kind === 'forbidden') return 1;
    if (out) writeFileSync(out, result.content, { encoding: 'utf8', mode: 0o600, flag: force ? 'w' : 'wx' });
    else io.write(result.content);
    const s = result.summary;
    io.say(
      `Exporterade ${s.reports} rapporter (${s.withdrawn} återkallade, ${s.purged} med gallrad fritext) för ${agreementId} som ${format}${out ? ` till ${out}` : ''}.`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runExportCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
