// Bundles the renderer (React app + monaco) and monaco's two workers into dist/renderer/.
// One-shot, minified; no watch mode. Run: node build/build-renderer.mjs [--if-stale]
// --if-stale skips the build when no source changed since the last one (npm run web, npm start, npm test).
import * as esbuild from 'esbuild';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { isFresh } from './fresh.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'renderer');
const metaFile = path.join(root, 'dist', 'renderer.meta.json');
if (process.argv.includes('--if-stale') && isFresh(root, metaFile, path.join(outdir, 'index.html'))) process.exit(0);

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "font-src 'self' data:",
  "img-src 'self' data:",
].join('; ');

const html = (preloads) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MQScope</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="./app.css">
<script type="module" src="./app.js"></script>
${preloads.map((p) => `<link rel="modulepreload" href="./${p}">`).join('\n')}
</head>
<body><div id="root"></div></body>
</html>
`;

/**
 * zod's namespace object re-exports every locale (~250 KB minified, half of zod in the page); the app speaks
 * English only. `z.locales` keeps `en`, which zod itself registers as the default.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: path.join(args.resolveDir, '../locales/en.js'), namespace: 'zod-locales' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: path.dirname(args.path) }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome120'],
  outdir,
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
};

const started = Date.now();
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const [app, workers] = await Promise.all([
  esbuild.build({
    metafile: true,
    ...common,
    entryPoints: { app: 'renderer/main.tsx' },
    plugins: [zodEnglishOnly],
    // ES modules with splitting: monaco (and anything else imported with import()) becomes a lazy chunk.
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    jsx: 'automatic',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
    assetNames: 'assets/[name]-[hash]',
  }),
  esbuild.build({
    ...common,
    metafile: true,
    entryPoints: {
      'editor.worker': 'monaco-editor/editor/editor.worker',
      'json.worker': 'monaco-editor/languages/features/json/json.worker',
      'payload.worker': 'renderer/features/messages/payload-worker.ts',
    },
  }),
]);
await writeFile(path.join(outdir, 'index.html'), html(startChunks(app.metafile)));
await precompress(outdir);
// The workers' sources count for --if-stale too (the payload worker is ours).
await writeFile(metaFile, JSON.stringify({ ...app.metafile, inputs: { ...workers.metafile.inputs, ...app.metafile.inputs } }));
console.log(`renderer built in ${Date.now() - started} ms → ${path.relative(root, outdir)}`);

/**
 * What the page loads at start, besides app.js: its static imports, and the lazy chunks main.tsx fetches at
 * once (the profile form) with theirs. Announced in index.html, they all download in parallel instead of one
 * import level after another.
 */
function startChunks(meta) {
  const FETCHED_AT_START = ['renderer/main.tsx', 'renderer/features/connections/ProfileEditor.tsx'];
  const found = new Set();
  const visit = (out) => {
    for (const i of meta.outputs[out].imports) if (i.kind === 'import-statement' && !found.has(i.path)) { found.add(i.path); visit(i.path); }
  };
  for (const [out, o] of Object.entries(meta.outputs)) {
    if (!FETCHED_AT_START.includes(o.entryPoint)) continue;
    if (!out.endsWith('/app.js')) found.add(out);
    visit(out);
  }
  return [...found].map((o) => path.relative(outdir, path.join(root, o)));
}

/** Brotli siblings (.br) of the text assets, so the web host serves compressed bytes without work per request. */
async function precompress(dir) {
  const br = promisify(brotliCompress);
  const files = (await readdir(dir, { recursive: true })).filter((f) => /\.(js|css|html|ttf)$/.test(f));
  await Promise.all(files.map(async (f) => {
    const body = await readFile(path.join(dir, f));
    const packed = await br(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } });
    if (packed.length < body.length * 0.9) await writeFile(path.join(dir, f + '.br'), packed);
  }));
}
