// Queries with a condition (display filter, text, topic filter, connections…) over a whole store without
// holding the event loop: the scan runs in slices of a few milliseconds and yields between them (the
// broker's sockets are served in the gaps), and a newer query from the same caller cancels the one it
// replaces. A caller refreshing the same query over the live capture passes `since` (the last result's
// scannedTo): only frames recorded since are scanned, and the count is carried per chunk (live-counts.ts).
import type { FrameSummary, TraceQuery, TraceQueryResult } from '../../../shared/contract/types';
import { ContractError } from '../../../shared/contract/errors';
import { compileFilter, FilterError } from '../../../shared/filter';
import { baseMatcher, pageOfAll, type BaseMatcher } from './query';
import { chunkTestOf, type ChunkTest } from './filter-chunks';
import { CHUNK, type FilterIndex } from './filter-index';
import { ChunkCounts, type LiveCount } from './live-counts';
import { StoreFacts, type ConnFacts } from './store-facts';
import type { TraceStore } from './trace-store';
import { yieldTurn } from './yield-turn';

/** Longest stretch of scanning between two yields: a publish arriving meanwhile waits up to this long. */
export const SLICE_MS = 2;
/** Callers whose counts are kept for a refresh (the oldest is forgotten first; a refresh then scans all). */
const LIVE_CALLERS = 16;


export function filterError(e: unknown): never {
  if (e instanceof FilterError) throw new ContractError('bad-filter', `filter: ${e.message}`);
  throw e;
}

/**
 * The one per-frame test of a query: the structured conditions, then the display filter on the frame's facts.
 * Null when nothing is tested. The count scan and the filtered-list pages (filter-pages.ts) both use it.
 */
export function frameTest(base: BaseMatcher | null, facts: StoreFacts, pred: (() => boolean) | null): ((seq: number) => boolean) | null {
  if (!pred) return base;
  return (s) => (!base || base(s)) && facts.seek(s) && pred();
}

/** The conditions that decide what matches (not bounds, order or limit): a refresh must ask the same. */
export function conditionsKey(q: TraceQuery): string {
  return JSON.stringify([q.doc ?? '', q.filter ?? '', q.text ?? '', q.topicFilter ?? '', q.conns ?? null, q.sessionId ?? null,
    q.side ?? null, q.dir ?? null, q.kinds ?? null, q.types ?? null]);
}

interface Skip { index: FilterIndex; conns: (id: number) => ConnFacts | undefined; chunkOk: ChunkTest | null }

export class FilterQueries {
  private running = new Map<string, AbortController>();
  private live = new Map<string, LiveCount>();

  /**
   * Run `query`; rejects with code 'cancelled' when a newer query of its caller replaced it.
   * `index`: the store's filter index (extended as the scan reaches frames it has not indexed yet).
   */
  async run(store: TraceStore, conns: (id: number) => ConnFacts | undefined, query: TraceQuery, sessionConns?: Set<number>, index?: FilterIndex): Promise<TraceQueryResult> {
    // A wall clock bound is the seq bound of the first frame recorded at or after it: the scans read seqs only.
    const q = query.fromWallMs === undefined ? query : { ...query, fromSeq: Math.max(query.fromSeq ?? 0, store.firstAtOrAfterWall(query.fromWallMs)) };
    const base = baseMatcher(store, q, sessionConns);
    if (!q.filter && !base) return pageOfAll(store, q); // nothing to test: no scan
    const facts = new StoreFacts(store, conns, index);
    let pred: (() => boolean) | null = null;
    if (q.filter) {
      try { pred = compileFilter(q.filter, facts); } catch (e) { filterError(e); }
    }
    const skip = index && q.filter ? { index, conns, chunkOk: chunkTestOf(q.filter, () => index.topics) } : null;
    const key = conditionsKey(q);
    const ctl = new AbortController();
    let prior: LiveCount | undefined;
    if (q.caller) {
      this.running.get(q.caller)?.abort();
      this.running.set(q.caller, ctl);
      prior = this.live.get(q.caller);
      this.live.delete(q.caller); // a cancelled refresh leaves no half-updated counts behind
    }
    const since = q.since;
    const cont = prior && since !== undefined && prior.key === key && prior.store === store && prior.scannedTo === since && since <= store.nextSeq ? prior : undefined;
    try {
      const counts = cont ? cont.counts : new ChunkCounts();
      const r = await scan(store, facts, pred, q, base, ctl.signal, skip, counts, cont ? since : undefined);
      if (q.caller) {
        if (this.live.size >= LIVE_CALLERS) this.live.delete(this.live.keys().next().value!);
        this.live.set(q.caller, { key, store, counts, scannedTo: r.scannedTo! });
      }
      return r;
    } finally {
      if (q.caller && this.running.get(q.caller) === ctl) this.running.delete(q.caller);
    }
  }

  /** The counts a caller's last completed query left (filter-pages.ts answers that list's pages from them). */
  liveCountOf(caller: string): LiveCount | undefined {
    return this.live.get(caller);
  }

  cancel(caller: string): boolean {
    const c = this.running.get(caller);
    c?.abort();
    return c !== undefined;
  }

  dispose(): void {
    for (const c of this.running.values()) c.abort();
    this.running.clear();
    this.live.clear();
  }
}

/**
 * Scans [firstSeq, end), or when continuing from `since`: recounts the chunk eviction cut into (frames below
 * `since` only) and scans [since, end). Picks come only from the frames not seen before.
 */
async function scan(
  store: TraceStore, facts: StoreFacts, pred: (() => boolean) | null, q: TraceQuery, base: BaseMatcher | null,
  signal: AbortSignal, skip: Skip | null, counts: ChunkCounts, since: number | undefined,
): Promise<TraceQueryResult> {
  const limit = q.limit ?? 500;
  const end = store.nextSeq;
  const lo = q.fromSeq ?? 0;
  const hi = Math.min(end - 1, q.toSeq ?? Number.MAX_SAFE_INTEGER);
  const backward = q.order === 'backward';
  // Forward: the first `limit` matches in bounds. Backward: the last `limit`, kept in a ring.
  const picked: number[] = [];
  let ringAt = 0;
  let deadline = performance.now() + SLICE_MS;
  const matches = frameTest(base, facts, pred) ?? (() => true);
  const mayMatch = base?.chunkMayMatch;

  const walk = async (from: number, to: number, pick: boolean): Promise<void> => {
    for (let s = Math.max(from, store.firstSeq); s < to; s++) {
      if (s % CHUNK === 0 && performance.now() > deadline) {
        await yieldTurn();
        if (signal.aborted) throw new ContractError('cancelled', 'trace query cancelled: a newer query replaced it');
        deadline = performance.now() + SLICE_MS;
        if (s < store.firstSeq) { s = store.firstSeq; counts.cutAt(s); } // evicted while we yielded: their counts go too
      }
      if ((skip || mayMatch) && (s % CHUNK === 0 || s === store.firstSeq)) {
        // Entering a chunk: index it if the batch tick has not, then skip it whole if it cannot match (by the
        // index, or because the search text is nowhere in it).
        const chunkEnd = Math.min(to, (Math.floor(s / CHUNK) + 1) * CHUNK);
        if (skip) skip.index.extend(skip.conns, chunkEnd);
        const z = skip?.chunkOk ? skip.index.chunk(s) : null;
        if ((z && !skip!.chunkOk!(z.mask, z.conns, z.topics)) || (mayMatch && !mayMatch(s))) { s = chunkEnd - 1; continue; }
      }
      if (!matches(s)) continue;
      counts.add(s);
      if (!pick || s < lo || s > hi) continue;
      if (!backward) { if (picked.length < limit) picked.push(s); }
      else if (limit > 0) {
        if (picked.length < limit) picked.push(s);
        else { picked[ringAt] = s; ringAt = (ringAt + 1) % limit; }
      }
    }
  };

  const chunkEnd = (seq: number) => (Math.floor(seq / CHUNK) + 1) * CHUNK;
  const first = store.firstSeq;
  if (since === undefined) {
    await walk(first, end, true);
  } else {
    counts.cutAt(first);
    await walk(first, Math.min(since, chunkEnd(first)), false);
    await walk(since, end, true);
  }
  // Frames evicted while the scan yielded leave the count: drop their chunks, recount the one cut into.
  const firstNow = store.firstSeq;
  if (firstNow !== first) {
    counts.cutAt(firstNow);
    await walk(firstNow, Math.min(end, chunkEnd(firstNow)), false);
  }
  if (signal.aborted) throw new ContractError('cancelled', 'trace query cancelled: a newer query replaced it');
  const seqs = backward ? [...picked.slice(ringAt), ...picked.slice(0, ringAt)].reverse() : picked;
  const frames: FrameSummary[] = [];
  for (const s of seqs) { const f = store.summary(s); if (f) frames.push(f); }
  return { frames, matching: counts.total, stats: store.stats(), scannedTo: end, continued: since !== undefined };
}
