// Switching the payload mode converts what is typed (JSON text → its bytes in hex, hex → base64, …) instead
// of leaving text that is wrong for the new mode. When the bytes cannot be shown in the new mode (binary
// as text), the text stays and the editor says why.
import { bytesToBase64, bytesToHex } from '../../app/bytes';
import { decodeText } from '../../../shared/mqtt/payload/text';
import { encodePayload } from './payload-encode';
import type { PayloadMode } from './publish-state';

export type Converted = { ok: true; text: string } | { ok: false; why: string };

export function convertPayload(from: PayloadMode, to: PayloadMode, text: string): Converted {
  if (from === to || to === 'file' || from === 'file' || to === 'codec' || from === 'codec') return { ok: true, text };
  if (text.trim() === '') return { ok: true, text: '' };
  const enc = encodePayload(from, text, null);
  if (!enc.ok) return { ok: false, why: `kept as typed: it is not valid ${from} (${enc.error})` };
  const bytes = enc.bytes;
  switch (to) {
    case 'hex': return { ok: true, text: bytesToHex(bytes) };
    case 'base64': return { ok: true, text: bytesToBase64(bytes) };
    case 'text':
    case 'json': {
      const t = decodeText(bytes);
      if (!t.valid) return { ok: false, why: `kept as typed: the bytes are not UTF-8 text (byte ${t.invalidAt})` };
      if (to === 'json') {
        try { return { ok: true, text: JSON.stringify(JSON.parse(t.text), null, 2) }; } catch { return { ok: true, text: t.text }; }
      }
      return { ok: true, text: t.text };
    }
  }
}
