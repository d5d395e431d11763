// A PUBLISH payload seen again (the broker fanning one message out to N subscribers, a client echo) is
// stored once. Two ways to recognise it: the very same Buffer written again (free), or equal bytes
// found through a cheap hash of the ends and confirmed with memcmp.
import type { SlabPool } from './slab-pool';

const MAX_REMEMBERED = 4096;

export class PayloadDedupe {
  private byHash = new Map<number, number>();
  // The broker writes one payload to N subscribers back to back, so one slot catches a fan-out; a
  // WeakMap entry per PUBLISH cost more than it saved.
  private lastChunk: Buffer | null = null;
  private lastChunkPos = -1;

  constructor(private pool: SlabPool) {}

  /** Position of identical bytes stored earlier, or -1 (and remember these at `pos`). */
  find(buf: Buffer, start: number, end: number, pos: number, seq: number): number {
    const n = end - start;
    let h = 0x811c9dc5 ^ n;
    const a = Math.min(end, start + 32);
    for (let i = start; i < a; i++) h = Math.imul(h ^ buf[i], 16777619);
    for (let i = Math.max(a, end - 32); i < end; i++) h = Math.imul(h ^ buf[i], 16777619);
    const cand = this.byHash.get(h);
    if (cand !== undefined && this.pool.live(cand)) {
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

  /** Where this exact Buffer's bytes were stored, or -1. */
  sameBuffer(chunk: Buffer): number {
    return chunk === this.lastChunk && this.pool.live(this.lastChunkPos) ? this.lastChunkPos : -1;
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
    if (n !== this.lastInLen || this.lastInPos < 0 || !this.pool.live(this.lastInPos)) return -1;
    const o = this.pool.offset(this.lastInPos);
    return chunk.compare(this.pool.buffer(this.lastInPos), o, o + n) === 0 ? this.lastInPos : -1;
  }

  rememberBuffer(chunk: Buffer, pos: number): void {
    this.lastChunk = chunk;
    this.lastChunkPos = pos;
  }

  clear(): void {
    this.byHash.clear();
    this.lastChunk = null;
    this.lastInPos = -1;
  }
}
