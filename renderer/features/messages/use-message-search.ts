// Search/filter of a session's messages, run in core (traceQuery with text and topic filter), refreshed
// at most once a second while new frames arrive; a refresh scans only what was recorded since the last.
import { useEffect, useRef, useState } from 'react';
import type { FrameSummary } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { useTraceVersion } from '../trace/use-trace-version';
import { callerOf, mergeRefresh } from '../trace/query-refresh';

export interface SearchResult { frames: FrameSummary[]; matching: number; error: string | null; pending: boolean }

export const SEARCH_LIMIT = 20_000;

export function useMessageSearch(conns: number[], text: string, topicFilter: string, active: boolean): SearchResult {
  const version = useTraceVersion();
  const [res, setRes] = useState<SearchResult>({ frames: [], matching: 0, error: null, pending: false });
  const lastRun = useRef(0);
  const key = `${conns.join(',')}|${text}|${topicFilter}`;
  const lastKey = useRef('');
  const scannedTo = useRef<number | null>(null);

  useEffect(() => {
    if (!active) return;
    const keyChanged = lastKey.current !== key;
    const wait = keyChanged ? 150 : Math.max(0, lastRun.current + 1000 - Date.now());
    const t = setTimeout(() => {
      lastRun.current = Date.now();
      if (lastKey.current !== key) scannedTo.current = null;
      lastKey.current = key;
      setRes((r) => ({ ...r, pending: true }));
      core().traceQuery({
        conns, side: 'client', dir: 's2c', types: ['PUBLISH'], kinds: ['packet'],
        text: text || undefined, topicFilter: topicFilter || undefined, order: 'backward', limit: SEARCH_LIMIT,
        caller: callerOf('message-search'), ...(scannedTo.current !== null ? { since: scannedTo.current } : {}),
      }).then(
        (r) => {
          if (lastKey.current !== key) return;
          scannedTo.current = r.scannedTo ?? null;
          const added = r.frames.slice().reverse();
          setRes((prev) => ({ frames: mergeRefresh(prev.frames, r, added, SEARCH_LIMIT), matching: r.matching, error: null, pending: false }));
        },
        (e: Error & { code?: string }) => {
          if (e.code === 'cancelled') return; // a newer search took its place
          scannedTo.current = null;
          setRes({ frames: [], matching: 0, error: errorText(e), pending: false });
        },
      );
    }, wait);
    return () => clearTimeout(t);
  }, [key, active, version]);

  return res;
}
