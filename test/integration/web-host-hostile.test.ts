// Finding 1 of issue 9: no request, however malformed, ends the web host. Raw bytes on a socket, so the
// client library cannot clean a request up before it reaches the server.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startWebHost, type WebHost } from '../../electron/web/host';

let host: WebHost;
let dir: string;
let unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => { unhandled.push(e); };
before(async () => {
  process.on('unhandledRejection', onUnhandled);
  dir = await mkdtemp(join(tmpdir(), 'mqscope-hostile-'));
  const root = join(dir, 'renderer');
  await mkdir(root);
  await writeFile(join(root, 'index.html'), '<!doctype html><title>ok</title>');
  await writeFile(join(dir, 'secret.txt'), 'secret');
  await mkdir(join(root, 'sub'));
  await symlink(join(dir, 'secret.txt'), join(root, 'link.txt'));
  host = await startWebHost({ port: 0, dataDir: dir, staticDir: root });
});
after(async () => {
  await host.close();
  process.off('unhandledRejection', onUnhandled);
  await rm(dir, { recursive: true, force: true });
});

/** Send raw bytes, return the status line of the answer (or '' if the host closed without one). */
function raw(bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(host.port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => { got += d.toString('latin1'); });
    s.on('error', () => {});
    s.on('close', () => resolve(got.split('\r\n')[0]));
    s.write(bytes);

  });
}

const get = (path: string) => raw(`GET ${path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);

test('bad escapes, traversal, NUL, symlinks out, huge headers, bad methods and garbage all get an HTTP answer', async () => {
  const cases: [string, Promise<string>, RegExp][] = [
    ['GET /%', get('/%'), / 400 /],
    ['GET /%E0%A4%A', get('/%E0%A4%A'), / 400 /],
    ['GET /%zz/index.html', get('/%zz/index.html'), / 400 /],
    ['GET /..%2f..%2fetc%2fpasswd', get('/..%2f..%2fetc%2fpasswd'), / (403|404) /],
    ['GET /%2e%2e/secret.txt', get('/%2e%2e/secret.txt'), / (403|404) /],
    ['GET /a%00b', get('/a%00b'), / 400 /],
    ['symlink out of the root', get('/link.txt'), / 404 /],
    ['directory', get('/sub'), / 404 /],
    ['POST /', raw('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\nconnection: close\r\n\r\nabc'), / 405 /],
    ['huge header', raw(`GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(64 * 1024)}\r\n\r\n`), / 431 |^$/],
    ['garbage request line', raw('\x00\x01\x02 nonsense\r\n\r\n'), / 400 /],
    ['absolute-form URL', get('http://evil.example/%'), / 400 /],
  ];
  for (const [name, answer, want] of cases) assert.match(await answer, want, name);
  // The host is still alive and serving.
  assert.match(await get('/'), / 200 /);
  assert.equal((await (await fetch(`http://127.0.0.1:${host.port}/index.html`)).text()).includes('<title>ok</title>'), true);
  assert.deepEqual(unhandled, []);
});
