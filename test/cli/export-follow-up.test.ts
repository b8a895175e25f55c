import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { beforeEach, describe, it } from 'mocha';
import type { FollowUpDocuments } from '../../src/app/ports.js';
import { runExportCli, type CliIo } from '../../src/cli/export.js';
import { loadConfig, type Config } from '../../src/config.js';
import { AgreementSchema } from '../../src/domain/agreement.js';
import type { FollowUpDocument } from '../../src/domain/follow-up-document.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { AuditFile } from '../../src/storage/audit-file.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { sv } from '../../src/texts/index.js';
import { EKSJO_2024_2025 } from '../fixtures/eksjo-2024-2025.js';
import { EKSJO_T1_2025, TRANAS_KF_2024, TRANAS_T2_SIGNED } from '../fixtures/follow-up-documents.js';
import { readDocx } from '../helpers/documents.js';
import { tempDbPath } from '../helpers/harness.js';
import { assertShows } from '../helpers/texts.js';

/** npm run export -- uppfoljning <agreement> <period> [--format docx|pdf|txt] [--out file]. */
describe('export CLI: follow-up documents (npm run export -- uppfoljning)', () => {
  let dbPath: string;
  let config: Config;
  let said: string[];
  let written: string;
  let bytes: Uint8Array[];
  const io: CliIo = {
    say: (s) => said.push(s),
    write: (s) => (written += s),
    writeBytes: (b) => bytes.push(b),
    isTerminal: false,
  };
  const fixtures = new Map<string, FollowUpDocument>(
    [TRANAS_T2_SIGNED, TRANAS_KF_2024, EKSJO_T1_2025].map((d) => [`${d.agreementId}/${d.period.key}`, d]),
  );
  const documents = (): FollowUpDocuments => ({
    get: async (agreementId, periodKey) => fixtures.get(`${agreementId}/${periodKey}`),
  });
  const run = (...args: string[]) => runExportCli(['uppfoljning', ...args], io, config, documents);
  const audit = () =>
    (existsSync(AuditFile.pathFor(dbPath)) ? readFileSync(AuditFile.pathFor(dbPath), 'utf8') : '')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, string>);

  beforeEach(async () => {
    dbPath = tempDbPath();
    config = loadConfig({ NODE_ENV: 'test', DB_PATH: dbPath }, '/nonexistent-env-dir');
    said = [];
    written = '';
    bytes = [];
    const store = await LowdbStore.open(dbPath);
    await store.agreements.addIfAbsent(AgreementSchema.parse(TRANAS_2023_2024));
    await store.agreements.addIfAbsent(EKSJO_2024_2025);
    await store.close();
  });

  it('writes the Word file (the default) to --out, readable only by the operator, and audits it', async () => {
    const out = `${dbPath}.docx`;
    assert.equal(await run('tranas-2023-2024', '2024-T2', '--out', out), 0);
    const read = await readDocx(readFileSync(out));
    assert.equal(
      read.text.split('\n')[0],
      sv.documents.title('Tranås kommun', 'Lokalpolisområde Höglandet', TRANAS_T2_SIGNED.period),
    );
    assert.equal(statSync(out).mode & 0o777, 0o600);
    assert.deepEqual(said, [
      sv.documents.cli.written(sv.documents.fileName('Tranås kommun', TRANAS_T2_SIGNED.period, false, 'docx'), out),
    ]);
    const line = audit().at(-1)!;
    assert.equal(line.action, 'data.exported');
    assert.equal(line.objectId, 'tranas-2023-2024');
    assert.equal(line.detail, 'follow-up=2024-T2;kind=follow-up;revision=3;format=docx');
    assert.match(String((line.actor as unknown as { id: string }).id), /^cli:/);
  });

  it('writes the PDF and the KF report, and the text to stdout', async () => {
    assert.equal(await run('tranas-2023-2024', '2024', '--format', 'pdf'), 0);
    assert.equal(Buffer.from(bytes[0]!).subarray(0, 5).toString(), '%PDF-');
    assert.equal(await run('eksjo-2024-2025', '2025-T1', '--format', 'txt'), 0);
    assertShows(written, sv.documents.title('Eksjö kommun', 'Lokalpolisområde Höglandet', EKSJO_T1_2025.period));
  });

  it('refuses to write Word or PDF to a terminal, and says what is missing', async () => {
    const terminal: CliIo = { ...io, isTerminal: true };
    assert.equal(await runExportCli(['uppfoljning', 'tranas-2023-2024', '2024-T2'], terminal, config, documents), 2);
    assert.deepEqual(said, [sv.documents.cli.binaryToTerminal]);
  });

  it('says so when there is no such follow-up or agreement, or the arguments are wrong', async () => {
    assert.equal(await run('tranas-2023-2024', '2024-T3', '--format', 'txt'), 1);
    assert.deepEqual(said, [sv.documents.cli.notFound('tertial 3 2024', 'tranas-2023-2024')]);
    said = [];
    assert.equal(await run('okand', '2024-T2', '--format', 'txt'), 1);
    assertShows(said.join('\n'), 'tranas-2023-2024');
    for (const args of [
      ['tranas-2023-2024'],
      ['tranas-2023-2024', 'T2'],
      ['tranas-2023-2024', '2024-T2', '--format', 'odt'],
    ]) {
      said = [];
      assert.equal(await run(...args), 2, args.join(' '));
      assertShows(said.join('\n'), sv.documents.cli.usage);
    }
    assert.equal(written, '');
    assert.equal(audit().filter((l) => l.action === 'data.exported').length, 0);
  });

  it('refuses a document that fails the privacy guard, writing nothing and auditing no export', async () => {
    fixtures.set('tranas-2023-2024/2024-T1', {
      ...TRANAS_T2_SIGNED,
      period: { ...TRANAS_T2_SIGNED.period, key: '2024-T1' },
      communications: [{ channel: 'annat', date: '2024-09-20', note: 'Ring 070-123 45 67' }],
    });
    assert.equal(await run('tranas-2023-2024', '2024-T1', '--format', 'txt'), 1);
    assert.deepEqual(said, [sv.documents.cli.refused([sv.report.kindNames.telefonnummer!])]);
    assert.equal(written, '');
    assert.equal(audit().filter((l) => l.action === 'data.exported').length, 0);
  });
});
