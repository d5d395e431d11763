// An opened trace file's message list, fetched from core a page at a time as rows come into view (a
// file can hold millions of messages; only what is on screen, and a little around it, is asked for).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocMessage } from '../../../shared/contract/doc-messages';
import type { Side } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';

export const DOC_PAGE = 200;
/** Pages kept in memory; the farthest from the rows in view go first. */
const PAGES_KEPT = 50;

export interface DocMessageList {
  side: Side | null;
  total: number;
  counts: { client: number; broker: number };
  error: string | null;
  get(i: number): DocMessage | undefined;
  /** The rows in view changed: fetch the pages they need. */
  onRange(first: number, last: number): void;
  /** Bumped when a page arrives (re-render trigger). */
  version: number;
}

export function useDocMessages(doc: string, side: Side | undefined): DocMessageList {
  const pages = useRef(new Map<number, DocMessage[]>());
  const asked = useRef(new Set<number>());
  const [head, setHead] = useState<{ side: Side | null; total: number; counts: { client: number; broker: number }; error: string | null }>(
    { side: null, total: 0, counts: { client: 0, broker: 0 }, error: null });
  const [version, setVersion] = useState(0);
  const key = `${doc}|${side ?? ''}`;
  const current = useRef(key);

  const fetchPage = useCallback((p: number) => {
    if (pages.current.has(p) || asked.current.has(p)) return;
    asked.current.add(p);
    const k = current.current;
    core().traceDocMessages({ doc, offset: p * DOC_PAGE, limit: DOC_PAGE, ...(side ? { side } : {}) }).then((r) => {
      if (current.current !== k) return;
      asked.current.delete(p);
      pages.current.set(p, r.messages);
      if (pages.current.size > PAGES_KEPT) {
        const far = [...pages.current.keys()].sort((a, b) => Math.abs(b - p) - Math.abs(a - p))[0];
        pages.current.delete(far);
      }
      setHead({ side: r.side, total: r.total, counts: r.counts, error: null });
      setVersion((v) => v + 1);
    }, (e) => {
      if (current.current !== k) return;
      asked.current.delete(p);
      setHead((h) => ({ ...h, error: errorText(e) }));
    });
  }, [doc, side]);

  useEffect(() => {
    current.current = key;
    pages.current = new Map();
    asked.current = new Set();
    setHead({ side: null, total: 0, counts: { client: 0, broker: 0 }, error: null });
    fetchPage(0);
  }, [key, fetchPage]);

  return {
    ...head,
    version,
    get: (i) => pages.current.get(Math.floor(i / DOC_PAGE))?.[i % DOC_PAGE],
    onRange: (first, last) => {
      for (let p = Math.floor(first / DOC_PAGE); p <= Math.floor(Math.max(first, last - 1) / DOC_PAGE); p++) fetchPage(p);
    },
  };
}
