// Search/filter of a session's messages, run in core (traceQuery with text and topic filter), refreshed
// at most once a second while new frames arrive.
import { useEffect, useRef, useState } from 'react';
import type { FrameSummary } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { useTraceVersion } from '../trace/use-trace-version';

export interface SearchResult { frames: FrameSummary[]; matching: number; error: string | null; pending: boolean }

export const SEARCH_LIMIT = 20_000;

export function useMessageSearch(conns: number[], text: string, topicFilter: string, active: boolean): SearchResult {
  const version = useTraceVersion();
  const [res, setRes] = useState<SearchResult>({ frames: [], matching: 0, error: null, pending: false });
  const lastRun = useRef(0);
  const key = `${conns.join(',')}|${text}|${topicFilter}`;
  const lastKey = useRef('');

  useEffect(() => {
    if (!active) return;
    const keyChanged = lastKey.current !== key;
    const wait = keyChanged ? 150 : Math.max(0, lastRun.current + 1000 - Date.now());
    const t = setTimeout(() => {
      lastRun.current = Date.now();
      lastKey.current = key;
      setRes((r) => ({ ...r, pending: true }));
      core().traceQuery({
        conns, side: 'client', dir: 's2c', types: ['PUBLISH'], kinds: ['packet'],
        text: text || undefined, topicFilter: topicFilter || undefined, order: 'backward', limit: SEARCH_LIMIT,
      }).then(
        (r) => setRes({ frames: r.frames.slice().reverse(), matching: r.matching, error: null, pending: false }),
        (e) => setRes({ frames: [], matching: 0, error: errorText(e), pending: false }),
      );
    }, wait);
    return () => clearTimeout(t);
  }, [key, active, version]);

  return res;
}
