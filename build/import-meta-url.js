// Injected into the CommonJS bundle of the CLI (build-node.mjs) for `import.meta.url`, which CommonJS lacks:
// code that finds files next to itself gets the bundle's own URL.
export const import_meta_url = require('node:url').pathToFileURL(__filename).href;
