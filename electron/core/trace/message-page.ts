// What the message lists need from a range of the trace the window was not sent (a burst it fell behind
// on, or what the store held before the window opened): the client side's inbound PUBLISHes and its event
// notes, nothing else, a page at a time. Reads only the range asked for (no count over the whole store),
// and stops after a bounded number of frames looked at, so one call never holds the event loop for long.
import { unpackFrames, type FrameColumns } from '../../../shared/contract/frame-columns';
import type { FrameSummary } from '../../../shared/contract/types';
import { META_CLIENT_SIDE, META_KIND_SHIFT, META_S2C } from './frame-index';
import { StorePacker } from './store-columns';
import type { TraceStore } from './trace-store';

const PUBLISH = 3;
const EVENT = 2;
/** Frames looked at per call at most (column reads only: a few ms). */
export const MESSAGE_PAGE_SCAN = 200_000;

/**
 * One page: its frames packed from the store's columns as they are picked (what a transport sends; see
 * StorePacker), as objects only if a caller in this process asks for `frames`. Built as summary objects
 * first, a burst's pages (2,000 messages each, dozens of them while a window catches up) were objects made
 * only to be taken apart again for the wire.
 */
export class MessagePage {
  #columns: FrameColumns;
  #frames: FrameSummary[] | null = null;

  constructor(columns: FrameColumns, readonly nextFromSeq: number | null) {
    this.#columns = columns;
  }

  /** The frames as a transport's client unpacks them (timeUs to the microsecond). */
  get frames(): FrameSummary[] { return (this.#frames ??= unpackFrames(this.#columns)); }

  /** The result on a transport: what packFrameList makes of { frames, nextFromSeq }. */
  wire(): unknown {
    return this.#columns.n === 0 ? { frames: [], nextFromSeq: this.nextFromSeq } : { nextFromSeq: this.nextFromSeq, framesPacked: this.#columns };
  }
}

export function messagePage(store: TraceStore, fromSeq: number, toSeq: number, limit: number): MessagePage {
  const lo = Math.max(fromSeq, store.firstSeq);
  const hi = Math.min(toSeq, store.nextSeq - 1);
  const packer = new StorePacker(store);
  const stop = Math.min(hi, lo + MESSAGE_PAGE_SCAN - 1);
  let s = lo;
  for (; s <= stop && packer.count < limit; s++) {
    const b = store.blockOf(s);
    if (!b) continue;
    const i = s - b.firstSeq;
    const meta = b.meta[i];
    if (!(meta & META_CLIENT_SIDE)) continue;
    const kind = (meta >> META_KIND_SHIFT) & 3;
    const inboundPublish = kind === 0 && (meta & META_S2C) !== 0 && b.b0[i] >> 4 === PUBLISH;
    if (!inboundPublish && kind !== EVENT) continue;
    packer.add(s, b, i);
  }
  return new MessagePage(packer.finish(), s <= hi ? s : null);
}
