// The Flows table's data: core filters and orders (stalled, broken, refused first), the renderer holds only
// a window of rows around what is on screen and asks for another window when scrolling leaves it.
import { useEffect, useRef, useState } from 'react';
import type { Flow, FlowCounts, FlowsQuery } from '../../../shared/flows/types';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import type { FlowFilter } from './flows-slice';
import { useFlowsVersion } from './use-flows-version';

const WINDOW = 400;
const BEFORE = 100;

export interface FlowsPage {
  total: number;
  counts: FlowCounts | null;
  error: string | null;
  get(i: number): Flow | undefined;
  indexOfId(id: number): number;
  onRange(first: number, last: number): void;
}

export function toQuery(f: FlowFilter): FlowsQuery {
  const q: FlowsQuery = {};
  if (f.state) q.states = [f.state];
  if (f.kind) q.kinds = [f.kind];
  if (f.clientId.trim()) q.clientId = f.clientId.trim();
  if (f.topicFilter.trim()) q.topicFilter = f.topicFilter.trim();
  return q;
}

export function useFlowsPage(filter: FlowFilter): FlowsPage {
  const version = useFlowsVersion();
  const doc = useApp((s) => s.traceDoc);
  const [win, setWin] = useState({ offset: 0, flows: [] as Flow[], total: 0, counts: null as FlowCounts | null, error: null as string | null });
  const [offset, setOffset] = useState(0);
  const key = `${doc}:${JSON.stringify(toQuery(filter))}`;
  const lastKey = useRef(key);
  useEffect(() => {
    const filterChanged = lastKey.current !== key;
    lastKey.current = key;
    const from = filterChanged ? 0 : offset;
    if (filterChanged && offset !== 0) { setOffset(0); return; }
    let live = true;
    const t = setTimeout(() => {
      core().flowsQuery({ ...toQuery(filter), doc, offset: from, limit: WINDOW }).then(
        (r) => { if (live) setWin({ offset: from, flows: r.flows, total: r.total, counts: r.counts, error: null }); },
        (e) => { if (live) setWin((w) => ({ ...w, error: errorText(e) })); },
      );
    }, filterChanged ? 150 : 0);
    return () => { live = false; clearTimeout(t); };
  }, [key, offset, version]);

  return {
    total: win.total,
    counts: win.counts,
    error: win.error,
    get: (i) => win.flows[i - win.offset],
    indexOfId: (id) => { const i = win.flows.findIndex((f) => f.id === id); return i < 0 ? -1 : i + win.offset; },
    onRange: (first, last) => {
      if (first >= win.offset && Math.min(last, win.total) <= win.offset + win.flows.length) return;
      const next = Math.max(0, first - BEFORE);
      if (next !== offset) setOffset(next);
    },
  };
}
