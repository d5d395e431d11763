// seq → flow id for every frame that belongs to a flow, in chunks of Int32Array (4 bytes a frame, no
// object per frame). Chunks below the store's first seq are dropped whole.
const CHUNK = 16384;

export class SeqMap {
  private chunks = new Map<number, Int32Array>();

  set(seq: number, id: number): void {
    const k = Math.floor(seq / CHUNK);
    let c = this.chunks.get(k);
    if (!c) { c = new Int32Array(CHUNK); this.chunks.set(k, c); }
    c[seq - k * CHUNK] = id;
  }

  get(seq: number): number {
    const k = Math.floor(seq / CHUNK);
    const c = this.chunks.get(k);
    return c ? c[seq - k * CHUNK] : 0;
  }

  /** Forget every seq below `seq` (whole chunks only; the rest is overwritten or ignored). */
  dropBelow(seq: number): void {
    const last = Math.floor(seq / CHUNK);
    for (const k of this.chunks.keys()) if (k < last) this.chunks.delete(k);
  }

  get bytes(): number { return this.chunks.size * CHUNK * 4; }

  clear(): void { this.chunks.clear(); }
}
