// One client session: connection lifecycle (connect, CONNACK, keep-alive, reconnect, resume) and the
// packets the broker sends. User operations (publish, subscribe) live in operations.ts on top of this.
import type { IConnackPacket, IDisconnectPacket, Packet } from 'mqtt-packet';
import type { ConnectionOptions } from 'node:tls';
import type { SessionInfo, SessionOptions, SessionState, StepState } from '../../../shared/contract/types';
import type { WireRecorder } from '../trace/wire';
import { Connection } from './connection';
import { explainServerDisconnect, isTransientConnack, reasonText, reasonWithHint, SessionError } from './errors';
import { Inflight } from './inflight';
import { KeepAlive } from './keepalive';
import { buildConnect, jsonProperties } from './packets';
import { describePlan, Reconnector } from './reconnect';
import { limitsFrom, Requests, type ReceivedMessage } from './operations';
import { StepQueue } from './step-queue';
import { parseEndpoint, tlsSecureOptions, transportLoading, type Endpoint } from './transport';

export interface SessionDeps {
  recorder: WireRecorder;
  onChange(info: SessionInfo): void;
  onMessage?(sessionId: string, message: ReceivedMessage): void;
  onStep?(state: StepState): void;
}

export class Session {
  private state: SessionState = 'idle';
  private readonly conns: number[] = [];
  private lastError?: string;
  private connack?: SessionInfo['connack'];
  private conn: Connection | null = null;
  private keepalive: KeepAlive | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private assignedClientId?: string;
  /** The broker holds our session: automatic reconnects ask to resume it (Clean Start 0) [MQTT-3.1.2-4]. */
  private resumeOnReconnect = false;
  /** False after disconnect()/dispose(): a close is then expected and nothing reconnects. */
  private wanted = false;
  private disposed = false;
  private changeQueued = false;
  private afterClose: (() => void)[] = [];
  readonly inflight: Inflight;
  private readonly reconnector: Reconnector;
  readonly requests: Requests;
  readonly step: StepQueue;

  constructor(readonly id: string, readonly options: SessionOptions, private readonly deps: SessionDeps) {
    this.inflight = new Inflight(options.protocolVersion);
    this.reconnector = new Reconnector(options.reconnect);
    this.step = new StepQueue(id, (state) => { if (!this.disposed) this.deps.onStep?.(state); });
    this.requests = new Requests(this, this.inflight, this.step);
  }

  info(): SessionInfo {
    return {
      id: this.id,
      options: this.options,
      state: this.state,
      conns: [...this.conns],
      lastError: this.lastError,
      connack: this.connack,
      subscriptions: this.requests.subscriptions.map((s) => ({ ...s })),
      inflight: this.inflight.count + this.requests.queued,
      reconnectTries: this.reconnector.attempts,
    };
  }

  get connected(): Connection | null { return this.state === 'connected' ? this.conn : null; }

  /** The current connection's trace handle, connected or not (for events about the session). */
  get wire(): Connection['wire'] | null { return this.conn?.wire ?? null; }

  get currentState(): SessionState { return this.state; }

  /** Session state outlives the connection: v3/v4 clean=false, v5 Session Expiry Interval > 0. */
  get persistent(): boolean {
    const o = this.options;
    return o.protocolVersion === 5 ? (o.properties?.sessionExpiryInterval ?? 0) > 0 : !o.clean;
  }

  connect(): void {
    if (this.disposed) throw new SessionError('the session is closed');
    if (this.conn || this.state === 'connected') return;
    this.wanted = true;
    // A connect the user asked for uses the user's clean setting; only automatic reconnects resume.
    this.resumeOnReconnect = false;
    this.reconnector.reset();
    this.attempt();
  }

  async disconnect(): Promise<void> {
    this.wanted = false;
    this.reconnector.cancel();
    const conn = this.conn;
    if (conn && this.state === 'connected') {
      // v5: reason 0 "normal disconnection", which tells the broker to drop the will [MQTT-3.14.4-3].
      await conn.send({ cmd: 'disconnect', reasonCode: 0 }).catch(() => undefined);
      this.sentPacket();
      await conn.end('disconnected by the user');
    } else if (conn) {
      const closed = new Promise<void>((resolve) => this.afterClose.push(resolve));
      conn.fail('connection attempt cancelled by the user');
      await closed;
    } else if (this.state !== 'idle') {
      this.setState('disconnected');
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.disconnect();
    this.disposed = true;
    this.step.dispose();
    this.stopTimers();
    this.requests.failAll(new SessionError('the session was closed'), true);
  }

  /** Emit now (state changes) or coalesced (inflight counters that change per message). */
  changed(soon = false): void {
    if (this.disposed) return;
    if (!soon) {
      this.deps.onChange(this.info());
      return;
    }
    if (this.changeQueued) return;
    this.changeQueued = true;
    setImmediate(() => {
      this.changeQueued = false;
      if (!this.disposed) this.deps.onChange(this.info());
    });
  }

  deliver(message: ReceivedMessage): void {
    this.deps.onMessage?.(this.id, message);
  }

  // ---- connecting ----

  private attempt(): void {
    let endpoint: Endpoint;
    let tlsOptions: ConnectionOptions | undefined;
    try {
      endpoint = parseEndpoint(this.options.url);
    } catch (err) {
      return this.failWithoutConnection(err);
    }
    const loading = transportLoading(endpoint.kind);
    if (loading) {
      this.setState(this.reconnector.attempts > 0 ? 'reconnecting' : 'connecting');
      loading.then(() => { if (this.wanted && !this.disposed && !this.conn) this.attempt(); }, (err) => this.failWithoutConnection(err));
      return;
    }
    try {
      if (endpoint.kind === 'tls' || endpoint.kind === 'wss') tlsOptions = tlsSecureOptions(this.options.tls, endpoint.host);
    } catch (err) {
      return this.failWithoutConnection(err);
    }
    const retry = this.reconnector.attempts;
    const clientId = this.assignedClientId ?? this.options.clientId;
    let conn: Connection;
    try {
      conn = this.openConnection(endpoint, tlsOptions, clientId, retry);
    } catch (err) {
      return this.failWithoutConnection(err);
    }
    this.conn = conn;
    this.conns.push(conn.id);
    this.connectTimer = setTimeout(() => {
      conn.fail(`no connection and CONNACK from ${endpoint.host}:${endpoint.port} within ${this.options.connectTimeoutMs} ms`);
    }, this.options.connectTimeoutMs);
    this.setState(retry > 0 ? 'reconnecting' : 'connecting');
  }

  /** Configuration errors (bad URL, unreadable TLS files): retrying cannot help. */
  private failWithoutConnection(err: unknown): void {
    this.lastError = (err as Error)?.message ?? String(err);
    this.wanted = false;
    this.setState('failed');
  }

  private openConnection(endpoint: Endpoint, tlsOptions: ConnectionOptions | undefined, clientId: string, retry: number): Connection {
    const conn: Connection = new Connection(endpoint, tlsOptions, {
      recorder: this.deps.recorder, sessionId: this.id, clientId, version: this.options.protocolVersion,
      timeoutMs: this.options.connectTimeoutMs, skimQos0: !this.deps.onMessage,
      note: retry > 0 ? `(reconnect try ${retry}${this.options.reconnect.maxTries ? ` of ${this.options.reconnect.maxTries}` : ''})` : undefined,
    }, {
      onReady: () => {
        if (this.conn !== conn) return;
        try {
          conn.send(buildConnect(this.options, clientId, this.resumeOnReconnect ? false : undefined)).catch((err: Error) => conn.fail(err.message));
        } catch (err) {
          // The options cannot be encoded (e.g. 3.1 without a client id): a config error, not worth a retry.
          conn.fail((err as Error).message, true);
        }
      },
      onPacket: (p) => this.onPacket(conn, p),
      onClose: (reason, fatal) => this.onClose(conn, reason, fatal),
    });
    return conn;
  }

  private onConnack(conn: Connection, p: IConnackPacket): void {
    this.clearConnectTimer();
    const v = this.options.protocolVersion;
    const code = (v === 5 ? p.reasonCode : p.returnCode) ?? 0;
    const reason = reasonText(code, 'connack', v);
    const props = p.properties;
    this.connack = { sessionPresent: p.sessionPresent, reasonCode: code, reason, properties: jsonProperties(props) };
    if (code !== 0) {
      const detail = props?.reasonString ? ` (${props.reasonString})` : '';
      // The 3.1.1 texts start with "Connection refused:", which would say it twice.
      const why = reasonWithHint(code, 'connack', v).replace(/^Connection refused: /, '');
      conn.fail(`the broker refused the connection: ${why}${detail}`, !isTransientConnack(code, v));
      return;
    }
    if (props?.assignedClientIdentifier) {
      // Reconnects must use it, or a persistent session could never be resumed [MQTT-3.2.2.3.7].
      this.assignedClientId = props.assignedClientIdentifier;
      conn.wire.update({ clientId: props.assignedClientIdentifier });
    }
    this.reconnector.reset();
    this.lastError = undefined;
    this.resumeOnReconnect = this.persistent;
    this.startKeepalive(conn, props?.serverKeepAlive ?? this.options.keepalive);
    this.setState('connected');
    this.requests.onConnected(conn, limitsFrom(props), p.sessionPresent);
  }

  private startKeepalive(conn: Connection, seconds: number): void {
    this.keepalive?.stop();
    const ka = new KeepAlive(seconds, {
      sendPing: () => {
        conn.send({ cmd: 'pingreq' }).catch(() => undefined);
        ka.sent();
      },
      onTimeout: (reason) => conn.fail(reason),
    });
    this.keepalive = ka;
    ka.sent();
  }

  // ---- incoming packets ----

  private onPacket(conn: Connection, p: Packet): void {
    if (this.conn !== conn) return;
    if (this.state !== 'connected') {
      if (p.cmd === 'connack') return this.onConnack(conn, p);
      if (p.cmd === 'disconnect') return this.onServerDisconnect(conn, p);
      if (p.cmd === 'auth') {
        return conn.fail('the broker asked to continue authentication (AUTH): challenge/response is not supported yet', true);
      }
      return conn.fail(`protocol error: the broker sent ${p.cmd.toUpperCase()} before CONNACK [MQTT-3.2.0-1]`);
    }
    switch (p.cmd) {
      case 'pingresp': this.keepalive?.pong(); return;
      case 'disconnect': return this.onServerDisconnect(conn, p);
      case 'connack': return conn.fail('protocol error: the broker sent a second CONNACK');
      case 'publish':
      case 'puback': case 'pubrec': case 'pubrel': case 'pubcomp':
      case 'suback': case 'unsuback':
        return this.requests.onPacket(conn, p);
      case 'auth':
        return conn.fail('the broker asked to re-authenticate (AUTH): not supported yet');
      default:
        return conn.fail(`protocol error: a broker must not send ${p.cmd.toUpperCase()}`);
    }
  }

  private onServerDisconnect(conn: Connection, p: IDisconnectPacket): void {
    // Reconnecting after a takeover (0x8e) would kick the other client off in an endless loop.
    conn.fail(explainServerDisconnect(p.reasonCode ?? 0, p.properties), p.reasonCode === 0x8e);
  }

  /** Called by Requests when it sends: the keep-alive clock counts from the last packet sent. */
  sentPacket(): void {
    this.keepalive?.sent();
  }

  // ---- closing ----

  private onClose(conn: Connection, reason: string, fatal: boolean): void {
    if (this.conn !== conn) return;
    this.conn = null;
    this.stopTimers();
    for (const resolve of this.afterClose.splice(0)) resolve();
    this.step.forgetConnection(conn.id);
    this.requests.onDisconnected(reason, this.persistent && this.wanted);
    if (!this.wanted || this.disposed) {
      this.setState('disconnected');
      return;
    }
    this.lastError = reason;
    const plan = fatal ? null : this.reconnector.next();
    if (!plan) {
      const tries = this.reconnector.attempts;
      if (tries > 0 && !fatal) this.lastError = `${reason} (gave up after ${tries} reconnect ${tries === 1 ? 'try' : 'tries'})`;
      this.wanted = false;
      this.requests.failAll(new SessionError(`the session failed: ${this.lastError}`), false);
      this.setState('failed');
      return;
    }
    conn.wire.event(describePlan(plan));
    this.reconnector.schedule(plan, () => this.attempt());
    this.setState('reconnecting');
  }

  private stopTimers(): void {
    this.clearConnectTimer();
    this.keepalive?.stop();
    this.keepalive = null;
    this.reconnector.cancel();
  }

  private clearConnectTimer(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  private setState(state: SessionState): void {
    this.state = state;
    this.changed();
  }
}

export type { ReceivedMessage };
