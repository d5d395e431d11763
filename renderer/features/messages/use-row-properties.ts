// A short properties summary per message row ("content-type · 2 user props"), fetched lazily for the rows
// in view once scrolling settles, and cached. FrameSummary has no properties, so this asks traceFrame.
import { useEffect, useRef, useState } from 'react';
import type { FrameSummary } from '../../../shared/contract/types';
import { core } from '../../app/core';
import { traceModel } from '../trace/trace-model';
import { decodeMessage, propertyRows } from './frame-payload';

const SETTLE_MS = 250;
/** A list that moves every few hundred ms (a burst, rendered at a slowed pace) is not settled: wait longer
 * than its recent rhythm, so rows that are gone by the next render are not fetched. */
const SETTLE_MAX_MS = 2000;
const MAX_FETCH = 80;
/** Frames bigger than this are not fetched just for a summary (the detail pane loads them on demand). */
const MAX_FRAME = 64 * 1024;
const cache = new Map<number, string>();

export function summarize(rows: { name: string; value: string }[]): string {
  if (!rows.length) return '';
  const user = rows.filter((r) => /user property/i.test(r.name)).length;
  const other = rows.filter((r) => !/user property/i.test(r.name)).map((r) => r.name.replace(/ indicator| interval| identifier/gi, '').toLowerCase());
  return [...other, user ? `${user} user prop${user === 1 ? '' : 's'}` : ''].filter(Boolean).join(' · ');
}

export function useRowProperties(enabled: boolean): { text(f: FrameSummary): string; onRange(first: number, last: number, get: (i: number) => FrameSummary | undefined): void } {
  const [, setTick] = useState(0);
  const range = useRef<{ first: number; last: number; get: (i: number) => FrameSummary | undefined } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastMove = useRef(0);

  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);

  const fetchVisible = () => {
    const r = range.current;
    if (!r || !enabled) return;
    // A burst is being listed: each summary is a request to core, whose time the broker needs now, for rows
    // that the next page moves on. Asked again once the list has caught up.
    if (traceModel.listing) {
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(fetchVisible, SETTLE_MAX_MS);
      return;
    }
    const want: number[] = [];
    for (let i = r.first; i < r.last && want.length < MAX_FETCH; i++) {
      const f = r.get(i);
      if (f && !cache.has(f.seq) && f.length <= MAX_FRAME) want.push(f.seq);
    }
    if (!want.length) return;
    for (const seq of want) cache.set(seq, '…');
    void Promise.all(want.map((seq) => core().traceFrame({ seq }).then(
      (d) => cache.set(seq, d ? summarize(propertyRows(decodeMessage(d).properties)) : ''),
      () => cache.delete(seq),
    ))).then(() => setTick((n) => n + 1));
  };

  // Turned on (the column shown again) while the list stands still: fetch what is in view now, not at the next scroll.
  useEffect(() => { if (enabled && range.current) fetchVisible(); }, [enabled]);

  return {
    text: (f) => (!enabled ? '' : cache.get(f.seq) ?? (f.length > MAX_FRAME ? '(open to see)' : '')),
    onRange: (first, last, get) => {
      range.current = { first, last, get };
      const now = performance.now();
      const rhythm = now - lastMove.current;
      lastMove.current = now;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(fetchVisible, rhythm < SETTLE_MAX_MS ? Math.max(SETTLE_MS, Math.min(SETTLE_MAX_MS, rhythm * 1.5)) : SETTLE_MS);
    },
  };
}
