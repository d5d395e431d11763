// A trace batch as the recorder hands it out: a seq range of the live store, packed into columns only when
// a contract client actually sends it (a client that is behind turns it into a notice and never packs it),
// and once for all clients. Read it while it is being delivered (the listeners of one flush): the store
// evicts and moves on after that.
import { unpackFrames, type FrameColumns } from '../../../shared/contract/frame-columns';
import type { FrameSummary, TraceBatch, TraceStats } from '../../../shared/contract/types';
import { packStoreFrames } from './store-columns';
import type { TraceStore } from './trace-store';

export class StoreBatch implements TraceBatch {
  #store: TraceStore;
  /** First seq whose summary the batch carries (the newest TRACE_BATCH_MAX of the range). */
  #first: number;
  #packed: FrameColumns | null = null;
  #frames: FrameSummary[] | null = null;

  constructor(store: TraceStore, first: number, readonly fromSeq: number, readonly toSeq: number, readonly stats: TraceStats) {
    this.#store = store;
    this.#first = first;
  }

  /** How many summaries the batch carries. */
  get count(): number { return Math.max(0, this.toSeq - this.#first + 1); }

  /** The summaries as columns (what goes over a transport). */
  columns(): FrameColumns {
    return (this.#packed ??= packStoreFrames(this.#store, this.#first, this.toSeq));
  }

  /** The summaries as objects, as a transport's client unpacks them (timeUs to the microsecond). */
  get frames(): FrameSummary[] {
    return (this.#frames ??= unpackFrames(this.columns()));
  }

  /** The event's payload on a transport: what packFrameList makes of { frames, fromSeq, toSeq, stats }. */
  wire(): unknown {
    const rest = { fromSeq: this.fromSeq, toSeq: this.toSeq, stats: this.stats };
    return this.count === 0 ? { frames: [], ...rest } : { ...rest, framesPacked: this.columns() };
  }

  toJSON(): TraceBatch {
    return { frames: this.frames, fromSeq: this.fromSeq, toSeq: this.toSeq, stats: this.stats };
  }
}
