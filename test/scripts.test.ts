import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'mocha';

// The scripts (crash, load, reminder-crash, e2e, playground, bench) are TypeScript compiled with the
// project, so that a rename in src/ is a compile error there too.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const scripts = files(join(root, 'scripts')).map((f) => relative(root, f));
/** What must stay JavaScript: the build step, the start wrapper and files preloaded with --require/--import. */
const JAVASCRIPT = [
  'scripts/bench/cpu-profile-preload.mjs',
  'scripts/bench/loop-monitor.mjs',
  'scripts/build/build.mjs',
  'scripts/build/bundle.mjs',
  'scripts/build/start.cjs',
  'scripts/lib/loopback-only.cjs',
];

describe('scripts', () => {
  it('are TypeScript, but for the build step, the start wrapper and the node preloads', () => {
    assert.deepEqual(scripts.filter((f) => !f.endsWith('.ts')).sort(), JAVASCRIPT);
  });

  it('import the bot statically (a dynamic import of a dist/ path would not notice a rename)', () => {
    const dynamic = scripts.filter((f) => f.endsWith('.ts') && /\bimport\(/.test(readFileSync(join(root, f), 'utf8')));
    assert.deepEqual(dynamic, []);
  });

  it('answer nothing under /v3/conversations themselves: the one stub connector is test/helpers/connector-stub.ts', () => {
    const stubs = scripts.filter(
      (f) =>
        f.endsWith('.ts') &&
        /\\\/v3\\\/conversations/.test(readFileSync(join(root, f), 'utf8')) &&
        /createServer\(/.test(readFileSync(join(root, f), 'utf8')),
    );
    assert.deepEqual(stubs, []);
  });

  it('run from dist/scripts in package.json, each from a source in scripts/', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const run = Object.values(pkg.scripts).flatMap((cmd) =>
      [...cmd.matchAll(/\bnode (\S*scripts\/\S+)/g)].map((m) => m[1]!),
    );
    assert.ok(run.length >= 6, `expected the scripts in package.json, found ${run.join(', ')}`);
    for (const file of run) {
      if (file === 'scripts/build/build.mjs') continue; // the build step itself, JavaScript (above)
      const m = /^dist\/(scripts\/.+)\.js$/.exec(file);
      assert.ok(m, `${file}: expected dist/scripts/<name>.js`);
      assert.ok(scripts.includes(`${m[1]}.ts`), `${file}: no ${m[1]}.ts`);
    }
  });
});
