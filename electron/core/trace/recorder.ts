// The trace's front door: registers connections, taps their streams into framers, and publishes
// batched summaries (~30 Hz, never one event per frame).
import type { Duplex } from 'node:stream';
import type { ConnectionInfo, TraceBatch } from '../../../shared/contract/types';
import { TRACE_BATCH_MAX } from '../../../shared/contract/api';
import { Framer } from './framer';
import { StoreBatch } from './store-batch';
import { tapStream } from './tap';
import { ConnRecord } from './conn-record';
import { TraceStore } from './trace-store';
import type { NewConnection, WireConnection, WireRecorder } from './wire';

const BATCH_MS = 33;

export class TraceRecorder implements WireRecorder {
  readonly conns = new Map<number, ConnRecord>();
  private nextConn = 1;
  private sentUpTo: number;
  private prunedAt = 0;
  private timer: NodeJS.Timeout | null = null;

  /**
   * Indexes kept up to date at every batch tick, before the batch is built (the flow index, the topic tree):
   * off the socket path; each decides itself whether anyone wants it and what is new since its last run.
   */
  readonly flushHooks: (() => void)[] = [];

  /** Set by the owner: skip building batches nobody listens to (headless broker, bench). */
  wanted: () => boolean = () => true;

  constructor(readonly store: TraceStore, private onBatch: (batch: TraceBatch) => void, private onConnectionsChanged: () => void = () => {}) {
    this.sentUpTo = store.nextSeq;
    this.timer = setInterval(() => this.flush(), BATCH_MS);
    this.timer.unref();
  }

  openConnection(info: NewConnection): WireConnection {
    const id = this.nextConn++;
    const rec = new ConnRecord(id, { ...info, id, openedAtMs: Date.now() }, false);
    this.conns.set(id, rec);
    this.onConnectionsChanged();
    const c2s = new Framer(this.store, rec, false);
    const s2c = new Framer(this.store, rec, true);
    let closed = false;
    let knownReason: string | null = null;
    const handle: WireConnection = {
      id,
      attach: (stream: Duplex) => {
        const inbound = rec.clientSide ? s2c : c2s;
        const outbound = rec.clientSide ? c2s : s2c;
        tapStream(stream, inbound, outbound, (reason) => handle.close(reason));
        // Not from inside the tap: the stream is in the middle of a push or write.
        rec.abort = (reason) => { knownReason ??= reason; setImmediate(() => stream.destroy()); };
      },
      update: (patch) => {
        Object.assign(rec.info, patch);
        if (patch.protocolVersion) rec.version = patch.protocolVersion;
        this.onConnectionsChanged();
      },
      event: (text) => { this.store.commitEvent(rec, !rec.clientSide, text); },
      closing: (reason) => { knownReason ??= reason; },
      close: (socketReason = 'closed') => {
        if (closed) return;
        closed = true;
        const reason = knownReason ?? socketReason;
        c2s.end();
        s2c.end();
        rec.info.closedAtMs = Date.now();
        rec.info.closeReason = reason;
        this.store.commitEvent(rec, !rec.clientSide, `connection closed: ${reason}`);
        this.onConnectionsChanged();
      },
    };
    this.store.commitEvent(rec, rec.clientSide, `connection opened ${info.remote} ↔ ${info.local} (${info.transport})`);
    return handle;
  }

  /** Register a connection read from a trace file (closed, not tapped); a fresh id unless keepId (an opened file keeps its own). */
  adopt(info: ConnectionInfo, keepId = false): ConnRecord {
    const id = keepId ? info.id : this.nextConn++;
    if (keepId) this.nextConn = Math.max(this.nextConn, id + 1);
    const rec = new ConnRecord(id, { ...info, id, closedAtMs: info.closedAtMs ?? info.openedAtMs, closeReason: info.closeReason ?? 'loaded from a trace file' }, true);
    this.conns.set(id, rec);
    this.onConnectionsChanged();
    return rec;
  }

  connections(): ConnectionInfo[] {
    return [...this.conns.values()].map((c) => ({ ...c.info }));
  }

  /**
   * Forget closed connections none of whose frames are left: their records would otherwise grow without
   * bound on a broker that sees many short connections over days.
   */
  private prune(): void {
    const first = this.store.firstSeq;
    let pruned = false;
    for (const [id, rec] of this.conns) {
      if (rec.info.closedAtMs !== undefined && rec.lastSeq < first) {
        this.conns.delete(id);
        pruned = true;
      }
    }
    if (pruned) this.onConnectionsChanged();
  }

  /** Send what was appended since the last batch. */
  flush(): void {
    const store = this.store;
    if (store.firstSeq !== this.prunedAt) {
      this.prunedAt = store.firstSeq;
      this.prune();
    }
    store.tick();
    for (const hook of this.flushHooks) hook();
    if (store.nextSeq === this.sentUpTo) return;
    const fromSeq = Math.max(this.sentUpTo, store.firstSeq);
    const toSeq = store.nextSeq - 1;
    this.sentUpTo = store.nextSeq;
    if (!this.wanted()) return;
    // No summary objects here: the batch is packed from the store's columns by whoever sends it.
    this.onBatch(new StoreBatch(store, Math.max(fromSeq, toSeq - TRACE_BATCH_MAX + 1), fromSeq, toSeq, store.stats()));
  }

  /** A fresh store state (cleared or imported) restarts the feed from its current end. */
  resetFeed(): void { this.sentUpTo = this.store.firstSeq; }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
