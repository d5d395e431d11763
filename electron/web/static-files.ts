// Serves the built renderer. Only files under the root; never a directory listing. Whatever a request
// looks like, it gets an HTTP answer: nothing here may throw past the handler. Brotli siblings written by
// the build go to browsers that accept them; hashed chunks are cached for good, the rest revalidate.
import { realpath, readFile, stat } from 'node:fs/promises';
import type http from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.ttf': 'font/ttf', '.woff2': 'font/woff2', '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json',
};

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; " +
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*; font-src 'self' data:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** A request the host refuses, with the status and the words the client sees. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

/** The file a request path names under root, or an HttpError saying why there is none. */
export function resolveRequestPath(root: string, rawUrl: string | undefined): string {
  let pathname: string;
  try {
    pathname = new URL(rawUrl ?? '/', 'http://x').pathname;
  } catch {
    throw new HttpError(400, 'bad request: the URL cannot be parsed\n');
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    throw new HttpError(400, 'bad request: the path has an invalid %-escape\n');
  }
  if (decoded.includes('\0')) throw new HttpError(400, 'bad request: NUL byte in the path\n');
  const file = join(root, normalize(decoded));
  if (!file.startsWith(root + sep)) throw new HttpError(403, 'forbidden: outside the renderer folder\n');
  return file;
}

/** Names with a content hash (esbuild's chunks/ and assets/) never change, so browsers may keep them. */
const IMMUTABLE = /[/\\](chunks|assets)[/\\][^/\\]+$/;

export async function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method not allowed\n');
  const file = resolveRequestPath(root, req.url);
  let real: string;
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    // A symlink inside the folder must not lead out of it.
    real = await realpath(file);
    const realRoot = await realpath(root);
    info = await stat(real);
    if (!real.startsWith(realRoot + sep) || !info.isFile()) throw new Error('not a file under root');
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(file.endsWith('index.html')
      ? 'The renderer is not built: run `npm run web` (it builds first) or `node build/build-renderer.mjs`.\n'
      : 'not found\n');
    return;
  }
  const etag = `"${info.size.toString(36)}-${Math.trunc(Number(info.mtimeMs)).toString(36)}"`;
  const headers: http.OutgoingHttpHeaders = {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': IMMUTABLE.test(file.slice(root.length)) ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag,
    vary: 'accept-encoding',
  };
  if (req.headers['if-none-match'] === etag) { res.writeHead(304, headers).end(); return; }
  const wantsBr = /\bbr\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const packed = wantsBr ? await readFile(real + '.br').catch(() => null) : null;
  if (packed) headers['content-encoding'] = 'br';
  const body = packed ?? await readFile(real);
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Wraps a request handler so that any error, sync or async, becomes a 400/500 answer instead of an
 * unhandled rejection that would end the process (and the broker and every session with it).
 */
export function guarded(handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const fail = (e: unknown) => {
      const status = e instanceof HttpError ? e.status : 500;
      const text = e instanceof HttpError ? e.message : 'internal error\n';
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(text);
      else res.destroy();
    };
    req.on('error', () => res.destroy());
    res.on('error', () => {});
    try {
      handler(req, res).catch(fail);
    } catch (e) {
      fail(e);
    }
  };
}
