// The trace list when it is not simply the live feed: a display filter, a search, or an opened file.
// Computed in core (traceQuery), refreshed at most once a second while live frames arrive; a newer
// query replaces the running one (same caller), so typing never queues up scans.
import { useEffect, useRef, useState } from 'react';
import type { FrameSummary, TraceQuery } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { LIVE_DOC } from './trace-slice';
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
  useEffect(() => {
    if (!active) return;
    const changed = lastKey.current !== key;
    if (changed) setRes((r) => ({ ...r, loading: true }));
    const wait = changed ? 50 : Math.max(0, lastRun.current + 1000 - Date.now());
    const t = setTimeout(() => {
      lastKey.current = key;
      lastRun.current = Date.now();
      const q: TraceQuery = { order: 'backward', limit: FILTER_LIMIT, caller: 'trace-list' };
      if (f.doc !== LIVE_DOC) q.doc = f.doc;
      if (f.filter) q.filter = f.filter;
      if (f.text.trim()) q.text = f.text.trim();
      core().traceQuery(q).then(
        (r) => { if (lastKey.current === key) setRes({ frames: r.frames.slice().reverse(), matching: r.matching, error: null, loading: false }); },
        (e: Error & { code?: string }) => {
          if (e.code === 'cancelled') return; // a newer query took its place
          setRes({ frames: [], matching: 0, error: errorText(e), loading: false });
        },
      );
    }, wait);
    return () => clearTimeout(t);
  }, [key, active, version]);
  return { active, ...res };
}
