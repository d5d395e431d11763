// The web host serves the contract only to its own page with the per-run token.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { createClient, type Envelope, type Transport } from '../../shared/contract/rpc';
import { startWebHost, type WebHost } from '../../electron/web/host';
import { run } from '../support/processes';

let host: WebHost;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mqscope-web-'));
  host = await startWebHost({ port: 0, dataDir: dir });
});
after(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

function attempt(url: string, origin?: string): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => {});
  });
}

const base = () => `ws://127.0.0.1:${host.port}/rpc`;
const ownOrigin = () => `http://127.0.0.1:${host.port}`;

test('no token, a wrong token, or a foreign Origin is refused', async () => {
  assert.equal((await attempt(base(), ownOrigin())).status, 401);
  const wrong = host.token.slice(0, -1) + (host.token.endsWith('x') ? 'y' : 'x'); // one character off, never the token itself
  assert.equal((await attempt(`${base()}?token=${wrong}`, ownOrigin())).status, 401);
  assert.equal((await attempt(`${base()}?token=${host.token}`, 'http://evil.example')).status, 403);
  assert.equal((await attempt(`${base()}?token=${host.token}`, 'http://localhost:1')).status, 403);
});

test('with the token from our own origin the contract works, and bad calls get clear errors', async () => {
  const { status, ws } = await attempt(`${base()}?token=${host.token}`, ownOrigin());
  assert.equal(status, 101);
  const transport: Transport = {
    send: (m: Envelope) => ws!.send(JSON.stringify(m)),
    onMessage: (h) => { const l = (d: WebSocket.RawData) => h(JSON.parse(d.toString())); ws!.on('message', l); return () => ws!.off('message', l); },
  };
  const client = createClient(transport);
  try {
    const info = await client.api.hostInfo();
    assert.equal(info.host, 'web');
    assert.equal(info.dataDir, dir);
    await assert.rejects(client.api.brokerStart({ config: { host: '127.0.0.1', tcpPort: 99999, wsPort: null, wsPath: '/mqtt', tls: null, auth: null } }), /tcpPort: port must be 0–65535/);
    // Events share the socket: wait for the answer to this request, not the next message.
    const raw = await new Promise<Envelope>((resolve) => {
      const l = (d: WebSocket.RawData) => { const m = JSON.parse(d.toString()) as Envelope; if (m.t === 'res' && m.id === 99) { ws!.off('message', l); resolve(m); } };
      ws!.on('message', l);
      ws!.send(JSON.stringify({ t: 'req', id: 99, method: 'rm -rf', params: {} }));
    });
    assert.deepEqual(raw.t === 'res' && !raw.ok && raw.error.code, 'no-such-method');
    // Events arrive batched over the same socket: summaries, or (when this client is behind) a notice of
    // the range, which the page then queries.
    let seen = 0;
    const batch = new Promise<number>((resolve) => client.on('traceBatch', (b) => {
      seen += b.frames.length > 0 ? b.frames.length : b.toSeq - b.fromSeq;
      if (b.frames.some((f) => f.type === 'PUBLISH') || (b.frames.length === 0 && seen >= 3)) resolve(seen);
    }));
    const st = await client.api.brokerStart({ config: { host: '127.0.0.1', tcpPort: 0, wsPort: null, wsPath: '/mqtt', tls: null, auth: null } });
    assert.equal(st.state, 'running');
    await run('mosquitto_pub', ['-p', String(st.listeners[0].port), '-t', 'web/host', '-m', 'hi']);
    assert.ok((await batch) >= 3);
  } finally {
    client.dispose();
    ws!.close();
  }
});

test('the page itself is served with a strict CSP and no directory escapes', async () => {
  const res = await fetch(`http://127.0.0.1:${host.port}/../../etc/passwd`);
  assert.notEqual(res.status, 200);
  const index = await fetch(`http://127.0.0.1:${host.port}/`);
  if (index.status === 200) assert.match(index.headers.get('content-security-policy') ?? '', /default-src 'self'/);
});

test('the first screen is small: monaco, zod and all views but the first are lazy chunks; its own chunks are announced in the page; assets come brotli-compressed, hashed chunks are cached', async () => {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${host.port}${path}`, { headers });
  const index = await (await get('/')).text();
  assert.match(index, /<script type="module" src="\.\/app\.js">/);
  const app = await get('/app.js', { 'accept-encoding': 'br' });
  assert.equal(app.status, 200);
  assert.equal(app.headers.get('content-encoding'), 'br');
  assert.equal(app.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(app.headers.get('cache-control'), 'no-cache');
  // The first screen: app.js and what it imports statically, each of which the page announces (modulepreload),
  // so none waits for the file that imports it to arrive first.
  const preloaded = new Set([...index.matchAll(/<link rel="modulepreload" href="\.\/([^"]+)">/g)].map((m) => m[1]));
  const first = new Map<string, string>([['app.js', await app.text()]]); // fetch decodes brotli
  for (const [file, text] of first) {
    for (const m of text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) {
      const dep = file.includes('/') ? `chunks/${m[1]}` : m[1];
      assert.ok(preloaded.has(dep), `${file} imports ${dep} statically: the page must announce it`);
      if (!first.has(dep)) {
        const res = await get(`/${dep}`);
        assert.equal(res.status, 200);
        first.set(dep, await res.text());
      }
    }
  }
  const firstText = [...first.values()].join('\n');
  assert.ok(!firstText.includes('editor.action.formatDocument'), 'monaco must not be on the first screen');
  assert.ok(!firstText.includes('$ZodType'), 'zod must not be on the first screen');
  // Nor in what the page preloads for the first view (the profile form): zod comes when a profile is checked.
  for (const file of preloaded) {
    const text = first.get(file) ?? await (await get(`/${file}`)).text();
    assert.ok(!text.includes('$ZodType'), `${file} is preloaded for the first screen and must not carry zod`);
  }
  for (const view of ['messages', 'broker', 'trace', 'flows', 'topics']) assert.ok(!firstText.includes(`view-${view}`), `the ${view} view is a lazy chunk`);
  assert.ok(firstText.includes('view-connections'), 'the first view is on the first screen');
  const chunk = firstText.match(/monaco-impl-[A-Z0-9]+\.js/)?.[0];
  assert.ok(chunk, 'the first screen imports monaco lazily from chunks/');
  const lazy = await get(`/chunks/${chunk}`, { 'accept-encoding': 'br' });
  assert.equal(lazy.status, 200);
  assert.equal(lazy.headers.get('content-encoding'), 'br');
  assert.match(lazy.headers.get('cache-control') ?? '', /immutable/);
  const etag = app.headers.get('etag')!;
  assert.equal((await get('/app.js', { 'if-none-match': etag })).status, 304);
  assert.equal((await get('/app.js', { 'accept-encoding': 'identity' })).headers.get('content-encoding'), null);
});

test('a malformed path escape is answered 400 and the host keeps serving', async () => {
  assert.equal((await fetch(`http://127.0.0.1:${host.port}/%`)).status, 400);
  assert.equal((await fetch(`http://127.0.0.1:${host.port}/%E0%A4%A`)).status, 400);
  assert.equal((await fetch(`http://127.0.0.1:${host.port}/`)).status, 200);
});
