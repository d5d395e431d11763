// Frame summaries as columns for the trip over a transport. One JSON object per frame repeated every key
// and every topic: at 20,000 messages/s a window's trace batches were ~12 MB/s of JSON, and encoding them
// took a visible share of the broker's event loop. Columns are arrays of small integers: seqs and times
// as steps, the wall clock as its (nearly constant) distance from the monotonic clock, topics once per pack,
// the small fields packed into one integer. unpack(pack(x)) deep-equals x, absent fields included, except
// that timeUs arrives to the whole microsecond (its unit): printing its floating-point digits was most of
// the cost of encoding a frame.
// rpc.ts packs traceBatch events and the results of FRAME_LIST_METHODS, and its client unpacks them, so
// neither core nor renderer code sees anything but FrameSummary[].
import { PACKET_TYPES, type Dir, type FrameKind, type FrameSummary, type PacketType, type Side } from './types';

export interface FrameColumns {
  n: number;
  /** First seq, then the step from the previous one. */
  seq: number[];
  /** timeUs rounded to the microsecond: first as is, then the step from the previous one. */
  timeUs: number[];
  /** wallMs × 1000 − the rounded timeUs, first as is, then the step from the previous one. */
  wall: number[];
  /** Wall clock as is, where the form above would not give it back exactly (then `wall` is empty). */
  wallMs?: number[];
  conn: number[];
  /** side, dir, kind, type, flags, qos, retain, dup and which optional fields are present (see BIT). */
  bits: number[];
  length: number[];
  /** The optional fields, one entry per frame that has the field, in frame order. */
  packetId: number[];
  /** Index into `topics`. */
  topic: number[];
  topics: string[];
  reasonCode: number[];
  payloadSize: number[];
  note: string[];
}

const KINDS: FrameKind[] = ['packet', 'malformed', 'event'];
export const KIND_NUM: Record<FrameKind, number> = { packet: 0, malformed: 1, event: 2 };
export const TYPE_NUM = Object.fromEntries(PACKET_TYPES.map((t, i) => [t, i + 1])) as Record<PacketType, number>;
// Exported for the core's packer that reads the trace store's columns (electron/core/trace/store-columns.ts).
export const BIT = {
  client: 1, s2c: 2, kindShift: 2, typeShift: 4, flagsShift: 9,
  packetId: 1 << 13, topic: 1 << 14, qos: 1 << 15, qosShift: 16, retain: 1 << 18, retainOn: 1 << 19,
  dup: 1 << 20, dupOn: 1 << 21, reasonCode: 1 << 22, payloadSize: 1 << 23, note: 1 << 24,
} as const;

/** A summary's side, dir, kind, type, flags, qos, retain and dup, and which optional fields it has, as one integer. */
export function bitsOf(f: FrameSummary): number {
  let bits = (f.side === 'client' ? BIT.client : 0) | (f.dir === 's2c' ? BIT.s2c : 0) | (KIND_NUM[f.kind] << BIT.kindShift)
    | ((f.type === null ? 0 : TYPE_NUM[f.type] ?? 0) << BIT.typeShift) | ((f.flags & 15) << BIT.flagsShift);
  if (f.packetId !== undefined) bits |= BIT.packetId;
  if (f.topic !== undefined) bits |= BIT.topic;
  if (f.qos !== undefined) bits |= BIT.qos | (f.qos << BIT.qosShift);
  if (f.retain !== undefined) bits |= BIT.retain | (f.retain ? BIT.retainOn : 0);
  if (f.dup !== undefined) bits |= BIT.dup | (f.dup ? BIT.dupOn : 0);
  if (f.reasonCode !== undefined) bits |= BIT.reasonCode;
  if (f.payloadSize !== undefined) bits |= BIT.payloadSize;
  if (f.note !== undefined) bits |= BIT.note;
  return bits;
}

/** A summary from bitsOf's integer and the fields every frame has; the caller adds the optional values bits says it has. */
export function summaryOf(bits: number, seq: number, timeUs: number, wallMs: number, conn: number, length: number): FrameSummary {
  const typeNum = (bits >> BIT.typeShift) & 31;
  const f: FrameSummary = {
    seq, timeUs, wallMs, conn,
    side: (bits & BIT.client ? 'client' : 'broker') as Side,
    dir: (bits & BIT.s2c ? 's2c' : 'c2s') as Dir,
    kind: KINDS[(bits >> BIT.kindShift) & 3],
    type: typeNum === 0 ? null : PACKET_TYPES[typeNum - 1],
    flags: (bits >> BIT.flagsShift) & 15,
    length,
  };
  if (bits & BIT.qos) f.qos = ((bits >> BIT.qosShift) & 3) as 0 | 1 | 2;
  if (bits & BIT.retain) f.retain = (bits & BIT.retainOn) !== 0;
  if (bits & BIT.dup) f.dup = (bits & BIT.dupOn) !== 0;
  return f;
}

export function packFrames(frames: readonly FrameSummary[]): FrameColumns {
  const n = frames.length;
  // The per-frame columns are sized once: grown by push they left as much garbage again as they held.
  const seqs = new Array<number>(n); const times = new Array<number>(n); const wall = new Array<number>(n);
  const conns = new Array<number>(n); const bitsCol = new Array<number>(n); const lengths = new Array<number>(n);
  const c: FrameColumns = { n, seq: seqs, timeUs: times, wall, conn: conns, bits: bitsCol, length: lengths, packetId: [], topic: [], topics: [], reasonCode: [], payloadSize: [], note: [] };
  const topicIds = new Map<string, number>();
  let prevSeq = 0;
  let prevT = 0;
  let prevOff = 0;
  let wallExact = true;
  for (let i = 0; i < n; i++) {
    const f = frames[i];
    seqs[i] = f.seq - prevSeq;
    prevSeq = f.seq;
    const t = Math.round(f.timeUs);
    times[i] = t - prevT;
    prevT = t;
    const off = Math.round(f.wallMs * 1000) - t;
    if (wallExact && (t + off) / 1000 !== f.wallMs) wallExact = false;
    wall[i] = off - prevOff;
    prevOff = off;
    conns[i] = f.conn;
    if (f.packetId !== undefined) c.packetId.push(f.packetId);
    if (f.topic !== undefined) {
      let id = topicIds.get(f.topic);
      if (id === undefined) { id = c.topics.length; topicIds.set(f.topic, id); c.topics.push(f.topic); }
      c.topic.push(id);
    }
    if (f.reasonCode !== undefined) c.reasonCode.push(f.reasonCode);
    if (f.payloadSize !== undefined) c.payloadSize.push(f.payloadSize);
    if (f.note !== undefined) c.note.push(f.note);
    bitsCol[i] = bitsOf(f);
    lengths[i] = f.length;
  }
  if (!wallExact) {
    c.wall = [];
    c.wallMs = frames.map((f) => f.wallMs);
  }
  return c;
}

export function unpackFrames(c: FrameColumns): FrameSummary[] {
  const out: FrameSummary[] = new Array(c.n);
  let seq = 0;
  let timeUs = 0;
  let off = 0;
  let pid = 0; let top = 0; let rc = 0; let ps = 0; let nt = 0;
  for (let i = 0; i < c.n; i++) {
    seq += c.seq[i];
    timeUs += c.timeUs[i];
    let wallMs: number;
    if (c.wallMs) wallMs = c.wallMs[i];
    else { off += c.wall[i]; wallMs = (timeUs + off) / 1000; }
    const bits = c.bits[i];
    const f = summaryOf(bits, seq, timeUs, wallMs, c.conn[i], c.length[i]);
    if (bits & BIT.packetId) f.packetId = c.packetId[pid++];
    if (bits & BIT.topic) f.topic = c.topics[c.topic[top++]];
    if (bits & BIT.reasonCode) f.reasonCode = c.reasonCode[rc++];
    if (bits & BIT.payloadSize) f.payloadSize = c.payloadSize[ps++];
    if (bits & BIT.note) f.note = c.note[nt++];
    out[i] = f;
  }
  return out;
}

/** Methods whose results carry `frames: FrameSummary[]` (packed on the way out, unpacked by the client). */
export const FRAME_LIST_METHODS: ReadonlySet<string> = new Set(['traceQuery', 'traceMessagePage', 'traceList', 'traceListPage']);

/**
 * { frames, ...rest } → { framesPacked, ...rest }; anything else as it is. A result that holds its frames
 * packed already (core's message pages) gives its own wire form: packing it again would unpack it first.
 */
export function packFrameList(value: unknown): unknown {
  const v = value as { frames?: unknown; wire?: unknown } | null;
  if (v && typeof v === 'object' && typeof v.wire === 'function') return (v.wire as () => unknown).call(v);
  if (!v || typeof v !== 'object' || !Array.isArray(v.frames) || v.frames.length === 0) return value;
  const { frames, ...rest } = v as { frames: FrameSummary[] };
  return { ...rest, framesPacked: packFrames(frames) };
}

/** The other way: { framesPacked, ...rest } → { frames, ...rest }. */
export function unpackFrameList(value: unknown): unknown {
  const v = value as { framesPacked?: FrameColumns } | null;
  if (!v || typeof v !== 'object' || !v.framesPacked) return value;
  const { framesPacked, ...rest } = v as { framesPacked: FrameColumns };
  return { ...rest, frames: unpackFrames(framesPacked) };
}
