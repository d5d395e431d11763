// Which flow each trace row belongs to, and its state: asked from core (flowsOfFrames) for the rows in
// view only, at most every SETTLE_MS (a throttle, not a debounce: while the list follows a flood the range
// changes every frame and a debounce would never fire), and cached by seq. When core reports flow changes the rows in view
// are asked again, so an in-flight flow turns complete without a reload.
import { useEffect, useRef, useState } from 'react';
import type { FrameSummary } from '../../../shared/contract/types';
import type { FrameFlowMark } from '../../../shared/flows/types';
import { core } from '../../app/core';
import { renderPace } from '../trace/live-render-pace';
import { useFlowsVersion } from './use-flows-version';

const SETTLE_MS = 200;
/** Visible seqs further apart than this are asked in separate ranges (a filtered list can span the whole trace). */
const MAX_GAP = 256;
const cache = new Map<string, FrameFlowMark | null>();
const key = (doc: string, seq: number) => `${doc}:${seq}`;
const CACHE_MAX = 50_000;

type Getter = (i: number) => FrameSummary | undefined;

export function clusters(seqs: number[]): [number, number][] {
  const sorted = [...seqs].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s - last[1] <= MAX_GAP) last[1] = s;
    else out.push([s, s]);
  }
  return out;
}

/** doc: the trace document whose rows are shown (marks are cached per document: frame numbers repeat across files). */
export function useFrameFlows(doc: string): { mark(seq: number): FrameFlowMark | null | undefined; onRange(first: number, last: number, get: Getter): void } {
  const version = useFlowsVersion();
  const [, setTick] = useState(0);
  const range = useRef<{ first: number; last: number; get: Getter } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const seenVersion = useRef(version);

  const fetchVisible = (all: boolean) => {
    const r = range.current;
    if (!r) return;
    const want: number[] = [];
    for (let i = r.first; i < r.last; i++) {
      const f = r.get(i);
      if (f && f.kind === 'packet' && (all || !cache.has(key(doc, f.seq)))) want.push(f.seq);
    }
    if (!want.length) return;
    const wanted = new Set(want);
    void Promise.all(clusters(want).map(([fromSeq, toSeq]) => core().flowsOfFrames({ fromSeq, toSeq, doc }).then((marks) => {
      const got = new Set<number>();
      for (const m of marks) { if (wanted.has(m.seq)) { cache.set(key(doc, m.seq), m); got.add(m.seq); } }
      for (let s = fromSeq; s <= toSeq; s++) if (wanted.has(s) && !got.has(s)) cache.set(key(doc, s), null);
    }, () => {}))).then(() => {
      if (cache.size > CACHE_MAX) [...cache.keys()].slice(0, cache.size - CACHE_MAX).forEach((k) => cache.delete(k));
      renderPace.runLater(() => setTick((n) => n + 1));
    });
  };

  useEffect(() => () => { if (timer.current) clearTimeout(timer.current); }, []);
  useEffect(() => {
    if (seenVersion.current === version) return;
    seenVersion.current = version;
    fetchVisible(true);
  }, [version]);

  return {
    mark: (seq) => cache.get(key(doc, seq)),
    onRange: (first, last, get) => {
      range.current = { first, last, get };
      if (!timer.current) timer.current = setTimeout(() => { timer.current = null; fetchVisible(false); }, SETTLE_MS);
    },
  };
}
