// Field readers for the dissector. Each reader appends a FieldNode (with its byte range) and
// returns the value. When bytes run out it appends a node with a `problem` and throws STOP, which
// the packet dissector catches at the top: everything decoded so far stays in the tree.
import type { FieldNode, PacketType, ProtocolVersion } from '../../contract/types';
import { decodeUtf8 } from '../../util/utf8';

/** Thrown (never escapes dissect()) when nothing further can be decoded. */
export const STOP: unique symbol = Symbol('dissect.stop');

export interface Ctx {
  readonly b: Uint8Array;
  /** Next byte to read. */
  pos: number;
  /** Reads stop here: min(limit, b.length). */
  end: number;
  /** Declared end of the current region (remaining length, property length); may exceed b.length. */
  limit: number;
  /** What declared `limit`, for messages. */
  bound: string;
  /** Effective protocol version (CONNECT overrides the caller's with its own level byte). */
  v: ProtocolVersion;
  type: PacketType;
}

/** Cite a rule by its id in the spec version being decoded; ids were renumbered in 5.0. */
export function rule(c: Ctx, v5: string, v311: string): string {
  return `[MQTT-${c.v === 5 ? v5 : v311}]`;
}

/** Ensures `n` bytes are readable, or records why not and stops. */
export function need(c: Ctx, n: number, name: string, out: FieldNode[]): void {
  if (c.pos + n <= c.end) return;
  const problem = c.pos + n > c.limit
    ? `${name} needs ${n} byte${n === 1 ? '' : 's'} but the ${c.bound} leaves ${Math.max(0, c.limit - c.pos)} (malformed packet)`
    : `truncated: ${c.pos + n - c.b.length} bytes missing`;
  out.push({ name, offset: c.pos, length: Math.max(0, c.end - c.pos), problem });
  throw STOP;
}

export function hex(n: number, width = 2): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

export function setOrNot(bit: number): string {
  return bit ? 'Set' : 'Not set';
}

export function push(out: FieldNode[], node: FieldNode): FieldNode {
  out.push(node);
  return node;
}

type Fmt = (v: number) => string;

export function u8(c: Ctx, out: FieldNode[], name: string, fmt: Fmt = String): FieldNode {
  need(c, 1, name, out);
  const v = c.b[c.pos];
  const node = push(out, { name, value: fmt(v), num: v, offset: c.pos, length: 1 });
  c.pos += 1;
  return node;
}

export function u16(c: Ctx, out: FieldNode[], name: string, fmt: Fmt = String): FieldNode {
  need(c, 2, name, out);
  const v = (c.b[c.pos] << 8) | c.b[c.pos + 1];
  const node = push(out, { name, value: fmt(v), num: v, offset: c.pos, length: 2 });
  c.pos += 2;
  return node;
}

export function u32(c: Ctx, out: FieldNode[], name: string, fmt: Fmt = String): FieldNode {
  need(c, 4, name, out);
  const b = c.b;
  const v = ((b[c.pos] << 24) >>> 0) + ((b[c.pos + 1] << 16) | (b[c.pos + 2] << 8) | b[c.pos + 3]);
  const node = push(out, { name, value: fmt(v), num: v, offset: c.pos, length: 4 });
  c.pos += 4;
  return node;
}

export interface Vbi {
  value: number;
  length: number;
  /** Set when the encoding breaks a rule; `value` is then what was read so far. */
  problem?: string;
  /** False when the bytes ran out before the last byte. */
  complete: boolean;
}

/** Variable Byte Integer (§1.5.5 in 5.0, §2.2.3 in 3.1.1), at most four bytes. */
export function decodeVbi(b: Uint8Array, at: number, end: number, v: ProtocolVersion): Vbi {
  let value = 0;
  let mult = 1;
  for (let i = 0; i < 4; i++) {
    if (at + i >= end) return { value, length: i, complete: false };
    const byte = b[at + i];
    value += (byte & 0x7f) * mult;
    mult *= 128;
    if ((byte & 0x80) === 0) {
      // [MQTT-1.5.5-1] the minimum number of bytes: a trailing 0x00 after a continuation is waste.
      const problem = i > 0 && byte === 0
        ? `not minimally encoded (${i + 1} bytes for ${value})${v === 5 ? ' [MQTT-1.5.5-1]' : ''}`
        : undefined;
      return { value, length: i + 1, complete: true, problem };
    }
  }
  return {
    value, length: 4, complete: true,
    problem: 'exceeds 4 bytes: the 4th byte has its continuation bit set (maximum 268,435,455) (malformed packet)',
  };
}

export function vbi(c: Ctx, out: FieldNode[], name: string, fmt: Fmt = String): FieldNode {
  const r = decodeVbi(c.b, c.pos, c.end, c.v);
  if (!r.complete) need(c, r.length + 1, name, out); // always stops
  const node = push(out, { name, value: fmt(r.value), num: r.value, offset: c.pos, length: r.length });
  if (r.problem) {
    node.problem = `${name} ${r.problem}`;
    if (r.length === 4 && r.problem.startsWith('exceeds')) {
      c.pos += r.length;
      throw STOP; // the value is meaningless, so is everything after it
    }
  }
  c.pos += r.length;
  return node;
}

/** Checks a decoded MQTT UTF-8 string (§1.5.4 in 5.0, §1.5.3 in 3.1.1). */
function utf8Problem(c: Ctx, name: string, start: number, len: number): { text: string; problem?: string } {
  const { text, invalidAt } = decodeUtf8(c.b, start, start + len);
  if (invalidAt >= 0) {
    return { text, problem: `${name} is not valid UTF-8 (byte ${invalidAt} of the string) ${rule(c, '1.5.4-1', '1.5.3-1')}` };
  }
  if (text.includes('\u0000')) {
    return { text, problem: `${name} contains U+0000 ${rule(c, '1.5.4-2', '1.5.3-2')}` };
  }
  return { text };
}

/** A length-prefixed UTF-8 string: appends "<name> length" and "<name>" nodes. */
export function str(c: Ctx, out: FieldNode[], name: string): { text: string; node: FieldNode } {
  const lenNode = u16(c, out, `${name} length`);
  const len = lenNode.num ?? 0;
  need(c, len, name, out);
  const { text, problem } = utf8Problem(c, name, c.pos, len);
  const node = push(out, { name, value: text, offset: c.pos, length: len });
  if (problem) node.problem = problem;
  c.pos += len;
  return { text, node };
}

/** A length-prefixed binary field: appends "<name> length" and "<name>" nodes. */
export function bin(c: Ctx, out: FieldNode[], name: string, display: (bytes: Uint8Array) => string = hexPreview): { bytes: Uint8Array; node: FieldNode } {
  const lenNode = u16(c, out, `${name} length`);
  const len = lenNode.num ?? 0;
  need(c, len, name, out);
  const bytes = c.b.subarray(c.pos, c.pos + len);
  const node = push(out, { name, value: display(bytes), num: len, offset: c.pos, length: len });
  c.pos += len;
  return { bytes, node };
}

const HEX_PREVIEW = 32;

export function hexPreview(bytes: Uint8Array): string {
  if (bytes.length === 0) return '(empty)';
  let s = '';
  const n = Math.min(bytes.length, HEX_PREVIEW);
  for (let i = 0; i < n; i++) s += (i ? ' ' : '') + bytes[i].toString(16).padStart(2, '0');
  return bytes.length > n ? `${s} … (${bytes.length} bytes)` : s;
}

const TEXT_PREVIEW_BYTES = 1024;
const TEXT_PREVIEW_CHARS = 120;

/** A payload shown as quoted text when it reads as text, else as hex; always with its size. */
export function payloadPreview(b: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return '(empty, 0 bytes)';
  const stop = Math.min(end, start + TEXT_PREVIEW_BYTES);
  const { text, invalidAt } = decodeUtf8(b, start, stop);
  // A multi-byte character cut by the preview window is not an encoding error.
  const cutOnly = invalidAt >= 0 && stop < end && invalidAt > stop - start - 4;
  const printable = !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
  if ((invalidAt < 0 || cutOnly) && printable) {
    const body = cutOnly ? text.replace(/\ufffd+$/, '') : text;
    const shown = body.length > TEXT_PREVIEW_CHARS || stop < end ? body.slice(0, TEXT_PREVIEW_CHARS) + '…' : body;
    return `${JSON.stringify(shown)} (${n} bytes)`;
  }
  return `${hexPreview(b.subarray(start, Math.min(end, start + HEX_PREVIEW)))}${n > HEX_PREVIEW ? ' …' : ''} (${n} bytes)`;
}

/** Runs `body` to fill a new section node; its length covers whatever was decoded, even on STOP. */
export function section(c: Ctx, out: FieldNode[], name: string, body: (kids: FieldNode[]) => void): FieldNode {
  const node: FieldNode = { name, offset: c.pos, length: 0, children: [] };
  out.push(node);
  try {
    body(node.children!);
  } finally {
    let end = c.pos;
    for (const k of node.children!) end = Math.max(end, k.offset + k.length);
    node.length = Math.max(0, end - node.offset);
  }
  return node;
}

/** Bytes nobody could decode, kept visible. */
export function rawRest(c: Ctx, out: FieldNode[], name: string, problem?: string): void {
  if (c.pos >= c.end) return;
  const node = push(out, { name, value: hexPreview(c.b.subarray(c.pos, c.end)), num: c.end - c.pos, offset: c.pos, length: c.end - c.pos });
  if (problem) node.problem = problem;
  c.pos = c.end;
}
