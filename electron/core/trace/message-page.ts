// What the message lists need from a range of the trace the window was not sent (a burst it fell behind
// on, or what the store held before the window opened): the client side's inbound PUBLISHes and its event
// notes, nothing else, a page at a time. Reads only the range asked for (no count over the whole store),
// and stops after a bounded number of frames looked at, so one call never holds the event loop for long.
import type { FrameSummary } from '../../../shared/contract/types';
import { META_CLIENT_SIDE, META_KIND_SHIFT, META_S2C } from './frame-index';
import type { TraceStore } from './trace-store';

const PUBLISH = 3;
const EVENT = 2;
/** Frames looked at per call at most (column reads only: a few ms). */
export const MESSAGE_PAGE_SCAN = 200_000;

export interface MessagePage {
  frames: FrameSummary[];
  /** Where the next page starts, or null when the range is done. */
  nextFromSeq: number | null;
}

export function messagePage(store: TraceStore, fromSeq: number, toSeq: number, limit: number): MessagePage {
  const lo = Math.max(fromSeq, store.firstSeq);
  const hi = Math.min(toSeq, store.nextSeq - 1);
  const frames: FrameSummary[] = [];
  const stop = Math.min(hi, lo + MESSAGE_PAGE_SCAN - 1);
  let s = lo;
  for (; s <= stop && frames.length < limit; s++) {
    const b = store.blockOf(s);
    if (!b) continue;
    const i = s - b.firstSeq;
    const meta = b.meta[i];
    if (!(meta & META_CLIENT_SIDE)) continue;
    const kind = (meta >> META_KIND_SHIFT) & 3;
    const inboundPublish = kind === 0 && (meta & META_S2C) !== 0 && b.b0[i] >> 4 === PUBLISH;
    if (!inboundPublish && kind !== EVENT) continue;
    const f = store.summary(s);
    if (f) frames.push(f);
  }
  return { frames, nextFromSeq: s <= hi ? s : null };
}
