// Re-render when core says flows changed (flowsChanged), at most twice a second (with the trace's paced
// render); also hands out the last
// per-state counts. One core subscription for the whole renderer, made on first use.
import { useSyncExternalStore } from 'react';
import type { FlowCounts } from '../../../shared/flows/types';
import { onCoreEvent } from '../../app/core';
import { renderPace } from '../trace/live-render-pace';

const THROTTLE_MS = 500;
let version = 0;
let counts: FlowCounts | null = null;
let total = 0;
let subscribed = false;
let timer: ReturnType<typeof setTimeout> | null = null;
const listeners = new Set<() => void>();

function bump(): void {
  if (timer) return;
  // Rendered with the trace's next paced render, not as one more render of its own.
  timer = setTimeout(() => renderPace.runLater(() => { timer = null; version++; listeners.forEach((fn) => fn()); }), THROTTLE_MS);
}

function subscribe(fn: () => void): () => void {
  if (!subscribed) {
    subscribed = true;
    onCoreEvent('flowsChanged', (e) => { counts = e.counts; total = e.total; bump(); });
    onCoreEvent('traceReset', () => { counts = null; total = 0; bump(); });
  }
  listeners.add(fn);
  return () => { listeners.delete(fn); };
}

export function useFlowsVersion(): number {
  return useSyncExternalStore(subscribe, () => version);
}

export function lastFlowCounts(): { counts: FlowCounts | null; total: number } {
  return { counts, total };
}
