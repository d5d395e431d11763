// Bundles the headless entry points (CLI, web host, core) to plain JavaScript in dist/node/, so `mqscope`
// starts without a TypeScript compiler at run time. npm packages stay external (loaded from node_modules).
// Run: node build/build-node.mjs [--if-stale]
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { isFresh } from './fresh.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'node');
const outfile = path.join(outdir, 'cli.mjs');
const metaFile = path.join(root, 'dist', 'node', 'cli.meta.json');

export const cliIsFresh = () => isFresh(root, metaFile, outfile);

export async function buildNode({ ifStale = false, quiet = false } = {}) {
  if (ifStale && cliIsFresh()) return false;
  const esbuild = await import('esbuild');
  const started = Date.now();
  await mkdir(path.dirname(outfile), { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { cli: 'electron/cli/main.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    // Commands import what they need on demand; each lazy import becomes its own chunk.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  await writeFile(metaFile, JSON.stringify(result.metafile));
  // Chunk names carry a hash: a rebuild leaves the previous ones behind unless they are removed.
  const current = new Set(Object.keys(result.metafile.outputs).map((o) => path.resolve(root, o)));
  const chunkDir = path.join(outdir, 'chunks');
  for (const f of await readdir(chunkDir).catch(() => [])) {
    if (!current.has(path.join(chunkDir, f))) await rm(path.join(chunkDir, f), { force: true });
  }
  if (!quiet) console.log(`cli built in ${Date.now() - started} ms → ${path.relative(root, outfile)}`);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildNode({ ifStale: process.argv.includes('--if-stale') });
