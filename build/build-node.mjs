// Bundles the headless entry points (CLI, web host, core) to one CommonJS file, dist/node/cli.cjs, with the
// npm packages the broker needs inside it, then writes V8's code cache for it (build/code-cache.mjs). At run
// time bin/mqscope.mjs compiles that one file from the cache: no module resolution per file, no parsing.
// Packages only some commands use (the web host's ws and zod, the payload codecs, the persistence with its
// native addon) stay outside and are required the first time they are used.
// Run: node build/build-node.mjs [--if-stale]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { bundleIsFresh, DIST, FILES } from '../bin/load-cli.cjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = (name) => path.join(root, DIST, name);

/** Loaded on first use by commands that need them, or native: required from node_modules at run time. */
export const EXTERNAL = ['ws', 'zod', 'protobufjs', 'cbor-x', '@msgpack/msgpack', 'fflate', 'classic-level', 'aedes-persistence-level', 'aedes-persistence-level/*'];

export const cliIsFresh = () => bundleIsFresh(root);

export async function buildNode({ ifStale = false, quiet = false } = {}) {
  if (ifStale && cliIsFresh()) return false;
  const esbuild = await import('esbuild');
  const started = Date.now();
  await mkdir(file(''), { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['electron/cli/main.ts'],
    outfile: file(FILES.bundle),
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    // import() of an external becomes a require() when first reached: vm.Script has no loader for import().
    supported: { 'dynamic-import': false },
    // Smaller to read and hash; names stay, so stack traces still say where.
    minifyWhitespace: true,
    minifySyntax: true,
    // The web host finds the built renderer from its own location.
    define: { 'import.meta.url': 'import_meta_url' },
    inject: ['build/import-meta-url.js'],
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const code = result.outputFiles.find((o) => o.path.endsWith('.cjs')).text;
  const map = result.outputFiles.find((o) => o.path.endsWith('.map')).text;
  // The first line names this build: a code cache written for another build is never used with this one.
  const id = createHash('sha256').update(code).digest('hex').slice(0, 32);
  await rm(file(FILES.cache), { force: true });
  // One line prepended: the map's line numbers shift by one (esbuild's mappings start with ';' per line).
  await writeFile(file(FILES.map), map.replace('"mappings": "', '"mappings": ";'));
  await writeFile(file(FILES.bundle), `// mqscope-build ${id}\n${code}`);
  await writeFile(file(FILES.inputs), JSON.stringify(Object.keys(result.metafile.inputs)));
  // Bundles of earlier builds (ESM entry and hashed chunks) must not be mistaken for this one.
  for (const old of ['cli.mjs', 'cli.mjs.map', 'cli.meta.json', 'chunks']) await rm(file(old), { recursive: true, force: true });
  // In a fresh process: the cache holds what a real start compiled, and V8's flags match a plain `node`.
  const cache = spawnSync(process.execPath, [path.join(root, 'build', 'code-cache.mjs')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60000 });
  if (cache.status !== 0) console.warn('build-node: no code cache was written (the CLI still runs, compiling at start-up)');
  if (!quiet) console.log(`cli built in ${Date.now() - started} ms → ${path.join(DIST, FILES.bundle)}${cache.status === 0 ? ' + code cache' : ''}`);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildNode({ ifStale: process.argv.includes('--if-stale') });
