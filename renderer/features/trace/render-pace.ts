// One clock for what the live capture makes the page redraw: the trace model's version, the trace stats
// (status bar, detail panes) and late arrivals such as payload previews all reach React in the same
// animation frame, as one render. While a burst makes those renders long, the next one waits in
// proportion (at most MAX_LAG_MS), so clicks and scrolling find the main thread free between them:
// counts tick less often during a burst, never more than about a second behind.
// The page's one instance is in live-render-pace.ts; this file has no DOM-only or store imports (unit tests).
import type { TraceStats } from '../../../shared/contract/types';

/** Renders cheaper than this (ms, from the tick until style, layout and paint are done) never wait. */
const CHEAP_MS = 8;
/** A long render is followed by this many times its duration without one. */
const PAUSE_FACTOR = 2;
const MAX_LAG_MS = 900;
/** A hidden window gets no animation frames: a timer stands in. */
const HIDDEN_FALLBACK_MS = 250;

type Source = { subscribe(fn: () => void): () => void };

export class RenderPace {
  version = 0;
  /** Measured cost of the last render (ms) and the pause it earned; for the bench and tests. */
  lastCostMs = 0;
  lastPauseMs = 0;
  private listeners = new Set<() => void>();
  private later: (() => void)[] = [];
  private stats: TraceStats | null = null;
  private scheduled = false;
  private notBefore = 0;
  /** Made at the first render, not at construction: an open port would keep a Node process (tests) alive. */
  private channel: MessageChannel | null | undefined;
  private tickStart = 0;

  constructor(source: Source, private applyStats: (s: TraceStats) => void) {
    // The model tells its listeners from an animation frame (or its hidden-window timer): render right there.
    source.subscribe(() => this.request(true));
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  };

  getVersion = (): number => this.version;

  /** Trace stats of the newest batch: applied at the next tick, not per batch. */
  setStats(s: TraceStats): void {
    this.stats = s;
    this.request(false);
  }

  /** Run fn (a React state update) at the next tick, in the same render as everything else. */
  runLater(fn: () => void): void {
    this.later.push(fn);
    this.request(false);
  }

  private request(inFrame: boolean): void {
    if (this.scheduled) return;
    const wait = this.notBefore - performance.now();
    if (wait <= 0 && inFrame) { this.tick(); return; }
    this.scheduled = true;
    const go = () => {
      let done = false;
      const run = () => { if (done) return; done = true; clearTimeout(t); this.scheduled = false; this.tick(); };
      const t = setTimeout(run, HIDDEN_FALLBACK_MS);
      requestAnimationFrame(run);
    };
    if (wait > 0) setTimeout(go, wait); else go();
  }

  private tick(): void {
    this.tickStart = performance.now();
    const s = this.stats;
    this.stats = null;
    const fns = this.later.splice(0);
    if (s) this.applyStats(s);
    for (const fn of fns) fn();
    this.version++;
    this.listeners.forEach((fn) => fn());
    // React renders in a microtask after this; style, layout and paint follow the animation frame
    // callbacks. A message posted now is delivered after all of that.
    if (this.channel === undefined) {
      this.channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
      if (this.channel) {
        this.channel.port1.onmessage = () => this.measured();
        // Node (unit tests) keeps a process alive while a port listens; a page has no unref and needs none.
        (this.channel.port1 as { unref?: () => void }).unref?.();
      }
    }
    this.channel?.port2.postMessage(0);
  }

  private measured(): void {
    const cost = performance.now() - this.tickStart;
    this.lastCostMs = cost;
    this.lastPauseMs = cost < CHEAP_MS ? 0 : Math.min(MAX_LAG_MS, cost * PAUSE_FACTOR);
    this.notBefore = performance.now() + this.lastPauseMs;
  }
}
