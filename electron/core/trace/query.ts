// Filtering runs here, where the frames are, so the UI never needs the whole trace.
import type { FrameSummary, TraceQuery, TraceQueryResult } from '../../../shared/contract/types';
import { PACKET_TYPES } from '../../../shared/contract/types';
import { topicMatches } from '../../../shared/mqtt/topic';
import { META_CLIENT_SIDE, META_KIND_SHIFT, META_S2C } from './frame-index';
import type { PayloadSpan, TraceStore } from './trace-store';
import { indexOfBytes } from '../../../shared/filter/compile';

const KIND_NUM = { packet: 0, malformed: 1, event: 2 } as const;

/** The query's structured conditions (everything but the display filter) as one test, or null for none. */
export function baseMatcher(store: TraceStore, q: TraceQuery, sessionConns?: Set<number>): ((seq: number) => boolean) | null {
  const conns = q.conns ? new Set(q.conns) : null;
  const kinds = q.kinds ? new Set(q.kinds.map((k) => KIND_NUM[k])) : null;
  const types = q.types ? new Set(q.types.map((t) => PACKET_TYPES.indexOf(t))) : null;
  const side = q.side === undefined ? -1 : q.side === 'client' ? META_CLIENT_SIDE : 0;
  const dir = q.dir === undefined ? -1 : q.dir === 's2c' ? META_S2C : 0;
  const topicCache = new Map<string, boolean>();
  const text = q.text?.toLowerCase() || null;
  const inPayload = text ? payloadText(text, q.text!) : null;
  const textInTopic = new Map<string, boolean>();
  const span: PayloadSpan = { bytes: EMPTY, from: 0, to: 0 };
  if (side < 0 && dir < 0 && !kinds && !types && !conns && !sessionConns && !q.topicFilter && !text) return null;

  return (seq: number): boolean => {
    const b = store.blockOf(seq);
    if (!b) return false;
    const i = seq - b.firstSeq;
    const meta = b.meta[i];
    if (side >= 0 && (meta & META_CLIENT_SIDE) !== side) return false;
    if (dir >= 0 && (meta & META_S2C) !== dir) return false;
    const kind = (meta >> META_KIND_SHIFT) & 3;
    if (kinds && !kinds.has(kind as 0 | 1 | 2)) return false;
    if (types && (kind === 2 || !types.has(b.b0[i] >> 4))) return false;
    if (conns && !conns.has(b.conn[i])) return false;
    if (sessionConns && !sessionConns.has(b.conn[i])) return false;
    if (q.topicFilter) {
      const t = store.topicOf(seq);
      if (t === undefined) return false;
      let m = topicCache.get(t);
      if (m === undefined) topicCache.set(t, (m = topicMatches(q.topicFilter, t)));
      if (!m) return false;
    }
    if (text) {
      const t = store.topicOf(seq);
      if (t) {
        let hit = textInTopic.get(t);
        if (hit === undefined) {
          if (textInTopic.size >= 65536) textInTopic.clear();
          textInTopic.set(t, (hit = t.toLowerCase().includes(text)));
        }
        if (hit) return true;
      }
      const note = store.noteOf(seq);
      if (note && note.toLowerCase().includes(text)) return true;
      return store.payloadSpan(seq, span) && inPayload!(span.bytes, span.from, span.to);
    }
    return true;
  };
}

/** A query without conditions: every frame matches, so only the bounds are walked, up to the limit. */
export function pageOfAll(store: TraceStore, q: TraceQuery): TraceQueryResult {
  const limit = q.limit ?? 500;
  const stats = store.stats();
  const lo = Math.max(store.firstSeq, q.fromSeq ?? 0);
  const hi = Math.min(store.nextSeq - 1, q.toSeq ?? Number.MAX_SAFE_INTEGER);
  const frames: FrameSummary[] = [];
  if (q.order === 'backward') {
    for (let s = hi; s >= lo && frames.length < limit; s--) frames.push(store.summary(s)!);
  } else {
    for (let s = lo; s <= hi && frames.length < limit; s++) frames.push(store.summary(s)!);
  }
  return { frames, matching: stats.frames, stats, scannedTo: store.nextSeq, continued: false };
}

const EMPTY = new Uint8Array(0);
const FOLD = new Uint8Array(256).map((_, i) => (i >= 65 && i <= 90 ? i + 32 : i));
const utf8 = new TextDecoder();

/**
 * Case-insensitive search of payload bytes [from, to) for lower-cased `text`. An ASCII needle is matched on
 * the bytes with A–Z folded, no decoding (a UTF-8 multi-byte sequence never contains an ASCII byte); any
 * other needle is looked for as typed, then in the lower-cased text of payloads of up to 1 MiB.
 */
function payloadText(text: string, asTyped: string): (p: Uint8Array, from: number, to: number) => boolean {
  const needle = Buffer.from(text);
  if (!/^[\x00-\x7f]*$/.test(text)) {
    const exact = Buffer.from(asTyped);
    return (p, from, to) => indexOfBytes(p, exact, from, to) >= 0 || (to - from <= 1 << 20 && utf8.decode(p.subarray(from, to)).toLowerCase().includes(text));
  }
  if (!/[a-z]/.test(text)) return (p, from, to) => indexOfBytes(p, needle, from, to) >= 0;
  const n = needle.length;
  const first = needle[0];
  return (p, from, to) => {
    const last = to - n;
    outer: for (let i = from; i <= last; i++) {
      if (FOLD[p[i]] !== first) continue;
      for (let k = 1; k < n; k++) if (FOLD[p[i + k]] !== needle[k]) continue outer;
      return true;
    }
    return false;
  };
}
