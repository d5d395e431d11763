// The search box's text test over a stored trace, a chunk of frames at a time. Per frame it would cost a
// topic string lookup, a note lookup and a JavaScript loop over the payload's bytes; here the topic answer
// is kept per topic id, and an ASCII needle is found in the payload bytes by one native regular-expression
// scan over the stretch of slab holding a chunk's payloads (one-byte string, case folded by the engine),
// whose hits are then assigned to the frames whose payload holds them whole. A payload stored once for
// several frames (fan-out) is searched once.
import { CHUNK } from './filter-index';
import type { FrameLayout, TraceStore } from './trace-store';
import { indexOfBytes } from '../../../shared/filter/compile';

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder();
const SHARED_REMEMBERED = 4096;
/** Longest stretch turned into one string (a huge payload is searched in place, frame by frame). */
const MAX_STRETCH = 16 << 20;

/** Case-insensitive text test of frames: topic, note (problems, events) and payload. */
export class TextSearch {
  private readonly lower: string;
  /** ASCII needles: the needle as a case-insensitive pattern. Others go frame by frame (see payloadHas). */
  private readonly re: RegExp | null;
  /**
   * A needle with non-ASCII letters that have case: its longest run of ASCII characters other than i and k
   * (the only ASCII a non-ASCII character lower-cases into: İ → i + U+0307, the Kelvin sign → k), as a
   * pattern with its folded bytes. Any payload that holds the needle holds this run, so only frames whose
   * payload does are asked in full.
   */
  private readonly anchor: { re: RegExp; bytes: Uint8Array } | null = null;
  private readonly needle: Uint8Array;
  private readonly asTyped: Uint8Array;
  private readonly typed: string;
  private readonly sigma: boolean;
  /**
   * No letter of the needle has case, and no cased character lower-cases into it (İ gives i + U+0307) nor
   * does a broken byte sequence decode into it (U+FFFD): a payload holds it exactly when its bytes do.
   */
  private readonly caseless: boolean;
  /** Per topic id: 0 not asked yet, 1 no, 2 the topic holds the text. Valid for one topic epoch. */
  private topicHit = new Uint8Array(1024);
  private topicEpoch = -1;
  /** Answers for payloads several frames share, by slab position. */
  private sharedHit = new Map<number, boolean>();
  // The chunk answered last: frames [from, to).
  private from = -1;
  private to = -1;
  private hits = new Uint8Array(CHUNK);
  private any = false;
  // Scratch for one fill: the chunk's columns (layoutOf), and its frames whose own payload bytes to scan.
  private lay: FrameLayout = { topic: new Uint32Array(CHUNK), slab: new Array(CHUNK).fill(EMPTY), start: new Int32Array(CHUNK), end: new Int32Array(CHUNK), sharedPos: new Float64Array(CHUNK) };
  private order = new Int32Array(CHUNK);

  constructor(private store: TraceStore, text: string) {
    this.lower = text.toLowerCase();
    this.needle = new TextEncoder().encode(this.lower);
    this.asTyped = new TextEncoder().encode(text);
    this.typed = text;
    this.sigma = /[σς]/.test(this.lower);
    this.caseless = text === this.lower && text === text.toUpperCase() && !/[\u0307\ufffd]/.test(text);
    // Without the u flag and on one-byte strings, only A–Z and a–z fold to each other (no character in
    // U+0080–U+00FF folds to ASCII): exactly the byte folding an ASCII needle wants.
    this.re = /^[\x00-\x7f]+$/.test(this.lower) ? pattern(this.lower) : null;
    if (this.re === null && !this.caseless) {
      const run = this.lower.split(/[^\x00-\x7f]|[ik]/).reduce((a, b) => (b.length > a.length ? b : a), '');
      if (run.length >= 3) this.anchor = { re: pattern(run), bytes: new TextEncoder().encode(run) };
    }
  }

  /** Whether any stored frame of seq's chunk holds the text: a scan skips the chunk when none does. */
  anyIn(seq: number): boolean {
    if (seq < this.from || seq >= this.to) this.fill(seq);
    return this.any;
  }

  /** Whether frame `seq` holds the text (cheapest when asked in ascending order, as a scan does). */
  test(seq: number): boolean {
    if (seq < this.from || seq >= this.to) this.fill(seq);
    return this.hits[seq - this.from] === 1;
  }

  /** Answers the stored frames of seq's chunk. */
  private fill(at: number): void {
    const store = this.store;
    const seq = Math.max(store.firstSeq, Math.floor(at / CHUNK) * CHUNK);
    const to = Math.min(store.nextSeq, (Math.floor(at / CHUNK) + 1) * CHUNK);
    this.from = seq;
    this.to = to;
    const n = to - seq;
    const hits = this.hits;
    if (store.topicEpoch !== this.topicEpoch) { this.topicHit.fill(0); this.topicEpoch = store.topicEpoch; }
    const lay = this.lay;
    store.layoutOf(seq, to, lay);
    // Folding A–Z keeps an ASCII needle's length; lower-casing may not (İ, 2 bytes, becomes 3), so a payload
    // shorter than another needle's lower-cased bytes can still hold it.
    const min = this.re !== null ? this.needle.length : 1;
    const topic = lay.topic;
    const start = lay.start;
    const end = lay.end;
    const sharedPos = lay.sharedPos;
    const order = this.order;
    const notes = store.hasNotes;
    let topicHit = this.topicHit;
    let own = 0;
    for (let k = 0; k < n; k++) {
      hits[k] = 0;
      const tid = topic[k];
      if (tid > 0) {
        if (tid >= topicHit.length || topicHit[tid] === 0) { this.askTopic(tid); topicHit = this.topicHit; }
        if (topicHit[tid] === 2) { hits[k] = 1; continue; }
      }
      if (notes) {
        const note = store.noteOf(seq + k);
        if (note !== undefined && note.toLowerCase().includes(this.lower)) { hits[k] = 1; continue; }
      }
      if (end[k] - start[k] < min || lay.slab[k].length === 0) continue;
      const pos = sharedPos[k];
      if (pos >= 0) {
        if (this.sharedHas(pos, lay.slab[k], start[k], end[k])) hits[k] = 1;
      } else {
        order[own++] = k;
      }
    }
    if (own > 0) this.scanOwn(own);
    this.any = hits.subarray(0, n).includes(1);
    lay.slab.fill(EMPTY, 0, n); // hold no slab past the fill (a cleared store's memory can go)
  }

  /** Runs the pattern once over each slab's stretch holding the chunk's own payloads (usually one slab). */
  private scanOwn(count: number): void {
    const idx = this.order.subarray(0, count);
    const { start, end, slab } = this.lay;
    // Frames commit their bytes in the order they are numbered; should a slab ever hold them otherwise,
    // those frames are asked one by one.
    if (!inOrder(idx, slab, start)) {
      for (const k of idx) if (this.payloadHas(slab[k], start[k], end[k])) this.hits[k] = 1;
      return;
    }
    let i = 0;
    while (i < count) {
      const bytes = slab[idx[i]] as Buffer;
      let j = i;
      let hi = 0;
      while (j < count && slab[idx[j]] === bytes) { hi = Math.max(hi, end[idx[j]]); j++; }
      if (this.re !== null && hi - start[idx[i]] <= MAX_STRETCH) this.scanStretch(this.re, this.needle, bytes, idx, i, j, start[idx[i]], hi);
      else if (this.anchor !== null && hi - start[idx[i]] <= MAX_STRETCH) {
        this.scanStretch(this.anchor.re, this.anchor.bytes, bytes, idx, i, j, start[idx[i]], hi); // candidates
        for (let f = i; f < j; f++) if (this.hits[idx[f]] === 1 && !this.payloadHas(bytes, start[idx[f]], end[idx[f]])) this.hits[idx[f]] = 0;
      } else if (this.stretchMayHold(bytes, start[idx[i]], hi)) {
        for (let f = i; f < j; f++) if (this.payloadHas(bytes, start[idx[f]], end[idx[f]])) this.hits[idx[f]] = 1;
      }
      i = j;
    }
  }

  /**
   * One stretch of one slab: frames idx[i..j) sorted by payload start, all within [lo, hi); marks the frames
   * whose payload holds `re`, an ASCII literal (`folded`: its lower-cased bytes).
   */
  private scanStretch(re: RegExp, folded: Uint8Array, bytes: Buffer, idx: Int32Array, i: number, j: number, lo: number, hi: number): void {
    const text = bytes.toString('latin1', lo, hi);
    const len = folded.length;
    re.lastIndex = 0;
    let f = i;
    // test() rather than exec(): no match object per hit; an ASCII literal's match is as long as the needle.
    let found = 0;
    while (re.test(text)) {
      const index = re.lastIndex - len;
      const at = lo + index;
      while (f < j && this.lay.end[idx[f]] < at + len) f++; // frames ending before this hit cannot hold it
      if (f === j) break;
      const k = idx[f];
      if (this.lay.start[k] <= at) {
        this.hits[k] = 1;
        re.lastIndex = this.lay.end[k] - lo; // one hit is enough for a frame: go on after its payload
        f++;
        // Most frames hold it (a common word): a call into the pattern per frame costs more than looking
        // at each payload's first bytes, where such a needle is usually found.
        if (++found >= 16 && found * 2 >= f - i) {
          for (; f < j; f++) if (foldHas(bytes, folded, this.lay.start[idx[f]], this.lay.end[idx[f]])) this.hits[idx[f]] = 1;
          return;
        }
      } else {
        re.lastIndex = Math.max(index + 1, this.lay.start[k] - lo); // a hit across a header: look again in the payload
      }
    }
  }

  /**
   * A non-ASCII needle: whether the stretch's text can hold it anywhere, so that its frames are asked one by
   * one only when it does. UTF-8 resynchronises at every lead byte, so a payload's characters appear in the
   * stretch's text as in its own; lower-casing is per character except for a final sigma, so a needle with a
   * sigma always asks frame by frame. A needle without case (Chinese, say) is looked for as bytes, natively.
   */
  private stretchMayHold(bytes: Buffer, lo: number, hi: number): boolean {
    if (this.caseless) return bytes.subarray(lo, hi).indexOf(this.asTyped) >= 0;
    if (this.sigma || this.re !== null || hi - lo > MAX_STRETCH) return true;
    const text = bytes.toString('utf8', lo, hi);
    return text.includes(this.typed) || text.toLowerCase().includes(this.lower);
  }

  /** Fills topicHit[tid]: 1 no, 2 the topic holds the text. */
  private askTopic(tid: number): void {
    if (tid >= this.topicHit.length) {
      const grown = new Uint8Array(Math.max(tid + 1, this.topicHit.length * 2));
      grown.set(this.topicHit);
      this.topicHit = grown;
    }
    this.topicHit[tid] = this.store.topicName(tid).toLowerCase().includes(this.lower) ? 2 : 1;
  }

  private sharedHas(pos: number, bytes: Uint8Array, from: number, to: number): boolean {
    let hit = this.sharedHit.get(pos);
    if (hit === undefined) {
      if (this.sharedHit.size >= SHARED_REMEMBERED) this.sharedHit.clear();
      this.sharedHit.set(pos, (hit = this.payloadHas(bytes, from, to)));
    }
    return hit;
  }

  /**
   * One payload, [from, to) of `p`. ASCII needle: its bytes with A–Z folded. Any other needle: as
   * typed, then in the lower-cased text of payloads of up to 1 MiB.
   */
  private payloadHas(p: Uint8Array, from: number, to: number): boolean {
    if (this.re !== null) return foldHas(p, this.needle, from, to);
    return indexOfBytes(p, this.asTyped, from, to) >= 0 || (to - from <= 1 << 20 && utf8.decode(p.subarray(from, to)).toLowerCase().includes(this.lower));
  }
}

/** Whether frames ks lie in ascending byte order within each slab. */
function inOrder(ks: Int32Array, slabOf: Uint8Array[], start: Int32Array): boolean {
  for (let i = 1; i < ks.length; i++) if (slabOf[ks[i]] === slabOf[ks[i - 1]] && start[ks[i]] < start[ks[i - 1]]) return false;
  return true;
}

/** A case-insensitive pattern for an ASCII literal. */
function pattern(literal: string): RegExp {
  return new RegExp(literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), 'gi');
}

const FOLD = new Uint8Array(256).map((_, i) => (i >= 65 && i <= 90 ? i + 32 : i));

/** Lower-case ASCII `needle` in p[from, to) with A–Z folded. */
function foldHas(p: Uint8Array, needle: Uint8Array, from: number, to: number): boolean {
  const n = needle.length;
  const first = needle[0];
  outer: for (let i = from; i <= to - n; i++) {
    if (FOLD[p[i]] !== first) continue;
    for (let k = 1; k < n; k++) if (FOLD[p[i + k]] !== needle[k]) continue outer;
    return true;
  }
  return false;
}
