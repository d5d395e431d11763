// A real mosquitto for integration tests: temp config, free ports, optional TLS (certificates made with
// openssl on the fly) and WebSockets, optional password file. stop() kills it and removes the temp dir.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from './ports';
import { waitFor } from './wait';

const run = promisify(execFile);
export const MOSQUITTO_BIN = process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';

export interface MosquittoOptions {
  tls?: boolean;
  websockets?: boolean;
  /** WebSockets over TLS (needs tls too; uses the same certificates). */
  secureWebsockets?: boolean;
  /** With users, anonymous access is off unless allowAnonymous says otherwise. */
  users?: Record<string, string>;
  allowAnonymous?: boolean;
  /** Extra raw config lines (global section). */
  extraConfig?: string[];
}

export interface TlsFiles {
  caPath: string;
  certPath: string;
  keyPath: string;
  clientCertPath: string;
  clientKeyPath: string;
}

export interface Mosquitto {
  host: string;
  port: number;
  tlsPort?: number;
  wsPort?: number;
  wssPort?: number;
  dir: string;
  caPath?: string;
  tls?: TlsFiles;
  /** Everything mosquitto logged so far (handy in assertion messages). */
  log(): string;
  /** SIGSTOP / SIGCONT: freeze the broker without closing its sockets. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mqscope-mosq-'));
  const [port, tlsPort, wsPort, wssPort] = await freePorts(4);
  const host = '127.0.0.1';
  const tls = opts.tls ? await makeCertificates(dir) : undefined;

  const lines: string[] = [
    // Debian's 2.0.11 stalls the tail of QoS 2 bursts with the default of 20.
    'max_inflight_messages 1000',
    'per_listener_settings false',
    `allow_anonymous ${opts.allowAnonymous ?? !opts.users}`,
    'log_dest stderr',
    'log_type all',
    'persistence false',
    // Running as root, mosquitto would drop to user "mosquitto", who cannot read our 0700 temp dir.
    ...(process.getuid?.() === 0 ? ['user root'] : []),
    ...(opts.extraConfig ?? []),
  ];
  if (opts.users) {
    const pwPath = path.join(dir, 'passwd');
    let first = true;
    for (const [user, pass] of Object.entries(opts.users)) {
      await run('mosquitto_passwd', [...(first ? ['-c'] : []), '-b', pwPath, user, pass]);
      first = false;
    }
    lines.push(`password_file ${pwPath}`);
  }
  lines.push(`listener ${port} ${host}`);
  if (tls) {
    lines.push(`listener ${tlsPort} ${host}`, `cafile ${tls.caPath}`, `certfile ${tls.certPath}`, `keyfile ${tls.keyPath}`,
      'require_certificate false');
  }
  if (opts.websockets) lines.push(`listener ${wsPort} ${host}`, 'protocol websockets');
  if (opts.secureWebsockets && tls) {
    lines.push(`listener ${wssPort} ${host}`, 'protocol websockets', `cafile ${tls.caPath}`, `certfile ${tls.certPath}`,
      `keyfile ${tls.keyPath}`);
  }
  const confPath = path.join(dir, 'mosquitto.conf');
  await fs.writeFile(confPath, lines.join('\n') + '\n');

  let log = '';
  const child: ChildProcess = spawn(MOSQUITTO_BIN, ['-c', confPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => { log += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { log += d.toString(); });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exit;
      clearTimeout(timer);
    }
    await fs.rm(dir, { recursive: true, force: true });
  };

  try {
    const ports = [port, ...(tls ? [tlsPort] : []), ...(opts.websockets ? [wsPort] : []),
      ...(opts.secureWebsockets && tls ? [wssPort] : [])];
    await waitFor(async () => {
      if (exited) throw new Error(`mosquitto exited:\n${log}`);
      for (const p of ports) if (!(await canConnect(host, p))) return false;
      return true;
    }, { timeoutMs: 5000, what: `mosquitto listening on ${ports.join(', ')}` });
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    host, port, dir,
    tlsPort: tls ? tlsPort : undefined,
    wsPort: opts.websockets ? wsPort : undefined,
    wssPort: opts.secureWebsockets && tls ? wssPort : undefined,
    caPath: tls?.caPath,
    tls,
    log: () => log,
    pause: () => { child.kill('SIGSTOP'); },
    resume: () => { child.kill('SIGCONT'); },
    stop,
  };
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** CA, a server certificate for localhost/127.0.0.1 and a client certificate, all signed by the CA. */
export async function makeCertificates(dir: string): Promise<TlsFiles> {
  const p = (name: string): string => path.join(dir, name);
  // EC keys: much faster to generate than RSA, which keeps the suite quick.
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...newKey, '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '2',
    '-subj', '/CN=MQScope Test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const sign = async (name: string, cn: string, ext: string): Promise<void> => {
    await run('openssl', ['req', ...newKey, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', `/CN=${cn}`]);
    await fs.writeFile(p(`${name}.ext`), ext);
    await run('openssl', ['x509', '-req', '-in', p(`${name}.csr`), '-CA', p('ca.crt'), '-CAkey', p('ca.key'),
      '-CAcreateserial', '-out', p(`${name}.crt`), '-days', '2', '-extfile', p(`${name}.ext`)]);
  };
  await sign('server', 'localhost',
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  await sign('client', 'mqscope-test-client', 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n');
  return {
    caPath: p('ca.crt'), certPath: p('server.crt'), keyPath: p('server.key'),
    clientCertPath: p('client.crt'), clientKeyPath: p('client.key'),
  };
}
