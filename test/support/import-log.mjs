// `node --import ./test/support/import-log.mjs …` appends every package and node: built-in the process
// imports or requires (one specifier a line) to the file in MQSCOPE_IMPORT_LOG: what a process loads, seen from
// outside. The same file is the module-resolution hook for import, registered from the main thread (it runs
// in the hooks thread); require() — the compiled CLI is CommonJS — is seen by wrapping Module._load.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const bare = (specifier) => !/^(\.|\/|file:|data:)/.test(specifier);
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  if (file && bare(specifier)) appendFileSync(file, specifier + '\n');
  return next(specifier, context);
}
if (isMainThread && process.env.MQSCOPE_IMPORT_LOG) {
  const log = process.env.MQSCOPE_IMPORT_LOG;
  register(import.meta.url, { data: { file: log } });
  const load = Module._load;
  Module._load = function (request, ...rest) {
    if (typeof request === 'string' && bare(request)) appendFileSync(log, request + '\n');
    return load.call(this, request, ...rest);
  };
}
