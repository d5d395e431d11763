// Bundles the renderer (React app + monaco) and monaco's two workers into dist/renderer/.
// One-shot, minified; no watch mode. Run: node build/build-renderer.mjs
import * as esbuild from 'esbuild';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'renderer');

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "font-src 'self' data:",
  "img-src 'self' data:",
].join('; ');

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MQScope</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="./app.css">
<script src="./app.js" defer></script>
</head>
<body><div id="root"></div></body>
</html>
`;

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
await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: { app: 'renderer/main.tsx' },
    jsx: 'automatic',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
    assetNames: 'assets/[name]-[hash]',
  }),
  esbuild.build({
    ...common,
    entryPoints: {
      'editor.worker': 'monaco-editor/editor/editor.worker',
      'json.worker': 'monaco-editor/languages/features/json/json.worker',
    },
  }),
]);
await writeFile(path.join(outdir, 'index.html'), html);
console.log(`renderer built in ${Date.now() - started} ms → ${path.relative(root, outdir)}`);
