// Message journeys: a PUBLISH the embedded broker received, joined with every PUBLISH the broker sent
// because of it — same topic (aliases resolved), identical payload bytes, QoS no higher than the
// publish's — plus retained deliveries on subscribe, will messages, offline-queue deliveries after a
// reconnect, and messages delivered to nobody (no deliveries). Built from the broker tap's frames only.
import type { ConnState } from './conn-state';
import type { FlowEngine } from './engine';
import type { FlowRec } from './flow-record';
import type { FlowFrame, FrameExtras } from './frame';
import type { DeliveryCause, Journey } from './types';

interface Delivery { conn: number; flow: FlowRec; qos: 0 | 1 | 2; cause: DeliveryCause; seq: number }

export class JourneyRec {
  readonly deliveries: Delivery[] = [];
  lastSeq: number;
  isWill = false;
  constructor(
    readonly id: number, readonly key: string, readonly topic: string, readonly publisherConn: number,
    readonly publisherClientId: string | undefined, readonly inboundFlow: number, readonly qos: 0 | 1 | 2,
    readonly retain: boolean, readonly payloadSize: number, readonly startUs: number, readonly startSeq: number,
  ) { this.lastSeq = startSeq; }
}

/** Journeys remembered per topic+payload key, newest last (enough to tell repeats of one message apart). */
const PER_KEY = 16;

function keyOf(topic: string, size: number, hash: number | undefined): string {
  return `${topic}\0${size}\0${hash ?? ''}`;
}

export class JourneyTracker {
  readonly journeys = new Map<number, JourneyRec>();
  private byKey = new Map<string, number[]>();
  private nextId = 1;

  constructor(private e: FlowEngine) {}

  /** A new PUBLISH flow on a broker-side connection (inbound: a journey starts; outbound: a delivery). */
  onPublish(c: ConnState, f: FlowFrame, x: FrameExtras | undefined, r: FlowRec, topic: string | undefined): void {
    if (topic === undefined) return; // an alias this trace never saw defined
    const size = f.payloadSize ?? 0;
    const key = keyOf(topic, size, x?.payloadHash);
    const qos = f.qos ?? 0;
    if (f.dir === 'c2s') {
      const j = this.create(key, topic, c.id, c.clientId, r.id, qos, f.retain === true, size, f.timeUs, f.seq);
      this.tag(r, j);
      return;
    }
    let j: JourneyRec | undefined;
    for (const id of [...(this.byKey.get(key) ?? [])].reverse()) {
      const cand = this.journeys.get(id);
      // The broker never delivers above the publish QoS (it downgrades to the subscription's) (MQTT §3.8.4).
      if (cand && (cand.isWill || cand.inboundFlow === 0 || qos <= cand.qos)) { j = cand; break; }
    }
    let cause: DeliveryCause;
    if (!j) {
      j = this.create(key, topic, 0, undefined, 0, qos, f.retain === true, size, f.timeUs, f.seq);
      cause = f.retain ? 'retained' : c.sessionPresent ? 'offline-queue' : 'publish';
    } else if (j.isWill) cause = 'will';
    else if (j.startUs < c.connectUs) cause = f.retain ? 'retained' : 'offline-queue';
    else if (f.retain && c.lastSubscribeUs >= j.startUs) cause = 'retained';
    else cause = 'publish';
    j.deliveries.push({ conn: c.id, flow: r, qos, cause, seq: f.seq });
    j.lastSeq = f.seq;
    this.tag(r, j);
  }

  /** A connection with a will closed without DISCONNECT: the broker publishes the will [MQTT-3.1.2-8]. */
  onWill(c: ConnState, f: FlowFrame): void {
    const w = c.will!;
    const j = this.create(keyOf(w.topic, w.payloadSize, w.payloadHash), w.topic, c.id, c.clientId, 0, w.qos, w.retain, w.payloadSize, f.timeUs, f.seq);
    j.isWill = true;
  }

  forget(firstSeq: number): void {
    for (const j of this.journeys.values()) {
      if (j.startSeq >= firstSeq) break;
      if (j.lastSeq >= firstSeq) continue;
      this.journeys.delete(j.id);
      const ids = this.byKey.get(j.key);
      if (ids) {
        const i = ids.indexOf(j.id);
        if (i >= 0) ids.splice(i, 1);
        if (ids.length === 0) this.byKey.delete(j.key);
      }
    }
  }

  toJourney(j: JourneyRec): Journey {
    const out: Journey = {
      id: j.id, topic: j.topic, qos: j.qos, retain: j.retain, payloadSize: j.payloadSize, startUs: j.startUs,
      deliveries: j.deliveries.map((d) => {
        const clientId = this.e.conns.get(d.conn)?.clientId ?? d.flow.clientId;
        return { conn: d.conn, ...(clientId !== undefined ? { clientId } : {}), qos: d.qos, flow: d.flow.id, state: d.flow.state, cause: d.cause, seq: d.seq };
      }),
    };
    if (j.publisherConn) out.publisher = { conn: j.publisherConn, ...(j.publisherClientId !== undefined ? { clientId: j.publisherClientId } : {}) };
    if (j.inboundFlow) out.inboundFlow = j.inboundFlow;
    return out;
  }

  private create(key: string, topic: string, pubConn: number, pubClient: string | undefined, inbound: number, qos: 0 | 1 | 2,
    retain: boolean, size: number, timeUs: number, seq: number): JourneyRec {
    const j = new JourneyRec(this.nextId++, key, topic, pubConn, pubClient, inbound, qos, retain, size, timeUs, seq);
    this.journeys.set(j.id, j);
    let ids = this.byKey.get(key);
    if (!ids) { ids = []; this.byKey.set(key, ids); }
    ids.push(j.id);
    if (ids.length > PER_KEY) ids.shift();
    this.e.version++;
    return j;
  }

  private tag(r: FlowRec, j: JourneyRec): void {
    r.journeyId = j.id;
    const peer = r.peerFlow ? this.e.flows.get(r.peerFlow) : undefined;
    if (peer) peer.journeyId = j.id;
  }
}
