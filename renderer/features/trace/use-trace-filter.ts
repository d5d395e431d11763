// Filtered trace, computed in core (traceQuery), refreshed at most once a second while frames arrive.
import { useEffect, useRef, useState } from 'react';
import type { FrameSummary, PacketType, TraceQuery } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { useTraceVersion } from './use-trace-version';

export interface TraceFilter { type: PacketType | ''; text: string; topicFilter: string }
export const FILTER_LIMIT = 50_000;

export function useTraceFilter(f: TraceFilter): { active: boolean; frames: FrameSummary[]; matching: number; error: string | null } {
  const version = useTraceVersion();
  const active = !!(f.type || f.text.trim() || f.topicFilter.trim());
  const [res, setRes] = useState({ frames: [] as FrameSummary[], matching: 0, error: null as string | null });
  const key = `${f.type}|${f.text}|${f.topicFilter}`;
  const lastKey = useRef('');
  const lastRun = useRef(0);
  useEffect(() => {
    if (!active) return;
    const wait = lastKey.current !== key ? 150 : Math.max(0, lastRun.current + 1000 - Date.now());
    const t = setTimeout(() => {
      lastKey.current = key;
      lastRun.current = Date.now();
      const q: TraceQuery = { order: 'backward', limit: FILTER_LIMIT };
      if (f.type) q.types = [f.type];
      if (f.text.trim()) q.text = f.text.trim();
      if (f.topicFilter.trim()) q.topicFilter = f.topicFilter.trim();
      core().traceQuery(q).then(
        (r) => setRes({ frames: r.frames.slice().reverse(), matching: r.matching, error: null }),
        (e) => setRes({ frames: [], matching: 0, error: errorText(e) }),
      );
    }, wait);
    return () => clearTimeout(t);
  }, [key, active, version]);
  return { active, ...res };
}
