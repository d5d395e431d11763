// A display filter's necessary condition on a chunk's zone map (filter-index.ts): if any frame of the
// chunk can match, the test says yes. An && needs all its parts possible, an || one of them; a `!`, and
// every field the zone map does not describe, says "maybe" (null), so skipping never changes a result.
import { parseFilter, resolveField, type FilterNode } from '../../../shared/filter';
import type { CmpOp, Literal } from '../../../shared/filter/ast';
import { boolOf, choiceOf, numberOf, packetTypeOf } from '../../../shared/filter/literals';
import { topicTest } from '../../../shared/filter/compile';
import { DIR_VALUES } from '../../../shared/filter/fields';
import { topicBit, type TopicSource, Z_DUP, Z_EVENT, Z_MALFORMED, Z_PROPS, Z_QOS, Z_RETAIN, Z_SIDE_DIR } from './filter-index';

/** mask, conns, topics: the chunk's zone map. */
export type ChunkTest = (mask: number, conns: number, topics: number) => boolean;

/** The index's topic list now (null: too many topics to list; `topic` tests other than == then say "maybe"). */
export type TopicsNow = () => TopicSource | null;

/** The chunk test of a filter, or null when the zone map cannot rule any chunk out. */
export function chunkTestOf(filter: string, topics: TopicsNow = () => null): ChunkTest | null {
  try { return testOf(parseFilter(filter), topics); } catch { return null; }
}

const any = (bits: number): ChunkTest => (mask) => (mask & bits) !== 0;

function testOf(n: FilterNode, topics: TopicsNow): ChunkTest | null {
  switch (n.kind) {
    case 'not': return null;
    case 'and': {
      const parts = flatten(n, 'and').map((p) => testOf(p, topics)).filter((t): t is ChunkTest => t !== null);
      if (!parts.length) return null;
      return (m, c, tp) => { for (const t of parts) if (!t(m, c, tp)) return false; return true; };
    }
    case 'or': {
      const parts = flatten(n, 'or').map((p) => testOf(p, topics));
      if (parts.some((t) => t === null)) return null;
      return (m, c, tp) => { for (const t of parts as ChunkTest[]) if (t(m, c, tp)) return true; return false; };
    }
    case 'has': return hasTest(n.field);
    case 'cmp': return cmpTest(n.field, n.op, n.value, topics);
  }
}

function flatten(n: FilterNode, kind: 'and' | 'or'): FilterNode[] {
  return n.kind === kind ? [...flatten(n.left, kind), ...flatten(n.right, kind)] : [n];
}

function hasTest(field: string): ChunkTest | null {
  const r = resolveField(field);
  if (typeof r === 'object' && r.kind !== 'plain') return any(Z_PROPS);
  switch (field) {
    case 'qos': return any(7 << Z_QOS);
    case 'dup': return any(Z_DUP);
    case 'retain': return any(Z_RETAIN);
    case 'malformed': return any(Z_MALFORMED);
    case 'event': return any(Z_EVENT);
    case 'payload': return any(0b1000); // PUBLISH
    default: return null;
  }
}

/** Side/direction pairs (bit k = (client ? 2 : 0) + (s2c ? 1 : 0)) that satisfy `keep`. */
function sideDir(keep: (client: boolean, s2c: boolean) => boolean): ChunkTest {
  let bits = 0;
  for (let k = 0; k < 4; k++) if (keep((k & 2) !== 0, (k & 1) !== 0)) bits |= 1 << (Z_SIDE_DIR + k);
  return any(bits);
}

function cmpTest(field: string, op: CmpOp, l: Literal, topics: TopicsNow): ChunkTest | null {
  const r = resolveField(field);
  if (typeof r === 'object' && r.kind !== 'plain') return any(Z_PROPS);
  const eq = op === '==';
  switch (field) {
    case 'type': return eq ? any(1 << packetTypeOf(l)) : null;
    case 'conn': {
      const v = numberOf(field, l);
      return eq && Number.isInteger(v) && v >= 0 ? (_m, c) => (c & (1 << (v & 31))) !== 0 : null;
    }
    case 'qos': {
      const v = numberOf(field, l);
      let bits = 0;
      for (let q = 0; q < 3; q++) if (compare(op, q, v)) bits |= 1 << (Z_QOS + q);
      return any(bits);
    }
    case 'dup': return boolOf(field, l) === eq ? any(Z_DUP) : null;
    case 'retain': return boolOf(field, l) === eq ? any(Z_RETAIN) : null;
    case 'malformed': return boolOf(field, l) === eq ? any(Z_MALFORMED) : null;
    case 'event': return boolOf(field, l) === eq ? any(Z_EVENT) : null;
    case 'payload': return any(0b1000);
    case 'topic': {
      if (op === '==' && (l.kind === 'string' || l.kind === 'word')) {
        const bit = topicBit(l.value);
        return (_m, _c, t) => (t & bit) !== 0;
      }
      return op === 'matches' || op === '~' || op === 'contains' ? listedTopicsTest(topicTest(op, l), topics) : null;
    }
    case 'side': {
      const client = choiceOf(field, l, ['broker', 'client']) === 'client';
      return sideDir((c) => (c === client) === eq);
    }
    case 'dir': {
      const d = choiceOf(field, l, DIR_VALUES);
      // "in" is what the capturing side received: the broker receives c2s, a client receives s2c.
      return sideDir((c, s2c) => (d === 'in' ? s2c === c : d === 'out' ? s2c !== c : s2c === (d === 's2c')) === eq);
    }
    default: return null;
  }
}

/**
 * A chunk may hold a matching topic only if a listed topic passes `pass` and its bit is in the chunk's
 * mask. Each listed topic is tested once, as the list grows with the index.
 */
function listedTopicsTest(pass: (topic: string) => boolean, topics: TopicsNow): ChunkTest {
  let tested = 0;
  let bits = 0;
  return (_m, _c, t) => {
    const list = topics();
    if (!list) return true;
    if (list.count < tested) { tested = 0; bits = 0; } // the store was emptied and the list restarted
    for (; tested < list.count; tested++) if (pass(list.topic(tested))) bits |= list.bit(tested);
    return (t & bits) !== 0;
  };
}

function compare(op: CmpOp, x: number, v: number): boolean {
  switch (op) {
    case '==': return x === v;
    case '!=': return x !== v;
    case '<': return x < v;
    case '<=': return x <= v;
    case '>': return x > v;
    case '>=': return x >= v;
    default: return true;
  }
}
