// Byte streams to a broker: mqtt:// (TCP), mqtts:// (TLS), ws:// and wss:// (WebSocket, subprotocol "mqtt",
// binary frames). The stream is returned synchronously, before any byte flows, so the caller can attach
// the wire tap first; `ready` settles when the stream can carry MQTT.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type * as tls from 'node:tls';
import type { SessionOptions } from '../../../shared/contract/types';
import { SessionError } from './errors';
import { readTlsFile } from './tls-files';

export type TransportKind = 'tcp' | 'tls' | 'ws' | 'wss';

let tlsModule: typeof import('node:tls') | null = null;
let wsModule: typeof import('ws') | null = null;
/**
 * node:tls and ws are loaded by the first session that needs them, not at start-up (a broker alone needs
 * neither). Null when what `kind` needs is loaded; otherwise wait for the promise before tlsSecureOptions
 * and openTransport.
 */
export function transportLoading(kind: TransportKind): Promise<void> | null {
  const jobs: Promise<void>[] = [];
  if ((kind === 'tls' || kind === 'wss') && !tlsModule) jobs.push(import('node:tls').then((m) => { tlsModule = m; }));
  if ((kind === 'ws' || kind === 'wss') && !wsModule) jobs.push(import('ws').then((m) => { wsModule = m; }));
  return jobs.length ? Promise.all(jobs).then(() => undefined) : null;
}

function loaded<T>(m: T | null, what: string): T {
  if (!m) throw new SessionError(`${what} is not loaded yet (wait for transportLoading())`);
  return m;
}

export interface Endpoint {
  kind: TransportKind;
  host: string;
  port: number;
  /** WebSocket path (with query), '/mqtt' when the URL has none. */
  path: string;
}

const SCHEMES: Record<string, { kind: TransportKind; port: number }> = {
  'mqtt:': { kind: 'tcp', port: 1883 }, 'tcp:': { kind: 'tcp', port: 1883 },
  'mqtts:': { kind: 'tls', port: 8883 }, 'ssl:': { kind: 'tls', port: 8883 }, 'tls:': { kind: 'tls', port: 8883 },
  'ws:': { kind: 'ws', port: 80 }, 'wss:': { kind: 'wss', port: 443 },
};

export function parseEndpoint(url: string): Endpoint {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SessionError(`"${url}" is not a valid URL: use mqtt://host:1883, mqtts://, ws:// or wss://`, true);
  }
  const scheme = SCHEMES[u.protocol];
  if (!scheme) throw new SessionError(`unsupported scheme "${u.protocol}": use mqtt://, mqtts://, ws:// or wss://`, true);
  // URL keeps IPv6 literals bracketed; sockets want them bare.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const path = u.pathname && u.pathname !== '/' ? u.pathname + u.search : '/mqtt';
  return { kind: scheme.kind, host, port: u.port ? Number(u.port) : scheme.port, path };
}

export interface OpenTransport {
  stream: Duplex;
  /** Resolves with the local "address:port" once connected (and TLS/WebSocket handshakes done). */
  ready: Promise<string>;
}

/** Read the TLS files up front, so a wrong path or file is a clear config error, not a handshake mystery. */
export function tlsSecureOptions(opts: SessionOptions['tls'], host: string): tls.ConnectionOptions {
  const ca = readTlsFile(opts?.caPath, 'CA');
  const cert = readTlsFile(opts?.certPath, 'certificate');
  const key = readTlsFile(opts?.keyPath, 'key');
  const options: tls.ConnectionOptions = {
    ca, cert, key,
    rejectUnauthorized: opts?.rejectUnauthorized ?? true,
    // SNI must not be an IP address [RFC 6066 §3]; Node warns if it is.
    servername: opts?.servername || (net.isIP(host) ? undefined : host),
    ALPNProtocols: opts?.alpn?.length ? opts.alpn : undefined,
  };
  try {
    // Build the context now so bad PEM is reported as such, not as a socket error later.
    loaded(tlsModule, 'node:tls').createSecureContext({ ca, cert, key });
  } catch (err) {
    const raw = (err as Error).message;
    throw new SessionError(/KEY_VALUES_MISMATCH|values mismatch/i.test(raw)
      ? 'the client key file does not belong to the client certificate file'
      : `a certificate or key file is not valid PEM: ${raw}`, true);
  }
  return options;
}

export function openTransport(ep: Endpoint, tlsOptions: tls.ConnectionOptions | undefined, timeoutMs: number): OpenTransport {
  if (ep.kind === 'tcp' || ep.kind === 'tls') return openSocket(ep, tlsOptions);
  return openWebSocket(ep, tlsOptions, timeoutMs);
}

function openSocket(ep: Endpoint, tlsOptions: tls.ConnectionOptions | undefined): OpenTransport {
  const socket: net.Socket = ep.kind === 'tls'
    ? loaded(tlsModule, 'node:tls').connect({ ...tlsOptions, host: ep.host, port: ep.port })
    : net.connect({ host: ep.host, port: ep.port });
  socket.setNoDelay(true);
  const ready = new Promise<string>((resolve, reject) => {
    const event = ep.kind === 'tls' ? 'secureConnect' : 'connect';
    socket.once(event, () => {
      socket.off('error', reject);
      resolve(`${socket.localAddress}:${socket.localPort}`);
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new SessionError(`${ep.host}:${ep.port} closed the connection during the handshake`)));
  });
  ready.catch(() => undefined); // the owner handles it; avoid an unhandled rejection if it stops listening
  return { stream: socket, ready };
}

function openWebSocket(ep: Endpoint, tlsOptions: tls.ConnectionOptions | undefined, timeoutMs: number): OpenTransport {
  const { default: WebSocket, createWebSocketStream } = loaded(wsModule, 'ws');
  const scheme = ep.kind === 'wss' ? 'wss' : 'ws';
  const hostPart = net.isIPv6(ep.host) ? `[${ep.host}]` : ep.host;
  const ws = new WebSocket(`${scheme}://${hostPart}:${ep.port}${ep.path}`, 'mqtt', {
    ...(ep.kind === 'wss' ? tlsOptions : {}),
    handshakeTimeout: timeoutMs,
    perMessageDeflate: false, // MQTT brokers rarely support it, and it would hide the real frame sizes
  });
  // Buffers written to this duplex go out as binary frames; writes before 'open' wait for it.
  const stream = createWebSocketStream(ws);
  let local = '';
  ws.once('upgrade', (res) => {
    const s = res.socket;
    local = `${s.localAddress}:${s.localPort}`;
  });
  const ready = new Promise<string>((resolve, reject) => {
    ws.once('open', () => {
      ws.off('error', reject);
      resolve(local);
    });
    ws.once('error', reject);
    ws.once('close', () => reject(new SessionError(`${ep.host}:${ep.port} closed the WebSocket during the handshake`)));
  });
  ready.catch(() => undefined);
  // The duplex re-emits ws errors; keep one listener so they never become uncaught exceptions.
  stream.on('error', () => undefined);
  return { stream, ready };
}
