'use strict';
// The production entry point (`npm start`, copied to dist/bundle/start.cjs by
// scripts/build/bundle.mjs): runs the esbuild bundle of dist/src/main.js as the main script, compiled
// with the V8 code cache that the build wrote next to it, so that a start neither resolves and reads
// some 1,700 module files nor compiles them again (Node 20 has no module compile cache).
//
// The cache belongs to one bundle (its file name carries the content hash, see bundle.json) and to
// one V8 version; V8 rejects a cache from another version or flag set. When it is missing or rejected
// (e.g. Node was upgraded without a rebuild, or node runs with other V8 flags such as
// --max-old-space-size) the bundle still runs, compiled from source, and a new cache is written
// once, 5 s after the start (serialising it blocks the event loop for about 80 ms, once; best
// effort: a read-only install just runs without one). `npm run build` writes it afresh.
//
//   node dist/bundle/start.cjs                  the bot (what `npm start` runs)
//   BUNDLE_CODE_CACHE=build node dist/bundle/start.cjs
//                                               the build: load every module without starting the
//                                               bot, write the cache, exit
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const Module = require('node:module');

const building = process.env.BUNDLE_CODE_CACHE === 'build';
const { bundle } = JSON.parse(readFileSync(join(__dirname, 'bundle.json'), 'utf8'));
const file = join(__dirname, bundle);
const cacheFile = `${file}.v8-cache`;

let cachedData;
if (!building) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
}
// The CommonJS module wrapper, as Node's loader applies it. The build writes the bundle as pure
// ASCII: read as latin1 it is a one-byte string without UTF-8 decoding.
const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'latin1')}\n});`;
const script = new Script(source, { filename: file, cachedData });

function writeCache() {
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile);
  } catch (err) {
    if (building) throw err;
    process.stderr.write(`start.cjs: could not write the code cache ${cacheFile}: ${err.message}\n`);
  }
}

// The bundle runs as the main script: its import.meta.url is its own file URL (see bundle.mjs), and
// src/main.ts starts the bot when that is process.argv[1]. The build only loads the modules.
if (!building) process.argv[1] = file;
const mod = new Module(file, module);
mod.filename = file;
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, __dirname);
mod.loaded = true;

if (building) {
  writeCache();
  process.exit(0);
} else if (cachedData === undefined || script.cachedDataRejected) {
  setTimeout(writeCache, 5000).unref();
}
