// A large PUBLISH payload fetched from core in 512 KiB slices (payloadChunk), one after another: each
// response is small, so neither the transport nor the page handles megabytes in one task.
import { useEffect, useState } from 'react';
import { core, errorText } from '../../app/core';
import { base64ToBytes } from '../../app/bytes';

const CHUNK = 512 * 1024;

export type LargePayloadState =
  | { status: 'idle' }
  | { status: 'loading'; loaded: number; size: number }
  | { status: 'gone' }
  | { status: 'error'; error: string }
  | { status: 'ready'; bytes: Uint8Array };

export function useLargePayload(seq: number | undefined, enabled: boolean, doc?: string): LargePayloadState {
  const [state, setState] = useState<LargePayloadState>({ status: 'idle' });
  useEffect(() => {
    if (seq === undefined || !enabled) { setState({ status: 'idle' }); return; }
    let cancelled = false;
    setState({ status: 'loading', loaded: 0, size: 0 });
    (async () => {
      let bytes: Uint8Array | null = null;
      for (let offset = 0; ;) {
        const c = await core().payloadChunk({ seq, offset, length: CHUNK, ...(doc ? { doc } : {}) });
        if (cancelled) return;
        if (!c) { setState({ status: 'gone' }); return; }
        bytes ??= new Uint8Array(c.size);
        const part = base64ToBytes(c.bytesB64);
        bytes.set(part, c.offset);
        offset = c.offset + part.length;
        if (offset >= c.size || part.length === 0) break;
        setState({ status: 'loading', loaded: offset, size: c.size });
      }
      setState({ status: 'ready', bytes: bytes ?? new Uint8Array(0) });
    })().catch((e) => { if (!cancelled) setState({ status: 'error', error: errorText(e) }); });
    return () => { cancelled = true; };
  }, [seq, enabled, doc]);
  return state;
}
