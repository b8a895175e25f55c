import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { before, describe, it } from 'mocha';
import { tempDir } from '../helpers/temp.js';

// scripts/build/build.mjs (the first step of npm start, npm test, npm run demo ...) on a small
// project of its own: the real tsc, incrementally, and a stand-in for the bundler that records each
// run. It must reuse what is up to date and never what is stale.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface BuildResult {
  compiled: number | null;
  bundled: boolean;
  removed: string[];
}
type BuildIfNeeded = (options: {
  root: string;
  force?: boolean;
  tsc?: string[];
  bundle?: string[];
  log?: (line: string) => void;
  runtime?: string;
}) => BuildResult;

// The stand-in bundler: writes the outputs build.mjs checks for and counts its runs in bundles.log.
const BUNDLER = `
const fs = require('node:fs');
fs.mkdirSync('dist/bundle', { recursive: true });
fs.writeFileSync('dist/bundle/bundle.json', JSON.stringify({ bundle: 'main-x.cjs' }));
for (const f of ['main-x.cjs', 'main-x.cjs.v8-cache', 'start.cjs']) fs.writeFileSync('dist/bundle/' + f, fs.readFileSync('dist/src/a.js'));
fs.appendFileSync('bundles.log', 'bundled\\n');
`;

describe('build only when needed (scripts/build/build.mjs)', function () {
  this.timeout(120_000);
  let buildIfNeeded: BuildIfNeeded;
  let dir: string;
  const lines: string[] = [];

  const build = (extra: { runtime?: string; force?: boolean } = {}): BuildResult =>
    buildIfNeeded({
      root: dir,
      tsc: [process.execPath, join(root, 'node_modules', 'typescript', 'bin', 'tsc')],
      bundle: [process.execPath, '-e', BUNDLER],
      log: (line) => lines.push(line),
      runtime: 'node-test',
      ...extra,
    });
  const bundles = (): number =>
    existsSync(join(dir, 'bundles.log')) ? readFileSync(join(dir, 'bundles.log'), 'utf8').split('\n').length - 1 : 0;
  /** A modification time in the future: "touched", content unchanged. */
  const touch = (file: string): void => {
    const t = new Date(Date.now() + 60_000 + Math.floor(Math.random() * 60_000));
    utimesSync(join(dir, file), t, t);
  };
  const write = (file: string, text: string): void => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  };

  before(async () => {
    buildIfNeeded = (
      (await import(pathToFileURL(join(root, 'scripts', 'build', 'build.mjs')).href)) as {
        buildIfNeeded: BuildIfNeeded;
      }
    ).buildIfNeeded;
    dir = tempDir('mlbot-build-');
    write(
      'tsconfig.json',
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          outDir: 'dist',
          rootDir: '.',
          strict: true,
          types: [],
          skipLibCheck: true,
        },
        include: ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
      }),
    );
    write('package.json', JSON.stringify({ type: 'module' }));
    write('package-lock.json', JSON.stringify({ lockfileVersion: 3, packages: {} }));
    write('src/a.ts', "import { b } from './b.js';\nexport const a = b + 1;\n");
    write('src/b.ts', 'export const b = 1;\n');
    write('test/a.test.ts', "import { a } from '../src/a.js';\nexport const t = a;\n");
  });

  it('builds everything the first time and says so', () => {
    const r = build();
    assert.equal(r.compiled, 3);
    assert.equal(r.bundled, true);
    assert.equal(bundles(), 1);
    assert.ok(existsSync(join(dir, 'dist', 'src', 'a.js')));
    assert.match(lines.at(-1)!, /^build: compiled 3 files in \d+\.\d s, bundled in \d+\.\d s$/);
  });

  it('reuses the build when nothing changed, without running tsc or the bundler', () => {
    const before = readFileSync(join(dir, 'dist', 'src', 'a.js'));
    const r = build();
    assert.equal(r.compiled, null);
    assert.equal(r.bundled, false);
    assert.equal(bundles(), 1);
    assert.deepEqual(readFileSync(join(dir, 'dist', 'src', 'a.js')), before);
    assert.match(lines.at(-1)!, /^build: up to date \(3 sources unchanged, dist\/bundle\/main-x\.cjs\)$/);
  });

  it('runs tsc again when a source is touched, and keeps the bundle when the output is the same', () => {
    touch('src/b.ts');
    const r = build();
    assert.notEqual(r.compiled, null);
    assert.equal(r.bundled, false);
    assert.equal(bundles(), 1);
    assert.match(lines.at(-1)!, /^build: compiled \d+ files? in \d+\.\d s, bundle up to date$/);
  });

  it('recompiles and rebundles a changed source', () => {
    write('src/b.ts', 'export const b = 41;\n');
    const r = build();
    assert.ok(r.compiled !== null && r.compiled >= 1);
    assert.equal(r.bundled, true);
    assert.equal(bundles(), 2);
    assert.match(readFileSync(join(dir, 'dist', 'src', 'b.js'), 'utf8'), /41/);
    assert.match(readFileSync(join(dir, 'dist', 'bundle', 'main-x.cjs'), 'utf8'), /b \+ 1/);
  });

  it('rebundles when package-lock.json changes', () => {
    write('package-lock.json', JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/x': {} } }));
    const r = build();
    assert.equal(r.bundled, true);
    assert.equal(bundles(), 3);
    assert.equal(build().bundled, false, 'and reuses it afterwards');
  });

  it('rebundles on another Node version (the code cache belongs to one V8)', () => {
    assert.equal(build({ runtime: 'node-other' }).bundled, true);
    assert.equal(bundles(), 4);
  });

  it('rebuilds everything when dist/ is deleted', () => {
    rmSync(join(dir, 'dist'), { recursive: true });
    const r = build({ runtime: 'node-other' });
    assert.equal(r.compiled, 3);
    assert.equal(r.bundled, true);
    assert.ok(existsSync(join(dir, 'dist', 'src', 'a.js')));
  });

  it('compiles from scratch when one output is missing (an incremental tsc would not notice)', () => {
    rmSync(join(dir, 'dist', 'src', 'b.js'));
    const r = build({ runtime: 'node-other' });
    assert.equal(r.compiled, 3);
    assert.ok(existsSync(join(dir, 'dist', 'src', 'b.js')));
  });

  it('removes the outputs of a removed source (a renamed test would otherwise run twice)', () => {
    write('test/renamed.test.ts', "import { a } from '../src/a.js';\nexport const t = a;\n");
    rmSync(join(dir, 'test', 'a.test.ts'));
    const r = build({ runtime: 'node-other' });
    assert.deepEqual(r.removed, ['test/a.test.ts']);
    assert.equal(existsSync(join(dir, 'dist', 'test', 'a.test.js')), false);
    assert.ok(existsSync(join(dir, 'dist', 'test', 'renamed.test.js')));
  });

  it('never reuses a failed build: a type error fails now and the next run compiles again', () => {
    write('src/b.ts', 'export const b: number = "not a number";\n');
    assert.throws(() => build({ runtime: 'node-other' }), /tsc failed/);
    write('src/b.ts', 'export const b = 2;\n');
    const r = build({ runtime: 'node-other' });
    assert.ok(r.compiled !== null && r.compiled >= 1);
    assert.match(readFileSync(join(dir, 'dist', 'src', 'b.js'), 'utf8'), /= 2/);
    appendFileSync(join(dir, 'src', 'b.ts'), '');
  });

  it('builds everything with force', () => {
    const r = build({ runtime: 'node-other', force: true });
    assert.equal(r.compiled, 3);
    assert.equal(r.bundled, true);
  });
});
