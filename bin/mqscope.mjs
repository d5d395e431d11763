#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the package works straight from a checkout.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
