import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { beforeEach, describe, it } from 'mocha';
import { runAuditCli } from '../../src/cli/audit.js';
import { runExportCli, type CliIo } from '../../src/cli/export.js';
import { loadConfig, type Config } from '../../src/config.js';
import { AgreementSchema } from '../../src/domain/agreement.js';
import type { WeeklyReport } from '../../src/domain/report.js';
import { TRANAS_2023_2024 } from '../../src/domain/tranas-2023-2024.js';
import { AuditFile } from '../../src/storage/audit-file.js';
import { LowdbStore } from '../../src/storage/lowdb-store.js';
import { recordsSv } from '../../src/texts/records.js';
import { tempDbPath } from '../helpers/harness.js';

/** A strict RFC 4180 reader: quoted fields with doubled quotes and line breaks, CRLF between records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else {
      assert.ok(c !== '"' && c !== '\n' && c !== '\r', `unquoted ${JSON.stringify(c)} at ${i}`);
      field += c;
    }
    i += 1;
  }
  assert.equal(field, '', 'the file ends with CRLF');
  assert.equal(row.length, 0);
  return rows;
}

const TRICKY = 'Kontroll vid torget, "nattetid"\nandra raden';

function report(id: string, date: string, week: string, extra: Partial<WeeklyReport> = {}): WeeklyReport {
  return {
    id,
    submissionId: `s-${id}`,
    agreementId: 'tranas-2023-2024',
    reporterId: 'aaaaaaaa-0000-4000-8000-000000000001',
    week,
    activityId: 'trafikkontroller',
    pledgeNumber: 3,
    count: 5,
    date,
    area: 'Centrum',
    description: 'vanlig text',
    raiseAtNextMeeting: false,
    party: 'Polisen',
    createdAt: `${date}T09:00:00.000Z`,
    updatedAt: `${date}T09:00:00.000Z`,
    history: [{ at: `${date}T09:00:00.000Z`, by: 'aaaaaaaa-0000-4000-8000-000000000001', action: 'created' }],
    ...extra,
  };
}

describe('export CLI (npm run export)', () => {
  let dbPath: string;
  let config: Config;
  let said: string[];
  let written: string;
  const io: CliIo = { say: (s) => said.push(s), write: (s) => (written += s) };
  const audit = () =>
    readFileSync(AuditFile.pathFor(dbPath), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  beforeEach(async () => {
    dbPath = tempDbPath();
    config = loadConfig({ NODE_ENV: 'test', DB_PATH: dbPath }, '/nonexistent-env-dir');
    said = [];
    written = '';
    const store = await LowdbStore.open(dbPath);
    await store.agreements.addIfAbsent(AgreementSchema.parse(TRANAS_2023_2024));
    await store.reports.add(
      report('r1', '2024-03-13', '2024-W11', {
        description: TRICKY,
        ageBands: { under18: 1, from18to21: 2, over21: 3 },
        raiseAtNextMeeting: true,
      }),
    );
    await store.reports.add(
      report('r2', '2024-03-05', '2024-W10', { withdrawn: { at: '2024-03-06T08:00:00.000Z', by: 'c' } }),
    );
    await store.reports.add(
      report('r3', '2023-02-01', '2023-W05', {
        description: '',
        activityId: 'ovrigt-lofte-1',
        pledgeNumber: 1,
        history: [
          { at: '2023-02-01T09:00:00.000Z', by: 'x', action: 'created' },
          { at: '2025-02-02T02:15:00.000Z', by: 'system:retention', action: 'purged' },
        ],
      }),
    );
    await store.reports.add(report('r4', '2024-03-12', '2024-W11', { description: '=HYPERLINK("http://x")' }));
    await store.close();
  });

  it('writes CSV with a BOM, Swedish headers and one RFC 4180 row per report that parses back', async () => {
    const out = `${dbPath}.csv`;
    assert.equal(await runExportCli(['tranas-2023-2024', '--out', out], io, config), 0);
    const raw = readFileSync(out, 'utf8');
    assert.ok(raw.startsWith('\uFEFF'), 'UTF-8 BOM for Excel');
    const rows = parseCsv(raw.slice(1));
    const [header, ...data] = rows;
    assert.deepEqual(header, Object.values(recordsSv.csv.reportColumns));
    assert.equal(header![0], 'Rapport-id');
    assert.ok(header!.includes('Vad gjordes (fritext)'));
    assert.equal(data.length, 4);
    const col = (name: string) => header!.indexOf(name);
    const byId = new Map(data.map((r) => [r[0], r]));
    const r1 = byId.get('r1')!;
    assert.equal(r1[col('Vad gjordes (fritext)')], TRICKY);
    assert.ok(raw.includes('"Kontroll vid torget, ""nattetid""\nandra raden"'));
    assert.equal(r1[col('Datum')], '2024-03-13');
    assert.equal(r1[col('Vecka')], '2024-W11');
    assert.equal(r1[col('Tertial')], '2024-T1');
    assert.equal(r1[col('Löfte')], '3');
    assert.equal(r1[col('Aktivitet-id')], 'trafikkontroller');
    assert.match(r1[col('Aktivitet')]!, /[Tt]rafikkontroll/);
    assert.deepEqual([r1[col('Under 18 år')], r1[col('18–21 år')], r1[col('Över 21 år')]], ['1', '2', '3']);
    assert.equal(r1[col('Tas upp på nästa möte')], 'ja');
    assert.equal(r1[col('Återkallad')], 'nej');
    assert.equal(r1[col('Skapad (UTC)')], '2024-03-13T09:00:00.000Z');
    assert.equal(byId.get('r2')![col('Återkallad')], 'ja');
    assert.equal(byId.get('r2')![col('Återkallad (UTC)')], '2024-03-06T08:00:00.000Z');
    assert.equal(byId.get('r3')![col('Fritext gallrad')], 'ja');
    assert.equal(byId.get('r3')![col('Vad gjordes (fritext)')], '');
    assert.equal(byId.get('r3')![col('Aktivitet')], 'Övrigt');
    assert.equal(byId.get('r4')![col('Vad gjordes (fritext)')], `'=HYPERLINK("http://x")`, 'a formula is neutralised');
    assert.deepEqual(
      data.map((r) => r[0]),
      ['r3', 'r2', 'r4', 'r1'],
      'sorted by date',
    );
    assert.doesNotMatch(raw, /aaaaaaaa-0000/, 'no user ids in the CSV');
    assert.match(said.join('\n'), /Exporterade 4 rapporter/);
  });

  it('writes JSON with the agreement and every report with its history', async () => {
    const out = `${dbPath}.export.json`;
    assert.equal(await runExportCli(['tranas-2023-2024', '--format', 'json', '--out', out], io, config), 0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(doc.format, 'medborgarlofte-export');
    assert.equal(doc.agreement.id, 'tranas-2023-2024');
    assert.equal(doc.reports.length, 4);
    assert.equal(doc.reports.find((r: any) => r.id === 'r1').description, TRICKY);
    assert.equal(doc.reports.find((r: any) => r.id === 'r3').history[1].action, 'purged');
    assert.deepEqual(doc.summary, {
      reports: 4,
      withdrawn: 1,
      withFreeText: 3,
      purged: 1,
      firstDate: '2023-02-01',
      lastDate: '2024-03-13',
    });
  });

  it('writes to stdout without --out, and audits each export without free text', async () => {
    assert.equal(await runExportCli(['tranas-2023-2024', '--delimiter', ';'], io, config), 0);
    assert.ok(written.startsWith('\uFEFFRapport-id;Datum;'));
    const entries = audit().filter((e) => e.action === 'data.exported');
    assert.equal(entries.length, 1);
    assert.equal(entries[0].objectId, 'tranas-2023-2024');
    assert.equal(entries[0].detail, 'format=csv;reports=4');
    assert.match(entries[0].actor.id, /^cli:/);
    assert.doesNotMatch(readFileSync(AuditFile.pathFor(dbPath), 'utf8'), /nattetid/);
  });

  it('refuses an unknown agreement, a bad format and a running bot', async () => {
    assert.equal(await runExportCli(['okand'], io, config), 1);
    assert.match(said.join('\n'), /inget medborgarlöfte med id okand\. Finns: tranas-2023-2024/);
    assert.equal(await runExportCli(['tranas-2023-2024', '--format', 'xml'], io, config), 2);
    assert.equal(await runExportCli([], io, config), 2);
    // The bot's lock: a live process (here the test runner's parent) owns the data file.
    writeFileSync(`${dbPath}.lock`, String(process.ppid));
    try {
      said = [];
      assert.equal(await runExportCli(['tranas-2023-2024'], io, config), 1);
      assert.match(said.join('\n'), /in use by process/);
      assert.equal(readFileSync(`${dbPath}.lock`, 'utf8'), String(process.ppid), 'the lock is left alone');
    } finally {
      rmSync(`${dbPath}.lock`, { force: true });
    }
  });

  it('never overwrites an existing file without --force, and never a file of the store even with it', async () => {
    const out = `${dbPath}.existing.csv`;
    writeFileSync(out, 'kept');
    said = [];
    assert.equal(await runExportCli(['tranas-2023-2024', '--out', out], io, config), 1);
    assert.match(said.join('\n'), /finns redan och skrivs inte över.*--force/);
    assert.equal(readFileSync(out, 'utf8'), 'kept');
    assert.equal(await runExportCli(['tranas-2023-2024', '--out', out, '--force'], io, config), 0);
    assert.ok(readFileSync(out, 'utf8').startsWith('\uFEFF'));

    const dbBefore = readFileSync(dbPath, 'utf8');
    const auditBefore = readFileSync(AuditFile.pathFor(dbPath), 'utf8');
    const alias = join(dirname(dbPath), '..', basename(dirname(dbPath)), 'db.json');
    for (const target of [
      dbPath,
      alias,
      AuditFile.pathFor(dbPath),
      `${dbPath}.lock`,
      join(dbPath.replace(/\.json$/, '.reports'), 'export.csv'),
      join(dirname(dbPath), 'backups', 'x.csv'),
    ]) {
      said = [];
      assert.equal(await runExportCli(['tranas-2023-2024', '--out', target, '--force'], io, config), 1, target);
      assert.match(said.join('\n'), /botens egna datafiler/, target);
    }
    assert.equal(readFileSync(dbPath, 'utf8'), dbBefore);
    assert.equal(readFileSync(AuditFile.pathFor(dbPath), 'utf8'), auditBefore);
    assert.equal(existsSync(`${dbPath}.lock`), false);
  });
});

describe('audit export CLI (npm run audit -- export)', () => {
  let dbPath: string;
  let config: Config;
  let said: string[];
  const io: CliIo = { say: (s) => said.push(s), write: () => undefined };

  beforeEach(() => {
    dbPath = tempDbPath();
    config = loadConfig({ NODE_ENV: 'test', DB_PATH: dbPath }, '/nonexistent-env-dir');
    said = [];
    const lines = [
      { at: '2024-03-12T12:00:00.000Z', actor: { id: 'u1' }, action: 'report.created', objectId: 'a', outcome: 'ok' },
      {
        at: '2024-03-13T23:30:00.000Z',
        actor: { id: 'u2' },
        action: 'report.edited',
        objectId: 'b',
        outcome: 'ok',
        detail: 'count,area',
      }, // 14 March in Stockholm
      {
        at: '2024-03-14T12:00:00.000Z',
        actor: { id: 'u3' },
        action: 'access.refused',
        objectId: 'c',
        outcome: 'refused',
      },
      { at: '2024-03-14T23:30:00.000Z', actor: { id: 'u4' }, action: 'report.created', objectId: 'd', outcome: 'ok' }, // 15 March
    ];
    writeFileSync(AuditFile.pathFor(dbPath), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  });

  it('filters by local dates (Europe/Stockholm, inclusive) as JSON lines', async () => {
    const out = `${dbPath}.audit-export.jsonl`;
    assert.equal(
      await runAuditCli(
        ['export', '--from', '2024-03-14', '--to', '2024-03-14', '--format', 'jsonl', '--out', out],
        io,
        config,
      ),
      0,
    );
    const got = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      got.map((e) => e.objectId),
      ['b', 'c'],
    );
    assert.match(said.join('\n'), /Exporterade 2 händelser/);
  });

  it('writes CSV with Swedish headers, open-ended ranges, and audits the export itself', async () => {
    const out = `${dbPath}.audit-export.csv`;
    assert.equal(await runAuditCli(['export', '--from', '2024-03-14', '--out', out], io, config), 0);
    const text = readFileSync(out, 'utf8');
    assert.ok(text.startsWith('\uFEFFTid (UTC),Händelse,Utfall,'));
    assert.equal(text.split('\r\n').filter(Boolean).length, 1 + 3);
    assert.ok(text.includes('"count,area"'));
    const last = JSON.parse(readFileSync(AuditFile.pathFor(dbPath), 'utf8').trim().split('\n').at(-1)!);
    assert.equal(last.action, 'audit.exported');
    assert.equal(last.detail, 'format=csv;entries=3;from=2024-03-14');
  });

  it('skips a torn last line and says so; refuses bad dates', async () => {
    appendFileSync(AuditFile.pathFor(dbPath), '{"at":"2024-03-15T1');
    const out = `${dbPath}.all.jsonl`;
    assert.equal(await runAuditCli(['export', '--to', '2024-03-13', '--format', 'jsonl', '--out', out], io, config), 0);
    assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 1);
    assert.match(said.join('\n'), /1 rader .* gick inte att läsa/);
    assert.equal(await runAuditCli(['export', '--from', '2024-13-01'], io, config), 2);
    assert.equal(await runAuditCli(['export', '--from', '2024-03-15', '--to', '2024-03-14'], io, config), 2);
    assert.equal(await runAuditCli(['list'], io, config), 2);
  });
});
