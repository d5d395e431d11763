// The trace list when it is not simply the live feed: a display filter, a search, or an opened file.
// Computed in core (traceQuery), refreshed at most once a second while live frames arrive, each refresh
// scanning only the frames recorded since the last (query-refresh.ts); a newer query replaces the running
// one (same caller), so typing never queues up scans.
import { useEffect, useRef, useState } from 'react';
import type { FrameSummary, TraceQuery } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { LIVE_DOC } from './trace-slice';
import { callerOf, mergeRefresh } from './query-refresh';
import { useTraceVersion } from './use-trace-version';

export interface TraceFilter { doc: string; filter: string; text: string }
export const FILTER_LIMIT = 50_000;

export function useTraceFilter(f: TraceFilter): { active: boolean; frames: FrameSummary[]; matching: number; error: string | null; loading: boolean } {
  const liveVersion = useTraceVersion();
  const version = f.doc === LIVE_DOC ? liveVersion : 0; // a file never changes
  const active = !!(f.filter || f.text.trim() || f.doc !== LIVE_DOC);
  const [res, setRes] = useState({ frames: [] as FrameSummary[], matching: 0, error: null as string | null, loading: false });
  const key = `${f.doc}|${f.filter}|${f.text}`;
  const lastKey = useRef('');
  const lastRun = useRef(0);
  /** Where the last answer for lastKey ended: the next refresh continues from there. */
  const scannedTo = useRef<number | null>(null);
  useEffect(() => {
    if (!active) return;
    const changed = lastKey.current !== key;
    if (changed) setRes((r) => ({ ...r, loading: true }));
    const wait = changed ? 50 : Math.max(0, lastRun.current + 1000 - Date.now());
    const t = setTimeout(() => {
      if (lastKey.current !== key) scannedTo.current = null;
      lastKey.current = key;
      lastRun.current = Date.now();
      const q: TraceQuery = { order: 'backward', limit: FILTER_LIMIT, caller: callerOf('trace-list') };
      if (f.doc !== LIVE_DOC) q.doc = f.doc;
      if (f.filter) q.filter = f.filter;
      if (f.text.trim()) q.text = f.text.trim();
      if (scannedTo.current !== null) q.since = scannedTo.current;
      core().traceQuery(q).then(
        (r) => {
          if (lastKey.current !== key) return;
          scannedTo.current = r.scannedTo ?? null;
          const added = r.frames.slice().reverse();
          setRes((prev) => ({ frames: mergeRefresh(prev.frames, r, added, FILTER_LIMIT), matching: r.matching, error: null, loading: false }));
        },
        (e: Error & { code?: string }) => {
          if (e.code === 'cancelled') return; // a newer query took its place
          scannedTo.current = null;
          setRes({ frames: [], matching: 0, error: errorText(e), loading: false });
        },
      );
    }, wait);
    return () => clearTimeout(t);
  }, [key, active, version]);
  return { active, ...res };
}
