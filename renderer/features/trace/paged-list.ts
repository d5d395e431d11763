// A filtered or searched list held the way the live list is: the exact count, and only the rows that were
// on screen. Row i (0 = oldest) is the match of rank count-1-i from the newest below the snapshot the last
// refresh answered (core's traceList); rows not loaded are asked for by rank (traceListPage) and render as
// placeholders until they come. Each loaded row keeps an ordinal that does not move: a refresh adds
// `added` ordinals at the newest end and eviction removes the lowest ones, so rows stay put between
// refreshes and a page answered for an older snapshot still lands on its own rows.
import type { FrameSummary } from '../../../shared/contract/types';
import type { TraceListPageParams, TraceListPageResult, TraceListResult } from '../../../shared/contract/list-pages';

/** Rows loaded beyond the ones on screen, on each side (keyboard steps and short scrolls find them loaded). */
export const PAGE_MARGIN = 100;
/** At most this many rows a request. */
export const PAGE_MAX = 1000;
/** Loaded rows kept; beyond, the ones farthest from the last range wanted are dropped. */
const KEEP_ROWS = 20_000;
/** Snapshots remembered for answers still on their way. */
const SNAPSHOTS = 8;

export type PageFetch = (p: Pick<TraceListPageParams, 'upTo' | 'rank' | 'seq' | 'wallMs' | 'count'>) => Promise<TraceListPageResult>;

export class PagedList {
  /** Matches in the list (the last refresh's count). */
  count = 0;
  version = 0;
  /** Ordinal of the newest match + 1: grows by each refresh's `added`. */
  private top = 0;
  /** The last refresh's scannedTo: the snapshot ranks refer to. */
  private upTo = 0;
  private rows = new Map<number, FrameSummary>();
  private ordOfSeq = new Map<number, number>();
  private snapshots: { upTo: number; top: number }[] = [];
  /** Bumped when the list starts over: answers for an earlier one are dropped. */
  private generation = 0;
  private busy = false;
  private wanted: [number, number] = [0, 0];
  private listeners = new Set<() => void>();
  private firstSeq = 0;

  constructor(private fetchPage: PageFetch, private onError: (e: Error & { code?: string }) => void = () => {}) {}

  subscribe = (fn: () => void): (() => void) => { this.listeners.add(fn); return () => { this.listeners.delete(fn); }; };
  getVersion = (): number => this.version;

  /** Ordinal of row 0. */
  private get low(): number { return this.top - this.count; }

  get(i: number): FrameSummary | undefined {
    return i >= 0 && i < this.count ? this.rows.get(this.low + i) : undefined;
  }

  indexOfSeq(seq: number): number {
    const o = this.ordOfSeq.get(seq);
    return o === undefined || o < this.low || o >= this.top ? -1 : o - this.low;
  }

  /** Rows loaded now, oldest first (a sample of the list: its newest screen at least). */
  loaded(): FrameSummary[] {
    return [...this.rows.entries()].filter(([o]) => o >= this.low).sort((a, b) => a[0] - b[0]).map(([, f]) => f);
  }

  /** Forget everything (the conditions changed or the list is off). */
  reset(): void {
    this.generation++;
    this.count = 0;
    this.top = 0;
    this.rows.clear();
    this.ordOfSeq.clear();
    this.snapshots = [];
    this.changed();
  }

  /** A traceList answer for this list: the whole list, or (continued) what it grew by. */
  applyRefresh(r: TraceListResult): void {
    if (!r.continued) { this.reset(); this.top = r.matching; }
    else this.top += r.added;
    this.count = r.matching;
    this.upTo = r.scannedTo ?? r.stats.nextSeq;
    this.firstSeq = r.stats.firstSeq;
    this.snapshots.push({ upTo: this.upTo, top: this.top });
    if (this.snapshots.length > SNAPSHOTS) this.snapshots.shift();
    for (const [o, f] of this.rows) if (o < this.low || f.seq < this.firstSeq) this.drop(o, f); // evicted or cleared
    r.frames.forEach((f, k) => this.put(this.top - 1 - k, f));
    this.changed();
    this.fill();
  }

  /** The list shows rows [first, last): load what of them (and a margin) is missing. */
  want(first: number, last: number): void {
    this.wanted = [first, last];
    this.fill();
  }

  /** Load the oldest match at or after a frame number or a wall clock time; its row index, or -1 for none. */
  async indexAt(at: { seq: number } | { wallMs: number }): Promise<number> {
    const gen = this.generation;
    const snap = this.snapshotNow();
    const r = await this.fetchPage({ upTo: snap.upTo, ...at, count: 1 });
    if (gen !== this.generation || r.rank < 0 || !r.frames.length) return -1;
    this.land(snap, r);
    return this.indexOfSeq(r.frames[0].seq);
  }

  /** Every row of the list as it stands (an export): fetched a page at a time, oldest first; evicted ones are left out. */
  async all(): Promise<FrameSummary[]> {
    const snap = this.snapshotNow();
    const n = this.count;
    const newestFirst: FrameSummary[] = [];
    for (let rank = 0; rank < n; rank += PAGE_MAX) {
      const r = await this.fetchPage({ upTo: snap.upTo, rank, count: Math.min(PAGE_MAX, n - rank) });
      newestFirst.push(...r.frames);
      if (r.frames.length < Math.min(PAGE_MAX, n - rank)) break; // the oldest end was evicted meanwhile
    }
    return newestFirst.reverse();
  }

  private snapshotNow(): { upTo: number; top: number } { return { upTo: this.upTo, top: this.top }; }

  private fill(): void {
    if (this.busy || this.count === 0) return;
    const a = Math.max(0, this.wanted[0] - PAGE_MARGIN);
    const b = Math.min(this.count, this.wanted[1] + PAGE_MARGIN);
    let lo = -1;
    let hi = -1;
    for (let i = a; i < b; i++) if (!this.rows.has(this.low + i)) { if (lo < 0) lo = i; hi = i; }
    if (lo < 0) return;
    hi = Math.min(hi, lo + PAGE_MAX - 1);
    // Rows lo..hi (oldest first) are ranks count-1-hi … count-1-lo from the newest.
    const snap = this.snapshotNow();
    const gen = this.generation;
    this.busy = true;
    const count = hi - lo + 1;
    let whole = false;
    this.fetchPage({ upTo: snap.upTo, rank: this.count - 1 - hi, count }).then(
      (r) => { if (gen === this.generation) { this.land(snap, r); whole = r.frames.length === count; this.changed(); } },
      (e: Error & { code?: string }) => { if (e.code !== 'stale') this.onError(e); }, // stale: the next refresh starts the list over
    ).finally(() => {
      this.busy = false;
      // On to what else is missing; not after a failure or a short answer (evicted rows): the next want() or refresh asks.
      if (whole) this.fill();
    });
  }

  /** An answer asked for `snap`: frames[k] has rank r.rank + k there, whatever refreshes came since. */
  private land(snap: { upTo: number; top: number }, r: TraceListPageResult): void {
    const known = this.snapshots.find((s) => s.upTo === snap.upTo && s.top === snap.top);
    if (!known) return; // the list started over meanwhile
    r.frames.forEach((f, k) => {
      const o = snap.top - 1 - (r.rank + k);
      if (o >= this.low && f.seq >= this.firstSeq) this.put(o, f);
    });
    this.trim();
  }

  private put(o: number, f: FrameSummary): void {
    const old = this.rows.get(o);
    if (old) this.ordOfSeq.delete(old.seq);
    this.rows.set(o, f);
    this.ordOfSeq.set(f.seq, o);
  }

  private drop(o: number, f: FrameSummary): void {
    this.rows.delete(o);
    this.ordOfSeq.delete(f.seq);
  }

  /** Keep memory bounded: drop the loaded rows farthest from what the list last showed. */
  private trim(): void {
    if (this.rows.size <= KEEP_ROWS) return;
    const mid = this.low + (this.wanted[0] + this.wanted[1]) / 2;
    const far = [...this.rows.entries()].sort((x, y) => Math.abs(y[0] - mid) - Math.abs(x[0] - mid));
    for (const [o, f] of far.slice(0, this.rows.size - KEEP_ROWS / 2)) this.drop(o, f);
  }

  private changed(): void {
    this.version++;
    this.listeners.forEach((fn) => fn());
  }
}
