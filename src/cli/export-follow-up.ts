import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FollowUpDocumentService, NO_FOLLOW_UP_DOCUMENTS } from '../app/follow-up-documents.js';
import type { FollowUpDocuments } from '../app/ports.js';
import type { Config } from '../config.js';
import { AuditFile } from '../storage/audit-file.js';
import { LowdbStore, StoreOpenError } from '../storage/lowdb-store.js';
import { sv } from '../texts/index.js';
import { cliClock, operatorActor, type CliIo } from './export.js';
import { outFileProblem } from './out-file.js';

/**
 * A follow-up (or KF report) as a file, for the operator at the server:
 *   npm run export -- uppfoljning <agreementId> <period> [--format docx|pdf|txt] [--out file [--force]]
 * Works on DB_PATH while the bot is stopped. Without --out the file goes to stdout (text, or Word
 * and PDF when stdout is not a terminal). Audited as data.exported by the operator's OS account.
 */

/** Where the CLI finds follow-up documents in the opened store (the follow-up store, once wired in). */
export type FollowUpDocumentsOf = (store: LowdbStore) => FollowUpDocuments;

export async function runFollowUpExportCli(
  args: string[],
  io: CliIo,
  config: Config,
  documentsOf: FollowUpDocumentsOf = () => NO_FOLLOW_UP_DOCUMENTS,
): Promise<number> {
  const t = sv.documents.cli;
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'docx' },
        out: { type: 'string' },
        force: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    io.say(`${(err as Error).message}\n${t.usage}`);
    return 2;
  }
  const { renderFollowUp, isDocumentFormat, DocumentRefusedError } = await import('../documents/index.js');
  const [agreementId, periodKey, ...extra] = parsed.positionals;
  const { format, out, force } = parsed.values;
  if (!agreementId || !periodKey || extra.length > 0 || !format || !isDocumentFormat(format)) {
    io.say(t.usage);
    return 2;
  }
  if (!out && format !== 'txt' && (io.isTerminal ?? true)) {
    io.say(t.binaryToTerminal);
    return 2;
  }
  const outProblem = out ? outFileProblem(out, config, force ?? false) : undefined;
  if (outProblem) {
    io.say(outProblem);
    return 1;
  }
  let store: LowdbStore;
  try {
    store = await LowdbStore.open(config.dbPath);
  } catch (err) {
    if (err instanceof StoreOpenError) {
      io.say(err.message);
      return 1;
    }
    throw err;
  }
  try {
    const clock = cliClock(config);
    const service = new FollowUpDocumentService(
      store,
      documentsOf(store),
      clock,
      new AuditFile(AuditFile.pathFor(config.dbPath)),
    );
    const actor = operatorActor();
    const result = await service.get(actor, agreementId, periodKey);
    if (result.kind === 'badPeriod') {
      io.say(t.usage);
      return 2;
    }
    if (result.kind === 'notFound') {
      io.say(sv.records.export.notFound(agreementId, result.known));
      return 1;
    }
    if (result.kind === 'noDocument') {
      io.say(t.notFound(sv.documents.period({ kind: 'tertial', key: periodKey }), agreementId));
      return 1;
    }
    if (result.kind === 'forbidden') return 1;
    let file;
    try {
      file = await renderFollowUp(result.document, format);
    } catch (err) {
      if (err instanceof DocumentRefusedError) {
        io.say(t.refused(err.kinds.map((k) => sv.report.kindNames[k] ?? k)));
        return 1;
      }
      throw err;
    }
    if (!out && format !== 'txt' && !io.writeBytes) {
      io.say(t.binaryToTerminal);
      return 2;
    }
    await service.recordExport(actor, result.document, format);
    if (out) {
      writeFileSync(out, file.body, { mode: 0o600, flag: force ? 'w' : 'wx' });
      io.say(t.written(file.fileName, out));
    } else if (format === 'txt') io.write(file.body.toString('utf8'));
    else io.writeBytes!(file.body);
    return 0;
  } finally {
    await store.close();
  }
}
