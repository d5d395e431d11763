// Loads the compiled CLI (dist/node/cli.cjs, one CommonJS file) through V8's code cache written by the build:
// the bytecode of what a start runs is deserialized instead of parsed and compiled. The cache is only a
// shortcut: missing, written for another build or another Node, truncated or corrupted, it is not used and the
// bundle is compiled from source. V8 crashes the process on corrupt cache bytes rather than refusing them, so
// they are checked here (their SHA-256, kept in the cache file's header) before V8 sees them.
// CommonJS, like bin/mqscope.cjs: a start then never sets up Node's ES module loader.
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync, statSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const DIST = join('dist', 'node');
const FILES = { bundle: 'cli.cjs', map: 'cli.cjs.map', cache: 'cli.cjs.cache', inputs: 'cli.inputs.json' };
const root = join(__dirname, '..');
const MAGIC = 'mqscope-code-cache 1\n';

/** A checkout with its dev dependencies, where the bundle is rebuilt when stale (not an installed package). */
const inCheckout = (at = root) => ['build/build-node.mjs', 'node_modules/esbuild'].every((f) => { try { statSync(join(at, f)); return true; } catch { return false; } });

/** Is the bundle newer than every file it was built from (sources and the npm packages inside it)? */
function bundleIsFresh(at = root) {
  try {
    const built = statSync(join(at, DIST, FILES.bundle)).mtimeMs;
    const inputs = JSON.parse(readFileSync(join(at, DIST, FILES.inputs), 'utf8'));
    return inputs.length > 0 && inputs.every((f) => statSync(join(at, f)).mtimeMs <= built);
  } catch {
    return false; // a missing bundle, list or input: build again
  }
}

const buildIdOf = (source) => /^\/\/ mqscope-build ([0-9a-f]+)\n/.exec(source)?.[1];
const cacheKey = (source) => `${buildIdOf(source)} ${source.length} ${process.version} ${process.arch}`;

/** The cache file's bytes for this source: header (magic, key, digest of the data) then V8's data. */
function encodeCache(source, data) {
  const head = `${MAGIC}${cacheKey(source)}\n${createHash('sha256').update(data).digest('hex')}\n`;
  return Buffer.concat([Buffer.from(head), data]);
}

/** V8's data from a cache file, or why it cannot be used for this source. */
function decodeCache(source, file) {
  let bytes;
  try { bytes = readFileSync(file); } catch { return { reason: 'no cache file' }; }
  const text = bytes.subarray(0, 256).toString('latin1');
  if (!text.startsWith(MAGIC)) return { reason: 'not a code cache' };
  const [key, digest] = text.slice(MAGIC.length).split('\n');
  if (key !== cacheKey(source)) return { reason: 'written for another build or Node' };
  const data = bytes.subarray(MAGIC.length + key.length + 1 + (digest?.length ?? 0) + 1);
  if (createHash('sha256').update(data).digest('hex') !== digest) return { reason: 'corrupt' };
  return { data };
}

/**
 * Compiles and runs the bundle as CommonJS. Returns its exports, the script (whose createCachedData() the
 * build calls after a training start) and what became of the cache ('used', 'rejected' by V8, or why not read).
 */
function loadCli({ at = root, useCache = true } = {}) {
  const file = join(at, DIST, FILES.bundle);
  const source = readFileSync(file, 'utf8');
  const cached = useCache ? decodeCache(source, join(at, DIST, FILES.cache)) : { reason: 'not asked for' };
  // The wrapper opens on the bundle's first line, so line numbers in stack traces are the file's own.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData: cached.data,
  });
  const cache = cached.data ? (script.cachedDataRejected ? 'rejected' : 'used') : cached.reason;
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file));
  return { exports: bundle.exports, script, source, cache };
}

module.exports = { DIST, FILES, inCheckout, bundleIsFresh, encodeCache, decodeCache, loadCli };
