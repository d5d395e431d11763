// Large payloads in slices: the renderer fetches a 5 MB PUBLISH payload 512 KiB at a time, so no single
// response (nor its JSON parse, nor its base64 decode) holds the page for long. Read-only, on demand.
import type { CoreApi } from '../../../shared/contract/api';
import type { DocumentRegistry } from '../trace/documents';

export function payloadChunkMethods(documents: DocumentRegistry): Pick<CoreApi, 'payloadChunk'> {
  return {
    payloadChunk: async ({ seq, doc, offset, length }) => {
      const payload = documents.get(doc).store.payloadOf(seq);
      if (!payload) return null;
      const from = Math.min(offset, payload.length);
      const slice = payload.subarray(from, Math.min(payload.length, from + length));
      return { seq, size: payload.length, offset: from, bytesB64: slice.toString('base64') };
    },
  };
}
