import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AgreementService } from '../app/agreements.js';
import type { Clock } from '../app/clock.js';
import { FollowUpDocumentService } from '../app/follow-up-documents.js';
import { FollowUpReportService } from '../app/follow-up-report.js';
import type { FollowUpDocuments } from '../app/ports.js';
import type { Config } from '../config.js';
import { AuditFile } from '../storage/audit-file.js';
import type { LowdbStore } from '../storage/lowdb-store.js';
import { sv } from '../texts/index.js';
import { cliClock, openForExport, operatorActor, type CliIo } from './export.js';

/**
 * A follow-up (or KF report) as a file, for the operator at the server:
 *   npm run export -- uppfoljning <agreementId> <period> [--format docx|pdf|txt] [--out file [--force]]
 * Works on DB_PATH while the bot is stopped. Without --out the file goes to stdout (text, or Word
 * and PDF when stdout is not a terminal). Audited as data.exported by the operator's OS account.
 */

/** Where the CLI finds follow-up documents in the opened store. */
export type FollowUpDocumentsOf = (store: LowdbStore, clock: Clock, audit: AuditFile) => FollowUpDocuments;

/** The stored follow-ups and KF reports, read as the bot reads them (nothing is written). */
export const storedFollowUps: FollowUpDocumentsOf = (store, clock, audit) =>
  new FollowUpReportService({
    store,
    agreements: new AgreementService(store, clock),
    clock,
    audit,
    // Approvals are never made here: no party is needed.
    partyOf: () => Promise.resolve(undefined),
  }).documents();

export async function runFollowUpExportCli(
  args: string[],
  io: CliIo,
  config: Config,
  documentsOf: FollowUpDocumentsOf = storedFollowUps,
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
  const store = await openForExport(io, config, out, force ?? false);
  if (typeof store === 'number') return store;
  try {
    const clock = cliClock(config);
    const audit = new AuditFile(AuditFile.pathFor(config.dbPath));
    const service = new FollowUpDocumentService(store, documentsOf(store, clock, audit), clock, audit);
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
