// Network listeners of the embedded broker. Each accepted connection is registered with the trace and
// tapped before aedes sees a byte.
import { readFile } from 'node:fs/promises';
import type * as http from 'node:http';
import net from 'node:net';
import type * as tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { ExtraListener, ListenerInfo } from '../../../shared/contract/types';
import type { WireConnection, WireRecorder } from '../trace/wire';

export type Accept = (stream: Duplex, wire: WireConnection, req?: http.IncomingMessage) => void;

export interface Listener {
  info: ListenerInfo;
  close(): Promise<void>;
}

function addr(a: string | undefined, p: number | undefined): string {
  return a && a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`;
}

async function listen(server: net.Server, host: string, port: number, what: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(new Error(explainListenError(e, host, port, what)));
    };
    const onListening = () => { server.off('error', onError); resolve(); };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
  return (server.address() as net.AddressInfo).port;
}

export function explainListenError(e: NodeJS.ErrnoException, host: string, port: number, what: string): string {
  if (e.code === 'EADDRINUSE') return `${what} port ${port} on ${host} is already in use (another broker running?). Pick another port, or 0 for any free port.`;
  if (e.code === 'EACCES') return `${what} port ${port} on ${host} needs privileges this process does not have. Use a port above 1023.`;
  if (e.code === 'EADDRNOTAVAIL') return `${what}: ${host} is not an address of this machine.`;
  return `${what} could not listen on ${host}:${port}: ${e.message}`;
}

function closeServer(server: net.Server, sockets: Set<Duplex>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Registers and taps each accepted socket before aedes sees a byte, and tracks it for close(). */
function socketAcceptor(transport: 'tcp' | 'tls', sockets: Set<Duplex>, recorder: WireRecorder, accept: Accept) {
  return (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const wire = recorder.openConnection({
      side: 'broker', transport,
      remote: addr(socket.remoteAddress, socket.remotePort), local: addr(socket.localAddress, socket.localPort),
    });
    wire.attach(socket);
    accept(socket, wire);
  };
}

export async function tcpListener(host: string, port: number, recorder: WireRecorder, accept: Accept): Promise<Listener> {
  const sockets = new Set<Duplex>();
  // No Nagle: a debugging broker should answer at once, not batch small acks behind delayed ACKs.
  const server = net.createServer({ noDelay: true }, socketAcceptor('tcp', sockets, recorder, accept));
  const bound = await listen(server, host, port, 'MQTT TCP listener');
  return { info: { kind: 'tcp', host, port: bound, url: `mqtt://${host}:${bound}` }, close: () => closeServer(server, sockets) };
}

export async function tlsListener(
  host: string, port: number, files: { certPath: string; keyPath: string; caPath?: string }, recorder: WireRecorder, accept: Accept,
): Promise<Listener> {
  const read = async (p: string, what: string) => {
    try { return await readFile(p); } catch (e) {
      throw new Error(`TLS ${what} file ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'unreadable'}: ${p}`);
    }
  };
  const [cert, key, ca] = await Promise.all([read(files.certPath, 'certificate'), read(files.keyPath, 'key'), files.caPath ? read(files.caPath, 'CA') : undefined]);
  const tls = await import('node:tls'); // loaded by the first TLS listener, not at start-up
  let server: tls.Server;
  const sockets = new Set<Duplex>();
  try {
    server = tls.createServer({ cert, key, ca, noDelay: true }, socketAcceptor('tls', sockets, recorder, accept));
  } catch (e) {
    throw new Error(`TLS certificate/key could not be used: ${(e as Error).message}`);
  }
  server.on('tlsClientError', () => { /* a failed handshake is the peer's problem; the listener keeps serving */ });
  const bound = await listen(server, host, port, 'MQTT TLS listener');
  return { info: { kind: 'tls', host, port: bound, url: `mqtts://${host}:${bound}` }, close: () => closeServer(server, sockets) };
}

/**
 * A browser sends the Origin of the page that opens a WebSocket, and any page may try. Allowed: no Origin
 * (not a browser: MQTT clients send none); an origin in `allowed`; a page served from the address the
 * client connected to (Origin host:port = Host header), when that address is an IP literal, localhost or
 * the listener's host name: a name like evil.example could be re-pointed at this machine by its DNS.
 * The loopback names count as one.
 */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined, listenerHost: string, allowed: readonly string[] = []): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  let u: URL;
  let h: URL;
  try {
    u = new URL(origin);
    h = new URL(`http://${hostHeader ?? ''}`);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  const port = (url: URL, dflt: number) => Number(url.port || dflt);
  // localhost, 127.0.0.1 and [::1] are one machine: a page from one may talk to a listener reached by another.
  const loop = (n: string) => (n === 'localhost' || n === '127.0.0.1' || n === '[::1]' ? 'loopback' : n);
  if (loop(u.hostname) !== loop(h.hostname) || port(u, u.protocol === 'https:' ? 443 : 80) !== port(h, 80)) return false;
  const name = h.hostname;
  return name === 'localhost' || name === listenerHost || net.isIP(name.replace(/^\[|\]$/g, '')) !== 0;
}

export async function wsListener(
  host: string, port: number, path: string, recorder: WireRecorder, accept: Accept, allowedOrigins?: readonly string[],
): Promise<Listener> {
  // Loaded here, not at start-up: a broker without a WebSocket listener never pays for ws and node:http.
  const [{ WebSocketServer, createWebSocketStream }, http] = await Promise.all([import('ws'), import('node:http')]);
  const server = http.createServer((_req, res) => { res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket: connect with a WebSocket client\n'); });
  const sockets = new Set<Duplex>();
  server.on('connection', (s) => { s.setNoDelay(true); sockets.add(s); s.once('close', () => sockets.delete(s)); });
  const wss = new WebSocketServer({
    server,
    path,
    verifyClient: ({ origin, req }, done) => {
      if (originAllowed(origin, req.headers.host, host, allowedOrigins)) return done(true);
      done(false, 403, 'foreign origin: this broker only accepts pages from its own address or its allowed origins');
    },
    // Offer the MQTT subprotocols clients ask for; 'mqttv3.1' is what 3.1 clients send.
    handleProtocols: (protocols) => (['mqtt', 'mqttv3.1', 'mqttv3.1.1'].find((p) => protocols.has(p)) ?? false),
  });
  wss.on('connection', (ws, req) => {
    const stream = createWebSocketStream(ws);
    stream.on('error', () => { /* reported through the trace tap; never crash the listener */ });
    const wire = recorder.openConnection({
      side: 'broker', transport: 'ws',
      remote: addr(req.socket.remoteAddress, req.socket.remotePort), local: addr(req.socket.localAddress, req.socket.localPort),
    });
    wire.attach(stream);
    accept(stream, wire, req);
  });
  const bound = await listen(server, host, port, 'MQTT WebSocket listener');
  return {
    info: { kind: 'ws', host, port: bound, url: `ws://${host}:${bound}${path}` },
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await closeServer(server, sockets);
    },
  };
}

/** A further listener from mosquitto.conf (a second port, another address). */
export function extraListener(x: ExtraListener, recorder: WireRecorder, accept: Accept, allowedOrigins?: string[]): Promise<Listener> {
  if (x.kind === 'ws') return wsListener(x.host, x.port, x.path ?? '/mqtt', recorder, accept, allowedOrigins);
  if (x.kind === 'tls') {
    if (!x.certPath || !x.keyPath) throw new Error(`TLS listener ${x.host}:${x.port} needs a certificate and a key file`);
    return tlsListener(x.host, x.port, { certPath: x.certPath, keyPath: x.keyPath, caPath: x.caPath }, recorder, accept);
  }
  return tcpListener(x.host, x.port, recorder, accept);
}
