// A PUBLISH payload seen again (the broker fanning one message out to N subscribers, forwarding what it
// received, a client echo) is stored once. Ways to recognise it, cheapest first: the very same Buffer
// written again; a view of the very bytes a socket read delivered (the broker forwards the payload its
// parser cut out of that read); equal bytes found through a cheap hash of the ends, confirmed with memcmp.
import type { SlabPool } from './slab-pool';
import { memOf, offsetOf } from './view-of';

const MAX_REMEMBERED = 4096;
/** Received payloads remembered by where they sit in their read's memory (a power of two). */
const VIEWS = 64;
/**
 * Payload Buffers remembered by identity (a power of two). A broker's writev to one subscriber holds the
 * messages it delivered in one tick (the PUBLISHes of one read: 15 or 16 of 4 KiB in 64 KiB, more when
 * reads come together), and the next subscriber's writev the same Buffers in the same order. Fewer slots
 * than a writev's messages would miss all of them: each miss pushes out the next one wanted.
 */
const SAME = 64;

export class PayloadDedupe {
  private byHash = new Map<number, number>();
  // Payload Buffers written before, by identity. One slot missed every fan-out whose writevs hold more
  // than one message (subscriber A gets P1…P15, then B gets P1…P15), and a miss costs byView's reads of
  // `buffer` and `byteOffset`, which V8 compiles to generic property loads (a runtime lookup each) for
  // Buffers. A WeakMap entry per PUBLISH cost more than it saved.
  private sameChunk: (Buffer | null)[] = new Array(SAME).fill(null);
  /** The memory each remembered Buffer views, so that a read into that memory forgets it (sawRead). */
  private sameMem: (ArrayBufferLike | null)[] = new Array(SAME).fill(null);
  private samePos = new Float64Array(SAME);
  private sameNext = 0;
  /** The slot after the last hit: the next subscriber's payloads come in the order the last one's did. */
  private sameHint = 0;
  /** Where the newest run of Buffers remembered one after another begins: the next subscriber's first. */
  private sameRunStart = 0;
  /** Whether the lookups since the last hit all missed (a run of new payloads, or a subscriber's first). */
  private sameMissing = false;
  private sameAdded = 0;

  constructor(private pool: SlabPool) {}

  /** Position of identical bytes stored earlier, or -1 (and remember these at `pos`). */
  find(buf: Buffer, start: number, end: number, pos: number, seq: number): number {
    const n = end - start;
    let h = 0x811c9dc5 ^ n;
    const a = Math.min(end, start + 32);
    for (let i = start; i < a; i++) h = Math.imul(h ^ buf[i], 16777619);
    for (let i = Math.max(a, end - 32); i < end; i++) h = Math.imul(h ^ buf[i], 16777619);
    const cand = this.byHash.get(h);
    if (cand !== undefined && this.pool.referable(cand)) {
      const cb = this.pool.buffer(cand);
      const co = this.pool.offset(cand);
      if (co + n <= cb.length && cb.compare(buf, start, end, co, co + n) === 0) {
        this.pool.reference(cand, seq);
        return cand;
      }
    }
    if (this.byHash.size >= MAX_REMEMBERED) this.byHash.clear();
    this.byHash.set(h, pos);
    return -1;
  }

  /**
   * Where this exact Buffer's bytes were stored, or -1. Most hits take one comparison (the slot after the
   * last hit) or two (where the newest run began). The other slots are searched only after a hit: among
   * new payloads (every message at fan-out 1) a search would find nothing, 64 times over.
   */
  sameBuffer(chunk: Buffer): number {
    const m = this.sameChunk;
    let k = this.sameHint;
    if (m[k] !== chunk) {
      k = this.sameRunStart;
      if (m[k] !== chunk) {
        if (this.sameMissing) return -1;
        let j = 0;
        for (k = this.sameNext; j < SAME; j++) {
          k = (k - 1) & (SAME - 1); // newest first
          if (m[k] === chunk) break;
        }
        if (j === SAME) { this.sameMissing = true; return -1; }
      }
    }
    const pos = this.samePos[k];
    if (!this.pool.referable(pos)) return -1;
    this.sameHint = (k + 1) & (SAME - 1);
    this.sameMissing = false;
    return pos;
  }

  // The broker forwards the payload it just received: compare an outgoing payload with the last
  // received one before copying it anywhere (one memcmp instead of copy + hash + memcmp).
  private lastInPos = -1;
  private lastInLen = 0;
  noteReceived(pos: number, len: number): void {
    this.lastInPos = pos;
    this.lastInLen = len;
  }
  sameAsReceived(chunk: Buffer): number {
    const n = chunk.length;
    if (n !== this.lastInLen || this.lastInPos < 0 || !this.pool.referable(this.lastInPos)) return -1;
    const o = this.pool.offset(this.lastInPos);
    return chunk.compare(this.pool.buffer(this.lastInPos), o, o + n) === 0 ? this.lastInPos : -1;
  }

  rememberBuffer(chunk: Buffer, pos: number): void {
    const k = this.sameNext;
    if (!this.sameMissing) this.sameRunStart = k;
    this.sameMissing = true;
    this.sameChunk[k] = chunk;
    // byView has just read it for the usual caller (`buffer` is a runtime call on a Buffer).
    this.sameMem[k] = chunk === this.viewedChunk ? this.viewedMem : memOf(chunk);
    this.samePos[k] = pos;
    this.sameNext = (k + 1) & (SAME - 1);
    this.sameAdded++;
  }

  // Received payloads by identity: (the read's ArrayBuffer, byte offset, length) → slab position. A
  // socket read gets memory of its own that Node does not reuse, so the same memory at the same offset
  // holds the same bytes, and a forwarded payload is found with three comparisons instead of a memcmp.
  // Should a read ever arrive in memory seen before (a stream reading into a buffer it reuses), every
  // view of that memory is forgotten first (sawRead), so a reused buffer can never stand for old bytes.
  private viewMem: (ArrayBufferLike | null)[] = new Array(VIEWS).fill(null);
  private viewOff = new Float64Array(VIEWS);
  private viewLen = new Float64Array(VIEWS);
  private viewPos = new Float64Array(VIEWS);
  private viewNext = 0;
  /** Where the next lookup starts: payloads go out in about the order they came in. */
  private viewHint = 0;
  private viewsAdded = 0;

  noteView(mem: ArrayBufferLike, off: number, len: number, pos: number): void {
    const k = this.viewNext;
    this.viewMem[k] = mem;
    this.viewOff[k] = off;
    this.viewLen[k] = len;
    this.viewPos[k] = pos;
    this.viewNext = (k + 1) & (VIEWS - 1);
    this.viewsAdded++;
  }

  /** A socket read delivered `mem`: views remembered in it are no longer what it holds. */
  sawRead(mem: ArrayBufferLike): void {
    const m = this.viewMem;
    for (let k = 0; k < VIEWS; k++) if (m[k] === mem) m[k] = null;
    const s = this.sameMem;
    for (let k = 0; k < SAME; k++) if (s[k] === mem) { s[k] = null; this.sameChunk[k] = null; }
  }

  /** The Buffer byView looked up last, and its memory. */
  private viewedChunk: Buffer | null = null;
  private viewedMem: ArrayBufferLike | null = null;

  byView(chunk: Buffer): number {
    const mem = memOf(chunk);
    this.viewedChunk = chunk;
    this.viewedMem = mem;
    const off = offsetOf(chunk);
    const len = chunk.length;
    for (let j = 0, k = this.viewHint; j < VIEWS; j++, k = (k + 1) & (VIEWS - 1)) {
      if (this.viewMem[k] !== mem || this.viewOff[k] !== off || this.viewLen[k] !== len) continue;
      const pos = this.viewPos[k];
      if (!this.pool.referable(pos)) return -1;
      this.viewHint = (k + 1) & (VIEWS - 1);
      return pos;
    }
    return -1;
  }

  /**
   * Called once per batch tick: when no payload was received (or remembered) since the last tick, let go of
   * the reads' memory and the Buffers (they would otherwise keep up to VIEWS reads and SAME payloads alive
   * while the broker is idle).
   */
  idle(): void {
    if (this.viewsAdded === 0) this.viewMem.fill(null);
    if (this.sameAdded === 0) { this.sameChunk.fill(null); this.sameMem.fill(null); this.viewedChunk = this.viewedMem = null; }
    this.viewsAdded = 0;
    this.sameAdded = 0;
  }

  clear(): void {
    this.byHash.clear();
    this.sameChunk.fill(null);
    this.sameMem.fill(null);
    this.viewedChunk = this.viewedMem = null;
    this.lastInPos = -1;
    this.viewMem.fill(null);
  }
}
