// A flow as the engine keeps it: one fixed-shape object per flow, its steps packed in a flat number
// array (4 numbers a step) instead of an object per frame. toFlow() makes the contract shape on demand.
import type { Dir, PacketType, Side } from '../contract/types';
import { PACKET_TYPES } from '../contract/types';
import type { Flow, FlowKind, FlowState, FlowStep } from './types';

const STRIDE = 3; // seq, timeUs, code
const DUP = 1 << 5;
const S2C = 1 << 4;
// flags
const RETX = 1;
const STALL = 2;
const OPEN = 4;
const CARRIED = 8;
const ENDED = 16;
const STAGE_SHIFT = 5;

/** Steps a flow of this kind normally has (its step array is allocated at that size once). */
function expectedSteps(kind: FlowKind): number {
  return kind === 'publish-qos2' ? 4 : kind === 'publish-qos0' || kind === 'disconnect' ? 1 : 2;
}

// Memory matters here (one object per handshake, a million frames make ~450k of them): booleans and
// the QoS 2 stage share one number, the QoS comes from the kind, the end time from the last step.
export class FlowRec {
  state: FlowState = 'in-flight';
  problem: string | undefined = undefined;
  topic: string | undefined = undefined;
  clientId: string | undefined = undefined;
  peer: { conn: number; flowId: number } | null = null;
  journeyId = 0;
  private flags = OPEN | (1 << STAGE_SHIFT);
  private n = 0;
  private steps: number[];
  private notes: (string | undefined)[] | null = null;
  /** Connection of each step, only once a step happened on another connection than the first. */
  private stepConns: number[] | null = null;
  /** The connection the flow is on now (differs from conn after a reconnect). */
  liveConn: number;

  constructor(
    readonly id: number,
    readonly conn: number,
    readonly side: Side,
    readonly kind: FlowKind,
    readonly packetId: number,
    readonly origin: Dir,
  ) {
    this.liveConn = conn;
    this.steps = new Array(expectedSteps(kind) * STRIDE);
  }

  private flag(bit: number, on: boolean): void { this.flags = on ? this.flags | bit : this.flags & ~bit; }
  get retransmitted(): boolean { return (this.flags & RETX) !== 0; }
  set retransmitted(v: boolean) { this.flag(RETX, v); }
  /** The problem was set by the stall timer (cleared when the flow moves on). */
  get stallProblem(): boolean { return (this.flags & STALL) !== 0; }
  set stallProblem(v: boolean) { this.flag(STALL, v); }
  /** Still waiting for a step (in the engine's open set). */
  get open(): boolean { return (this.flags & OPEN) !== 0; }
  set open(v: boolean) { this.flag(OPEN, v); }
  /** Moved to a new connection by a reconnect and not continued there yet. */
  get carried(): boolean { return (this.flags & CARRIED) !== 0; }
  set carried(v: boolean) { this.flag(CARRIED, v); }
  /** QoS 2: 1 PUBLISH seen, 2 PUBREC seen, 3 PUBREL seen. QoS 1: 1. */
  get stage(): number { return this.flags >> STAGE_SHIFT; }
  set stage(v: number) { this.flags = (this.flags & ((1 << STAGE_SHIFT) - 1)) | (v << STAGE_SHIFT); }
  /** Time of the last step once the exchange is over; -1 while open. */
  get endUs(): number { return this.flags & ENDED ? this.lastUs : -1; }
  set endUs(v: number) { this.flag(ENDED, v >= 0); }
  get qos(): 0 | 1 | 2 | undefined {
    return this.kind === 'publish-qos0' ? 0 : this.kind === 'publish-qos1' ? 1 : this.kind === 'publish-qos2' ? 2 : undefined;
  }
  get peerFlow(): number { return this.peer ? this.peer.flowId : 0; }

  get stepCount(): number { return this.n; }
  get startSeq(): number { return this.steps[0]; }
  get lastSeq(): number { return this.steps[(this.n - 1) * STRIDE]; }
  get startUs(): number { return this.steps[1]; }
  get lastUs(): number { return this.steps[(this.n - 1) * STRIDE + 1]; }

  addStep(seq: number, typeNum: number, dir: Dir, timeUs: number, conn: number, dup: boolean, reason: number | undefined, note?: string): void {
    const code = typeNum | (dir === 's2c' ? S2C : 0) | (dup ? DUP : 0) | ((reason === undefined ? 0 : reason + 1) << 8);
    const o = this.n * STRIDE;
    this.steps[o] = seq;
    this.steps[o + 1] = timeUs;
    this.steps[o + 2] = code;
    if (conn !== this.conn && !this.stepConns) this.stepConns = new Array(this.n).fill(this.conn);
    this.stepConns?.push(conn);
    this.n++;
    if (note !== undefined) {
      this.notes ??= [];
      this.notes[this.n - 1] = note;
    }
  }

  /** Some step so far had this packet type number. */
  hadType(typeNum: number): boolean {
    for (let i = 0; i < this.n; i++) if ((this.steps[i * STRIDE + 2] & 15) === typeNum) return true;
    return false;
  }

  step(i: number): FlowStep {
    const s = this.steps;
    const o = i * STRIDE;
    const code = s[o + 2];
    const step: FlowStep = { seq: s[o], type: PACKET_TYPES[code & 15] as PacketType, dir: code & S2C ? 's2c' : 'c2s', timeUs: s[o + 1] };
    if (code & DUP) step.dup = true;
    if (code >> 8) step.reasonCode = (code >> 8) - 1;
    const note = this.notes?.[i];
    if (note !== undefined) step.note = note;
    const conn = this.stepConns?.[i];
    if (conn !== undefined && conn !== this.conn) step.conn = conn;
    return step;
  }
}

export function toFlow(r: FlowRec, maxSteps = Infinity): Flow {
  const n = r.stepCount;
  const steps: FlowStep[] = [];
  for (let i = 0; i < n && i < maxSteps; i++) steps.push(r.step(i));
  const f: Flow = {
    id: r.id, conn: r.conn, side: r.side, kind: r.kind, origin: r.origin, state: r.state, retransmitted: r.retransmitted,
    steps, stepCount: n, startUs: r.startUs, durationUs: (r.endUs >= 0 ? r.endUs : r.lastUs) - r.startUs,
  };
  if (r.clientId !== undefined) f.clientId = r.clientId;
  if (r.packetId) f.packetId = r.packetId;
  if (r.topic !== undefined) f.topic = r.topic;
  if (r.qos !== undefined) f.qos = r.qos;
  if (r.problem !== undefined) f.problem = r.problem;
  if (r.endUs >= 0) f.endUs = r.endUs;
  if (r.peer) f.peer = { ...r.peer };
  if (r.journeyId) f.journeyId = r.journeyId;
  return f;
}

/** The packet a still-open flow waits for, for "no PUBACK within 5 s". */
export function expectedNext(r: FlowRec): string {
  switch (r.kind) {
    case 'connect': return 'CONNACK';
    case 'subscribe': return 'SUBACK';
    case 'unsubscribe': return 'UNSUBACK';
    case 'ping': return 'PINGRESP';
    case 'publish-qos1': return 'PUBACK';
    case 'publish-qos2': return r.stage === 1 ? 'PUBREC' : r.stage === 2 ? 'PUBREL' : 'PUBCOMP';
    case 'auth': return 'AUTH or CONNACK';
    default: return 'next packet';
  }
}
