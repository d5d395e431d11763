// Message journeys: a PUBLISH the embedded broker received, joined with every PUBLISH the broker sent
// because of it — same topic (aliases resolved), identical payload bytes, QoS no higher than the
// publish's — plus retained deliveries on subscribe, will messages, offline-queue deliveries after a
// reconnect, and messages delivered to nobody (no deliveries). Built from the broker tap's frames only.
import type { ConnState } from './conn-state';
import type { FlowEngine } from './engine';
import type { FlowRec } from './flow-record';
import type { FlowFrame, FrameExtras } from './frame';
import { IdTable } from './id-table';
import type { DeliveryCause, Journey } from './types';

const CAUSES: DeliveryCause[] = ['publish', 'retained', 'will', 'offline-queue'];

// One per message the broker handled, so kept small: deliveries are a flat array of
// [flow, conn, qos | cause << 2, seq] and journeys with the same topic and payload are chained.
export class JourneyRec {
  deliveries: (FlowRec | number)[] | null = null;
  lastSeq: number;
  isWill = false;
  /** The previous journey with the same topic and payload (0: none). */
  prevSame = 0;
  constructor(
    readonly id: number, readonly payloadKey: number, readonly topic: string, readonly publisherConn: number,
    readonly publisherClientId: string | undefined, readonly inboundFlow: number, readonly qos: 0 | 1 | 2,
    readonly retain: boolean, readonly payloadSize: number, readonly startUs: number, readonly startSeq: number,
  ) { this.lastSeq = startSeq; }

  get deliveryCount(): number { return this.deliveries ? this.deliveries.length / 4 : 0; }
}

/** Journeys looked at per topic+payload (newest first): enough to tell repeats of one message apart. */
const PER_KEY = 16;

/** Size and payload hash as one number (topic is the outer key). */
function payloadKey(size: number, hash: number | undefined): number {
  return (hash ?? 0) * 0x200000 + (size % 0x200000);
}

export class JourneyTracker {
  readonly journeys = new IdTable<JourneyRec>();
  /** topic → payload key → newest journey id. */
  private byKey = new Map<string, Map<number, number>>();
  private nextId = 1;

  constructor(private e: FlowEngine) {}

  /** A new PUBLISH flow on a broker-side connection (inbound: a journey starts; outbound: a delivery). */
  onPublish(c: ConnState, f: FlowFrame, x: FrameExtras | undefined, r: FlowRec, topic: string | undefined): void {
    if (topic === undefined) return; // an alias this trace never saw defined
    const size = f.payloadSize ?? 0;
    const key = payloadKey(size, x?.payloadHash);
    const qos = f.qos ?? 0;
    if (f.dir === 'c2s') {
      const j = this.create(key, topic, c.id, c.clientId, r.id, qos, f.retain === true, size, f.timeUs, f.seq);
      this.tag(r, j);
      return;
    }
    let j: JourneyRec | undefined;
    let id = this.byKey.get(topic)?.get(key) ?? 0;
    for (let n = 0; id && n < PER_KEY; n++) {
      const cand = this.journeys.get(id);
      if (!cand) break;
      // The broker never delivers above the publish QoS (it downgrades to the subscription's) (MQTT §3.8.4).
      if (cand.isWill || cand.inboundFlow === 0 || qos <= cand.qos) { j = cand; break; }
      id = cand.prevSame;
    }
    let cause: DeliveryCause;
    if (!j) {
      j = this.create(key, topic, 0, undefined, 0, qos, f.retain === true, size, f.timeUs, f.seq);
      cause = f.retain ? 'retained' : c.sessionPresent ? 'offline-queue' : 'publish';
    } else if (j.isWill) cause = 'will';
    else if (j.startUs < c.connectUs) cause = f.retain ? 'retained' : 'offline-queue';
    else if (f.retain && c.lastSubscribeUs >= j.startUs) cause = 'retained';
    else cause = 'publish';
    const code = qos | (CAUSES.indexOf(cause) << 2);
    if (j.deliveries) j.deliveries.push(r, c.id, code, f.seq);
    else j.deliveries = [r, c.id, code, f.seq];
    j.lastSeq = f.seq;
    this.tag(r, j);
  }

  /** A connection with a will closed without DISCONNECT: the broker publishes the will [MQTT-3.1.2-8]. */
  onWill(c: ConnState, f: FlowFrame): void {
    const w = c.will!;
    const j = this.create(payloadKey(w.payloadSize, w.payloadHash), w.topic, c.id, c.clientId, 0, w.qos, w.retain, w.payloadSize, f.timeUs, f.seq);
    j.isWill = true;
  }

  forget(firstSeq: number): void {
    for (const j of this.journeys.values()) {
      if (j.startSeq >= firstSeq) break;
      if (j.lastSeq >= firstSeq) continue;
      this.journeys.delete(j.id);
      const m = this.byKey.get(j.topic);
      if (m?.get(j.payloadKey) === j.id) {
        m.delete(j.payloadKey);
        if (m.size === 0) this.byKey.delete(j.topic);
      }
    }
  }

  toJourney(j: JourneyRec): Journey {
    const out: Journey = {
      id: j.id, topic: j.topic, qos: j.qos, retain: j.retain, payloadSize: j.payloadSize, startUs: j.startUs,
      deliveries: [],
    };
    const d = j.deliveries ?? [];
    for (let i = 0; i < d.length; i += 4) {
      const flow = d[i] as FlowRec;
      const conn = d[i + 1] as number;
      const code = d[i + 2] as number;
      const clientId = this.e.conns.get(conn)?.clientId ?? flow.clientId;
      out.deliveries.push({
        conn, ...(clientId !== undefined ? { clientId } : {}), qos: (code & 3) as 0 | 1 | 2, flow: flow.id, state: flow.state, cause: CAUSES[code >> 2], seq: d[i + 3] as number,
      });
    }
    if (j.publisherConn) out.publisher = { conn: j.publisherConn, ...(j.publisherClientId !== undefined ? { clientId: j.publisherClientId } : {}) };
    if (j.inboundFlow) out.inboundFlow = j.inboundFlow;
    return out;
  }

  private create(key: number, topic: string, pubConn: number, pubClient: string | undefined, inbound: number, qos: 0 | 1 | 2,
    retain: boolean, size: number, timeUs: number, seq: number): JourneyRec {
    const j = new JourneyRec(this.nextId++, key, topic, pubConn, pubClient, inbound, qos, retain, size, timeUs, seq);
    this.journeys.set(j.id, j);
    let m = this.byKey.get(topic);
    if (!m) { m = new Map(); this.byKey.set(topic, m); }
    j.prevSame = m.get(key) ?? 0;
    m.set(key, j.id);
    this.e.version++;
    return j;
  }

  private tag(r: FlowRec, j: JourneyRec): void {
    r.journeyId = j.id;
    const peer = r.peerFlow ? this.e.flows.get(r.peerFlow) : undefined;
    if (peer) peer.journeyId = j.id;
  }
}
