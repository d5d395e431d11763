// A whole trace file read into memory for assertions (frames in order, the last state of each connection).
import { collectTrace } from '../../electron/core/trace/trace-reader';
import type { TraceSource } from '../../electron/core/trace/trace-reader';

export async function readTrace(source: TraceSource) {
  const r = await collectTrace(source);
  return { originMs: r.originMs, warning: r.warning, frames: r.frameList, connections: r.connectionMap };
}
