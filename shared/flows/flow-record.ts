// A flow as the engine keeps it: one fixed-shape object per flow, its steps packed in a flat number
// array (4 numbers a step) instead of an object per frame. toFlow() makes the contract shape on demand.
import type { Dir, PacketType, Side } from '../contract/types';
import { PACKET_TYPES } from '../contract/types';
import type { Flow, FlowKind, FlowState, FlowStep } from './types';

const STRIDE = 4; // seq, timeUs, code, conn
const DUP = 1 << 5;
const S2C = 1 << 4;

export class FlowRec {
  state: FlowState = 'in-flight';
  retransmitted = false;
  problem: string | undefined = undefined;
  /** The problem was set by the stall timer (cleared when the flow moves on). */
  stallProblem = false;
  /** Still waiting for a step (in the engine's open set). */
  open = true;
  /** QoS 2: 1 PUBLISH seen, 2 PUBREC seen, 3 PUBREL seen. QoS 1: 1. */
  stage = 1;
  /** Moved to a new connection by a reconnect and not continued there yet. */
  carried = false;
  topic: string | undefined = undefined;
  qos: 0 | 1 | 2 | undefined = undefined;
  clientId: string | undefined = undefined;
  peerConn = 0;
  peerFlow = 0;
  journeyId = 0;
  endUs = -1;
  readonly steps: number[] = [];
  notes: (string | undefined)[] | undefined = undefined;
  /** The connection the flow is on now (differs from conn after a reconnect). */
  liveConn: number;

  constructor(
    readonly id: number,
    readonly conn: number,
    readonly side: Side,
    readonly kind: FlowKind,
    readonly packetId: number,
    readonly origin: Dir,
  ) { this.liveConn = conn; }

  get stepCount(): number { return this.steps.length / STRIDE; }
  get startSeq(): number { return this.steps[0]; }
  get lastSeq(): number { return this.steps[this.steps.length - STRIDE]; }
  get startUs(): number { return this.steps[1]; }
  get lastUs(): number { return this.steps[this.steps.length - STRIDE + 1]; }

  addStep(seq: number, typeNum: number, dir: Dir, timeUs: number, conn: number, dup: boolean, reason: number | undefined, note?: string): void {
    const code = typeNum | (dir === 's2c' ? S2C : 0) | (dup ? DUP : 0) | ((reason === undefined ? 0 : reason + 1) << 8);
    this.steps.push(seq, timeUs, code, conn);
    if (note !== undefined) {
      this.notes ??= [];
      this.notes[this.stepCount - 1] = note;
    }
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
    if (s[o + 3] !== this.conn) step.conn = s[o + 3];
    return step;
  }

  /** Each step's seq (for the per-frame index). */
  seqAt(i: number): number { return this.steps[i * STRIDE]; }
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
  if (r.peerFlow) f.peer = { conn: r.peerConn, flowId: r.peerFlow };
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
