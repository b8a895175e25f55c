// The production build after tsc (`npm run build`): bundles dist/src/main.js and its dependencies
// with esbuild into one CommonJS file, dist/bundle/main-<hash>.cjs, and writes the V8 code cache
// for it; `npm start` runs it through dist/bundle/start.cjs (scripts/build/start.cjs).
//
// Why: on Node 20 most of a cold start is the module system, not the bot. dist/src/main.js loads
// about 1,750 files (teams-ai's index pulls in botbuilder-dialogs, the recognizers, gpt-tokenizer,
// @azure/identity, openai ...): resolving and reading them, compiling them (no compile cache before
// Node 22) and running their top-level code. One file removes the resolution and reads, the code
// cache removes most of the compiling, and the requires listed in LAZY below run their module's
// top-level code on first use instead of at start.
//
// Tests keep running the tsc output (dist/src, dist/test); the bundle is the same code.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = join(root, 'dist', 'src', 'main.js');
const out = join(root, 'dist', 'bundle');

/**
 * Requires rewritten in the bundle, for modules the first turns never use that cost tens of
 * milliseconds of top-level code at every start (tables and regular expressions):
 * - by default the require loads its module on first use (a property read), for files that read
 *   the module only inside functions, never at their own top level: gpt-tokenizer (teams-ai's token
 *   counting, used only with a language model) and the recognizers of botbuilder-dialogs' date,
 *   number and confirm prompts (the bot has no dialogs);
 * - with `replacement`, another module that provides everything the file reads (`onlyReads`: every
 *   use matches it): botbuilder-dialogs' prompt culture table reads only the `Culture.<language>`
 *   string constants of the recognizers suite (2 MB of code, ~90 ms at start), which the suite's
 *   own base package, @microsoft/recognizers-text, defines identically.
 * `pattern` must occur exactly once in `file`, or the build fails (e.g. after an upgrade changed the
 * file: then check again that the above still holds there).
 */
const LAZY = [
  { file: 'node_modules/@microsoft/teams-ai/lib/tokenizers/GPTTokenizer.js', pattern: 'require("gpt-tokenizer")' },
  {
    file: 'node_modules/@microsoft/teams-ai/lib/tokenizers/GPT3Tokenizer.js',
    pattern: 'require("gpt-tokenizer/cjs/model/text-davinci-003")',
  },
  {
    file: 'node_modules/botbuilder-dialogs/lib/prompts/datetimePrompt.js',
    pattern: '__importStar(require("@microsoft/recognizers-text-date-time"))',
  },
  {
    file: 'node_modules/botbuilder-dialogs/lib/prompts/confirmPrompt.js',
    pattern: '__importStar(require("@microsoft/recognizers-text-choice"))',
  },
  {
    file: 'node_modules/botbuilder-dialogs/lib/prompts/numberPrompt.js',
    pattern: 'require("@microsoft/recognizers-text-number")',
  },
  {
    file: 'node_modules/botbuilder-dialogs/lib/choices/recognizeChoices.js',
    pattern: '__importStar(require("@microsoft/recognizers-text-number"))',
  },
  {
    file: 'node_modules/botbuilder-dialogs/lib/prompts/promptCultureModels.js',
    pattern: 'require("@microsoft/recognizers-text-suite")',
    replacement: 'require("@microsoft/recognizers-text")',
    onlyReads: { binding: 'recognizers_text_suite_1', use: /^recognizers_text_suite_1\.Culture\.[A-Za-z]+\b/ },
  },
];

// A stand-in for a module's exports that loads the module on first use (property read, `in`,
// key listing). Prepended to each file in LAZY.
const LAZY_HELPER = `function __lazyModule(load) {
  let loaded;
  const real = () => (loaded ??= { exports: load() }).exports;
  return new Proxy({}, {
    get: (_, key) => Reflect.get(real(), key),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d && { ...d, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}
`;

const lazyPlugin = {
  name: 'lazy-requires',
  setup(b) {
    const byPath = new Map(LAZY.map((l) => [realpathSync(join(root, l.file)), l]));
    const seen = new Set();
    const filter = new RegExp(`(${LAZY.map((l) => l.file.split('/').pop().replace(/\./g, '\\.')).join('|')})$`);
    b.onLoad({ filter }, (args) => {
      const lazy = byPath.get(args.path);
      if (!lazy) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const count = source.split(lazy.pattern).length - 1;
      if (count !== 1)
        throw new Error(
          `${lazy.file}: expected "${lazy.pattern}" once, found ${count} times (see LAZY in scripts/build/bundle.mjs)`,
        );
      if (lazy.onlyReads) {
        const uses = source.split(lazy.onlyReads.binding).slice(2); // after the declaration
        const other = uses.find((rest) => !lazy.onlyReads.use.test(lazy.onlyReads.binding + rest));
        if (other !== undefined)
          throw new Error(
            `${lazy.file}: reads more than ${lazy.onlyReads.use} of ${lazy.pattern}: ${lazy.onlyReads.binding}${other.slice(0, 40)} (see LAZY in scripts/build/bundle.mjs)`,
          );
      }
      seen.add(args.path);
      return {
        contents: LAZY_HELPER + source.replace(lazy.pattern, lazy.replacement ?? `__lazyModule(() => ${lazy.pattern})`),
        loader: 'js',
      };
    });
    b.onEnd((result) => {
      if (result.errors.length) return;
      const missing = [...byPath.keys()].filter((p) => !seen.has(p));
      if (missing.length)
        throw new Error(
          `not part of the bundle any more (update LAZY in scripts/build/bundle.mjs): ${missing.join(', ')}`,
        );
    });
  },
};

/**
 * Exact source patches, each for one line that behaves differently once bundled. Node prints a
 * deprecation warning for `new Buffer()` only when the caller is outside node_modules, which bundled
 * code is: restify's body reader would print DEP0005 on the first request. `pattern` must occur
 * exactly once in `file`, or the build fails.
 */
const PATCHES = [
  {
    file: 'node_modules/restify/lib/plugins/bodyReader.js',
    pattern: 'req.body = new Buffer(0);',
    replacement: 'req.body = Buffer.alloc(0);',
  },
];

const patchPlugin = {
  name: 'patches',
  setup(b) {
    const byPath = new Map(PATCHES.map((p) => [realpathSync(join(root, p.file)), p]));
    const seen = new Set();
    const filter = new RegExp(`(${PATCHES.map((p) => p.file.split('/').pop().replace(/\./g, '\\.')).join('|')})$`);
    b.onLoad({ filter }, (args) => {
      const patch = byPath.get(args.path);
      if (!patch) return undefined;
      const source = readFileSync(args.path, 'utf8');
      const count = source.split(patch.pattern).length - 1;
      if (count !== 1)
        throw new Error(
          `${patch.file}: expected "${patch.pattern}" once, found ${count} times (see PATCHES in scripts/build/bundle.mjs)`,
        );
      seen.add(args.path);
      return { contents: source.replace(patch.pattern, patch.replacement), loader: 'js' };
    });
    b.onEnd((result) => {
      if (result.errors.length) return;
      const missing = [...byPath.keys()].filter((p) => !seen.has(p));
      if (missing.length)
        throw new Error(
          `not part of the bundle any more (update PATCHES in scripts/build/bundle.mjs): ${missing.join(', ')}`,
        );
    });
  },
};

/**
 * The bundle as pure ASCII, so that start.cjs can read it as latin1 and V8 keeps it as a one-byte
 * string (a single non-Latin-1 character makes the whole source a two-byte string, decoded from
 * UTF-8 at every start: some 60 ms). esbuild's default charset already escapes strings, templates and
 * identifiers but leaves regular expression literals as they are (evanw/esbuild#4205); there the
 * \uXXXX escape (UTF-16 code units, a surrogate pair above U+FFFF) matches the same text, with or
 * without the u flag. An identity escape of such a character (a backslash before it) loses the
 * backslash.
 */
function asciiOnly(text) {
  // eslint-disable-next-line no-control-regex -- the point: every character outside 0x00-0x7f is escaped
  const escaped = text.replace(/(\\*)([^\x00-\x7f])/g, (_, slashes, ch) => {
    const kept = slashes.length % 2 === 1 ? slashes.slice(1) : slashes;
    return `${kept}\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  // eslint-disable-next-line no-control-regex -- the same ASCII range as above
  if (/[^\x00-\x7f]/.test(escaped)) throw new Error('the bundle is not pure ASCII after escaping');
  return escaped;
}

/**
 * ESM → CommonJS: import.meta.url, in our code and in ESM-only dependencies, becomes what it was
 * before bundling, a file URL computed at run time relative to the bundle, except in main.js, the
 * entry, where it is the bundle's own URL (src/main.ts reads ../../package.json relative to it and
 * starts the bot when it is process.argv[1], which start.cjs sets to the bundle).
 */
const importMetaPlugin = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.m?js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const url =
        args.path === entry
          ? '__bundle_import_meta_url'
          : `__bundle_file_url(${JSON.stringify(relative(out, args.path))})`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

const t0 = Date.now();
const result = await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  write: false,
  outfile: join(out, 'main.cjs'),
  // restify's optional DTrace probes: a native addon, loaded from node_modules when present.
  // The document renderers' libraries (src/documents, loaded on the first follow-up download):
  // required from node_modules at that moment, so they add nothing to the bundle or the start-up,
  // and pdfkit keeps reading its data files beside its own code.
  external: ['dtrace-provider', 'pdfkit', 'docx'],
  banner: {
    js: [
      'var __bundle_import_meta_url = require("node:url").pathToFileURL(__filename).href;',
      'var __bundle_file_url = (path) => require("node:url").pathToFileURL(require("node:path").join(__dirname, path)).href;',
    ].join('\n'),
  },
  // Not minified and no source map: a stack trace's bundle line is readable code under a
  // "// node_modules/<package>/<file>" comment (minifying changed the start-up time by nothing
  // measurable).
  legalComments: 'none',
  plugins: [lazyPlugin, patchPlugin, importMetaPlugin],
  logLevel: 'warning',
});

// Any other use of import.meta (dirname, resolve ...) would be empty in CommonJS.
const importMeta = result.warnings.filter((w) => w.id === 'empty-import-meta');
if (importMeta.length)
  throw new Error(
    `import.meta in ${importMeta.map((w) => w.location?.file).join(', ')}: not available in the CommonJS bundle (scripts/build/bundle.mjs)`,
  );
const js = result.outputFiles[0];
const code = asciiOnly(js.text);
const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
const name = `main-${hash}.cjs`;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, name), code, 'latin1');
writeFileSync(join(out, 'bundle.json'), `${JSON.stringify({ bundle: name }, null, 2)}\n`);
copyFileSync(join(root, 'scripts', 'build', 'start.cjs'), join(out, 'start.cjs'));
const bundled = Date.now();

// The code cache, from a run that loads every module (without starting the bot) on this Node.
execFileSync(process.execPath, [join(out, 'start.cjs')], {
  env: { ...process.env, BUNDLE_CODE_CACHE: 'build', NODE_NO_WARNINGS: '1' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const cacheBytes = readFileSync(join(out, `${name}.v8-cache`)).length;
console.log(
  `dist/bundle/${name}: ${(code.length / 2 ** 20).toFixed(1)} MiB in ${bundled - t0} ms, code cache ${(cacheBytes / 2 ** 20).toFixed(1)} MiB in ${Date.now() - bundled} ms`,
);
