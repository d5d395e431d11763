// A filtered or searched list kept current the way the live list is: the first answer (traceList) carries the
// exact count and the newest screen; each refresh, at most once a second while frames arrive, scans only what
// was recorded since (`since`); rows elsewhere load by rank as they scroll into view (paged-list.ts).
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { TraceQuery } from '../../../shared/contract/types';
import type { TraceListConditions } from '../../../shared/contract/list-pages';
import { core, errorText } from '../../app/core';
import { PagedList } from './paged-list';

/** Rows the first answer and each refresh carry at the newest end: a screen and its margin, not the list. */
export const FIRST_ROWS = 300;

export interface PagedQuery { list: PagedList; matching: number; error: string | null; loading: boolean }

/**
 * `conditions` null: the list is off. `key` names the conditions (a change starts the list over);
 * `version` changes when the data may have (new frames); `firstWaitMs`: debounce of a change of conditions.
 */
export function usePagedQuery(conditions: TraceListConditions | null, key: string, caller: string, version: number, firstWaitMs: number): PagedQuery {
  const shown = useRef<TraceListConditions>({});
  const [state, setState] = useState({ error: null as string | null, loading: false });
  const [list] = useState(() => new PagedList(
    (p) => core().traceListPage({ ...shown.current, caller, ...p }),
    (e) => setState((s) => ({ ...s, error: errorText(e) })),
  ));
  useSyncExternalStore(list.subscribe, list.getVersion);
  const lastKey = useRef('');
  const lastRun = useRef(0);
  /** Where the last answer for lastKey ended: the next refresh continues from there. */
  const scannedTo = useRef<number | null>(null);
  const active = conditions !== null;

  useEffect(() => {
    if (!active) {
      if (lastKey.current) { lastKey.current = ''; scannedTo.current = null; list.reset(); }
      return;
    }
    const changed = lastKey.current !== key;
    if (changed) setState((s) => ({ ...s, loading: true }));
    const wait = changed ? firstWaitMs : Math.max(0, lastRun.current + 1000 - Date.now());
    const t = setTimeout(() => {
      if (lastKey.current !== key) { scannedTo.current = null; list.reset(); }
      lastKey.current = key;
      lastRun.current = Date.now();
      const q: TraceQuery = { ...conditions, order: 'backward', limit: FIRST_ROWS, caller };
      if (scannedTo.current !== null) q.since = scannedTo.current;
      core().traceList(q).then(
        (r) => {
          if (lastKey.current !== key) return;
          scannedTo.current = r.scannedTo ?? null;
          shown.current = conditions;
          list.applyRefresh(r);
          setState({ error: null, loading: false });
        },
        (e: Error & { code?: string }) => {
          if (e.code === 'cancelled') return; // a newer query took its place
          scannedTo.current = null;
          list.reset();
          setState({ error: errorText(e), loading: false });
        },
      );
    }, wait);
    return () => clearTimeout(t);
  }, [key, active, version]);

  return { list, matching: list.count, ...state };
}
