// One-line payload previews for the rows being drawn, decoded in core by each topic's codec (CBOR,
// Sparkplug…): rows ask while rendering, the asks are gathered into one call shortly after, and cached.
// Core previews at most the first 64 KiB of a payload, so a 5 MB message costs no more than a small one.
import { useEffect, useRef, useState } from 'react';
import type { FrameSummary } from '../../../shared/contract/types';
import type { PayloadPreview } from '../../../shared/contract/topics';
import { core } from '../../app/core';
import { renderPace } from '../trace/live-render-pace';

const GATHER_MS = 40;
const MAX_FETCH = 200;
const CACHE_MAX = 20_000;
const cache = new Map<number, PayloadPreview | null>();

function remember(seq: number, p: PayloadPreview | null): void {
  cache.set(seq, p);
  if (cache.size > CACHE_MAX) {
    // Oldest inserted first out (Map keeps insertion order).
    let drop = cache.size - CACHE_MAX;
    for (const k of cache.keys()) { if (drop-- <= 0) break; cache.delete(k); }
  }
}

/** Forget cached previews (codec rules changed). */
export function forgetPreviews(): void { cache.clear(); }

export function useRowPreviews(): { preview(f: FrameSummary): PayloadPreview | null | undefined } {
  const [, setTick] = useState(0);
  const wanted = useRef(new Set<number>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const alive = useRef(true);
  useEffect(() => () => { alive.current = false; if (timer.current) clearTimeout(timer.current); }, []);

  const flush = () => {
    timer.current = null;
    const seqs = [...wanted.current].slice(-MAX_FETCH);
    wanted.current.clear();
    if (!seqs.length) return;
    for (const seq of seqs) cache.set(seq, null);
    core().payloadPreview({ seqs }).then(
      (list) => { for (const p of list) remember(p.seq, p); renderPace.runLater(() => { if (alive.current) setTick((n) => n + 1); }); },
      () => { for (const seq of seqs) cache.delete(seq); },
    );
  };

  return {
    preview: (f) => {
      const hit = cache.get(f.seq);
      if (hit !== undefined) return hit;
      wanted.current.add(f.seq);
      timer.current ??= setTimeout(flush, GATHER_MS);
      return undefined;
    },
  };
}
