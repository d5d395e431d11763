// The renderer is served from app://mqscope/, a privileged standard scheme, not file://: under file:// the
// CSP's 'self' would cover every file on disk, and ES-module chunks would not load. Only files inside
// dist/renderer are answered; anything else is 404, and every answer carries the strict CSP.
import { protocol } from 'electron';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'mqscope';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX = `${APP_ORIGIN}/index.html`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.ttf': 'font/ttf', '.woff2': 'font/woff2', '.svg': 'image/svg+xml', '.png': 'image/png',
};

export const APP_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; worker-src 'self'; " +
  "connect-src 'self'; font-src 'self' data:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Must run before the app is ready (Electron's rule for privileged schemes). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/** The file an app:// URL names inside `root`, or null when it names nothing we serve. */
export async function appFile(root: string, rawUrl: string): Promise<string | null> {
  let url: URL;
  try { url = new URL(rawUrl); } catch { return null; }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let rel: string;
  try { rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname); } catch { return null; }
  if (rel.includes('\0')) return null;
  const file = join(root, normalize(rel));
  if (!file.startsWith(root + sep)) return null;
  try {
    const real = await realpath(file);
    if (!real.startsWith((await realpath(root)) + sep) || !(await stat(real)).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

export function serveAppScheme(root: string): void {
  protocol.handle(APP_SCHEME, async (req) => {
    const file = await appFile(root, req.url);
    if (!file) return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    return new Response(await readFile(file), {
      headers: { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': APP_CSP, 'x-content-type-options': 'nosniff' },
    });
  });
}
