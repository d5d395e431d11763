// Compiles a parsed filter into one predicate over a FrameFacts cursor. Conditions joined by && / || are
// reordered cheapest first (they have no side effects), so column tests reject most frames before any
// string, payload or property is looked at; topic and client answers are cached per distinct string.
import { validateTopicFilter, topicMatches } from '../mqtt/topic';
import { FilterError, type CmpOp, type FilterNode, type Literal } from './ast';
import type { FrameFacts, FrameProperty } from './facts';
import { DIR_VALUES, resolveField, type ResolvedField } from './fields';
import { boolOf, choiceOf, numberOf, packetTypeOf, regexOf, textOf, timeOf, timeOfDayUs } from './literals';
import { parseFilter } from './parser';

export type Predicate = () => boolean;
interface Compiled { test: Predicate; cost: number }

const utf8 = new TextEncoder();
const CACHE_MAX = 65536;

/** Parse and compile; throws FilterError (with a position) on any mistake. */
export function compileFilter(src: string, facts: FrameFacts): Predicate {
  return compileNode(parseFilter(src), facts).test;
}

export function compileNode(node: FilterNode, f: FrameFacts): Compiled {
  switch (node.kind) {
    case 'not': {
      const inner = compileNode(node.operand, f);
      return { test: () => !inner.test(), cost: inner.cost };
    }
    case 'and': case 'or': {
      const parts = flatten(node, node.kind).map((n) => compileNode(n, f)).sort((a, b) => a.cost - b.cost);
      const cost = parts.reduce((s, p) => s + p.cost, 0);
      const tests = parts.map((p) => p.test);
      if (node.kind === 'and') {
        if (tests.length === 2) { const [a, b] = tests; return { test: () => a() && b(), cost }; }
        return { test: () => { for (const t of tests) if (!t()) return false; return true; }, cost };
      }
      if (tests.length === 2) { const [a, b] = tests; return { test: () => a() || b(), cost }; }
      return { test: () => { for (const t of tests) if (t()) return true; return false; }, cost };
    }
    case 'has': return has(node.field, f);
    case 'cmp': return compare(node.field, node.op, node.value, f);
  }
}

function flatten(node: FilterNode, kind: 'and' | 'or'): FilterNode[] {
  return node.kind === kind ? [...flatten(node.left, kind), ...flatten(node.right, kind)] : [node];
}

function field(name: string): ResolvedField {
  const r = resolveField(name);
  if (typeof r === 'string') throw new FilterError(r, 0);
  return r;
}

const isPublish = (f: FrameFacts) => f.typeNum() === 3;

function has(name: string, f: FrameFacts): Compiled {
  const r = field(name);
  if (r.kind !== 'plain') {
    const match = propMatcher(r);
    return { test: () => f.properties().some(match), cost: 100 };
  }
  const test: Predicate = (() => {
    switch (name) {
      case 'type': return () => f.typeNum() >= 0;
      case 'qos': return () => isPublish(f) && ((f.b0() >> 1) & 3) < 3;
      case 'dup': return () => isPublish(f) && (f.b0() & 8) !== 0;
      case 'retain': return () => isPublish(f) && (f.b0() & 1) !== 0;
      case 'id': return () => f.packetId() !== 0;
      case 'reason': return () => f.reason() >= 0;
      case 'topic': return () => f.topic() !== undefined;
      case 'client': return () => f.clientId() !== undefined;
      case 'payload': return () => isPublish(f) && f.payload() !== null;
      case 'malformed': return () => f.kind() === 1;
      case 'event': return () => f.kind() === 2;
      default: return () => true; // frame, time, size, conn, side, dir: every frame has them
    }
  })();
  return { test, cost: r.def.cost };
}

function propMatcher(r: ResolvedField): (p: FrameProperty) => boolean {
  if (r.kind === 'user') return (p) => p.key === r.key;
  if (r.kind === 'prop') return (p) => p.name === r.property && p.key === undefined;
  return () => false;
}

function numeric(op: CmpOp, v: number): (x: number) => boolean {
  switch (op) {
    case '==': return (x) => x === v;
    case '!=': return (x) => x !== v;
    case '<': return (x) => x < v;
    case '<=': return (x) => x <= v;
    case '>': return (x) => x > v;
    case '>=': return (x) => x >= v;
    default: throw new Error(`unreachable: ${op}`);
  }
}

/** A string test for == != contains ~ (matches is the topic's own). */
function textual(name: string, op: CmpOp, l: Literal): (s: string) => boolean {
  if (op === '~') { const re = regexOf(l); return (s) => re.test(s); }
  const v = textOf(name, l);
  if (op === '==') return (s) => s === v;
  if (op === '!=') return (s) => s !== v;
  return (s) => s.includes(v);
}

/** The test a `topic <op> <literal>` comparison applies to a topic string (core's chunk skipping uses it too). */
export function topicTest(op: CmpOp, l: Literal): (s: string) => boolean {
  if (op !== 'matches') return textual('topic', op, l);
  const filter = textOf('topic', l);
  const problem = validateTopicFilter(filter);
  if (problem) throw new FilterError(`"${filter}" is not a topic filter: ${problem}`, l.pos);
  return (s) => topicMatches(filter, s);
}

function cached(test: (s: string) => boolean): (s: string) => boolean {
  const memo = new Map<string, boolean>();
  return (s) => {
    let r = memo.get(s);
    if (r === undefined) {
      if (memo.size >= CACHE_MAX) memo.clear();
      memo.set(s, (r = test(s)));
    }
    return r;
  };
}

function compare(name: string, op: CmpOp, l: Literal, f: FrameFacts): Compiled {
  const r = field(name);
  if (r.kind !== 'plain') return compareProp(r, op, l, f);
  const cost = r.def.cost + (op === '~' ? 10 : 0);
  const num = (get: () => number, present: () => boolean = () => true): Compiled => {
    const t = numeric(op, numberOf(name, l));
    return { test: () => present() && t(get()), cost };
  };
  const bool = (get: () => boolean, present: () => boolean): Compiled => {
    const want = boolOf(name, l) === (op === '==');
    return { test: () => present() && get() === want, cost };
  };
  switch (name) {
    case 'frame': return num(() => f.frame());
    case 'conn': return num(() => f.conn());
    case 'size': return num(() => f.size());
    case 'id': return num(() => f.packetId(), () => f.packetId() !== 0);
    case 'reason': return num(() => f.reason(), () => f.reason() >= 0);
    case 'qos': return num(() => (f.b0() >> 1) & 3, () => isPublish(f) && ((f.b0() >> 1) & 3) < 3);
    case 'dup': return bool(() => (f.b0() & 8) !== 0, () => isPublish(f));
    case 'retain': return bool(() => (f.b0() & 1) !== 0, () => isPublish(f));
    case 'malformed': return bool(() => f.kind() === 1, () => true);
    case 'event': return bool(() => f.kind() === 2, () => true);
    case 'type': {
      const t = packetTypeOf(l);
      return op === '==' ? { test: () => f.typeNum() === t, cost } : { test: () => { const x = f.typeNum(); return x >= 0 && x !== t; }, cost };
    }
    case 'side': {
      const client = choiceOf(name, l, ['broker', 'client']) === 'client';
      const want = client === (op === '==');
      return { test: () => f.clientSide() === want, cost };
    }
    case 'dir': {
      const d = choiceOf(name, l, DIR_VALUES);
      const eq = op === '==';
      // "in" is what the capturing side received: the broker receives c2s, a client receives s2c.
      if (d === 'in') return { test: () => (f.s2c() === f.clientSide()) === eq, cost };
      if (d === 'out') return { test: () => (f.s2c() !== f.clientSide()) === eq, cost };
      const s2c = d === 's2c';
      return { test: () => (f.s2c() === s2c) === eq, cost };
    }
    case 'time': {
      const tv = timeOf(l);
      const t = numeric(op, tv.us);
      if (tv.kind === 'relative') return { test: () => t(f.timeUs()), cost };
      if (tv.kind === 'absolute') return { test: () => t(f.wallMs() * 1000), cost };
      return { test: () => t(timeOfDayUs(f.wallMs())), cost: cost + 2 };
    }
    case 'topic': {
      const c = cached(topicTest(op, l));
      return { test: () => { const s = f.topic(); return s !== undefined && c(s); }, cost };
    }
    case 'client': {
      const c = cached(textual(name, op, l));
      return { test: () => { const s = f.clientId(); return s !== undefined && c(s); }, cost };
    }
    case 'payload': return comparePayload(op, l, f, cost);
  }
  throw new FilterError(`'${name}' cannot be compared`, l.pos);
}

function comparePayload(op: CmpOp, l: Literal, f: FrameFacts, cost: number): Compiled {
  const get = () => (isPublish(f) ? f.payload() : null);
  if (op === '~') {
    const re = regexOf(l);
    const dec = new TextDecoder();
    return { test: () => { const p = get(); return p !== null && re.test(dec.decode(p)); }, cost: cost + 10 };
  }
  const needle = utf8.encode(textOf('payload', l));
  if (op === 'contains') {
    if (f.payloadRange) {
      const span = { bytes: new Uint8Array(0), from: 0, to: 0 };
      return { test: () => isPublish(f) && f.payloadRange!(span) && indexOfBytes(span.bytes, needle, span.from, span.to) >= 0, cost };
    }
    return { test: () => { const p = get(); return p !== null && indexOfBytes(p, needle) >= 0; }, cost };
  }
  const eq = op === '==';
  return { test: () => { const p = get(); return p !== null && sameBytes(p, needle) === eq; }, cost };
}

function compareProp(r: ResolvedField, op: CmpOp, l: Literal, f: FrameFacts): Compiled {
  const named = propMatcher(r);
  let t: (v: string | number) => boolean;
  if (l.kind === 'number') {
    if (op === 'contains' || op === '~') throw new FilterError(`'${op}' needs a "string" or /regex/`, l.pos);
    const n = numeric(op, l.value);
    t = (v) => typeof v === 'number' && n(v);
  } else {
    if (op !== '==' && op !== '!=' && op !== 'contains' && op !== '~') throw new FilterError(`'${op}' compares numbers; this is ${l.kind === 'regex' ? 'a regex' : 'a string'}`, l.pos);
    const s = textual(r.kind === 'user' ? `prop.user.${r.key}` : 'prop', op, l);
    t = (v) => typeof v === 'string' && s(v);
  }
  return { test: () => f.properties().some((p) => named(p) && t(p.value)), cost: 100 };
}

/** Index of `needle` in hay[from, to), or -1. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0, to = hay.length): number {
  const n = needle.length;
  if (n === 0) return from <= to ? from : -1;
  const first = needle[0];
  const last = to - n;
  if (to - from > 4096 || (from === 0 && to === hay.length)) {
    // Long ranges: the native byte search (bounded by a view, since indexOf has no end).
    const view = from === 0 && to === hay.length ? hay : hay.subarray(from, to);
    for (let i = view.indexOf(first); i >= 0 && i <= last - from; i = view.indexOf(first, i + 1)) {
      let k = 1;
      while (k < n && view[i + k] === needle[k]) k++;
      if (k === n) return from + i;
    }
    return -1;
  }
  outer: for (let i = from; i <= last; i++) {
    if (hay[i] !== first) continue;
    for (let k = 1; k < n; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
