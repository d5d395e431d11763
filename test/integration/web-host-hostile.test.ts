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

test('trace files over HTTP streams: a 70 MB file (over the 64 MiB WebSocket limit) goes up and comes back; token and Origin guard it', async () => {
  const { encodeFrame, encodeHeader } = await import('../../electron/core/trace/trace-file');
  const { TraceStore } = await import('../../electron/core/trace/trace-store');
  const mqttPacket = (await import('mqtt-packet')).default;
  const store = new TraceStore();
  const ctx = { id: 1, clientSide: false, version: 4, sawConnect: true, imported: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} };
  const pk = mqttPacket.generate({ cmd: 'publish', topic: 'big', payload: Buffer.alloc(256 * 1024, 5), qos: 0, retain: false, dup: false } as never);
  const pos = store.reserve(pk.length);
  pk.copy(store.bufferAt(pos), store.offsetAt(pos));
  store.commitPacket(ctx, false, pos, pk.length, 4);
  const rec = encodeFrame(store, 0)!;
  const file = Buffer.concat([encodeHeader(Date.now()), ...Array.from({ length: 270 }, () => rec)]);
  assert.ok(file.length > 70e6);
  const own = `http://127.0.0.1:${host.port}`;
  const up = (token: string, origin?: string) => fetch(`${own}/trace/open?token=${token}`, { method: 'POST', body: file, headers: origin ? { origin } : {} });

  assert.equal((await up('wrong', own)).status, 401);
  assert.equal((await up(host.token, 'http://evil.example')).status, 403);
  assert.equal((await up(host.token)).status, 403, 'an upload without Origin is not from our page');
  const bad = await fetch(`${own}/trace/open?token=${host.token}`, { method: 'POST', body: Buffer.from('not a trace'), headers: { origin: own } });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /not an MQScope trace file/);

  const ok = await up(host.token, own);
  assert.equal(ok.status, 200);
  const opened = await ok.json();
  assert.equal(opened.stats.frames, 270, 'opened as a document of its own, every frame');
  assert.equal((await host.core.traceStats()).frames < 270, true, 'the live capture did not get them');
  const down = await fetch(`${own}/trace/capture.mqtrace?token=${host.token}&doc=${opened.id}`);
  assert.equal(down.status, 200);
  const back = Buffer.from(await down.arrayBuffer());
  assert.ok(back.length > 70e6);
  assert.equal((await fetch(`${own}/trace/capture.mqtrace?token=nope`)).status, 401);
  assert.equal((await fetch(`${own}/trace/capture.mqtrace?token=${host.token}`, { headers: { 'sec-fetch-site': 'cross-site' } })).status, 403);
  assert.deepEqual(unhandled, []);
});
