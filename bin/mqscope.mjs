#!/usr/bin/env node
// Runs the compiled CLI (dist/node/cli.cjs, built on install and by `npm run build`) from its code cache. In a
// checkout whose sources changed since, it is rebuilt first (esbuild, about a second); the check is one stat
// per input file, and neither esbuild nor the builder is loaded unless something changed.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleIsFresh, loadCli } from './load-cli.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
if (existsSync(here('../build/build-node.mjs')) && existsSync(here('../node_modules/esbuild')) && !bundleIsFresh()) {
  const { buildNode } = await import('../build/build-node.mjs');
  await buildNode({ quiet: true });
}
process.exitCode = await loadCli().exports.main(process.argv.slice(2));
