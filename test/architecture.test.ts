import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'mocha';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const imports = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('architecture boundaries', () => {
  const files = sources('src');

  it('finds the sources it checks', () => {
    assert.ok(files.length > 20);
  });

  it('imports botbuilder and teams-ai only inside src/teams/', () => {
    const leaks = files
      .filter((f) => !relative('src', f).startsWith('teams'))
      .filter((f) => imports(f).some((i) => /^(botbuilder|@microsoft\/teams-ai|botframework-)/.test(i)));
    assert.deepEqual(leaks, []);
  });

  // I/O (files, network, processes) and the frameworks that do it live in storage, http, teams,
  // scheduler and cli; domain and app only see it through ports.
  const io =
    /^(node:)?(fs|fs\/promises|path|http|https|net|child_process|dgram|tls)$|^(lowdb|restify|croner|pino|botbuilder|@microsoft|pg|node-pg-migrate)/;

  it('keeps src/domain/ free of I/O and frameworks', () => {
    const impure = sources('src/domain').filter((f) =>
      imports(f).some((i) => io.test(i) || /\.\.\/(app|storage|teams|http|scheduler|cli|documents)\//.test(i)),
    );
    assert.deepEqual(impure, []);
  });

  it('keeps src/app/ free of I/O and frameworks: use cases reach files, network and Teams through ports', () => {
    const appFiles = sources('src/app');
    assert.ok(appFiles.length > 10);
    const impure = appFiles
      .filter((f) =>
        imports(f).some((i) => io.test(i) || /\.\.\/(storage|teams|http|scheduler|cli|documents)\//.test(i)),
      )
      .map((f) => relative('src', f));
    assert.deepEqual(impure, []);
  });

  it('renders documents only in src/documents/, loaded on first use by the CLI and the download links', () => {
    // docx and pdfkit are heavy: only the renderers import them, and only dynamically elsewhere.
    const renderers = files
      .filter((f) => imports(f).some((i) => /^(docx|pdfkit|@fontsource\/)/.test(i)))
      .map((f) => relative('src', f));
    assert.ok(renderers.length >= 2);
    assert.deepEqual(
      renderers.filter((f) => !f.startsWith('documents/')),
      [],
    );
    const staticImporters = files
      .filter((f) => !relative('src', f).startsWith('documents'))
      .filter((f) => imports(f).some((i) => /\/documents\//.test(i)))
      .map((f) => relative('src', f));
    assert.deepEqual(staticImporters, []);
  });

  it('recognises an I/O import (so the two checks above can fail)', () => {
    assert.ok(['node:fs', 'fs/promises', 'lowdb', 'pino', 'botbuilder', 'node:child_process'].every((i) => io.test(i)));
    assert.ok(!['node:crypto', 'zod', 'date-fns', '../domain/report.js'].some((i) => io.test(i)));
  });

  it('reads process.env only in config.ts (and CLI entry points)', () => {
    const readers = files.filter((f) => /process\.env/.test(readFileSync(f, 'utf8'))).map((f) => relative('src', f));
    assert.deepEqual(
      readers.filter((f) => f !== 'config.ts' && !f.startsWith('cli/')),
      [],
    );
  });

  it('never gives a card a refresh (teams-ai then answers a card action by replacing the card for everyone in the chat)', () => {
    // One owner per report rests on this: an Action.Execute answer replaces the card for the presser
    // only (REPLACE_FOR_INTERACTOR), so a form or receipt opened from a channel card is nobody else's.
    const refreshing = sources('src/teams')
      .filter((f) => /\brefresh\s*:/.test(readFileSync(f, 'utf8')))
      .map((f) => relative('src', f));
    assert.deepEqual(refreshing, []);
    assert.ok(
      !/actionExecuteResponseType/.test(files.map((f) => readFileSync(f, 'utf8')).join('\n')),
      'the default REPLACE_FOR_INTERACTOR is kept',
    );
  });
});
