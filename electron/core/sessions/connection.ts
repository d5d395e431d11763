// One network connection of a session: transport + wire tap + MQTT parser. It reports parsed packets and,
// exactly once, how it ended (in plain words). Everything that can go wrong on the wire ends here as a
// close reason, never as an exception escaping to the event loop.
import mqttPacket from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';
import type { Duplex } from 'node:stream';
import type tls from 'node:tls';
import type { ProtocolVersion } from '../../../shared/contract/types';
import type { WireConnection, WireRecorder } from '../trace/wire';
import { explainError } from './errors';
import { encode } from './packets';
import { PublishSkim, plainQos0Publish } from './publish-skim';
import { openTransport, type Endpoint } from './transport';

export interface ConnectionHooks {
  onReady(): void;
  onPacket(packet: Packet): void;
  /** reason: why it ended; fatal: retrying will not help (set by whoever called fail()). */
  onClose(reason: string, fatal: boolean): void;
}

export interface ConnectionMeta {
  recorder: WireRecorder;
  sessionId: string;
  clientId: string;
  version: ProtocolVersion;
  timeoutMs: number;
  /** Extra words for the "connecting" event, e.g. "(reconnect try 2 of 5)". */
  note?: string;
  /** Nobody takes messages from this session in-process: plain QoS 0 PUBLISHes are framed, not parsed. */
  skimQos0?: boolean;
}

export class Connection {
  readonly wire: WireConnection;
  private readonly stream: Duplex;
  private readonly parser: ReturnType<typeof mqttPacket.parser>;
  private readonly skim: PublishSkim | null;
  private ended = false;
  private reason: string | null = null;
  private fatal = false;
  private closeWaiters: (() => void)[] = [];

  constructor(private readonly ep: Endpoint, tlsOptions: tls.ConnectionOptions | undefined,
    private readonly meta: ConnectionMeta, private readonly hooks: ConnectionHooks) {
    this.wire = meta.recorder.openConnection({
      side: 'client', transport: ep.kind, remote: `${ep.host}:${ep.port}`, local: '',
      sessionId: meta.sessionId, clientId: meta.clientId, protocolVersion: meta.version,
    });
    this.wire.event(`connecting to ${ep.kind === 'ws' || ep.kind === 'wss' ? `${ep.kind}://` : ''}${ep.host}:${ep.port}${
      ep.kind.startsWith('ws') ? ep.path : ''}${meta.note ? ` ${meta.note}` : ''}`);
    const { stream, ready } = openTransport(ep, tlsOptions, meta.timeoutMs);
    this.stream = stream;
    // The tap must see the stream before any byte flows; openTransport only started connecting.
    this.wire.attach(stream);

    this.parser = mqttPacket.parser({ protocolVersion: meta.version });
    this.parser.on('packet', (p: Packet) => this.guard(() => this.hooks.onPacket(p)));
    this.parser.on('error', (err: Error) => {
      this.fail(`the broker sent bytes that are not valid MQTT (${err.message})`);
    });
    this.skim = meta.skimQos0 ? new PublishSkim(plainQos0Publish(meta.version), (b) => this.parser.parse(b)) : null;
    stream.on('data', (chunk: Buffer) => {
      if (this.ended) return;
      if (this.skim) this.skim.feed(chunk);
      else this.parser.parse(chunk);
    });
    stream.on('error', (err) => this.setReason(explainError(err, this.ep)));
    stream.on('close', () => this.closed());
    stream.on('end', () => {
      // The broker half-closed: MQTT has no use for half-open connections.
      this.setReason(`${this.ep.host}:${this.ep.port} closed the connection`);
      stream.destroy();
    });
    ready.then((local) => {
      if (this.ended) return;
      if (local) this.wire.update({ local });
      this.guard(() => this.hooks.onReady());
    }, (err) => {
      this.setReason(explainError(err, this.ep));
      stream.destroy();
    });
  }

  get id(): number {
    return this.wire.id;
  }

  /** QoS 0 PUBLISHes passed without parsing (see publish-skim.ts). */
  get skimmed(): number {
    return this.skim?.skipped ?? 0;
  }

  get open(): boolean {
    return !this.ended;
  }

  /** Encode and write; resolves once the bytes are handed to the OS. Throws SessionError if it cannot encode. */
  send(packet: Packet, version: ProtocolVersion = this.meta.version): Promise<void> {
    const bytes = encode(packet, version);
    if (this.ended) return Promise.reject(new Error('the connection is closed'));
    return new Promise((resolve, reject) => {
      this.stream.write(bytes, (err) => (err ? reject(new Error(explainError(err, this.ep))) : resolve()));
    });
  }

  /** Write bytes exactly as given (the raw sender). */
  sendBytes(bytes: Buffer): Promise<void> {
    if (this.ended) return Promise.reject(new Error('the connection is closed'));
    return new Promise((resolve, reject) => {
      this.stream.write(bytes, (err) => (err ? reject(new Error(explainError(err, this.ep))) : resolve()));
    });
  }

  /** Abort with a reason recorded in the trace. */
  fail(reason: string, fatal = false): void {
    if (this.ended) return;
    this.setReason(reason);
    this.fatal ||= fatal;
    this.stream.destroy();
  }

  /** Graceful end (after DISCONNECT): let the bytes drain, then close; destroy if the peer lingers. */
  end(reason: string, graceMs = 1000): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.reason ??= reason;
    const done = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    const timer = setTimeout(() => this.stream.destroy(), graceMs);
    this.stream.end();
    return done.finally(() => clearTimeout(timer));
  }

  /** The first explanation wins (later ones are usually consequences), and goes into the trace. */
  private setReason(reason: string): void {
    if (this.reason !== null || this.ended) return;
    this.reason = reason;
    this.wire.event(reason);
  }

  private closed(): void {
    if (this.ended) return;
    this.ended = true;
    this.parser.removeAllListeners('packet');
    const reason = this.reason ?? `${this.ep.host}:${this.ep.port} closed the connection`;
    this.wire.close(reason);
    for (const w of this.closeWaiters.splice(0)) w();
    this.guard(() => this.hooks.onClose(reason, this.fatal));
  }

  /** A bug in a handler must not take the app down: record it and drop the connection. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.fail(`internal error while handling the connection: ${(err as Error)?.message ?? String(err)}`);
    }
  }
}
