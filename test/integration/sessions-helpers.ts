// Shared by the sessions-*.test.ts files: an in-test WireRecorder that keeps every byte each connection
// sent and received (so tests can count real packets), a manager harness, and a mosquitto_sub peer.
import { spawn } from 'node:child_process';
import type { Duplex } from 'node:stream';
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';
import type { ConnectionInfo, SessionInfo, SessionOptions, SessionState } from '../../shared/contract/types';
import type { NewConnection, WireConnection, WireRecorder } from '../../electron/core/trace/wire';
import { SessionManager, type ReceivedMessage } from '../../electron/core/sessions/session-manager';
import { waitFor } from '../support/wait';

export class TestConnection implements WireConnection {
  readonly events: string[] = [];
  readonly sent: Buffer[] = [];
  readonly received: Buffer[] = [];
  stream: Duplex | null = null;
  closedReason: string | undefined;
  /** Called after every write the session makes, e.g. to cut the connection right after a PUBLISH. */
  afterWrite: ((chunk: Buffer) => void) | null = null;

  constructor(readonly id: number, readonly info: NewConnection & Partial<ConnectionInfo>) {}

  attach(stream: Duplex): void {
    if (this.stream) throw new Error('attach() twice');
    this.stream = stream;
    const push = stream.push.bind(stream);
    stream.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
      if (chunk) this.received.push(Buffer.from(chunk as Buffer));
      return push(chunk, encoding);
    };
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: Buffer, ...rest: unknown[]): boolean => {
      this.sent.push(Buffer.from(chunk));
      const ok = write(chunk, ...rest);
      this.afterWrite?.(Buffer.from(chunk));
      return ok;
    }) as Duplex['write'];
    stream.once('close', () => this.close());
  }

  update(patch: Partial<ConnectionInfo>): void {
    Object.assign(this.info, patch);
  }

  closing(reason: string): void {
    this.closedReason ??= reason;
  }

  event(text: string): void {
    this.events.push(text);
  }

  close(reason?: string): void {
    this.closedReason ??= reason ?? 'closed';
  }

  /** Packets in one direction, parsed from the recorded bytes (c2s = what the session sent). */
  packets(dir: 'c2s' | 's2c'): Packet[] {
    const out: Packet[] = [];
    const parser = mqttPacket.parser({ protocolVersion: this.info.protocolVersion ?? 4 });
    parser.on('packet', (p: Packet) => out.push(p));
    parser.on('error', (err: Error) => { throw err; });
    for (const chunk of dir === 'c2s' ? this.sent : this.received) parser.parse(chunk);
    return out;
  }

  cmds(dir: 'c2s' | 's2c'): string[] {
    return this.packets(dir).map((p) => p.cmd);
  }

  rawSent(): Buffer {
    return Buffer.concat(this.sent);
  }
}

export class TestRecorder implements WireRecorder {
  readonly conns: TestConnection[] = [];

  openConnection(info: NewConnection): TestConnection {
    const conn = new TestConnection(this.conns.length + 1, { ...info });
    this.conns.push(conn);
    return conn;
  }

  last(): TestConnection {
    const c = this.conns[this.conns.length - 1];
    if (!c) throw new Error('no connection recorded');
    return c;
  }

  byId(id: number): TestConnection {
    const c = this.conns.find((x) => x.id === id);
    if (!c) throw new Error(`no connection ${id}`);
    return c;
  }
}

export function sessionOptions(url: string, overrides: Partial<SessionOptions> = {}): SessionOptions {
  return {
    name: 'test',
    url,
    protocolVersion: 4,
    clientId: `mqscope-${Math.random().toString(16).slice(2, 10)}`,
    keepalive: 30,
    clean: true,
    connectTimeoutMs: 3000,
    reconnect: { enabled: false, initialDelayMs: 50, maxDelayMs: 200, maxTries: 3 },
    ...overrides,
  };
}

export class Harness {
  readonly recorder = new TestRecorder();
  readonly changes: SessionInfo[] = [];
  readonly closed: string[] = [];
  readonly messages: { sessionId: string; message: ReceivedMessage }[] = [];
  readonly manager = new SessionManager({
    recorder: this.recorder,
    onChange: (info) => this.changes.push(info),
    onClosed: (id) => this.closed.push(id),
    onMessage: (sessionId, message) => this.messages.push({ sessionId, message }),
  });

  waitState(id: string, state: SessionState, timeoutMs = 5000): Promise<SessionInfo> {
    return waitFor(() => {
      const info = this.manager.get(id);
      return info?.state === state ? info : undefined;
    }, { timeoutMs, what: `session ${id} to be ${state} (is ${this.manager.get(id)?.state}, lastError ${this.manager.get(id)?.lastError})` });
  }

  async connected(options: SessionOptions): Promise<SessionInfo> {
    const info = this.manager.open(options);
    return this.waitState(info.id, 'connected');
  }

  messagesFor(id: string, topic?: string): ReceivedMessage[] {
    return this.messages.filter((m) => m.sessionId === id && (topic === undefined || m.message.topic === topic)).map((m) => m.message);
  }

  waitMessages(id: string, topic: string, count = 1, what = 'messages'): Promise<ReceivedMessage[]> {
    return waitFor(() => {
      const got = this.messagesFor(id, topic);
      return got.length >= count ? got : undefined;
    }, { what: `${count} ${what} on ${topic}` });
  }

  /** The recorded connection a session uses now. */
  conn(info: SessionInfo): TestConnection {
    const current = this.manager.get(info.id) ?? info;
    return this.recorder.byId(current.conns[current.conns.length - 1] as number);
  }

  dispose(): Promise<void> {
    return this.manager.dispose();
  }
}

export interface SubPeer {
  /** Lines of message output (debug lines removed). */
  lines(): string[];
  exited: Promise<number | null>;
  stop(): void;
}

/** mosquitto_sub as an independent peer; resolves once its SUBACK arrived (seen with -d; stdbuf makes
 *  its stdout line-buffered, else the debug lines sit in a pipe buffer until exit). */
export async function mosquittoSub(port: number, topic: string, extra: string[] = []): Promise<SubPeer> {
  const child = spawn('stdbuf', ['-oL', 'mosquitto_sub', '-h', '127.0.0.1', '-p', String(port), '-t', topic, '-d', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(() => /received SUBACK/.test(out), { what: `mosquitto_sub SUBACK (output: ${out})` });
  return {
    lines: () => out.split('\n').filter((l) => l && !/^Client |^Subscribed/.test(l)),
    exited,
    stop: () => { child.kill(); },
  };
}
