// `node --import ./test/support/import-log.mjs …` appends every package and node: built-in the process
// imports (one specifier a line) to the file in MQSCOPE_IMPORT_LOG: what a process loads, seen from outside.
// The same file is the module-resolution hook, registered from the main thread; it runs in the hooks thread.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  if (file && !/^(\.|\/|file:|data:)/.test(specifier)) appendFileSync(file, specifier + '\n');
  return next(specifier, context);
}
if (isMainThread && process.env.MQSCOPE_IMPORT_LOG) register(import.meta.url, { data: { file: process.env.MQSCOPE_IMPORT_LOG } });
