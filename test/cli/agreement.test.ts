import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'mocha';
import { runAgreementCli } from '../../src/cli/agreement.js';
import { AgreementSchema } from '../../src/domain/agreement.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { AuditFile } from '../../src/storage/audit-file.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { tempDbPath } from '../helpers/harness.js';

describe('agreement CLI (import/export)', () => {
  let dbPath: string;
  let lines: string[];
  const out = (s: string) => lines.push(s);
  const saved = process.env.DB_PATH;

  beforeEach(async () => {
    dbPath = tempDbPath();
    process.env.DB_PATH = dbPath;
    lines = [];
    const store = await LowdbStore.open(dbPath);
    await store.agreements.addIfAbsent(AgreementSchema.parse(TRANAS_2023_2024));
    await store.close();
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.DB_PATH;
    else process.env.DB_PATH = saved;
  });

  it('exports an agreement that imports again under a new id for the next period', async () => {
    const file = `${dbPath}.export.json`;
    assert.equal(await runAgreementCli(['export', 'tranas-2023-2024', file], out), 0);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(exported.municipality, 'Tranås kommun');
    const next = { ...exported, id: 'tranas-2025-2026', periodStart: '2025-01-01', periodEnd: '2026-12-31' };
    writeFileSync(file, JSON.stringify(next));
    assert.equal(await runAgreementCli(['import', file], out), 0);
    lines = [];
    assert.equal(await runAgreementCli(['list'], out), 0);
    assert.equal(lines.length, 2);
    assert.ok(lines.some((l) => l.startsWith('tranas-2025-2026\tTranås kommun')));
  });

  it('refuses an invalid file with one clear line per field, and stores nothing', async () => {
    const file = `${dbPath}.bad.json`;
    writeFileSync(file, JSON.stringify({ ...TRANAS_2023_2024, id: 'ny', periodStart: 'igår', pledges: [] }));
    assert.equal(await runAgreementCli(['import', file], out), 1);
    assert.ok(lines.some((l) => /periodStart: ska vara ett datum/.test(l)));
    assert.ok(lines.some((l) => /pledges: måste ha minst ett löfte/.test(l)));
    const doc = JSON.parse(readFileSync(dbPath, 'utf8'));
    assert.equal(doc.agreements.length, 1);
  });

  it('does not overwrite an existing agreement without --replace', async () => {
    const file = `${dbPath}.same.json`;
    writeFileSync(file, JSON.stringify({ ...TRANAS_2023_2024, municipality: 'Fel kommun' }));
    assert.equal(await runAgreementCli(['import', file], out), 1);
    assert.match(lines.join('\n'), /finns redan/);
    assert.equal(JSON.parse(readFileSync(dbPath, 'utf8')).agreements[0].municipality, 'Tranås kommun');
    assert.equal(await runAgreementCli(['import', file, '--replace'], out), 0);
    assert.equal(JSON.parse(readFileSync(dbPath, 'utf8')).agreements[0].municipality, 'Fel kommun');
  });

  it('imports a unit written "singular/plural", and finds the singular of a known plural written alone', async () => {
    const file = `${dbPath}.units.json`;
    const activities = TRANAS_2023_2024.activities.map(({ unitSingular: _s, ...a }) => a);
    activities[0] = { ...activities[0]!, unit: 'rond/ronder' };
    writeFileSync(
      file,
      JSON.stringify({
        ...TRANAS_2023_2024,
        id: 'tranas-2025-2026',
        periodStart: '2025-01-01',
        periodEnd: '2026-12-31',
        activities,
      }),
    );
    assert.equal(await runAgreementCli(['import', file], out), 0, lines.join('\n'));
    const stored = JSON.parse(readFileSync(dbPath, 'utf8')).agreements.find((a: any) => a.id === 'tranas-2025-2026');
    assert.deepEqual(
      stored.activities.map((a: any) => [a.unit, a.unitSingular]),
      [
        ['ronder', 'rond'],
        ['insatser', 'insats'],
        ['ingripanden', 'ingripande'],
        ['kontroller', 'kontroll'],
        ['insatser', 'insats'],
        ['möten', 'möte'],
      ],
    );
  });

  it('audits an import like a change in the chat: agreement.changed by the operator (cli:<os user>)', async () => {
    const auditLines = () =>
      existsSync(AuditFile.pathFor(dbPath))
        ? readFileSync(AuditFile.pathFor(dbPath), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [];
    const file = `${dbPath}.next.json`;
    writeFileSync(
      file,
      JSON.stringify({
        ...TRANAS_2023_2024,
        id: 'tranas-2025-2026',
        periodStart: '2025-01-01',
        periodEnd: '2026-12-31',
      }),
    );
    assert.equal(await runAgreementCli(['import', file], out), 0, lines.join('\n'));
    const added = auditLines().filter((e) => e.action === 'agreement.changed');
    assert.equal(added.length, 1);
    assert.equal(added[0].objectId, 'tranas-2025-2026');
    assert.equal(added[0].outcome, 'ok');
    assert.equal(added[0].detail, 'agreement.imported');
    assert.match(added[0].actor.id, /^cli:.+/);
    // Refused (already there): nothing changed, nothing audited; --replace is audited as such.
    assert.equal(await runAgreementCli(['import', file], out), 1);
    assert.equal(auditLines().filter((e) => e.action === 'agreement.changed').length, 1);
    assert.equal(await runAgreementCli(['import', file, '--replace'], out), 0);
    assert.deepEqual(
      auditLines()
        .filter((e) => e.action === 'agreement.changed')
        .map((e) => e.detail),
      ['agreement.imported', 'agreement.replaced'],
    );
  });

  it('explains its usage', async () => {
    assert.equal(await runAgreementCli([], out), 2);
    assert.match(lines.join('\n'), /Användning/);
  });
});
