// The renderer is served from app://mqscope/, not file://: with file:// the page's 'self' would be the
// whole file system (any file:// page, any local file), and every check would have to be a path prefix.
// One origin, exact matches.
import { protocol } from 'electron';
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'mqscope';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const INDEX_URL = `${APP_ORIGIN}/index.html`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.ttf': 'font/ttf', '.woff2': 'font/woff2', '.svg': 'image/svg+xml', '.png': 'image/png', '.map': 'application/json',
};
export const APP_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; " +
  "connect-src 'self'; font-src 'self' data:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Parsed app:// URL of our origin, or null (another scheme, host, or not a URL at all). */
function ours(url: string): URL | null {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password ? u : null;
  } catch {
    return null;
  }
}

/** The page itself: exactly app://mqscope/index.html (a query or hash is allowed, another path is not). */
export function isOurPage(url: string): boolean {
  const u = ours(url);
  return u !== null && u.pathname === '/index.html';
}

/** Any resource of our origin (scripts, styles, fonts, the page). */
export function isOurResource(url: string): boolean { return ours(url) !== null; }

/** Serves files under `root` (dist/renderer) for app://mqscope/…; anything else is 404. */
export function appProtocolHandler(root: string) {
  return async (request: { url: string }): Promise<Response> => {
    const u = ours(request.url);
    if (!u) return new Response('not found', { status: 404 });
    let rel: string;
    try { rel = decodeURIComponent(u.pathname === '/' ? '/index.html' : u.pathname); } catch { return new Response('bad request', { status: 400 }); }
    const file = join(root, normalize(rel));
    try {
      const realRoot = await realpath(root);
      const real = await realpath(file);
      if (!real.startsWith(realRoot + sep)) return new Response('forbidden', { status: 403 });
      const body = await readFile(real);
      return new Response(new Uint8Array(body), { status: 200, headers: { 'content-type': TYPES[extname(real)] ?? 'application/octet-stream', 'content-security-policy': APP_CSP, 'x-content-type-options': 'nosniff' } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  };
}
