#!/usr/bin/env node
// `mqscope`: runs the compiled CLI (dist/node/cli.cjs, built on install and by `npm run build`) from its code
// cache. In a checkout whose sources changed since, it is rebuilt first (esbuild, about a second); the check
// is one stat per input file, and neither esbuild nor the builder is loaded unless something changed.
// CommonJS: a start that never imports an ES module does not set up Node's ES module loader.
'use strict';
const { bundleIsFresh, inCheckout, loadCli } = require('./load-cli.cjs');

async function run() {
  if (inCheckout() && !bundleIsFresh()) {
    const { buildNode } = await import('../build/build-node.mjs');
    await buildNode({ quiet: true });
  }
  process.exitCode = await loadCli().exports.main(process.argv.slice(2));
}
run().catch((e) => { console.error(e); process.exitCode = 1; });
