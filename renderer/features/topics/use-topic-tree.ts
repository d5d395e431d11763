// The rows of the topic tree the list shows: polled from core (twice a second, and at once when the
// expansion, sort or search changes) for the visible window only; 100,000 topics never cross the wire.
import { useEffect, useRef, useState } from 'react';
import type { TopicRow, TopicSort, TopicTreeResult } from '../../../shared/contract/topics';
import { core } from '../../app/core';

const POLL_MS = 500;
const PAGE_PAD = 40;

export interface TreeView {
  result: TopicTreeResult | null;
  rowAt(i: number): TopicRow | undefined;
  setRange(first: number, last: number): void;
  error: string | null;
}

export function useTopicTree(expanded: ReadonlySet<string>, sort: TopicSort, search: string): TreeView {
  const [result, setResult] = useState<TopicTreeResult | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const range = useRef({ first: 0, last: 60 });
  const inFlight = useRef(false);
  const params = useRef({ expanded, sort, search });
  params.current = { expanded, sort, search };

  const fetchNow = useRef(async () => {});
  fetchNow.current = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    const { first, last } = range.current;
    const off = Math.max(0, first - PAGE_PAD);
    try {
      const r = await core().topicTree({
        expanded: [...params.current.expanded], sort: params.current.sort, search: params.current.search || undefined,
        offset: off, limit: Math.min(2000, last - off + PAGE_PAD),
      });
      setOffset(off);
      setResult(r);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      inFlight.current = false;
    }
  };

  useEffect(() => { void fetchNow.current(); }, [expanded, sort, search]);
  useEffect(() => {
    const t = setInterval(() => { if (!document.hidden) void fetchNow.current(); }, POLL_MS);
    return () => clearInterval(t);
  }, []);

  return {
    result,
    error,
    rowAt: (i) => result?.rows[i - offset],
    setRange: (first, last) => {
      const moved = first < offset || last > offset + (result?.rows.length ?? 0);
      range.current = { first, last };
      if (moved) void fetchNow.current();
    },
  };
}
