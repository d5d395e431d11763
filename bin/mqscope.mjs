#!/usr/bin/env node
// Runs the compiled CLI (dist/node/cli.mjs, built on install and by `npm run build`). In a checkout whose
// sources changed since, it is rebuilt first (esbuild, well under a second); no TypeScript compiler runs here.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
if (existsSync(here('../build/build-node.mjs')) && existsSync(here('../node_modules/esbuild'))) {
  const { buildNode } = await import('../build/build-node.mjs');
  await buildNode({ ifStale: true, quiet: true });
}
const { main } = await import('../dist/node/cli.mjs');
process.exitCode = await main(process.argv.slice(2));
