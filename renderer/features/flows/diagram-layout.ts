// The sequence diagram as a pure function: flows (and the journey that joins them) plus connection infos
// in, lanes and arrows with coordinates out. No DOM, so it is unit-tested on its own; the SVG component
// only draws what this returns.
//
// One arrow per packet. Where MQScope holds both ends of a connection (its own session on the embedded
// broker), the same packet was recorded twice, by the client tap and by the broker tap; those two frames
// become one arrow whose ends sit on the MQScope tap lane and the broker lane, and both frames stay
// clickable. Rows are evenly spaced in time order (not to scale): the time and the delta are written
// beside each arrow, so microsecond and multi-second gaps both stay readable.
import type { ConnectionInfo, PacketType } from '../../../shared/contract/types';
import { reasonText } from '../../../shared/mqtt/reason-codes';

export type FlowRef = string | number;

/** The parts of a flow step the diagram reads (structurally a subset of shared/flows FlowStep). */
export interface DiagramStep { seq: number; type: string; dir: 'c2s' | 's2c'; timeUs: number; dup?: boolean; reasonCode?: number; note?: string; conn?: number }

/** The parts of a flow the diagram reads (structurally a subset of shared/flows Flow). */
export interface DiagramFlow {
  id: FlowRef;
  conn: number;
  side: 'broker' | 'client';
  clientId?: string;
  kind: string;
  packetId?: number;
  qos?: number;
  topic?: string;
  state: string;
  problem?: string;
  steps: DiagramStep[];
  peer?: { conn: number; flowId: FlowRef };
}

export interface DiagramDelivery { conn: number; clientId?: string; qos: number; flow?: FlowRef; state?: string; cause?: string }

export interface DiagramJourney {
  topic: string;
  qos?: number;
  payloadSize?: number;
  publisher?: { conn: number; clientId?: string };
  inboundFlow?: FlowRef;
  deliveries: DiagramDelivery[];
}

export interface DiagramInput {
  flows: DiagramFlow[];
  journey?: DiagramJourney | null;
  conns: ReadonlyMap<number, ConnectionInfo>;
}

export type LaneRole = 'publisher' | 'broker' | 'subscriber' | 'client';

export interface Lane {
  key: string;
  role: LaneRole;
  conn?: number;
  x: number;
  title: string;
  /** Role in plain words ("subscriber · gets QoS 1"). */
  subtitle: string;
  /** Connection id, transport and peer address. */
  detail: string;
  /** Who else recorded this lane's packets ("MQScope session · both ends tapped"), or ''. */
  tap: string;
}

export type Mark = 'dup' | 'resend' | 'refused' | 'broken' | 'note';

export interface Arrow {
  key: string;
  /** The frame a click opens: the broker tap's when there is one. */
  seq: number;
  /** The same packet as recorded by MQScope's client tap, when both ends are ours. */
  tapSeq?: number;
  flowId: FlowRef;
  type: string;
  dir: 'c2s' | 's2c';
  fromLane: number;
  toLane: number;
  x1: number;
  x2: number;
  y: number;
  label: string;
  /** Microseconds since the diagram's first packet, and since the previous arrow. */
  relUs: number;
  deltaUs: number;
  marks: Mark[];
  /** Plain words for the marks ("DUP", "refused: Not authorized (0x87)"), never colour alone. */
  markText: string;
}

export interface Note { key: string; x: number; y: number; text: string; tone: 'warn' | 'danger' | 'muted' }

/** A pause worth seeing between two rows (rows are evenly spaced, so long waits get a visible break). */
export interface Gap { key: string; y: number; text: string }

export interface DiagramLayout { lanes: Lane[]; arrows: Arrow[]; notes: Note[]; gaps: Gap[]; width: number; height: number; startUs: number }

/** Pauses at least this long get a break line. */
export const GAP_US = 100_000;

/** Client lanes drawn at most; a bigger fan-out says how many deliveries are left out (the table lists them all). */
export const MAX_CLIENT_LANES = 24;

export const GEOM = { timeCol: 110, laneGap: 250, headerH: 78, rowH: 42, padBottom: 30, padRight: 20 } as const;

const isBrokerSide = (f: DiagramFlow) => f.side === 'broker';

function clientName(conns: ReadonlyMap<number, ConnectionInfo>, conn: number, fallback?: string): string {
  return conns.get(conn)?.clientId ?? fallback ?? `connection #${conn}`;
}

function connWords(info: ConnectionInfo | undefined, conn: number): string {
  return info ? `#${conn} · ${info.transport} ${info.remote}` : `#${conn}`;
}

/** Pairs each step of `flow` with the step of `peer` recording the same packet (same type and direction, same occurrence). */
function pairSteps(flow: DiagramFlow, peer: DiagramFlow | undefined): (DiagramStep | undefined)[] {
  if (!peer) return flow.steps.map(() => undefined);
  const used = new Set<number>();
  return flow.steps.map((s) => {
    const i = peer.steps.findIndex((p, j) => !used.has(j) && p.type === s.type && p.dir === s.dir);
    if (i < 0) return undefined;
    used.add(i);
    return peer.steps[i];
  });
}

export function formatUs(us: number): string {
  const a = Math.abs(us);
  if (a < 1000) return `${Math.round(us)} µs`;
  if (a < 1_000_000) return `${(us / 1000).toFixed(3)} ms`;
  return `${(us / 1_000_000).toFixed(3)} s`;
}

function packetLabel(s: DiagramStep, f: DiagramFlow): string {
  const parts = [s.type];
  if (f.packetId !== undefined && /^(PUB|SUB|UNSUB)/.test(s.type)) parts.push(`id ${f.packetId}`);
  if (s.type === 'PUBLISH' && f.qos !== undefined) parts.push(`QoS ${f.qos}`);
  return parts.join(' · ');
}

function marksOf(s: DiagramStep, f: DiagramFlow, seen: Set<string>, protocol: 3 | 4 | 5): { marks: Mark[]; text: string[] } {
  const marks: Mark[] = [];
  const text: string[] = [];
  const id = `${s.type}/${s.dir}`;
  if (s.dup) { marks.push('dup'); text.push('DUP'); } else if (seen.has(id)) { marks.push('resend'); if (!s.note) text.push('resent'); }
  seen.add(id);
  if (s.reasonCode !== undefined && s.reasonCode >= 0x80) {
    marks.push('refused');
    const hex = `0x${s.reasonCode.toString(16).padStart(2, '0')}`;
    let words = hex;
    try { words = `${reasonText(s.reasonCode, s.type as PacketType, protocol)} (${hex})`; } catch { /* unknown type: keep the number */ }
    if (!s.note || !s.note.includes(hex)) text.push(`refused: ${words}`);
  }
  if (s.conn !== undefined && s.conn !== f.conn) text.push(`on reconnected #${s.conn}`);
  // The engine's note says why the step matters; it is "broken" only when the flow is.
  if (s.note) {
    text.push(s.note);
    if (!marks.length) marks.push(f.state === 'broken' ? 'broken' : 'note');
  }
  return { marks, text };
}

export function layoutDiagram({ flows, journey, conns }: DiagramInput): DiagramLayout {
  const byId = new Map(flows.map((f) => [String(f.id), f]));
  // A client-side flow whose broker-side peer is present is drawn through that peer.
  const mergedAway = new Set<string>();
  for (const f of flows) if (isBrokerSide(f) && f.peer && byId.has(String(f.peer.flowId))) mergedAway.add(String(f.peer.flowId));
  const drawn = flows.filter((f) => !mergedAway.has(String(f.id)));

  const publisherConn = journey?.publisher?.conn ?? (journey?.inboundFlow !== undefined ? byId.get(String(journey.inboundFlow))?.conn : undefined);
  const deliveryByConn = new Map((journey?.deliveries ?? []).map((d) => [d.conn, d]));
  const firstTime = (f: DiagramFlow) => f.steps[0]?.timeUs ?? Infinity;

  // Lanes: [MQScope tap of the publisher] publisher, broker, then every other connection in time order.
  const left: number[] = [];
  const right: number[] = [];
  const placed = new Set<number>();
  const bothEnds = new Set<number>();
  const firstFlowOf = new Map<number, DiagramFlow>();
  let leftOut = 0;
  for (const f of [...drawn].sort((a, b) => firstTime(a) - firstTime(b))) {
    if (f.side === 'broker' && f.peer && byId.has(String(f.peer.flowId))) bothEnds.add(f.conn);
    if (!firstFlowOf.has(f.conn)) firstFlowOf.set(f.conn, f);
    if (placed.has(f.conn)) continue;
    const isPublisher = publisherConn !== undefined ? f.conn === publisherConn : !journey && left.length === 0;
    if (!isPublisher && right.length >= MAX_CLIENT_LANES) { placed.add(f.conn); leftOut++; continue; }
    placed.add(f.conn);
    (isPublisher ? left : right).push(f.conn);
  }
  const anyBroker = drawn.some(isBrokerSide);
  const lanes: Lane[] = [];
  const laneOfConn = new Map<number, number>();
  const addLane = (l: Omit<Lane, 'x'>) => { lanes.push({ ...l, x: GEOM.timeCol + lanes.length * GEOM.laneGap + GEOM.laneGap / 2 }); return lanes.length - 1; };
  const clientLane = (conn: number, role: LaneRole) => {
    const d = deliveryByConn.get(conn);
    const f = firstFlowOf.get(conn);
    const info = conns.get(conn);
    const silent = !f; // a publisher lane with nothing drawn: a will, or a publish older than the trace
    const will = silent && !!journey?.deliveries.some((x) => x.cause === 'will');
    const roleWords = role === 'publisher'
      ? will ? 'its will · sent by the broker' : silent ? 'publisher · PUBLISH not in trace'
        : `publisher${journey?.qos !== undefined ? ` · QoS ${journey.qos}` : ''}`
      : role === 'subscriber' && d ? `subscriber · gets QoS ${d.qos}${d.cause && d.cause !== 'publish' ? ` · ${d.cause}` : ''}`
      : 'client';
    const tap = bothEnds.has(conn) ? 'MQScope session · both ends tapped' : info?.side === 'client' ? 'MQScope session' : '';
    laneOfConn.set(conn, addLane({ key: `c${conn}`, role, conn, title: clientName(conns, conn, d?.clientId ?? f?.clientId), subtitle: roleWords, detail: connWords(info, conn), tap }));
  };
  // The publisher keeps its lane even with nothing to draw on it (a will, an evicted PUBLISH): the diagram
  // still says where the message came from.
  if (publisherConn !== undefined && !placed.has(publisherConn)) left.unshift(publisherConn);
  for (const c of left) clientLane(c, journey ? 'publisher' : 'client');
  const brokerInfo = !anyBroker && drawn[0] ? conns.get(drawn[0].conn) : undefined;
  const brokerLane = addLane({
    key: 'broker', role: 'broker',
    title: anyBroker ? 'MQScope broker' : 'broker',
    subtitle: anyBroker ? 'embedded, broker-side tap' : "seen by MQScope's client tap",
    detail: brokerInfo ? `remote ${brokerInfo.remote}` : '',
    tap: '',
  });
  for (const c of right) clientLane(c, journey && c !== publisherConn ? 'subscriber' : 'client');

  // Arrows, one per packet, in time order.
  interface Pending { a: Omit<Arrow, 'y' | 'relUs' | 'deltaUs' | 'key'>; t: number }
  const pending: Pending[] = [];
  const protoOf = (conn: number) => (conns.get(conn)?.protocolVersion ?? 5) as 3 | 4 | 5;
  for (const f of drawn) {
    const peer = f.peer ? byId.get(String(f.peer.flowId)) : undefined;
    const pairs = pairSteps(f, peer && mergedAway.has(String(peer.id)) ? peer : undefined);
    const seen = new Set<string>();
    const cl = laneOfConn.get(f.conn);
    if (cl === undefined) continue; // beyond MAX_CLIENT_LANES: counted in a note below
    f.steps.forEach((s, i) => {
      const tap = pairs[i];
      const m = marksOf(s, f, seen, protoOf(f.conn));
      const fromLane = s.dir === 'c2s' ? cl : brokerLane;
      const toLane = s.dir === 'c2s' ? brokerLane : cl;
      pending.push({
        t: Math.min(s.timeUs, tap?.timeUs ?? Infinity),
        a: {
          seq: s.seq, tapSeq: tap?.seq, flowId: f.id, type: s.type, dir: s.dir, fromLane, toLane,
          x1: lanes[fromLane].x, x2: lanes[toLane].x, label: packetLabel(s, f), marks: m.marks, markText: m.text.join(' · '),
        },
      });
    });
  }
  pending.sort((p, q) => p.t - q.t || p.a.seq - q.a.seq);
  const startUs = pending.length ? pending[0].t : 0;
  const arrows: Arrow[] = pending.map((p, i) => ({
    ...p.a,
    key: `${p.a.flowId}:${p.a.seq}`,
    y: GEOM.headerH + GEOM.rowH * (i + 1) - 10,
    relUs: p.t - startUs,
    deltaUs: i === 0 ? 0 : p.t - pending[i - 1].t,
  }));

  const gaps: Gap[] = arrows.filter((a, i) => i > 0 && a.deltaUs >= GAP_US)
    .map((a) => ({ key: `g${a.key}`, y: a.y - GEOM.rowH / 2 + 2, text: `${formatUs(a.deltaUs)} later` }));

  // Flows that did not finish (or broke a rule) say why, under the last arrow, between their client's lane
  // and the broker's. A refusal is already written on the refusing arrow.
  const notes: Note[] = [];
  let y = arrows.length ? arrows[arrows.length - 1].y : GEOM.headerH;
  const midX = (conn: number) => {
    const cx = lanes[laneOfConn.get(conn)!].x;
    const bx = lanes[brokerLane].x;
    return cx < bx ? bx - GEOM.laneGap / 2 : bx + GEOM.laneGap / 2;
  };
  for (const f of drawn) {
    if (!laneOfConn.has(f.conn)) continue;
    if (f.state === 'refused' || ((f.state === 'complete' || f.state === 'retransmitted') && !f.problem)) continue;
    y += GEOM.rowH * (notes.length ? 0.5 : 0.9);
    const text = f.problem ?? (f.state === 'in-flight' ? 'in flight: waiting for the answer' : f.state);
    notes.push({ key: `n${f.id}`, x: midX(f.conn), y, text: `${clientName(conns, f.conn, f.clientId)}: ${text}`, tone: f.state === 'in-flight' ? 'muted' : f.state === 'stalled' ? 'warn' : 'danger' });
  }
  if (leftOut) {
    y += GEOM.rowH * (notes.length ? 0.5 : 0.9);
    notes.push({ key: 'more', x: lanes[brokerLane].x, y, text: `${leftOut} more connection${leftOut === 1 ? '' : 's'} not drawn (only the first ${MAX_CLIENT_LANES} get a lane; the Flows table lists every flow)`, tone: 'muted' });
  }
  for (const d of journey?.deliveries ?? []) {
    if (d.flow !== undefined || laneOfConn.has(d.conn)) continue;
    y += GEOM.rowH * (notes.length ? 0.5 : 0.9);
    notes.push({ key: `d${d.conn}`, x: lanes[brokerLane].x, y, text: `delivery to ${d.clientId ?? `#${d.conn}`} not in the trace`, tone: 'muted' });
  }

  const width = GEOM.timeCol + lanes.length * GEOM.laneGap + GEOM.padRight;
  const height = y + GEOM.rowH / 2 + GEOM.padBottom;
  return { lanes, arrows, notes, gaps, width, height, startUs };
}
