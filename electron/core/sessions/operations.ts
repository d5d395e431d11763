// What a user does with a connected session: publish, subscribe, unsubscribe; and what the broker sends
// back for them. Enforces the broker's limits from CONNACK (Receive Maximum, Topic Alias Maximum,
// Maximum QoS, Retain Available, Maximum Packet Size) with an explanation instead of a protocol error.
import type { IConnackPacket, IPublishPacket, ISubackPacket, IUnsubackPacket, Packet } from 'mqtt-packet';
import type {
  AckResult, PublishRequest, SubscriptionRequest, UserProperty,
} from '../../../shared/contract/types';
import { duplicateNotDelivered } from '../../../shared/mqtt/session-notes';
import type { Connection } from './connection';
import { reasonText, SessionError } from './errors';
import type { Deferred, Inflight } from './inflight';
import { buildPublish, buildSubscribes, buildUnsubscribe, encode, jsonProperties } from './packets';
import type { Session } from './session';
import type { StepInfo, StepQueue } from './step-queue';

export interface ServerLimits {
  receiveMaximum: number;
  topicAliasMaximum: number;
  maximumQoS: 0 | 1 | 2;
  retainAvailable: boolean;
  maximumPacketSize?: number;
}

export interface ReceivedMessage {
  /** Resolved through the topic alias when the broker sent only an alias. */
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  dup: boolean;
  packetId?: number;
  properties?: Record<string, unknown>;
}

interface PendingAck { kind: 'suback' | 'unsuback'; subs: SubscriptionRequest[]; topics: string[]; done: Deferred }
/** A QoS 1/2 publish waiting for a free slot under the broker's Receive Maximum. */
interface Queued { packet: IPublishPacket; resend: IPublishPacket; conn: Connection; done: Deferred }

const DEFAULT_LIMITS: ServerLimits = { receiveMaximum: 65535, topicAliasMaximum: 0, maximumQoS: 2, retainAvailable: true };

/** Absent CONNACK properties mean the spec defaults [MQTT-3.2.2.3]. */
export function limitsFrom(props: IConnackPacket['properties']): ServerLimits {
  return {
    receiveMaximum: props?.receiveMaximum ?? 65535,
    topicAliasMaximum: props?.topicAliasMaximum ?? 0,
    maximumQoS: (props?.maximumQoS ?? 2) as 0 | 1 | 2,
    retainAvailable: props?.retainAvailable ?? true,
    maximumPacketSize: props?.maximumPacketSize,
  };
}

export class Requests {
  subscriptions: SubscriptionRequest[] = [];
  private readonly pending = new Map<number, PendingAck>();
  private queue: Queued[] = [];
  private limits = DEFAULT_LIMITS;
  private readonly outAliases = new Map<number, string>();
  private readonly inAliases = new Map<number, string>();

  constructor(private readonly session: Session, private readonly inflight: Inflight, readonly step: StepQueue) {}

  get queued(): number {
    return this.queue.length;
  }

  private get version(): 3 | 4 | 5 {
    return this.session.options.protocolVersion;
  }

  private requireConnection(): Connection {
    const conn = this.session.connected;
    if (!conn) throw new SessionError(`session "${this.session.options.name}" is not connected (state: ${this.session.currentState})`);
    return conn;
  }

  // ---- lifecycle ----

  onConnected(conn: Connection, limits: ServerLimits, sessionPresent: boolean): void {
    this.limits = limits;
    this.outAliases.clear(); // aliases live for one connection only [MQTT-3.3.2-7]
    this.inAliases.clear();
    if (sessionPresent) {
      const again = this.inflight.resendPackets();
      if (again.length) conn.wire.event(`session resumed: resending ${again.length} unacknowledged packet(s) [MQTT-4.4.0-1]`);
      for (const p of again) this.send(conn, p).catch(() => undefined);
    } else {
      if (this.inflight.count) conn.wire.event('the broker has no session for us (Session Present 0): in-flight messages are dropped');
      this.inflight.failAll(new SessionError('the broker did not keep the session (Session Present 0), so the message was dropped before it was acknowledged'));
      if (this.subscriptions.length) {
        conn.wire.event(`the broker has no session for us: subscribing again to ${this.subscriptions.length} topic filter(s)`);
        this.subscribe([...this.subscriptions]).catch(() => undefined);
      }
    }
    this.drain();
  }

  /** keepSession: the session will be resumed, so QoS 1/2 state stays for resending. */
  onDisconnected(reason: string, keepSession: boolean): void {
    const pending = [...this.pending.entries()];
    this.pending.clear();
    for (const [id, p] of pending) {
      this.inflight.ids.release(id);
      p.done.reject(new SessionError(`the connection was lost before ${p.kind.toUpperCase()}: ${reason}`));
    }
    if (!keepSession) this.failPublishes(new SessionError(`the connection was lost before the broker acknowledged the message: ${reason}`));
  }

  failAll(err: Error, forget: boolean): void {
    this.onDisconnected(err.message, false);
    this.failPublishes(err);
    if (forget) this.subscriptions = [];
  }

  private failPublishes(err: Error): void {
    this.inflight.failAll(err);
    for (const q of this.queue.splice(0)) q.done.reject(err);
    this.session.changed(true);
  }

  // ---- operations ----

  async publish(req: PublishRequest): Promise<AckResult> {
    const conn = this.requireConnection();
    const v = this.version;
    const lim = this.limits;
    if (v === 5 && req.qos > lim.maximumQoS) throw new SessionError(`the broker accepts at most QoS ${lim.maximumQoS} (Maximum QoS in CONNACK)`);
    if (v === 5 && req.retain && !lim.retainAvailable) throw new SessionError('the broker does not support retained messages (Retain Available 0 in CONNACK)');
    const packet = buildPublish(req, v);
    let resend = packet;
    const alias = v === 5 ? req.properties?.topicAlias : undefined;
    if (alias !== undefined) {
      if (alias > lim.topicAliasMaximum) {
        throw new SessionError(`topic alias ${alias} is above the broker's Topic Alias Maximum (${lim.topicAliasMaximum})`);
      }
      const topic = req.topic || this.outAliases.get(alias);
      if (!topic) throw new SessionError(`topic alias ${alias} is not set on this connection yet: publish once with both the topic and the alias`);
      this.outAliases.set(alias, topic);
      const { topicAlias: _dropped, ...props } = packet.properties ?? {};
      resend = { ...packet, topic, properties: props };
    }
    // Encode once up front: invalid input and oversize packets fail here, with the reason, not on the wire.
    const size = encode({ ...packet, messageId: req.qos ? 1 : undefined }, v).length;
    if (lim.maximumPacketSize && size > lim.maximumPacketSize) {
      throw new SessionError(`the message is ${size} bytes on the wire, above the broker's Maximum Packet Size (${lim.maximumPacketSize})`);
    }
    if (req.qos === 0) {
      await this.send(conn, packet);
      return { reasonCodes: [], reasons: [] };
    }
    return new Promise<AckResult>((resolve, reject) => {
      this.queue.push({ packet, resend, conn, done: { resolve, reject } });
      this.drain();
    });
  }

  async subscribe(subs: SubscriptionRequest[], userProperties?: UserProperty[]): Promise<AckResult> {
    const conn = this.requireConnection();
    const groups = buildSubscribes(subs, userProperties, this.version);
    const results = await Promise.all(groups.map((g) => this.request(conn, g.packet, { kind: 'suback', subs: g.subs, topics: [] })));
    return {
      packetId: results[0]?.packetId,
      reasonCodes: results.flatMap((r) => r.reasonCodes),
      reasons: results.flatMap((r) => r.reasons),
    };
  }

  async unsubscribe(topics: string[]): Promise<AckResult> {
    const conn = this.requireConnection();
    return this.request(conn, buildUnsubscribe(topics), { kind: 'unsuback', subs: [], topics });
  }

  private request(conn: Connection, packet: Packet & { messageId?: number }, p: Omit<PendingAck, 'done'>): Promise<AckResult> {
    const id = this.inflight.ids.allocate();
    if (id === null) return Promise.reject(new SessionError('all 65535 packet identifiers are in use'));
    packet.messageId = id;
    return new Promise<AckResult>((resolve, reject) => {
      this.pending.set(id, { ...p, done: { resolve, reject } });
      this.send(conn, packet).catch((err: Error) => {
        if (this.pending.delete(id)) this.inflight.ids.release(id);
        reject(err);
      });
    });
  }

  /** Send queued QoS 1/2 publishes while the broker's Receive Maximum allows [MQTT-4.9.0-2]. */
  private drain(): void {
    const conn = this.session.connected;
    while (conn && this.queue.length && this.inflight.count < this.limits.receiveMaximum) {
      const id = this.inflight.ids.allocate();
      if (id === null) break;
      const item = this.queue.shift() as Queued;
      // A publish queued on an earlier connection cannot rely on that connection's aliases.
      const packet = { ...(item.conn === conn ? item.packet : item.resend), messageId: id };
      this.inflight.track({ ...item.resend, messageId: id }, item.done);
      // A failed write closes the connection; the flow is then resent or failed by onDisconnected.
      this.send(conn, packet).catch(() => undefined);
    }
    this.session.changed(true);
  }

  private send(conn: Connection, packet: Packet): Promise<void> {
    try {
      const written = conn.send(packet);
      this.session.sentPacket();
      return written;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  // ---- packets from the broker ----

  onPacket(conn: Connection, p: Packet): void {
    let outcome: { reply?: Packet; note?: string } = {};
    switch (p.cmd) {
      case 'publish': return this.onPublish(conn, p);
      case 'puback': case 'pubcomp':
        // Step mode holds the incoming ack itself, so the flow stays open until the user applies it.
        if (this.step.on) {
          return this.step.hold(conn.wire, { conn: conn.id, received: p.cmd === 'puback' ? 'PUBACK' : 'PUBCOMP', packetId: p.messageId ?? 0, reply: null },
            () => this.applyAck(conn, p));
        }
        return this.applyAck(conn, p);
      case 'pubrec': outcome = this.inflight.onPubrec(p); break;
      case 'pubrel': outcome = this.inflight.onPubrel(p); break;
      case 'suback': case 'unsuback': return this.onAck(conn, p);
      default: return;
    }
    if (outcome.note) conn.wire.event(outcome.note);
    if (outcome.reply) this.reply(conn, outcome.reply, p.cmd === 'pubrec' ? 'PUBREC' : 'PUBREL', p.messageId ?? 0);
    if (p.cmd !== 'pubrel') this.drain();
  }

  private applyAck(conn: Connection, p: Packet & { cmd: 'puback' | 'pubcomp' }): void {
    const outcome = p.cmd === 'puback' ? this.inflight.onPuback(p) : this.inflight.onPubcomp(p);
    if (outcome.note) conn.wire.event(outcome.note);
    this.drain();
  }

  /** Send an acknowledgement now, or hold it in step mode. */
  private reply(conn: Connection, packet: Packet, received: StepInfo['received'], packetId: number, extra: Partial<StepInfo> = {}): void {
    if (!this.step.on) {
      this.send(conn, packet).catch(() => undefined);
      return;
    }
    this.step.hold(conn.wire, { conn: conn.id, received, packetId, reply: packet.cmd.toUpperCase() as StepInfo['reply'], ...extra },
      () => this.send(conn, packet).catch(() => undefined));
  }

  /** Put bytes the user wrote on the connection as they are; the tap records them like any other frame. */
  async sendRaw(bytes: Buffer): Promise<void> {
    const conn = this.requireConnection();
    conn.wire.event(`raw packet from the user: ${bytes.length} byte(s) written as given`);
    await conn.sendBytes(bytes);
    this.session.sentPacket();
  }

  private onPublish(conn: Connection, p: IPublishPacket): void {
    let topic = p.topic;
    const alias = this.version === 5 ? p.properties?.topicAlias : undefined;
    if (alias !== undefined) {
      const max = this.session.options.properties?.topicAliasMaximum ?? 0;
      if (alias === 0 || alias > max) return this.protocolError(conn, `the broker used topic alias ${alias}, but we allow 1..${max} [MQTT-3.3.2-9]`);
      if (topic) this.inAliases.set(alias, topic);
      else topic = this.inAliases.get(alias) ?? '';
      if (!topic) return this.protocolError(conn, `the broker used topic alias ${alias} before setting it`);
    }
    const { deliver, reply } = this.inflight.onPublish(p);
    if (reply) this.reply(conn, reply, 'PUBLISH', p.messageId ?? 0, { topic, qos: p.qos });
    if (!deliver) conn.wire.event(duplicateNotDelivered(p.messageId ?? 0));
    else {
      this.session.deliver({
        topic, payload: Buffer.isBuffer(p.payload) ? p.payload : Buffer.from(p.payload), qos: p.qos, retain: p.retain,
        dup: p.dup, packetId: p.messageId, properties: jsonProperties(p.properties),
      });
    }
  }

  private protocolError(conn: Connection, why: string): void {
    // v5 wants a DISCONNECT with the reason before closing [MQTT-4.13.1-1]; 0x94 = topic alias invalid.
    this.send(conn, { cmd: 'disconnect', reasonCode: 0x94 }).catch(() => undefined);
    conn.fail(`protocol error: ${why}`);
  }

  private onAck(conn: Connection, p: ISubackPacket | IUnsubackPacket): void {
    const id = p.messageId ?? 0;
    const pending = this.pending.get(id);
    if (!pending || pending.kind !== p.cmd) {
      conn.wire.event(`${p.cmd.toUpperCase()} for packet id ${id}, which has no request waiting`);
      return;
    }
    this.pending.delete(id);
    this.inflight.ids.release(id);
    const codes = ((p.granted ?? []) as unknown[]).filter((c): c is number => typeof c === 'number');
    const why = p.properties?.reasonString ? ` (${p.properties.reasonString})` : '';
    const reasons = codes.map((c) => reasonText(c, p.cmd, this.version) + (c >= 0x80 ? why : ''));
    if (pending.kind === 'suback') {
      pending.subs.forEach((s, i) => {
        if ((codes[i] ?? 0x80) >= 0x80) return;
        this.subscriptions = [...this.subscriptions.filter((x) => x.topic !== s.topic), { ...s }];
      });
    } else {
      // 3.1.1 UNSUBACK has no codes: it means every filter is gone.
      const gone = new Set(pending.topics.filter((_, i) => this.version < 5 || (codes[i] ?? 0) < 0x80));
      this.subscriptions = this.subscriptions.filter((s) => !gone.has(s.topic));
    }
    pending.done.resolve({ packetId: id, reasonCodes: codes, reasons });
    this.session.changed();
  }
}
