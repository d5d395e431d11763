// A search or filter result kept current while a live capture grows: the first answer is whole; each
// refresh asks core only for what was recorded since (TraceQuery.since = the last scannedTo) and adds it,
// dropping what the store evicted, so a filled search box costs a scan of new frames, not of the trace.
import type { FrameSummary, TraceQueryResult } from '../../../shared/contract/types';

/**
 * The list after a result. `prev` and the result are in ascending seq order here (callers reverse the
 * backward answers); at most `limit` newest frames are kept.
 */
export function mergeRefresh(prev: readonly FrameSummary[], r: TraceQueryResult, ascending: readonly FrameSummary[], limit: number): FrameSummary[] {
  if (!r.continued) return ascending.length > limit ? ascending.slice(ascending.length - limit) : ascending.slice();
  const first = r.stats.firstSeq;
  let from = 0;
  while (from < prev.length && prev[from].seq < first) from++; // evicted (or cleared) since
  const out = prev.slice(from).concat(ascending);
  return out.length > limit ? out.slice(out.length - limit) : out;
}

/** One page's name for a query caller: pages sharing a core (several browser tabs) never cancel each other. */
const PAGE = Math.random().toString(36).slice(2, 10);
export const callerOf = (name: string): string => `${name}@${PAGE}`;
