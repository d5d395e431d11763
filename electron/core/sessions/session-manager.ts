// The set of client sessions core exposes through the contract. Sessions are identified by id; every
// method on an unknown id throws a plain Error. dispose() closes everything and leaves no timers or
// sockets behind, so hosts and tests can create and drop managers freely.
import { randomUUID } from 'node:crypto';
import type {
  AckResult, PublishRequest, RawPacketFields, SessionInfo, SessionOptions, StepAction, StepState, SubscriptionRequest,
  UserProperty,
} from '../../../shared/contract/types';
import { buildRawPacket } from './raw-packet';
import type { WireRecorder } from '../trace/wire';
import { Session, type ReceivedMessage } from './session';

export interface SessionManagerOptions {
  recorder: WireRecorder;
  onChange(info: SessionInfo): void;
  onClosed(id: string): void;
  /** Messages the sessions receive (topic aliases already resolved). Optional: the trace has them too. */
  onMessage?(sessionId: string, message: ReceivedMessage): void;
  /** Step mode's queue of a session changed. */
  onStep?(state: StepState): void;
}

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  private disposed = false;

  constructor(private readonly opts: SessionManagerOptions) {}

  /** Create a session and start connecting; returns its first snapshot. */
  open(options: SessionOptions): SessionInfo {
    if (this.disposed) throw new Error('the session manager has been disposed');
    const id = randomUUID();
    // A private copy: later edits by the caller must not change what goes on the wire.
    const session = new Session(id, structuredClone(options), {
      recorder: this.opts.recorder,
      onChange: (info) => this.opts.onChange(info),
      onMessage: this.opts.onMessage,
      onStep: this.opts.onStep,
    });
    this.sessions.set(id, session);
    session.connect();
    return session.info();
  }

  connect(id: string): SessionInfo {
    const session = this.session(id);
    session.connect();
    return session.info();
  }

  /** Send DISCONNECT (when connected), close the connection and stop reconnecting. */
  async disconnect(id: string): Promise<SessionInfo> {
    const session = this.session(id);
    await session.disconnect();
    return session.info();
  }

  /** Disconnect and forget the session. Resolves false for an unknown id. */
  async close(id: string): Promise<boolean> {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.sessions.delete(id);
    await session.dispose();
    this.opts.onClosed(id);
    return true;
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => s.info());
  }

  get(id: string): SessionInfo | undefined {
    return this.sessions.get(id)?.info();
  }

  subscribe(id: string, subs: SubscriptionRequest[], userProperties?: UserProperty[]): Promise<AckResult> {
    return this.call(id, (s) => s.requests.subscribe(subs, userProperties));
  }

  unsubscribe(id: string, topics: string[]): Promise<AckResult> {
    return this.call(id, (s) => s.requests.unsubscribe(topics));
  }

  /** Resolves when the flow completes: QoS 0 written, QoS 1 PUBACK, QoS 2 PUBCOMP. */
  publish(id: string, req: PublishRequest): Promise<AckResult> {
    return this.call(id, (s) => s.requests.publish(req));
  }

  // ---- provoke: step mode and the raw sender ----

  stepMode(id: string, on: boolean): StepState {
    const s = this.session(id);
    s.step.setOn(on, s.wire);
    return s.step.state();
  }

  stepQueue(id: string): StepState {
    return this.session(id).step.state();
  }

  stepAction(id: string, item: number, action: StepAction, delayMs?: number): StepState {
    const s = this.session(id);
    if (action === 'delay' && delayMs === undefined) throw new Error('delay needs delayMs (milliseconds)');
    s.step.act(item, action, delayMs);
    return s.step.state();
  }

  /** Write a hand-made packet (bytes, or fields encoded for the session's version); returns its bytes. */
  async sendRaw(id: string, raw: { bytes?: Buffer; packet?: RawPacketFields }): Promise<Buffer> {
    const s = this.session(id);
    const bytes = raw.bytes ?? buildRawPacket(raw.packet as RawPacketFields, s.options.protocolVersion);
    if (!bytes.length) throw new Error('nothing to send: the packet has no bytes');
    await s.requests.sendRaw(bytes);
    return bytes;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  private session(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`no session with id "${id}"`);
    return session;
  }

  private async call<T>(id: string, fn: (s: Session) => Promise<T>): Promise<T> {
    return fn(this.session(id));
  }
}

export type { ReceivedMessage };
