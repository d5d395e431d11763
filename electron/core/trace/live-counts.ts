// A caller's running count of matches, kept per 256-frame chunk so that a refresh of the same query over a
// live capture scans only the frames recorded since (`since`), and eviction at the front is subtracted
// exactly: whole chunks are dropped with their counts, the one chunk eviction cut into is recounted.
import { CHUNK } from './filter-index';
import type { TraceStore } from './trace-store';

export class ChunkCounts {
  /** Chunk number of counts[0]. */
  private base = -1;
  private counts: number[] = [];
  total = 0;

  add(seq: number): void {
    const c = Math.floor(seq / CHUNK);
    if (this.base < 0) this.base = c;
    const i = c - this.base;
    while (this.counts.length <= i) this.counts.push(0);
    this.counts[i]++;
    this.total++;
  }

  /** Matches counted in chunk `c` (frames c*CHUNK … c*CHUNK+CHUNK-1); 0 for a chunk never seen. */
  countOf(c: number): number {
    const i = c - this.base;
    return this.base < 0 || i < 0 || i >= this.counts.length ? 0 : this.counts[i];
  }

  /** Forget chunks wholly below `firstSeq` and zero the chunk holding it: the caller recounts it from firstSeq. */
  cutAt(firstSeq: number): void {
    const f = Math.floor(firstSeq / CHUNK);
    if (this.base < 0) return;
    const drop = Math.min(this.counts.length, Math.max(0, f - this.base));
    for (let i = 0; i < drop; i++) this.total -= this.counts[i];
    if (drop > 0) this.counts.splice(0, drop);
    this.base = Math.max(this.base, f);
    if (this.counts.length && this.base === f) { this.total -= this.counts[0]; this.counts[0] = 0; }
  }
}

/** What a caller's last completed query leaves for its next refresh. */
export interface LiveCount {
  key: string;
  store: TraceStore;
  counts: ChunkCounts;
  /** The query covered frames below this seq. */
  scannedTo: number;
}
