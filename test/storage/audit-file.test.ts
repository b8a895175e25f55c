import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { describe, it } from 'mocha';
import { AuditFile } from '../../src/storage/audit-file.js';
import { tempDbPath } from '../helpers/harness.js';

describe('AuditFile', () => {
  const entry = (n: number) => ({
    at: `2024-03-14T10:00:0${n}.000Z`,
    actor: { id: 'u' },
    action: 'report.created' as const,
    outcome: 'ok' as const,
    objectId: `r${n}`,
  });

  it('appends one JSON line per entry, in order', async () => {
    const path = AuditFile.pathFor(tempDbPath());
    const log = new AuditFile(path);
    await Promise.all([log.record(entry(1)), log.record(entry(2)), log.record(entry(3))]);
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.objectId),
      ['r1', 'r2', 'r3'],
    );
  });

  it('starts on a new line after a half-written last line left by a crash', async () => {
    const path = AuditFile.pathFor(tempDbPath());
    writeFileSync(path, `${JSON.stringify(entry(1))}\n{"at":"2024-03-14T10:00:0`);
    const log = new AuditFile(path);
    await log.record(entry(2));
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(JSON.parse(lines[2]!).objectId, 'r2');
    assert.equal(lines[1], '{"at":"2024-03-14T10:00:0');
  });

  it('refuses an entry it cannot write, and writes the next one once the file can be written', async () => {
    const path = AuditFile.pathFor(tempDbPath());
    mkdirSync(path); // something that cannot be appended to
    const log = new AuditFile(path);
    await assert.rejects(log.record(entry(1)), /EISDIR/);
    rmSync(path, { recursive: true });
    await log.record(entry(2));
    await log.record(entry(3));
    assert.deepEqual(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).objectId),
      ['r2', 'r3'],
    );
  });

  it('keeps the line of a stored change it cannot write yet, and writes it before the next entry', async () => {
    const path = AuditFile.pathFor(tempDbPath());
    mkdirSync(path);
    const failures: number[] = [];
    const log = new AuditFile(path, (_err, pending) => failures.push(pending));
    await log.recordStored(entry(1)); // never rejects: the change is stored
    await log.recordStored(entry(2));
    assert.deepEqual(failures, [1, 2]);
    assert.equal(log.pending, 2);
    rmSync(path, { recursive: true });
    await log.record(entry(3));
    assert.equal(log.pending, 0);
    assert.deepEqual(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).objectId),
      ['r1', 'r2', 'r3'],
    );
  });

  it('creates the file private to the bot’s user (0600)', async () => {
    const path = AuditFile.pathFor(tempDbPath());
    const log = new AuditFile(path);
    await log.record(entry(1));
    log.close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });
});
