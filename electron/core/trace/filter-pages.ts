// A filtered list that pages like the live list: the list's refresh (traceList) is the caller's incremental
// count scan (filter-query.ts), and a page ("rows of rank r… from the newest match below upTo") is answered
// from that scan's exact per-chunk counts: whole chunks are stepped over by their counts and only the one or
// two chunks holding the wanted ranks are scanned. Ranks count from the newest end below the list's
// snapshot (upTo), so frames arriving later shift nothing and eviction only cuts the oldest end.
import type { TraceQuery } from '../../../shared/contract/types';
import type { TraceListConditions, TraceListPageParams, TraceListPageResult, TraceListResult } from '../../../shared/contract/list-pages';
import { ContractError } from '../../../shared/contract/errors';
import { compileFilter } from '../../../shared/filter';
import { baseMatcher } from './query';
import { yieldTurn } from './yield-turn';
import { CHUNK, type FilterIndex } from './filter-index';
import { conditionsKey, filterError, frameTest, SLICE_MS, type FilterQueries } from './filter-query';
import type { LiveCount } from './live-counts';
import { StoreFacts, type ConnFacts } from './store-facts';
import type { TraceStore } from './trace-store';

/** Lists whose pages are kept (as many as FilterQueries keeps counts for). */
const LISTS = 16;

type Match = (seq: number) => boolean;

/** The count scan's per-frame test (frameTest), built for a page (null: every frame matches). */
export function matcherOf(store: TraceStore, conns: (id: number) => ConnFacts | undefined, q: TraceListConditions, sessionConns?: Set<number>, index?: FilterIndex): Match | null {
  const base = baseMatcher(store, q, sessionConns);
  if (!q.filter) return base;
  const facts = new StoreFacts(store, conns, index);
  let pred: () => boolean = () => false;
  try { pred = compileFilter(q.filter, facts); } catch (e) { filterError(e); }
  return frameTest(base, facts, pred);
}

/** Matches in [from, to), ascending. */
function scanRange(match: Match, from: number, to: number): number[] {
  const out: number[] = [];
  for (let s = from; s < to; s++) if (match(s)) out.push(s);
  return out;
}

/** How the counts of one list stand: the caller's live counts as its last refresh left them. */
interface Source { key: string; store: TraceStore; live: LiveCount }

export class FilterPages {
  private lists = new Map<string, Source>();

  constructor(private queries: FilterQueries) {}

  /** The list's first answer or refresh: traceQuery's answer plus the number of matches new since `since`. */
  async refresh(store: TraceStore, conns: (id: number) => ConnFacts | undefined, q: TraceQuery, sessionConns?: Set<number>, index?: FilterIndex): Promise<TraceListResult> {
    const r = await this.queries.run(store, conns, q, sessionConns, index);
    const found = this.queries.liveCountOf(q.caller!);
    const live = found && found.key === conditionsKey(q) && found.store === store ? found : undefined;
    this.lists.delete(q.caller!);
    if (!live) return { ...r, added: r.matching }; // no conditions: nothing was counted, pages are arithmetic
    if (this.lists.size >= LISTS) this.lists.delete(this.lists.keys().next().value!);
    this.lists.set(q.caller!, { key: live.key, store, live });
    if (!r.continued) return { ...r, added: r.matching };
    const match = matcherOf(store, conns, q, sessionConns, index)!;
    return { ...r, added: countFrom(live, store, match, Math.max(q.since!, store.firstSeq)) };
  }

  /** Rows of a list by rank from its newest match below p.upTo (or from the first match at or after a frame or a time). */
  async page(store: TraceStore, conns: (id: number) => ConnFacts | undefined, p: TraceListPageParams, sessionConns?: Set<number>, index?: FilterIndex): Promise<TraceListPageResult> {
    const upTo = Math.min(p.upTo, store.nextSeq);
    const match = matcherOf(store, conns, p, sessionConns, index);
    let counts: ((c: number) => number) | null = null;
    if (match) {
      const src = this.lists.get(p.caller);
      if (!src || src.key !== conditionsKey(p) || src.store !== store || p.upTo > src.live.scannedTo) {
        throw new ContractError('stale', 'this list changed since it was counted: refresh it (traceList) first');
      }
      counts = (c) => src.live.counts.countOf(c);
    }
    const ranks = new Ranks(store, match, counts, upTo);
    let rank = p.rank ?? 0;
    const at = p.wallMs !== undefined ? store.firstAtOrAfterWall(p.wallMs, upTo) : p.seq;
    if (at !== undefined) {
      rank = await ranks.countAtOrAfter(at) - 1;
      if (rank < 0) return { frames: [], rank: -1, stats: store.stats() };
    }
    const frames = [];
    // Newest first: what eviction took while the page yielded is its oldest end, so the ranks still hold.
    for (const s of await ranks.collect(rank, p.count)) { const f = store.summary(s); if (f) frames.push(f); }
    return { frames, rank, stats: store.stats() };
  }

  dispose(): void { this.lists.clear(); }
}

/**
 * Matches in [from, live.scannedTo) from the counts: every chunk from from's on, minus the matches of from's
 * chunk that lie below it (scanned: at most CHUNK - 1 frames).
 */
function countFrom(live: LiveCount, store: TraceStore, match: Match, from: number): number {
  const to = live.scannedTo;
  if (from >= to) return 0;
  let n = 0;
  const c0 = Math.floor(from / CHUNK);
  for (let c = c0; c * CHUNK < to; c++) n += live.counts.countOf(c);
  return n - scanRange(match, Math.max(store.firstSeq, c0 * CHUNK), from).length;
}

/** The k-th match from the newest below `upTo`, walking chunks down from upTo by their counts. */
export class Ranks {
  constructor(private store: TraceStore, private match: Match | null, private counts: ((c: number) => number) | null, private upTo: number) {}

  /** Matches of chunk c below upTo that are still stored, ascending. */
  private chunk(c: number): number[] {
    const lo = Math.max(c * CHUNK, this.store.firstSeq);
    const hi = Math.min((c + 1) * CHUNK, this.upTo);
    if (!this.match) return range(lo, hi);
    return hi > lo ? scanRange(this.match, lo, hi) : [];
  }

  /**
   * How many ranks chunk c stands for, without scanning it; null for the chunk upTo cuts (its count covers
   * frames past upTo). A chunk's count includes matches evicted since it was counted: the oldest ranks of all.
   */
  private ranksOf(c: number): number | null {
    const lo = Math.max(c * CHUNK, this.store.firstSeq);
    const hi = Math.min((c + 1) * CHUNK, this.upTo);
    if (hi <= lo) return 0;
    if (!this.match) return hi - lo;
    return (c + 1) * CHUNK <= this.upTo ? this.counts!(c) : null;
  }

  /** Seqs of ranks rank … rank+count-1, newest first; fewer where the list ends or was evicted. */
  async collect(rank: number, count: number): Promise<number[]> {
    const out: number[] = [];
    const pace = new Pace();
    const bottom = Math.floor(this.store.firstSeq / CHUNK);
    let skip = rank;
    for (let c = Math.floor((this.upTo - 1) / CHUNK); c >= Math.max(bottom, Math.floor(this.store.firstSeq / CHUNK)) && out.length < count; c--) {
      const known = this.ranksOf(c);
      if (known === 0) continue;
      await pace.step();
      let seqs: number[] | null = null;
      const n = known ?? (seqs = this.chunk(c)).length;
      if (skip >= n) { skip -= n; continue; } // stepped over by its count
      seqs ??= this.chunk(c);
      // Ranks skip… of this chunk, from its newest; what is held of it is its newest seqs.length.
      for (let j = seqs.length - 1 - skip; j >= 0 && out.length < count; j--) out.push(seqs[j]);
      if (seqs.length < n) return out; // the rest of its ranks were evicted: nothing older is held
      skip = 0;
    }
    return out;
  }

  /** Matches at or after `seq` (below upTo). */
  async countAtOrAfter(seq: number): Promise<number> {
    const pace = new Pace();
    const from = Math.max(seq, this.store.firstSeq);
    if (from >= this.upTo) return 0;
    let n = 0;
    const c0 = Math.floor(from / CHUNK);
    for (let c = Math.floor((this.upTo - 1) / CHUNK); c > c0; c--) {
      const known = this.ranksOf(c);
      if (known === null) await pace.step();
      n += known ?? this.chunk(c).length;
    }
    const hi = Math.min((c0 + 1) * CHUNK, this.upTo);
    n += this.match ? scanRange(this.match, from, hi).length : hi - from;
    return n;
  }
}

/** Sparse matches can put a page's rows in hundreds of chunks: the scan yields every few ms, as the count scan does. */
class Pace {
  private deadline = performance.now() + SLICE_MS;
  async step(): Promise<void> {
    if (performance.now() <= this.deadline) return;
    await yieldTurn();
    this.deadline = performance.now() + SLICE_MS;
  }
}

function range(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let s = lo; s < hi; s++) out.push(s);
  return out;
}
