import { writeFileSync } from 'node:fs';
import { outFileProblem } from './out-file.js';
import { parseArgs } from 'node:util';
import { AuditExportService, type AuditExportFormat } from '../app/export.js';
import { loadConfig, type Config } from '../config.js';
import { isValidLocalDate } from '../domain/calendar.js';
import { AuditFile } from '../storage/audit-file.js';
import { AuditFileTrail } from '../storage/audit-reader.js';
import { recordsSv } from '../texts/records.js';
import { cliClock, consoleIo, operatorActor, type CliIo } from './export.js';

/**
 * The audit trail for a review or a records request:
 *   npm run audit -- export [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format csv|jsonl] [--out file]
 * Dates are local days in Europe/Stockholm, inclusive. Reads the append-only audit file only, so
 * it works while the bot runs. Audited as audit.exported.
 */
const usage = `Användning:
  npm run audit -- export [--from ÅÅÅÅ-MM-DD] [--to ÅÅÅÅ-MM-DD] [--format csv|jsonl] [--out fil [--force]] [--delimiter ";"]`;

export async function runAuditCli(args: string[], io: CliIo = consoleIo, config?: Config): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
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
  const { from, to, format, out, delimiter, force } = parsed.values;
  if (
    parsed.positionals.length !== 1 ||
    parsed.positionals[0] !== 'export' ||
    (format !== 'csv' && format !== 'jsonl') ||
    ![',', ';', '\t'].includes(delimiter)
  ) {
    io.say(usage);
    return 2;
  }
  for (const [name, value] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (value !== undefined && !isValidLocalDate(value)) {
      io.say(`${name} ska vara ett datum på formen ÅÅÅÅ-MM-DD (fick ${value}).`);
      return 2;
    }
  }
  if (from && to && from > to) {
    io.say('--from ska vara samma dag som eller före --to.');
    return 2;
  }
  const cfg = config ?? loadConfig();
  const outProblem = out ? outFileProblem(out, cfg, force ?? false) : undefined;
  if (outProblem) {
    io.say(outProblem);
    return 1;
  }
  const path = AuditFile.pathFor(cfg.dbPath);
  const service = new AuditExportService(cliClock(cfg), new AuditFile(path), new AuditFileTrail(path));
  const result = await service.exportAudit(operatorActor(), { from, to }, format as AuditExportFormat, recordsSv.csv, {
    delimiter,
  });
  if (result.kind !== 'ok') return 1;
  if (out) writeFileSync(out, result.content, { encoding: 'utf8', mode: 0o600, flag: force ? 'w' : 'wx' });
  else io.write(result.content);
  io.say(`Exporterade ${result.entries} händelser ur granskningsloggen som ${format}${out ? ` till ${out}` : ''}.`);
  if (result.unreadable > 0) io.say(`${result.unreadable} rader i ${path} gick inte att läsa och är inte med.`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runAuditCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
