// Display-filter queries over a whole store without holding the event loop: the scan runs in slices of
// a few milliseconds and yields between them (the broker's sockets are served in the gaps), and a newer
// query from the same caller cancels the one it replaces.
import type { FrameSummary, TraceQuery, TraceQueryResult } from '../../../shared/contract/types';
import { ContractError } from '../../../shared/contract/errors';
import { compileFilter, FilterError } from '../../../shared/filter';
import { baseMatcher } from './query';
import { chunkTestOf, type ChunkTest } from './filter-chunks';
import { CHUNK, type FilterIndex } from './filter-index';
import { StoreFacts, type ConnFacts } from './store-facts';
import type { TraceStore } from './trace-store';

/** Longest stretch of scanning between two yields. */
export const SLICE_MS = 4;
/** Slices end on chunk boundaries (the index's zone maps are per chunk). */
const CHECK_EVERY = CHUNK;

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

export function filterError(e: unknown): never {
  if (e instanceof FilterError) throw new ContractError('bad-filter', `filter: ${e.message}`);
  throw e;
}

export class FilterQueries {
  private running = new Map<string, AbortController>();

  /** Run `q` (which has a filter); rejects with code 'cancelled' when a newer query of `q.caller` replaced it. */
  /** `index`: the store's filter index (extended as the scan reaches frames it has not indexed yet). */
  async run(store: TraceStore, conns: (id: number) => ConnFacts | undefined, q: TraceQuery, sessionConns?: Set<number>, index?: FilterIndex): Promise<TraceQueryResult> {
    const facts = new StoreFacts(store, conns, index);
    let pred: () => boolean;
    try { pred = compileFilter(q.filter ?? '', facts); } catch (e) { filterError(e); }
    const skip = index ? { index, conns, chunkOk: chunkTestOf(q.filter ?? '', () => index.topics) } : null;
    const ctl = new AbortController();
    if (q.caller) {
      this.running.get(q.caller)?.abort();
      this.running.set(q.caller, ctl);
    }
    try {
      return await scan(store, facts, pred, q, baseMatcher(store, q, sessionConns), ctl.signal, skip);
    } finally {
      if (q.caller && this.running.get(q.caller) === ctl) this.running.delete(q.caller);
    }
  }

  cancel(caller: string): boolean {
    const c = this.running.get(caller);
    c?.abort();
    return c !== undefined;
  }

  dispose(): void {
    for (const c of this.running.values()) c.abort();
    this.running.clear();
  }
}

async function scan(
  store: TraceStore, facts: StoreFacts, pred: () => boolean, q: TraceQuery, base: ((seq: number) => boolean) | null, signal: AbortSignal,
  skip: { index: FilterIndex; conns: (id: number) => ConnFacts | undefined; chunkOk: ChunkTest | null } | null,
): Promise<TraceQueryResult> {
  const limit = q.limit ?? 500;
  const end = store.nextSeq;
  const lo = q.fromSeq ?? 0;
  const hi = Math.min(end - 1, q.toSeq ?? Number.MAX_SAFE_INTEGER);
  const backward = q.order === 'backward';
  // Forward: the first `limit` matches in bounds. Backward: the last `limit`, kept in a ring.
  const picked: number[] = [];
  let ringAt = 0;
  let matching = 0;
  let deadline = performance.now() + SLICE_MS;
  for (let s = store.firstSeq; s < end; s++) {
    if (s % CHECK_EVERY === 0 && performance.now() > deadline) {
      await nextTurn();
      if (signal.aborted) throw new ContractError('cancelled', 'trace query cancelled: a newer query replaced it');
      deadline = performance.now() + SLICE_MS;
      if (s < store.firstSeq) s = store.firstSeq; // evicted while we yielded
    }
    if (skip && (s % CHUNK === 0 || s === store.firstSeq)) {
      // Entering a chunk: index it if the batch tick has not, then skip it whole if it cannot match.
      const chunkEnd = Math.min(end, (Math.floor(s / CHUNK) + 1) * CHUNK);
      skip.index.extend(skip.conns, chunkEnd);
      const z = skip.chunkOk ? skip.index.chunk(s) : null;
      if (z && !skip.chunkOk!(z.mask, z.conns, z.topics)) { s = chunkEnd - 1; continue; }
    }
    if (!facts.seek(s) || (base && !base(s)) || !pred()) continue;
    matching++;
    if (s < lo || s > hi) continue;
    if (!backward) { if (picked.length < limit) picked.push(s); }
    else if (limit > 0) {
      if (picked.length < limit) picked.push(s);
      else { picked[ringAt] = s; ringAt = (ringAt + 1) % limit; }
    }
  }
  if (signal.aborted) throw new ContractError('cancelled', 'trace query cancelled: a newer query replaced it');
  const seqs = backward ? [...picked.slice(ringAt), ...picked.slice(0, ringAt)].reverse() : picked;
  const frames: FrameSummary[] = [];
  for (const s of seqs) { const f = store.summary(s); if (f) frames.push(f); }
  return { frames, matching, stats: store.stats() };
}
