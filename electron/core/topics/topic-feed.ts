// Feeds TopicStats from the store's column blocks in the recorder's batch flush (never on the socket
// path). Each message counts once, where it first entered what we watch: PUBLISHes a client sent to
// the embedded broker (broker side, c2s: every topic the broker routed), and PUBLISHes our sessions
// received from other brokers (client side, s2c). A session's copy of a message the embedded broker
// delivered is the same message again, so it is not counted twice.
import { META_CLIENT_SIDE, META_KIND_SHIFT, META_S2C } from '../trace/frame-index';
import { mustCatchUp } from '../trace/burst-watch';
import type { TraceRecorder } from '../trace/recorder';
import { TopicStats, type PublishFact } from './topic-stats';

/** Frames indexed in one go (a few µs each) before yielding to the event loop. */
const CATCH_UP_SLICE = 50_000;
/** The tree's share of the trace budget (at the default 256 MiB, ~100,000 topics of two new levels each); the rest stays for frames. */
export const TREE_BUDGET_SHARE = 1 / 2;

export class TopicFeed {
  readonly stats = new TopicStats();
  private continuing = false;
  private disposed = false;
  private upTo: number;
  /** Client connection id → true when the broker tap saw the same TCP connection. */
  private viaEmbedded = new Map<number, boolean>();
  private fact: PublishFact = { seq: 0, topic: '', timeUs: 0, qos: 0, retain: false, payloadSize: 0 };

  constructor(private recorder: TraceRecorder) {
    this.upTo = recorder.store.firstSeq;
  }

  /**
   * Index what was appended since the last call, at most `max` frames; a longer backlog (the first window
   * opened after a headless stretch) goes on in later turns of the event loop, so the broker keeps serving.
   */
  catchUp(max = CATCH_UP_SLICE): void {
    const store = this.recorder.store;
    this.stats.budgetBytes = store.budgetBytes * TREE_BUDGET_SHARE;
    let seq = Math.max(this.upTo, store.firstSeq);
    const end = Math.min(store.nextSeq, seq + max);
    const f = this.fact;
    while (seq < end) {
      const b = store.blockOf(seq)!;
      const stop = Math.min(end, b.firstSeq + b.count);
      for (; seq < stop; seq++) {
        const i = seq - b.firstSeq;
        const b0 = b.b0[i];
        if (!this.countsAt(b0, b.meta[i], b.len[i], b.conn[i])) continue;
        const topic = store.topicOf(seq);
        if (topic === undefined) continue;
        f.seq = seq;
        f.topic = topic;
        f.timeUs = b.timeUs[i];
        f.qos = (b0 >> 1) & 3;
        f.retain = (b0 & 1) === 1;
        f.payloadSize = b.len[i] - b.head[i];
        this.stats.add(f);
      }
    }
    this.upTo = end;
    // The tree shares the trace's byte budget: what it holds is charged to the store (which may evict frames).
    store.chargeBytes(this, this.stats.bytes);
    if (end < store.nextSeq && !this.continuing) {
      this.continuing = true;
      setImmediate(() => { this.continuing = false; if (!this.disposed) this.catchUp(); });
    }
  }

  /**
   * Whether counting what arrived since the last call can wait for the burst to end: a topicTree query counts
   * what it needs itself (catchUp), so only the tree's freshness between queries waits, while the broker has
   * the least CPU to spare; unless it lags too far or eviction comes near (mustCatchUp).
   */
  canWait(): boolean {
    const store = this.recorder.store;
    return !mustCatchUp(store, Math.max(this.upTo, store.firstSeq));
  }

  dispose(): void {
    this.disposed = true;
    this.recorder.store.chargeBytes(this, 0);
  }

  /** Is the frame at `seq` a message's counted copy (a PUBLISH the way catchUp counts it)? */
  counts(seq: number): boolean {
    const b = this.recorder.store.blockOf(seq);
    if (!b) return false;
    const i = seq - b.firstSeq;
    return this.countsAt(b.b0[i], b.meta[i], b.len[i], b.conn[i]);
  }

  private countsAt(b0: number, meta: number, len: number, conn: number): boolean {
    if (b0 >> 4 !== 3 || ((meta >> META_KIND_SHIFT) & 3) !== 0 || len === 0) return false;
    const s2c = (meta & META_S2C) !== 0;
    return (meta & META_CLIENT_SIDE) !== 0 ? s2c && !this.isViaEmbedded(conn) : !s2c;
  }

  /** After the store was cleared or replaced: start over from what it holds now. */
  reset(): void {
    this.stats.clear();
    this.viaEmbedded.clear();
    this.upTo = this.recorder.store.firstSeq;
    this.catchUp();
  }

  private isViaEmbedded(conn: number): boolean {
    let v = this.viaEmbedded.get(conn);
    if (v === undefined) {
      const local = normAddr(this.recorder.conns.get(conn)?.info.local ?? '');
      if (!local) return false; // not connected yet: decide later
      v = false;
      for (const c of this.recorder.conns.values()) if (!c.clientSide && normAddr(c.info.remote) === local) { v = true; break; }
      this.viaEmbedded.set(conn, v);
    }
    return v;
  }
}

/** "[::ffff:127.0.0.1]:5000" and "127.0.0.1:5000" are the same address. */
function normAddr(a: string): string {
  return a.replace(/^\[/, '').replace(/\]:/, ':').replace(/^::ffff:/, '');
}
