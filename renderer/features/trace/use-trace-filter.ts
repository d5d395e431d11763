// The trace list when it is not simply the live feed: a display filter, a search, or an opened file.
// Computed in core and paged like the live list (use-paged-query.ts): the count is exact, only the rows on
// screen are loaded; a newer query replaces the running one (same caller), so typing never queues up scans.
import type { TraceListConditions } from '../../../shared/contract/list-pages';
import { LIVE_DOC } from './trace-slice';
import { callerOf } from './query-refresh';
import { usePagedQuery, type PagedQuery } from './use-paged-query';
import { useTraceVersion } from './use-trace-version';

export interface TraceFilter { doc: string; filter: string; text: string }

const CALLER = callerOf('trace-list');

export function useTraceFilter(f: TraceFilter): PagedQuery & { active: boolean } {
  const liveVersion = useTraceVersion();
  const version = f.doc === LIVE_DOC ? liveVersion : 0; // a file never changes
  const active = !!(f.filter || f.text.trim() || f.doc !== LIVE_DOC);
  let conditions: TraceListConditions | null = null;
  if (active) {
    conditions = {};
    if (f.doc !== LIVE_DOC) conditions.doc = f.doc;
    if (f.filter) conditions.filter = f.filter;
    if (f.text.trim()) conditions.text = f.text.trim();
  }
  const q = usePagedQuery(conditions, `${f.doc}|${f.filter}|${f.text.trim()}`, CALLER, version, 50);
  return { active, ...q };
}
