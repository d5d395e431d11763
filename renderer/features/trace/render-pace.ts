// One clock for what the live capture makes the page redraw: the trace model's version, the trace stats
// (status bar, detail panes) and late arrivals such as payload previews all reach React together, as one
// render. The render runs in its own task right after an animation frame, not inside the frame: the
// frame's callbacks then stay short, React's work (with the layout a list's scroll write forces) fills the
// idle part of the frame interval, and the next frame only paints what changed. Rendering inside the
// frame put React, layout and paint (18 ms of CPU in a burst trace) into one task and made every such
// frame miss its deadline. While a burst makes renders costly, the next one waits in proportion (at most
// MAX_LAG_MS), so clicks and scrolling find the main thread free between them: counts tick less often
// during a burst, never more than about half a second behind.
// The page's one instance is in live-render-pace.ts; this file has no DOM-only or store imports (unit tests).
import type { TraceStats } from '../../../shared/contract/types';

/** Renders cheaper than this (ms: React's task plus the next frame's style, layout and paint) never wait. */
const CHEAP_MS = 8;
/** A long render is followed by this many times its duration without one: at most a quarter of the main
 * thread goes to rendering the live capture (with 2, renders made cheaper by running outside the frame
 * came more often and the page's CPU during a burst grew instead of shrinking). */
const PAUSE_FACTOR = 3;
/** The cost is measured in wall time: on a starved machine one render can seem to take 300 ms. A click that
 * changes nothing on screen is shown with the next render, so the pause is kept short (with 900 ms, the
 * burst bench saw a click wait 1.4 s for its paint although it was handled within 4 ms). */
const MAX_LAG_MS = 500;
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
  /** Made at the first use, not at construction: an open port would keep a Node process (tests) alive. */
  private channel: MessageChannel | null | undefined;
  /** What the channel's next message runs (a render, or the end of a measurement). */
  private onPosted: (() => void)[] = [];
  private scriptMs = 0;

  constructor(source: Source, private applyStats: (s: TraceStats) => void) {
    // The model tells its listeners from an animation frame (or its hidden-window timer).
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
    this.scheduled = true;
    const wait = this.notBefore - performance.now();
    const go = () => {
      let done = false;
      const run = () => { if (done) return; done = true; clearTimeout(t); this.scheduled = false; this.tick(); };
      const t = setTimeout(run, HIDDEN_FALLBACK_MS);
      // From a frame callback, the task posted now runs once that frame is painted.
      if (inFrame && wait <= 0) this.post(run);
      else requestAnimationFrame(() => this.post(run));
    };
    if (wait > 0) setTimeout(go, wait); else go();
  }

  private post(fn: () => void): void {
    if (this.channel === undefined) {
      this.channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
      if (this.channel) {
        this.channel.port1.onmessage = () => this.onPosted.shift()?.();
        // Node (unit tests) keeps a process alive while a port listens; a page has no unref and needs none.
        (this.channel.port1 as { unref?: () => void }).unref?.();
      }
    }
    if (!this.channel) { setTimeout(fn, 0); return; }
    this.onPosted.push(fn);
    this.channel.port2.postMessage(0);
  }

  private tick(): void {
    const start = performance.now();
    const s = this.stats;
    this.stats = null;
    const fns = this.later.splice(0);
    if (s) this.applyStats(s);
    for (const fn of fns) fn();
    this.version++;
    this.listeners.forEach((fn) => fn());
    // React renders in a microtask queued by the listeners above, so this one runs after its commit (and
    // the layout a scroll write in it forced). Style, layout and paint of the rest come with the next
    // frame: its callbacks run first, a message posted from there is delivered once it is painted.
    queueMicrotask(() => {
      this.scriptMs = performance.now() - start;
      requestAnimationFrame(() => {
        const frame = performance.now();
        this.post(() => this.measured(performance.now() - frame));
      });
    });
  }

  private measured(frameMs: number): void {
    const cost = this.scriptMs + frameMs;
    this.lastCostMs = cost;
    this.lastPauseMs = cost < CHEAP_MS ? 0 : Math.min(MAX_LAG_MS, cost * PAUSE_FACTOR);
    this.notBefore = performance.now() + this.lastPauseMs;
  }
}
