// Read side of the flow engine: the Flows table query, per-frame marks for the Trace view, a journey
// with every flow its diagram draws, and the in-flight window per connection.
import { topicMatches } from '../mqtt/topic';
import type { FlowEngine } from './engine';
import { FlowRec, toFlow } from './flow-record';
import {
  FLOW_TABLE_STEPS, type Flow, type FlowState, type FlowWindow, type FlowsQuery, type FlowsQueryResult,
  type FrameFlowMark, type Journey, type JourneyResult,
} from './types';

export const DEFAULT_FLOWS_LIMIT = 500;
const PROBLEM = new Set<FlowState>(['stalled', 'broken', 'refused']);

export function queryFlows(e: FlowEngine, q: FlowsQuery = {}): FlowsQueryResult {
  const states = q.states ? new Set(q.states) : null;
  const kinds = q.kinds ? new Set(q.kinds) : null;
  const conns = q.conns ? new Set(q.conns) : null;
  const keep = (r: FlowRec) =>
    (!states || states.has(r.state)) && (!kinds || kinds.has(r.kind)) && (!conns || conns.has(r.conn) || conns.has(r.liveConn))
    && (q.clientId === undefined || r.clientId === q.clientId)
    && (q.topicFilter === undefined || (r.topic !== undefined && topicMatches(q.topicFilter, r.topic)));
  const first: FlowRec[] = [];
  const rest: FlowRec[] = [];
  const all = [...e.flows.values()];
  for (let i = all.length - 1; i >= 0; i--) {
    const r = all[i];
    if (keep(r)) (PROBLEM.has(r.state) ? first : rest).push(r);
  }
  const offset = q.offset ?? 0;
  const limit = q.limit ?? DEFAULT_FLOWS_LIMIT;
  const flows: Flow[] = [];
  for (let i = offset; i < first.length + rest.length && flows.length < limit; i++) {
    flows.push(toFlow(i < first.length ? first[i] : rest[i - first.length], FLOW_TABLE_STEPS));
  }
  return { flows, total: first.length + rest.length, counts: { ...e.counts } };
}

export function flowById(e: FlowEngine, id: number): Flow | null {
  const r = e.flows.get(id);
  return r ? toFlow(r) : null;
}

/** The flow of each frame in [fromSeq, toSeq] that belongs to one (at most `max` frames looked at). */
export function flowsOfFrames(e: FlowEngine, fromSeq: number, toSeq: number, max = 100_000): FrameFlowMark[] {
  const out: FrameFlowMark[] = [];
  const end = Math.min(toSeq, fromSeq + max - 1);
  for (let s = fromSeq; s <= end; s++) {
    const id = e.seqs.get(s);
    const r = id ? e.flows.get(id) : undefined;
    if (r) out.push({ seq: s, flowId: r.id, kind: r.kind, state: r.state });
  }
  return out;
}

export type JourneyRef = { id: number } | { seq: number } | { flowId: number };

export function journeyOf(e: FlowEngine, ref: JourneyRef): JourneyResult | null {
  let id = 0;
  if ('id' in ref) id = ref.id;
  else {
    const r = e.flows.get('seq' in ref ? e.seqs.get(ref.seq) : ref.flowId);
    id = r?.journeyId ?? 0;
  }
  const j = id ? e.journeys.journeys.get(id) : undefined;
  if (!j) return null;
  const journey = e.journeys.toJourney(j);
  const ids: number[] = [];
  const add = (fid: number | undefined) => {
    if (!fid || ids.includes(fid)) return;
    const r = e.flows.get(fid);
    if (!r) return;
    ids.push(fid);
    if (r.peerFlow && !ids.includes(r.peerFlow) && e.flows.has(r.peerFlow)) ids.push(r.peerFlow);
  };
  add(journey.inboundFlow);
  for (const d of journey.deliveries) add(d.flow);
  return { journey, flows: ids.map((fid) => toFlow(e.flows.get(fid)!)) };
}

export function allJourneys(e: FlowEngine): Journey[] {
  return [...e.journeys.journeys.values()].map((j) => e.journeys.toJourney(j));
}

/** Live connections with their outstanding QoS 1/2 publishes per direction. */
export function flowWindows(e: FlowEngine): FlowWindow[] {
  const out: FlowWindow[] = [];
  for (const c of e.conns.values()) {
    if (c.closed) continue;
    const w: FlowWindow = {
      conn: c.id, side: c.side,
      c2s: { qos1: 0, qos2: 0, receiveMaximum: c.rmC2S },
      s2c: { qos1: 0, qos2: 0, receiveMaximum: c.rmS2C },
    };
    if (c.clientId !== undefined) w.clientId = c.clientId;
    for (const r of c.open.values()) {
      const d = w[r.origin];
      if (r.kind === 'publish-qos1') d.qos1++;
      else if (r.kind === 'publish-qos2') d.qos2++;
    }
    out.push(w);
  }
  return out;
}
