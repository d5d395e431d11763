// Serves the built renderer. Only files under the root; never a directory listing. Brotli siblings written
// by the build are sent to browsers that accept them; hashed chunks are cached for good, the rest revalidate.
import { readFile, stat } from 'node:fs/promises';
import type http from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.ttf': 'font/ttf', '.woff2': 'font/woff2', '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json',
};

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; " +
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*; font-src 'self' data:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Names with a content hash (esbuild's chunks/ and assets/) never change, so browsers may keep them. */
const IMMUTABLE = /^[/\\](chunks|assets)[/\\]/;

export async function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { allow: 'GET, HEAD' }).end(); return; }
  let rel: string;
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    rel = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request path\n');
    return;
  }
  const file = join(root, rel);
  if (!file.startsWith(root + sep)) { res.writeHead(403).end(); return; }
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    const etag = `"${info.size.toString(36)}-${Math.trunc(info.mtimeMs).toString(36)}"`;
    const headers: http.OutgoingHttpHeaders = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': IMMUTABLE.test(rel) ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag,
      vary: 'accept-encoding',
    };
    if (req.headers['if-none-match'] === etag) { res.writeHead(304, headers).end(); return; }
    const wantsBr = /\bbr\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = (wantsBr && await readFile(file + '.br').then((b) => { headers['content-encoding'] = 'br'; return b; }, () => null))
      || await readFile(file);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(rel.endsWith('index.html')
      ? 'The renderer is not built: run `npm run web` (it builds first) or `node build/build-renderer.mjs`.\n'
      : 'not found\n');
  }
}
