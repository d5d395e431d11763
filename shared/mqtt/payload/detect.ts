// Picks the view a payload is best read in. Cheap checks first: binary is decided by UTF-8
// validity and control characters before any JSON parsing happens.
import { decodeText, countControlChars } from './text';

export type PayloadView = 'json' | 'text' | 'binary';

export interface Detection {
  view: PayloadView;
  /** Why, in a few words, for a tooltip. */
  reason: string;
}

/** Payloads above this size are not JSON-parsed just to pick a view. */
const JSON_DETECT_LIMIT = 4 * 1024 * 1024;

export function detectPayload(bytes: Uint8Array): Detection {
  if (bytes.length === 0) return { view: 'text', reason: 'empty payload' };
  const { text, valid } = decodeText(bytes);
  if (!valid) return { view: 'binary', reason: 'not valid UTF-8' };
  const controls = countControlChars(text);
  // A stray control character in a long text is tolerated; a payload full of them is binary.
  if (controls > 0 && controls * 20 > text.length) return { view: 'binary', reason: 'control characters' };
  const t = text.trim();
  const first = t[0];
  const last = t[t.length - 1];
  const looksJson = (first === '{' && last === '}') || (first === '[' && last === ']');
  if (looksJson && bytes.length <= JSON_DETECT_LIMIT) {
    try {
      JSON.parse(t);
      return { view: 'json', reason: 'parses as JSON' };
    } catch {
      return { view: 'text', reason: 'looks like JSON but does not parse' };
    }
  }
  return { view: 'text', reason: 'valid UTF-8 text' };
}

export function detectView(bytes: Uint8Array): PayloadView {
  return detectPayload(bytes).view;
}
