// Turns the publish editor's content into bytes according to the payload mode, or a plain-words error.
import { hexToBytes, parseBase64, utf8Encode } from '../../app/bytes';
import type { PayloadMode } from './publish-state';

export type Encoded = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

export function encodePayload(mode: PayloadMode, text: string, file: Uint8Array | null): Encoded {
  try {
    switch (mode) {
      case 'text': return { ok: true, bytes: utf8Encode(text) };
      case 'json': {
        if (text.trim() === '') return { ok: false, error: 'JSON payload is empty' };
        JSON.parse(text);
        return { ok: true, bytes: utf8Encode(text) };
      }
      case 'hex': return { ok: true, bytes: hexToBytes(text) };
      case 'base64': return { ok: true, bytes: parseBase64(text) };
      case 'file': return file ? { ok: true, bytes: file } : { ok: false, error: 'Choose a file to send' };
      // Encoded by core at send time (see publish-action); these bytes only size the typed text.
      case 'codec': return { ok: true, bytes: utf8Encode(text) };
    }
  } catch (e) {
    const msg = (e as Error).message;
    return { ok: false, error: mode === 'json' ? `Not valid JSON: ${msg}` : msg };
  }
}
