// The embedded broker: aedes behind tapped listeners, plus the live state the UI shows about it.
import { Aedes, type Client } from 'aedes';
import type {
  BrokerClientInfo, BrokerConfig, BrokerStatus, BrokerSubscriptionInfo, OfflineSessionInfo, RetainedInfo,
} from '../../../shared/contract/types';
import { topicMatches } from '../../../shared/mqtt/topic';
import type { ConnRecord } from '../trace/conn-record';
import type { TraceRecorder } from '../trace/recorder';
import type { WireConnection } from '../trace/wire';
import { extraListener, tcpListener, tlsListener, wsListener, type Accept, type Listener } from './listeners';
import { Access } from './auth/access';
import { AckAfterStore } from './persistence/ack-after-store';
import { openBrokerStore, type BrokerStore } from './persistence/level-store';
import { brokerPacket } from './broker-packet';
import { connectFacts, type ConnectFacts } from './connect-facts';
import { answerUnsupportedLevel, attachConformance, isSysStat, limitsToAedesOptions, type Conformance } from './v5';
import { BrokerFaults, type FaultTarget } from './faults';
import { boundOutputQueue, DEFAULT_INACTIVITY_SEC, DEFAULT_OUTPUT_QUEUE_BYTES, droppedQoS0, InactivityGuard } from './guards';

export const DEFAULT_BROKER_CONFIG: BrokerConfig = {
  host: '127.0.0.1', tcpPort: 1883, wsPort: 8083, wsPath: '/mqtt', tls: null, auth: null,
};

type Changed = 'clients' | 'subscriptions' | 'retained' | 'offline';

/** The parts of aedes' in-memory persistence and client we read (aedes' typings leave them out). */
interface Persistence {
  storeRetained(p: any): Promise<void>;
  createRetainedStream(pattern: string): AsyncIterable<any>;
  subscriptionsByClient(c: { id: string }): Promise<{ topic: string; qos: number }[] | null>;
  outgoingStream(c: { id: string }): AsyncIterable<any>;
}
const persistenceOf = (a: Aedes) => (a as unknown as { persistence: Persistence }).persistence;
const subscriptionsOf = (c: Client) => (c as unknown as { subscriptions: Record<string, { qos: number; rh?: number; rap?: boolean; nl?: boolean }> }).subscriptions;

interface Live { client: Client; wire: WireConnection; facts: ConnectFacts; connectedAtMs: number; transport: 'tcp' | 'tls' | 'ws' }

export class EmbeddedBroker {
  private aedes: Aedes | null = null;
  private store: BrokerStore | null = null;
  private listeners: Listener[] = [];
  private status: BrokerStatus;
  private live = new Map<string, Live>();
  private facts = new WeakMap<object, ConnectFacts>();
  private wires = new WeakMap<object, WireConnection>();
  /** Clients that left a persistent session behind. */
  private offline = new Set<string>();
  private v5: Conformance | null = null;
  readonly faults = new BrokerFaults(() => this.onChanged(['clients']));
  private guard: InactivityGuard | null = null;

  constructor(
    private recorder: TraceRecorder,
    private onStatus: (s: BrokerStatus) => void,
    private onChanged: (what: Changed[]) => void,
    config: BrokerConfig = DEFAULT_BROKER_CONFIG,
  ) {
    this.status = { state: 'stopped', config, listeners: [] };
  }

  getStatus(): BrokerStatus { return structuredClone(this.status); }

  async start(config: BrokerConfig = this.status.config): Promise<BrokerStatus> {
    if (this.status.state === 'running' || this.status.state === 'starting') await this.stop();
    this.setStatus({ state: 'starting', config, listeners: [] });
    try {
      const access = await Access.load(config);
      this.store = config.persistence ? await openBrokerStore(config.persistence.dir) : null;
      const acks = this.store ? new AckAfterStore() : null;
      const aedes = await Aedes.createBroker({
        ...(this.store ? { persistence: this.store.persistence as never, published: acks!.published } : {}),
        // MQTT 5 limits and capabilities (electron/core/broker/v5/options.ts)
        ...limitsToAedesOptions(config),
        // the deliveries queued for a connection leave in one writev, not one per packet (patches/aedes: lib/write.js)
        coalesceWrites: true,
        preConnect: (client, packet, done) => {
          this.facts.set(client, connectFacts(packet));
          boundOutputQueue(client as never, DEFAULT_OUTPUT_QUEUE_BYTES);
          done(null, true);
        },
        // aedes decodes topics leniently; the tap has already checked the bytes. A topic that is not
        // UTF-8 is a protocol error the server must close the connection for [MQTT-1.5.3-1].
        authorizePublish: (client, packet, done) => {
          if (client && packet.topic.includes('\ufffd')) {
            const wire = this.wires.get(client.conn);
            const problem = wire ? this.recorder.conns.get(wire.id)?.lastProblem : undefined;
            if (problem && problem.includes('UTF-8')) {
              wire!.closing(`broker closed the connection: ${problem}`);
              client.close();
              return done(new Error(problem));
            }
          }
          access.authorizePublish(client, packet, (err) => { if (!err) acks?.hold(client, packet); done(err); });
        },
        authenticate: access.authenticate,
        authorizeSubscribe: access.authorizeSubscribe,
        ...(access.hasAcl ? { authorizeForward: access.authorizeForward } : {}),
      });
      this.aedes = aedes;
      this.wireEvents(aedes);
      this.v5 = attachConformance(aedes, config, {
        recorder: this.recorder,
        note: (client, text) => this.wires.get(client.conn)?.event(text),
        offlineCount: async () => (await this.offlineSessions()).length,
        subscriptionCount: async () => (await this.subscriptions()).length,
        retainedCount: async () => (await this.retainedPackets('#')).length,
      });
      const guard = this.guard = new InactivityGuard(this.recorder, config.inactivityTimeoutSec ?? DEFAULT_INACTIVITY_SEC);
      const accept: Accept = (stream, wire, req) => {
        this.wires.set(stream, wire);
        guard.watch(stream, wire);
        answerUnsupportedLevel(aedes.handle(stream, req), stream);
      };
      const ls: Listener[] = [];
      try {
        ls.push(await tcpListener(config.host, config.tcpPort, this.recorder, accept));
        if (config.wsPort !== null) ls.push(await wsListener(config.host, config.wsPort, config.wsPath, this.recorder, accept, config.wsAllowedOrigins));
        if (config.tls) ls.push(await tlsListener(config.host, config.tls.port, config.tls, this.recorder, accept));
        for (const x of config.extraListeners ?? []) ls.push(await extraListener(x, this.recorder, accept, config.wsAllowedOrigins));
      } catch (e) {
        await Promise.all(ls.map((l) => l.close()));
        throw e;
      }
      this.listeners = ls;
      for (const id of (await this.store?.sessionClientIds()) ?? []) this.offline.add(id);
      this.setStatus({ state: 'running', config, listeners: ls.map((l) => l.info), startedAtMs: Date.now() });
    } catch (e) {
      await this.closeAedes();
      this.guard?.dispose();
      this.guard = null;
      this.setStatus({ state: 'failed', config, listeners: [], error: (e as Error).message });
    }
    return this.getStatus();
  }

  async stop(): Promise<BrokerStatus> {
    if (this.status.state === 'stopped') return this.getStatus();
    this.setStatus({ ...this.status, state: 'stopping' });
    const ls = this.listeners;
    this.listeners = [];
    await Promise.all(ls.map((l) => l.close()));
    await this.closeAedes();
    this.guard?.dispose();
    this.guard = null;
    this.live.clear();
    this.offline.clear();
    this.setStatus({ state: 'stopped', config: this.status.config, listeners: [] });
    this.onChanged(['clients', 'subscriptions', 'retained', 'offline']);
    return this.getStatus();
  }

  clients(): BrokerClientInfo[] {
    const out: BrokerClientInfo[] = [];
    for (const [clientId, l] of this.live) {
      const rec = this.recorder.conns.get(l.wire.id) as ConnRecord | undefined;
      out.push({
        clientId,
        conn: l.wire.id,
        protocolVersion: (l.client.version ?? 4) as 3 | 4 | 5,
        remote: rec?.info.remote ?? '',
        transport: l.transport,
        keepalive: l.facts.keepalive,
        cleanStart: l.facts.clean,
        sessionExpiry: l.facts.sessionExpiry,
        will: l.facts.will,
        username: l.facts.username,
        connectedAtMs: l.connectedAtMs,
        packetsIn: rec?.packetsIn ?? 0,
        packetsOut: rec?.packetsOut ?? 0,
        bytesIn: rec?.bytesIn ?? 0,
        bytesOut: rec?.bytesOut ?? 0,
        faults: this.faults.of(l.client.conn),
        droppedQoS0: droppedQoS0(l.client),
      });
    }
    return out;
  }

  async subscriptions(): Promise<BrokerSubscriptionInfo[]> {
    const out: BrokerSubscriptionInfo[] = [];
    for (const [clientId, l] of this.live) {
      const subs = subscriptionsOf(l.client);
      for (const [topic, s] of Object.entries(subs)) {
        out.push({ clientId, topic, qos: s.qos, noLocal: s.nl, retainAsPublished: s.rap, retainHandling: s.rh, online: true });
      }
    }
    for (const s of await this.offlineSessions()) {
      for (const sub of s.subscriptions) out.push({ clientId: s.clientId, topic: sub.topic, qos: sub.qos, online: false });
    }
    return out;
  }

  async retained(filter: string): Promise<RetainedInfo[]> {
    const out: RetainedInfo[] = [];
    for (const p of await this.retainedPackets(filter)) {
      out.push({ topic: p.topic, size: p.payload.length, qos: p.qos, properties: p.properties ? { ...p.properties } : undefined });
    }
    return out.sort((a, b) => a.topic.localeCompare(b.topic));
  }

  async retainedPayload(topic: string): Promise<Buffer | null> {
    const found = (await this.retainedPackets('#')).find((p) => p.topic === topic);
    return found ? Buffer.from(found.payload) : null;
  }

  /** Publishes a retained message from the broker itself: the retained table's undo of a delete. */
  republishRetained(topic: string, payload: Buffer, qos: 0 | 1 | 2, properties?: Record<string, unknown>): Promise<void> {
    const aedes = this.requireRunning();
    return new Promise((resolve, reject) => aedes.publish(brokerPacket({ topic, payload, qos, retain: true, properties }), (err) => {
      if (err) reject(err); else { this.onChanged(['retained']); resolve(); }
    }));
  }

  /** Deletes without delivering an empty message to subscribers (unlike a retained zero-byte PUBLISH). */
  async deleteRetained(topic: string): Promise<boolean> {
    const aedes = this.requireRunning();
    const exists = (await this.retainedPackets('#')).some((p) => p.topic === topic);
    if (exists) {
      await persistenceOf(aedes).storeRetained({ cmd: 'publish', topic, payload: Buffer.alloc(0), qos: 0, retain: true, dup: false });
      this.onChanged(['retained']);
    }
    return exists;
  }

  async clearRetained(filter: string, dryRun = false): Promise<number> {
    const aedes = this.requireRunning();
    const matches = await this.retainedPackets(filter);
    if (!dryRun) {
      for (const p of matches) await persistenceOf(aedes).storeRetained({ ...p, payload: Buffer.alloc(0) });
      if (matches.length) this.onChanged(['retained']);
    }
    return matches.length;
  }

  async offlineSessions(): Promise<OfflineSessionInfo[]> {
    const aedes = this.aedes;
    if (!aedes) return [];
    const out: OfflineSessionInfo[] = [];
    for (const clientId of this.offline) {
      if (this.live.has(clientId)) continue;
      const subs = await persistenceOf(aedes).subscriptionsByClient({ id: clientId });
      let queued = 0;
      for await (const _p of persistenceOf(aedes).outgoingStream({ id: clientId })) queued++;
      out.push({
        clientId, subscriptions: (subs ?? []).map((s: { topic: string; qos: number }) => ({ topic: s.topic, qos: s.qos })), queued,
        dropped: this.v5?.queue.dropped(clientId) ?? 0,
      });
    }
    return out;
  }

  /** The live connection of a client, for fault injection. */
  faultTarget(clientId: string): FaultTarget | undefined {
    const l = this.live.get(clientId);
    return l ? { stream: l.client.conn, wire: l.wire } : undefined;
  }

  disconnect(clientId: string): boolean {
    const l = this.live.get(clientId);
    if (!l) return false;
    l.wire.event('MQScope user disconnected this client from the Broker view');
    l.wire.closing('disconnected from the Broker view');
    l.client.close();
    return true;
  }

  async dispose(): Promise<void> { await this.stop(); }

  // ---- internals ----

  private async retainedPackets(filter: string): Promise<any[]> {
    const aedes = this.aedes;
    if (!aedes) return [];
    const out: any[] = [];
    // Walk everything and match with our own matcher: it also covers '$'-topics the way MQTT says.
    for await (const p of persistenceOf(aedes).createRetainedStream('#')) if (topicMatches(filter, p.topic)) out.push(p);
    if (filter.startsWith('$') || filter === '#') {
      for await (const p of persistenceOf(aedes).createRetainedStream('$SYS/#')) {
        // the broker's own statistics are not users' retained messages
        if (!isSysStat(p.topic) && topicMatches(filter, p.topic) && !out.some((o) => o.topic === p.topic)) out.push(p);
      }
    }
    return out;
  }

  private requireRunning(): Aedes {
    if (!this.aedes) throw new Error('the embedded broker is not running');
    return this.aedes;
  }

  private wireEvents(aedes: Aedes): void {
    aedes.on('client', (client) => {
      const wire = this.wires.get(client.conn);
      const facts = this.facts.get(client) ?? connectFacts(null);
      if (!wire) return;
      wire.update({ clientId: client.id, protocolVersion: (client.version ?? 4) as 3 | 4 | 5 });
      const rec = this.recorder.conns.get(wire.id);
      const transport = (rec?.info.transport ?? 'tcp') as 'tcp' | 'tls' | 'ws';
      this.live.set(client.id, { client, wire, facts, connectedAtMs: Date.now(), transport });
      this.offline.delete(client.id);
      this.onChanged(['clients', 'offline']);
    });
    aedes.on('clientDisconnect', (client) => {
      const l = this.live.get(client.id);
      if (l && l.client === client) {
        this.live.delete(client.id);
        if (!client.clean) this.offline.add(client.id);
      }
      this.onChanged(['clients', 'subscriptions', 'offline']);
    });
    // A v5 session that reached its expiry is gone from the offline table.
    aedes.on('sessionExpired', (client) => {
      if (!this.live.has(client.id)) this.offline.delete(client.id);
      this.onChanged(['offline']);
    });
    const closedBecause = (client: Client, text: string) => {
      const wire = this.wires.get(client.conn);
      wire?.event(text);
      wire?.closing(text);
    };
    aedes.on('clientError', (client, err) => {
      // A refused v5 publish is answered with 0x87 and the connection stays up.
      if ((err as { keepsConnection?: boolean }).keepsConnection) return this.wires.get(client.conn)?.event(`broker refused: ${err.message}`);
      closedBecause(client, `broker closed the connection: ${err.message}`);
    });
    aedes.on('connectionError', (client, err) => closedBecause(client, `broker rejected the connection: ${err.message}`));
    aedes.on('keepaliveTimeout', (client) => closedBecause(client, 'broker closed the connection: keepalive timed out (no packet within 1.5 × keepalive)'));
    aedes.on('subscribe', () => this.onChanged(['subscriptions']));
    aedes.on('unsubscribe', () => this.onChanged(['subscriptions']));
    aedes.on('publish', (packet) => { if (packet.retain && !isSysStat(packet.topic)) this.onChanged(['retained']); });
  }

  private async closeAedes(): Promise<void> {
    this.v5?.stop();
    this.v5 = null;
    const aedes = this.aedes;
    this.aedes = null;
    if (aedes) await new Promise<void>((r) => aedes.close(() => r()));
    const store = this.store;
    this.store = null;
    await store?.close();
  }

  private setStatus(s: BrokerStatus): void {
    this.status = s;
    this.onStatus(this.getStatus());
  }
}
