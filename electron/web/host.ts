// The headless web host: the renderer as static files plus the contract over a WebSocket, on loopback,
// guarded by a per-run token and an Origin check.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { answer, type Envelope } from '../../shared/contract/rpc';
import type { BrokerConfig } from '../../shared/contract/types';
import { ContractOutbox, type OutboxOptions } from '../core/contract-outbox';
import { createCore, type Core } from '../core/core';
import { guarded, serveStatic } from './static-files';
import { traceTransfer } from './trace-transfer';

export interface WebHostOptions {
  core?: Core;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  dataDir?: string;
  staticDir?: string;
  brokerDefaults?: Partial<BrokerConfig>;
  token?: string;
  /** How far a page may fall behind before trace batches become notices (tests lower it). */
  outbox?: OutboxOptions;
}

export interface WebHost {
  url: string;
  token: string;
  port: number;
  core: Core;
  /** Bytes waiting to go out, per connected page: bounded by the outbox however slowly a page reads. */
  backlogs(): number[];
  close(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_STATIC_DIR = resolve(here, '../../dist/renderer');
const MAX_MESSAGE = 64 * 2 ** 20;

export async function startWebHost(opts: WebHostOptions = {}): Promise<WebHost> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const ownCore = !opts.core;
  const core = opts.core ?? createCore({ host: 'web', dataDir: opts.dataDir, brokerConfig: opts.brokerDefaults });
  const root = resolve(opts.staticDir ?? DEFAULT_STATIC_DIR);
  // Header size is bounded (16 KiB, Node's default, made explicit); a bad request line gets a 400.
  const guard = { token: (given: string) => sameSecret(given, token), origin: (o: string | undefined) => o !== undefined && origins.has(o) };
  const server = http.createServer({ maxHeaderSize: 16 * 1024 }, guarded(async (req, res) => {
    if (!(await traceTransfer(core, (await core.hostInfo(undefined)).dataDir, guard, req, res))) await serveStatic(root, req, res);
  }));
  server.on('clientError', (e: NodeJS.ErrnoException, socket) => {
    const status = e.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
    else socket.destroy();
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => { sockets.add(s); s.once('close', () => sockets.delete(s)); });

  let origins: Set<string>;
  const wss = new WebSocketServer({
    server,
    path: '/rpc',
    maxPayload: MAX_MESSAGE,
    verifyClient: ({ origin, req }, done) => {
      const given = new URL(req.url ?? '', 'http://x').searchParams.get('token') ?? '';
      if (!sameSecret(given, token)) return done(false, 401, 'missing or wrong token');
      // Browsers always send Origin; a page from another site must not drive the core.
      if (origin !== undefined && !origins.has(origin)) return done(false, 403, 'foreign origin');
      done(true);
    },
  });
  wss.on('connection', (ws) => bindSocket(ws, core, opts.outbox));

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, host, () => { server.off('error', fail); ok(); });
  });
  const port = (server.address() as net.AddressInfo).port;
  origins = new Set([`http://${host}:${port}`, `http://localhost:${port}`, `http://127.0.0.1:${port}`]);
  return {
    url: `http://${host}:${port}/#token=${token}`,
    token,
    port,
    core,
    backlogs: () => [...wss.clients].map((c) => c.bufferedAmount),
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      if (ownCore) await core.dispose();
    },
  };
}

function bindSocket(ws: WebSocket, core: Core, outboxOptions?: OutboxOptions): void {
  const send = (msg: Envelope) => {
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(msg);
    } catch (e) {
      if (msg.t !== 'res') return;
      text = JSON.stringify({ t: 'res', id: msg.id, ok: false, error: { code: 'error', message: `the answer could not be encoded: ${(e as Error).message}` } });
    }
    ws.send(text);
  };
  // Events pass a bounded outbox: a page that reads slower than the core writes gets notices, not a queue.
  const outbox = new ContractOutbox(core.events, { send, backlog: () => ws.bufferedAmount }, { inBurst: () => core.burst.inBurst(), ...outboxOptions });
  ws.on('message', (data, isBinary) => {
    let msg: unknown;
    try {
      if (isBinary) throw new Error('binary frames are not part of the contract');
      msg = JSON.parse(data.toString());
    } catch (e) {
      outbox.answer({ t: 'res', id: -1, ok: false, error: { code: 'bad-message', message: `not a JSON envelope: ${(e as Error).message}` } });
      return;
    }
    answer(core, msg).then((res) => { if (res) outbox.answer(res); }).catch(() => ws.terminate());
  });
  ws.on('close', () => outbox.dispose());
  ws.on('error', () => {});
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

