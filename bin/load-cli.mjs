// Loads the compiled CLI (dist/node/cli.cjs, one CommonJS file) through V8's code cache written by the build:
// the bytecode of what a start runs is deserialized instead of parsed and compiled. The cache is only a
// shortcut: missing, written for another build or another Node, truncated or corrupted, it is not used and the
// bundle is compiled from source. V8 crashes the process on corrupt cache bytes rather than refusing them, so
// they are checked here (their SHA-256, kept in the cache file's header) before V8 sees them.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const DIST = join('dist', 'node');
export const FILES = { bundle: 'cli.cjs', map: 'cli.cjs.map', cache: 'cli.cjs.cache', inputs: 'cli.inputs.json' };
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAGIC = 'mqscope-code-cache 1\n';

/** Is the bundle newer than every file it was built from (sources and the npm packages inside it)? */
export function bundleIsFresh(at = root) {
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
export function encodeCache(source, data) {
  const head = `${MAGIC}${cacheKey(source)}\n${createHash('sha256').update(data).digest('hex')}\n`;
  return Buffer.concat([Buffer.from(head), data]);
}

/** V8's data from a cache file, or why it cannot be used for this source. */
export function decodeCache(source, file) {
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
export function loadCli({ at = root, useCache = true } = {}) {
  const file = join(at, DIST, FILES.bundle);
  const source = readFileSync(file, 'utf8');
  const cached = useCache ? decodeCache(source, join(at, DIST, FILES.cache)) : { reason: 'not asked for' };
  // The wrapper opens on the bundle's first line, so line numbers in stack traces are the file's own.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData: cached.data,
  });
  const cache = cached.data ? (script.cachedDataRejected ? 'rejected' : 'used') : cached.reason;
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { exports: module.exports, script, source, cache };
}
