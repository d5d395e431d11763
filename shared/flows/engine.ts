// The flow engine: folds frames, in seq order, into handshakes per connection and packet id, and
// publishes into message journeys. Incremental (append() touches only the flows the frame belongs
// to), pure and isomorphic: the live core, opened trace files and the CLI all feed it the same way.
import type { PacketType } from '../contract/types';
import { PACKET_TYPES } from '../contract/types';
import { ConnState, idKey, opposite, type ConnMeta } from './conn-state';
import { FlowRec, expectedNext } from './flow-record';
import type { FlowFrame, FrameExtras } from './frame';
import { JourneyTracker } from './journeys';
import { linkPeer, notePairing } from './peers';
import { onAck, onPublish } from './publish-rules';
import { onControl } from './control-rules';
import { IdTable } from './id-table';
import { SeqMap } from './seq-map';
import type { FlowCounts, FlowKind, FlowState } from './types';

export const DEFAULT_STALLED_MS = 5000;
const FLOW_BYTES = 320;
const JOURNEY_BYTES = 190;
const TYPE_NUM = new Map<PacketType, number>(PACKET_TYPES.map((t, i) => [t, i]));

export interface FlowEngineOptions {
  stalledMs?: number;
  /** Addresses and side of a connection, to join the client tap and the broker tap of one TCP connection. */
  connMeta?: (conn: number) => ConnMeta | undefined;
}

export class FlowEngine {
  readonly flows = new IdTable<FlowRec>();
  readonly conns = new Map<number, ConnState>();
  readonly seqs = new SeqMap();
  readonly journeys: JourneyTracker;
  readonly counts: FlowCounts = { complete: 0, 'in-flight': 0, stalled: 0, retransmitted: 0, refused: 0, broken: 0 };
  /** Flows still waiting for a step (the stall timer looks only at these). */
  readonly openFlows = new Set<FlowRec>();
  /** Open QoS 1/2 flows of a closed connection, waiting for the client's next connection: side|clientId → idKey → flow. */
  readonly carry = new Map<string, Map<number, FlowRec>>();
  /** Newest connection per side|clientId (a new CONNECT with the same id takes its flows over). */
  readonly liveByClient = new Map<string, number>();
  readonly pairs = new Map<string, { client: number; broker: number }>();
  stalledUs: number;
  /** Bumps on every change; the host compares it to decide whether to announce. */
  version = 0;
  nowUs = 0;
  private nextId = 1;
  private forgotBelow = 0;

  constructor(readonly opts: FlowEngineOptions = {}) {
    this.stalledUs = (opts.stalledMs ?? DEFAULT_STALLED_MS) * 1000;
    this.journeys = new JourneyTracker(this);
  }

  get total(): number { return this.flows.size; }

  /** Rough heap held per frame (measured by the flows bench: a flow with its steps and map entry, a journey, the seq map). */
  bytesPerFrame(frames: number): number {
    if (frames <= 0) return 0;
    return Math.min(1024, (this.flows.size * FLOW_BYTES + this.journeys.journeys.size * JOURNEY_BYTES) / frames + 4);
  }

  append(f: FlowFrame, x?: FrameExtras): void {
    if (f.timeUs > this.nowUs) this.nowUs = f.timeUs;
    const c = this.conn(f.conn, f.side);
    c.lastSeq = f.seq;
    if (f.kind === 'event') {
      if (f.note?.startsWith('connection opened')) c.sawStart = true;
      else if (f.note?.startsWith('connection closed')) this.closeConn(c, f);
      return;
    }
    if (f.kind !== 'packet' || !f.type) return;
    if (f.type === 'PUBLISH' || f.type === 'PUBACK' || f.type === 'PUBREC' || f.type === 'PUBREL' || f.type === 'PUBCOMP') {
      if (f.type === 'PUBLISH') onPublish(this, c, f, x);
      else onAck(this, c, f);
    } else {
      onControl(this, c, f, x);
    }
  }

  /** Open flows with no next step for the threshold become stalled. `nowUs` on the frames' clock. */
  tick(nowUs: number): void {
    if (nowUs > this.nowUs) this.nowUs = nowUs;
    for (const r of this.openFlows) {
      if ((r.state === 'in-flight' || r.state === 'retransmitted') && this.nowUs - r.lastUs >= this.stalledUs) {
        this.setState(r, 'stalled');
        const live = this.conns.get(r.liveConn);
        const gone = !live || live.closed ? '; the connection closed and no later connection of this client resumed it' : '';
        r.problem = `no ${expectedNext(r)} within ${Math.round(this.stalledUs / 1000)} ms${gone}`;
        r.stallProblem = true;
      }
    }
  }

  setStalledMs(ms: number): void {
    this.stalledUs = ms * 1000;
    for (const r of this.openFlows) {
      if (r.stallProblem && this.nowUs - r.lastUs < this.stalledUs) this.resume(r);
    }
    this.tick(this.nowUs);
  }

  /** Forget flows, journeys and connections none of whose frames are left in the store. */
  forget(firstSeq: number): void {
    if (firstSeq <= this.forgotBelow) return;
    this.forgotBelow = firstSeq;
    this.seqs.dropBelow(firstSeq);
    for (const r of this.flows.values()) {
      if (r.startSeq >= firstSeq) break; // flows are in start order: the rest began later
      if (r.lastSeq >= firstSeq) continue;
      this.flows.delete(r.id);
      this.counts[r.state]--;
      if (r.open) this.close(r);
      this.version++;
    }
    this.journeys.forget(firstSeq);
    for (const c of this.conns.values()) {
      if (!c.closed || c.lastSeq >= firstSeq) continue;
      this.conns.delete(c.id);
      if (c.pairKey && this.pairs.get(c.pairKey)?.[c.side] === c.id) this.pairs.delete(c.pairKey);
      const key = `${c.side}\0${c.clientId}`;
      if (this.liveByClient.get(key) === c.id) this.liveByClient.delete(key);
    }
  }

  // ---- used by the rule files ----

  conn(id: number, side: ConnState['side']): ConnState {
    let c = this.conns.get(id);
    if (!c) {
      c = new ConnState(id, side);
      this.conns.set(id, c);
      const meta = this.opts.connMeta?.(id);
      if (meta?.clientId) c.clientId = meta.clientId;
      if (meta) notePairing(this, c, meta);
    }
    return c;
  }

  newFlow(c: ConnState, f: FlowFrame, kind: FlowKind, packetId: number, origin = f.dir, note?: string): FlowRec {
    const r = new FlowRec(this.nextId++, c.id, c.side, kind, packetId, origin);
    r.clientId = c.clientId;
    this.flows.set(r.id, r);
    this.counts['in-flight']++;
    this.openFlows.add(r);
    this.addStep(r, c, f, note);
    linkPeer(this, c, r);
    return r;
  }

  addStep(r: FlowRec, c: ConnState, f: FlowFrame, note?: string): void {
    r.addStep(f.seq, TYPE_NUM.get(f.type!)!, f.dir, f.timeUs, c.id, f.dup === true, f.type === 'PUBLISH' ? undefined : f.reasonCode, note);
    this.seqs.set(f.seq, r.id);
    this.version++;
  }

  /** The flow moves on after a step: leaves stalled, shows it was retransmitted. */
  resume(r: FlowRec): void {
    if (r.stallProblem) { r.problem = undefined; r.stallProblem = false; }
    this.setState(r, r.retransmitted ? 'retransmitted' : 'in-flight');
  }

  setState(r: FlowRec, s: FlowState): void {
    if (r.state === s) return;
    if (this.flows.has(r.id)) { this.counts[r.state]--; this.counts[s]++; }
    r.state = s;
    this.version++;
  }

  /** The exchange is over: complete, refused, broken, or stalled for good. */
  finish(r: FlowRec, s: FlowState, problem?: string): void {
    if (r.stallProblem) { r.problem = undefined; r.stallProblem = false; }
    this.setState(r, s);
    if (problem !== undefined) r.problem = problem;
    r.endUs = r.lastUs;
    this.close(r);
    if (r.kind === 'publish-qos1' || r.kind === 'publish-qos2') {
      const done = this.conns.get(r.liveConn)?.done;
      if (done) {
        const k = idKey(r.origin, r.packetId);
        done.delete(k);
        done.set(k, r);
        if (done.size > 1024) done.delete(done.keys().next().value!);
      }
    }
  }

  /** A resend after reconnect for an exchange that had already finished on the wire: it is open again. */
  reopen(r: FlowRec, c: ConnState): void {
    r.open = true;
    r.endUs = -1;
    r.liveConn = c.id;
    r.retransmitted = true;
    this.openFlows.add(r);
    c.open.set(idKey(r.origin, r.packetId), r);
    this.setState(r, 'retransmitted');
  }

  /** A frame that answers nothing in flight: a broken one-step flow (unless the connection began before the trace). */
  orphan(c: ConnState, f: FlowFrame, kind: FlowKind, packetId: number, problem: string): void {
    if (!c.sawStart) return;
    const r = this.newFlow(c, f, kind, packetId, f.type === 'PUBREL' ? f.dir : opposite(f.dir));
    this.finish(r, 'broken', problem);
  }

  private close(r: FlowRec): void {
    if (!r.open) return;
    r.open = false;
    this.openFlows.delete(r);
    const c = this.conns.get(r.liveConn);
    const k = idKey(r.origin, r.packetId);
    if (c) {
      if (c.open.get(k) === r) c.open.delete(k);
      if (c.connectFlow === r) c.connectFlow = null;
      if (c.authFlow === r) c.authFlow = null;
      const p = c.pings.indexOf(r);
      if (p >= 0) c.pings.splice(p, 1);
    }
    if (r.carried && r.clientId) {
      const m = this.carry.get(`${r.side}\0${r.clientId}`);
      if (m?.get(k) === r) m.delete(k);
    }
  }

  // ---- connection lifecycle ----

  private closeConn(c: ConnState, f: FlowFrame): void {
    if (c.closed) return;
    c.closed = true;
    this.suspend(c, 'the connection closed');
    if (c.will && !c.graceful && c.side === 'broker') this.journeys.onWill(c, f);
  }

  /**
   * The connection ends (closed, or taken over by a new CONNECT with the same client id): QoS 1/2
   * exchanges wait for the client's next connection [MQTT-4.4.0-1]; every other open exchange is over.
   */
  suspend(c: ConnState, why: string): void {
    for (const r of [...c.open.values()]) {
      if ((r.kind === 'publish-qos1' || r.kind === 'publish-qos2') && c.clientId) {
        c.open.delete(idKey(r.origin, r.packetId));
        r.carried = true;
        const key = `${c.side}\0${c.clientId}`;
        let m = this.carry.get(key);
        if (!m) { m = new Map(); this.carry.set(key, m); }
        m.set(idKey(r.origin, r.packetId), r);
      } else {
        this.finish(r, 'stalled', `${why} before the ${expectedNext(r)}`);
      }
    }
    for (const r of [c.connectFlow, c.authFlow, ...c.pings]) if (r) this.finish(r, 'stalled', `${why} before the ${expectedNext(r)}`);
  }

  /** A CONNECT with this client id: flows of its earlier connection continue here. */
  adoptSession(c: ConnState): void {
    if (!c.clientId) return;
    const key = `${c.side}\0${c.clientId}`;
    const prev = this.liveByClient.get(key);
    const old = prev !== undefined && prev !== c.id ? this.conns.get(prev) : undefined;
    if (old) {
      if (!old.closed) this.suspend(old, 'a new connection of the same client took the session over');
      c.prevDone = old.done;
    }
    this.liveByClient.set(key, c.id);
    const m = this.carry.get(key);
    if (!m) return;
    this.carry.delete(key);
    for (const [k, r] of m) {
      r.liveConn = c.id;
      const clash = c.open.get(k);
      if (clash) this.finish(clash, 'broken', 'packet id reused while an exchange with it from the previous connection was unfinished [MQTT-2.2.1-3]');
      c.open.set(k, r);
    }
  }

  /** CONNACK with session present 0: exchanges carried from the previous connection were dropped. */
  dropCarried(c: ConnState): void {
    for (const r of [...c.open.values()]) {
      if (r.carried) this.finish(r, 'stalled', 'the next connection started a new session (session present 0), so this exchange was dropped (MQTT §4.4)');
    }
  }
}
