import { readFileSync, writeFileSync } from 'node:fs';
import { parseAgreement } from '../domain/agreement.js';
import { splitUnitForms, withUnitSingulars } from '../domain/units.js';
import { AgreementService } from '../app/agreements.js';
import { loadConfig, type Config } from '../config.js';
import { AuditFile } from '../storage/audit-file.js';
import { LowdbStore } from '../storage/lowdb-store.js';
import { cliClock, operatorActor } from './export.js';

/**
 * Coordinators add the next period or another municipality without editing code:
 *   npm run agreement -- list
 *   npm run agreement -- export <id> <file.json>
 *   npm run agreement -- import <file.json> [--replace]
 * Works on DB_PATH while the bot is stopped (one writer per data file). Goes through
 * AgreementService, so an import is audited (agreement.changed by `cli:<os user>`) like the chat's changes.
 */
const usage = `Användning:
  npm run agreement -- list
  npm run agreement -- export <id> <fil.json>
  npm run agreement -- import <fil.json> [--replace]`;

export async function runAgreementCli(
  args: string[],
  out: (s: string) => void = console.log,
  config?: Config,
): Promise<number> {
  const cfg = () => (config ??= loadConfig());
  const [command, ...rest] = args;
  if (!command || !['list', 'export', 'import'].includes(command)) {
    out(usage);
    return 2;
  }
  if (command === 'import') {
    const file = rest.find((a) => !a.startsWith('--'));
    if (!file) {
      out(usage);
      return 2;
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      out(`Kunde inte läsa ${file} som JSON: ${(err as Error).message}`);
      return 1;
    }
    // "unit": "kontroll/kontroller" gives both numbers; a plural alone gets its singular from the table.
    const parsed = parseAgreement(splitUnitForms(json));
    if (!parsed.ok) {
      out(`${file} är inte ett giltigt medborgarlöfte:`);
      for (const e of parsed.errors) out(`  - ${e.path}: ${e.message}`);
      return 1;
    }
    parsed.value = withUnitSingulars(parsed.value).agreement;
    const store = await LowdbStore.open(cfg().dbPath);
    const audit = new AuditFile(AuditFile.pathFor(cfg().dbPath));
    try {
      const agreements = new AgreementService(store, cliClock(cfg()), audit);
      const result = await agreements.importAgreement(operatorActor(), parsed.value, {
        replace: rest.includes('--replace'),
      });
      if (result.kind === 'replaced') out(`Sparade medborgarlöftet ${result.id}.`);
      else if (result.kind === 'added') out(`Lade till medborgarlöftet ${result.id}.`);
      else out(`Medborgarlöftet ${result.id} finns redan. Använd --replace för att skriva över det.`);
      return result.kind === 'added' || result.kind === 'replaced' ? 0 : 1;
    } finally {
      audit.close();
      await store.close();
    }
  }
  const store = await LowdbStore.open(cfg().dbPath);
  try {
    const all = await new AgreementService(store, cliClock(cfg())).list();
    if (command === 'list') {
      for (const a of all) out(`${a.id}\t${a.municipality}\t${a.policeArea}\t${a.periodStart}–${a.periodEnd}`);
      return 0;
    }
    const [id, file] = rest;
    const found = all.find((a) => a.id === id);
    if (!id || !file) {
      out(usage);
      return 2;
    }
    if (!found) {
      out(`Det finns inget medborgarlöfte med id ${id}. Finns: ${all.map((a) => a.id).join(', ') || 'inga'}.`);
      return 1;
    }
    writeFileSync(file, `${JSON.stringify(found, null, 2)}\n`);
    out(`Skrev ${id} till ${file}.`);
    return 0;
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runAgreementCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
