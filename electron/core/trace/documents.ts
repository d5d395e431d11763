// A trace is a document: the live capture is one, each opened .mqtrace file another, with its own store,
// connection table, frame numbers and times; nothing of one ever lands in the other. A Document is where
// per-trace indexes hang (the flows engine's FlowIndex, for one).
import type { TraceDocInfo } from '../../../shared/contract/types';
import { ContractError } from '../../../shared/contract/errors';
import type { TraceRecorder } from './recorder';
import type { ImportOptions } from './trace-io';
import { loadTraceFile } from './trace-load';
import type { TraceSource } from './trace-reader';
import type { TraceStore } from './trace-store';

export const LIVE_DOC = 'live';

export class TraceDocument {
  constructor(
    readonly id: string,
    readonly name: string,
    readonly store: TraceStore,
    /** The connection table (the live recorder taps sockets; a file's is read-only). */
    readonly recorder: TraceRecorder,
    readonly readOnly: boolean,
    readonly warning?: string,
  ) {}

  info(): TraceDocInfo {
    const d: TraceDocInfo = { id: this.id, name: this.name, readOnly: this.readOnly, originMs: this.store.originMs, stats: this.store.stats() };
    if (this.warning) d.warning = this.warning;
    return d;
  }

  connection(id: number) { return this.recorder.conns.get(id)?.info; }
}

export class DocumentRegistry {
  private docs = new Map<string, TraceDocument>();
  private next = 1;

  constructor(live: TraceDocument) { this.docs.set(live.id, live); }

  get live(): TraceDocument { return this.docs.get(LIVE_DOC)!; }

  /** The document a call names (default: the live capture); a clear error for one that was closed. */
  get(id: string | undefined): TraceDocument {
    const d = this.docs.get(id ?? LIVE_DOC);
    if (!d) throw new ContractError('no-such-doc', `trace document "${id}" is not open (it was closed, or never opened)`);
    return d;
  }

  list(): TraceDocInfo[] { return [...this.docs.values()].map((d) => d.info()); }

  /** Read a file (bytes or a path, streamed) into a new read-only document; a bad file throws and opens nothing. */
  async open(source: TraceSource, name: string, opts?: ImportOptions): Promise<TraceDocument> {
    const { store, recorder, warning } = await loadTraceFile(source, opts);
    const doc = new TraceDocument(`file-${this.next++}`, name, store, recorder, true, warning);
    this.docs.set(doc.id, doc);
    return doc;
  }

  close(id: string): boolean {
    if (id === LIVE_DOC) throw new ContractError('bad-params', 'the live capture cannot be closed (Clear empties it)');
    return this.docs.delete(id);
  }
}
