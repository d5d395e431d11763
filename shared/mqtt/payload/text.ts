// Payload as text. Invalid UTF-8 is reported, not silently replaced: a payload that "looks fine"
// but carries U+FFFD is exactly the kind of bug MQScope exists to show.
import { decodeUtf8 } from '../../util/utf8';

export interface TextResult {
  /** Decoded text; invalid sequences appear as U+FFFD. */
  text: string;
  /** False when the bytes are not well-formed UTF-8. */
  valid: boolean;
  /** Byte offset of the first invalid sequence, when !valid. */
  invalidAt?: number;
}

export function decodeText(bytes: Uint8Array): TextResult {
  const { text, invalidAt } = decodeUtf8(bytes);
  return invalidAt < 0 ? { text, valid: true } : { text, valid: false, invalidAt };
}

export { encodeUtf8 as encodeText } from '../../util/utf8';

/** Control characters other than tab, LF and CR: their presence suggests a binary payload. */
export function countControlChars(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) n++;
  }
  return n;
}
