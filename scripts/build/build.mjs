// `npm run build`, and the first step of `npm start`, `npm test`, `npm run demo` and every other
// script that needs the build: builds only what is out of date and says in one line what it did.
//
//   1. tsc (src/, test/, scripts/ → dist/) runs when a TypeScript source, tsconfig.json, package.json
//      or the installed packages (package-lock.json, node_modules/.package-lock.json) changed since
//      the last successful build: any change of a file's modification time or size, or a file added
//      or removed. It runs incrementally (dist/.tsbuildinfo), so it re-emits only what changed;
//      when an expected output is missing it runs from scratch. The outputs of a removed source
//      (dist/<path>.js and .js.map) are deleted, so a renamed test does not run twice.
//   2. The bundle (scripts/build/bundle.mjs: esbuild + V8 code cache) is rebuilt when the content of
//      dist/src changed, or package-lock.json, node_modules/.package-lock.json, the bundler itself,
//      start.cjs or the Node version (the code cache belongs to one V8), or its output is missing.
//
// The state of the last successful build is dist/.build-state.json; it is written only after both
// steps succeeded, so a failed build (a type error) is never reused. Deleting dist/ (or a fresh
// clone, as in CI) builds everything. `--force` (npm run build -- --force) or BUILD_FORCE=1 builds
// everything regardless.
//
// One line on stdout: "build: up to date (…)" or "build: compiled N files in X s, bundled in Y s".
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Folders whose .ts files tsc compiles (tsconfig.json's include) and the other files it depends on. */
const SOURCE_DIRS = ['src', 'test', 'scripts'];
const INSTALL_FILES = ['package-lock.json', join('node_modules', '.package-lock.json')];
const COMPILE_FILES = ['tsconfig.json', 'package.json', ...INSTALL_FILES];
const BUNDLE_FILES = [...INSTALL_FILES, join('scripts', 'build', 'bundle.mjs'), join('scripts', 'build', 'start.cjs')];
const STATE_VERSION = 1;

/** Every file under `dir` (relative to root, '/' separated) whose name passes `keep`, sorted. */
function walk(root, dir, keep) {
  const out = [];
  const visit = (rel) => {
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(child);
      else if (e.isFile() && keep(e.name)) out.push(child);
    }
  };
  visit(dir);
  return out.sort();
}

const isTsSource = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts');

/** "path mtime size" per file (a missing file counts as such), hashed: any touch changes it. */
function statKey(root, files) {
  const h = createHash('sha256');
  for (const f of files) {
    let line = `${f} missing`;
    try {
      const s = statSync(join(root, f));
      line = `${f} ${s.mtimeMs} ${s.size}`;
    } catch {
      // missing
    }
    h.update(line + '\n');
  }
  return h.digest('hex');
}

/** The content of the files, hashed (what the bundle is made from: tsc re-emitting equal output keeps it). */
function contentKey(root, files, extra) {
  const h = createHash('sha256');
  h.update(extra + '\n');
  for (const f of files) {
    h.update(`${f}\n`);
    try {
      h.update(readFileSync(join(root, f)));
    } catch {
      h.update('missing');
    }
    h.update('\n');
  }
  return h.digest('hex');
}

function readState(file) {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8'));
    return state && state.version === STATE_VERSION ? state : undefined;
  } catch {
    return undefined;
  }
}

/** dist/<path>.js for src/<path>.ts. */
const outputOf = (source) => join('dist', source.replace(/\.ts$/, '.js'));

function bundleOutputsPresent(root) {
  try {
    const { bundle } = JSON.parse(readFileSync(join(root, 'dist', 'bundle', 'bundle.json'), 'utf8'));
    return (
      existsSync(join(root, 'dist', 'bundle', bundle)) &&
      existsSync(join(root, 'dist', 'bundle', `${bundle}.v8-cache`)) &&
      existsSync(join(root, 'dist', 'bundle', 'start.cjs'))
    );
  } catch {
    return false;
  }
}

function bundleName(root) {
  try {
    return JSON.parse(readFileSync(join(root, 'dist', 'bundle', 'bundle.json'), 'utf8')).bundle;
  } catch {
    return 'none';
  }
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Builds what is out of date under `root`. `tsc` and `bundle` are the commands (argv arrays) of the
 * two steps; the tests give a small project and a stand-in bundler. Returns what it did; throws
 * (with the step's output already printed) when a step fails.
 */
export function buildIfNeeded(options = {}) {
  const root = options.root ?? projectRoot;
  const force = options.force ?? false;
  const log = options.log ?? ((line) => console.log(line));
  const tsc = options.tsc ?? [process.execPath, join(root, 'node_modules', 'typescript', 'bin', 'tsc')];
  const bundle = options.bundle ?? [process.execPath, join(root, 'scripts', 'build', 'bundle.mjs')];
  const runtime = options.runtime ?? `${process.version} ${process.arch}`;
  const dist = join(root, 'dist');
  const stateFile = join(dist, '.build-state.json');
  const buildInfo = join(dist, '.tsbuildinfo');
  const previous = force ? undefined : readState(stateFile);

  // 1. tsc
  const sources = SOURCE_DIRS.flatMap((d) => walk(root, d, isTsSource));
  const compileKey = statKey(root, [...sources, ...COMPILE_FILES]);
  const missingOutput = sources.find((s) => !existsSync(join(root, outputOf(s))));
  const removed = (previous?.sources ?? []).filter((s) => !sources.includes(s));
  let compiled = null;
  let compileMs = 0;
  if (!previous || previous.compileKey !== compileKey || missingOutput !== undefined) {
    for (const s of removed) {
      rmSync(join(root, outputOf(s)), { force: true });
      rmSync(join(root, `${outputOf(s)}.map`), { force: true });
    }
    // An incremental tsc does not check that its earlier outputs still exist: without them, from scratch.
    if (force || missingOutput !== undefined || !previous) rmSync(buildInfo, { force: true });
    mkdirSync(dist, { recursive: true });
    const t0 = Date.now();
    const [cmd, ...args] = tsc;
    const run = spawnSync(
      cmd,
      [
        ...args,
        '-p',
        join(root, 'tsconfig.json'),
        '--incremental',
        '--tsBuildInfoFile',
        buildInfo,
        '--listEmittedFiles',
      ],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
    );
    compileMs = Date.now() - t0;
    const lines = `${run.stdout ?? ''}`.split('\n');
    const emitted = lines.filter((l) => l.startsWith('TSFILE: ') && l.endsWith('.js'));
    const rest = lines.filter((l) => !l.startsWith('TSFILE: ')).join('\n');
    if (rest.trim() !== '') process.stdout.write(rest.endsWith('\n') ? rest : `${rest}\n`);
    if (run.stderr) process.stderr.write(run.stderr);
    if (run.status !== 0)
      throw new Error(
        `build: tsc failed (${run.error?.message ?? `exit code ${run.status}`}); nothing reused next time`,
      );
    compiled = emitted.length;
  }

  // 2. the bundle
  const bundleKey = contentKey(root, [...walk(root, 'dist/src', (n) => n.endsWith('.js')), ...BUNDLE_FILES], runtime);
  let bundledMs = null;
  if (!previous || previous.bundleKey !== bundleKey || !bundleOutputsPresent(root)) {
    const t0 = Date.now();
    const [cmd, ...args] = bundle;
    const run = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    bundledMs = Date.now() - t0;
    if (run.status !== 0) {
      if (run.stdout) process.stdout.write(run.stdout);
      throw new Error(
        `build: the bundle failed (${run.error?.message ?? `exit code ${run.status}`}); nothing reused next time`,
      );
    }
  }

  writeFileSync(stateFile, `${JSON.stringify({ version: STATE_VERSION, compileKey, bundleKey, sources }, null, 1)}\n`);
  const tscPart =
    compiled === null ? null : `compiled ${compiled} file${compiled === 1 ? '' : 's'} in ${seconds(compileMs)}`;
  const bundlePart = bundledMs === null ? null : `bundled in ${seconds(bundledMs)}`;
  if (tscPart === null && bundlePart === null)
    log(`build: up to date (${sources.length} sources unchanged, dist/bundle/${bundleName(root)})`);
  else log(`build: ${[tscPart ?? 'sources unchanged', bundlePart ?? 'bundle up to date'].join(', ')}`);
  return { compiled, bundled: bundledMs !== null, removed: compiled === null ? [] : removed };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    buildIfNeeded({ force: process.argv.includes('--force') || process.env.BUILD_FORCE === '1' });
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
