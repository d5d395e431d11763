// The message list of an opened trace file: the PUBLISH frames a client received (server→client), as the
// Messages view shows them for a live session. A file never grows, so its list is a seq index built once
// (4 bytes a message, gone with the document) and served a page at a time.
import type { DocMessage, DocMessagesParams, DocMessagesResult } from '../../../shared/contract/doc-messages';
import type { Side } from '../../../shared/contract/types';
import { ContractError } from '../../../shared/contract/errors';
import type { PayloadPreview } from '../../../shared/contract/topics';
import type { TraceDocument } from './documents';
import { META_CLIENT_SIDE, META_KIND_SHIFT, META_S2C } from './frame-index';
import type { TraceStore } from './trace-store';

const PUBLISH = 3;

interface MessageIndex { client: Uint32Array; broker: Uint32Array }

/** Seqs of delivered PUBLISH frames, per tap side, oldest first. */
export function indexMessages(store: TraceStore): MessageIndex {
  let client: number[] = [];
  let broker: number[] = [];
  for (let s = store.firstSeq; s < store.nextSeq; s++) {
    const b = store.blockOf(s)!;
    const i = s - b.firstSeq;
    const meta = b.meta[i];
    if ((meta & META_S2C) === 0 || ((meta >> META_KIND_SHIFT) & 3) !== 0 || b.len[i] === 0 || b.b0[i] >> 4 !== PUBLISH) continue;
    if (meta & META_CLIENT_SIDE) client.push(s); else broker.push(s);
  }
  const out = { client: Uint32Array.from(client), broker: Uint32Array.from(broker) };
  client = broker = [];
  return out;
}

export type Previewer = (seq: number, topic: string, payload: Uint8Array) => PayloadPreview;

export class DocMessages {
  private indexes = new WeakMap<TraceDocument, MessageIndex>();

  constructor(private preview: Previewer) {}

  page(doc: TraceDocument, p: Omit<DocMessagesParams, 'doc'>): DocMessagesResult {
    if (!doc.readOnly) {
      throw new ContractError('bad-params', 'traceDocMessages reads an opened trace file; the live capture\'s messages are listed per session');
    }
    let index = this.indexes.get(doc);
    if (!index) this.indexes.set(doc, (index = indexMessages(doc.store)));
    const counts = { client: index.client.length, broker: index.broker.length };
    const side: Side = p.side ?? (counts.client > 0 ? 'client' : 'broker');
    const seqs = index[side];
    const messages: DocMessage[] = [];
    const end = Math.min(seqs.length, p.offset + p.limit);
    for (let k = p.offset; k < end; k++) {
      const seq = seqs[k];
      const frame = doc.store.summary(seq)!;
      const m: DocMessage = { frame, preview: { codec: '', text: '' } };
      const clientId = doc.connection(frame.conn)?.clientId;
      if (clientId !== undefined) m.clientId = clientId;
      const payload = doc.store.payloadOf(seq);
      if (payload) {
        const pv = this.preview(seq, frame.topic ?? '', payload);
        m.preview = pv.error !== undefined ? { codec: pv.codec, text: pv.text, error: pv.error } : { codec: pv.codec, text: pv.text };
      }
      messages.push(m);
    }
    return { side, total: seqs.length, counts, offset: p.offset, messages };
  }
}
