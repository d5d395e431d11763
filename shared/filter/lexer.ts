// Tokens of the display filter: field names (dotted), numbers (decimal, 0x hex, fractions), "strings",
// /regexes/, and the operators == != < <= > >= && || ! ( ) ~ plus the words and/or/not/contains/matches.
import { FilterError } from './ast';

export type TokenKind = 'name' | 'number' | 'string' | 'regex' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  /** The token as written (for names and operators) or its decoded value (strings). */
  text: string;
  pos: number;
  /** Regex flags, numbers' value. */
  flags?: string;
  value?: number;
}

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '~'];
const NAME_START = /[A-Za-z_$]/;
const NAME_PART = /[A-Za-z0-9_$.\-]/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '0': '\0' };

export function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const start = i;
    if (c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new FilterError('this string has no closing quote', start);
        const d = src[i];
        if (d === '"') { i++; break; }
        if (d === '\\') {
          const e = src[i + 1];
          if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 4))) { text += String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16)); i += 4; continue; }
          if (e === undefined || !(e in ESCAPES)) throw new FilterError(`unknown escape '\\${e ?? ''}' in string (use \\" \\\\ \\n \\t \\r \\0 \\xHH)`, i);
          text += ESCAPES[e];
          i += 2;
          continue;
        }
        text += d;
        i++;
      }
      out.push({ kind: 'string', text, pos: start });
      continue;
    }
    if (c === '/') {
      let source = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new FilterError('this regex has no closing /', start);
        const d = src[i];
        if (d === '/') { i++; break; }
        if (d === '\\' && src[i + 1] === '/') { source += '/'; i += 2; continue; }
        if (d === '\\' && i + 1 < src.length) { source += d + src[i + 1]; i += 2; continue; }
        source += d;
        i++;
      }
      let flags = '';
      while (i < src.length && /[a-z]/.test(src[i])) flags += src[i++];
      if (/[^imsu]/.test(flags)) throw new FilterError(`regex flag '${flags.match(/[^imsu]/)![0]}' is not one of i m s u`, i - flags.length);
      out.push({ kind: 'regex', text: source, flags, pos: start });
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]+)?)/.exec(src.slice(i))!;
      const text = m[0];
      i += text.length;
      if (i < src.length && NAME_PART.test(src[i]) && src[i] !== '.') throw new FilterError(`'${text}${src[i]}' is not a number`, start);
      out.push({ kind: 'number', text, pos: start, value: /^0[xX]/.test(text) ? parseInt(text.slice(2), 16) : Number(text) });
      continue;
    }
    if (NAME_START.test(c)) {
      while (i < src.length && NAME_PART.test(src[i])) i++;
      out.push({ kind: 'name', text: src.slice(start, i), pos: start });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) {
      if (c === '=') throw new FilterError("use '==' to compare, not '='", start);
      if (c === '&' || c === '|') throw new FilterError(`use '${c}${c}', not '${c}'`, start);
      throw new FilterError(`unexpected character '${c}'`, start);
    }
    out.push({ kind: 'op', text: op, pos: start });
    i += op.length;
  }
  out.push({ kind: 'end', text: '', pos: src.length });
  return out;
}
