// Every topic the trace has seen, as a tree with per-subtree aggregates: message count, bytes, QoS mix,
// a 10-second rate window (1 s buckets, also the sparkline), the newest message and its retain flag.
// Fed from the recorder's batch flush (~30 Hz), never from the socket path. Rates use wire time (µs).

export const WINDOW_S = 10;
/** Distinct topics tracked; beyond this, messages are counted as "untracked" (shown, never hidden). */
export const MAX_TOPICS = 1_000_000;
/**
 * What one tree node costs in memory, besides its path: the object, its Map entry, its share of the rate
 * buckets and of the leaves map. Measured with the heap (--expose-gc, 200,000 topics of two new levels each):
 * 600–630 B a node, topic lengths 35–90, so the path's characters are counted on top to stay on the safe side.
 */
export const NODE_BYTES = 640;

/**
 * The rate windows of all nodes in two shared typed arrays (node id × WINDOW_S). One small typed array
 * per node was 4× slower: hundreds of thousands of ArrayBuffers made every GC walk them.
 */
export class Buckets {
  msgs = new Uint32Array(1024 * WINDOW_S);
  bytes = new Float64Array(1024 * WINDOW_S);
  size = 0;

  alloc(): number {
    if ((this.size + 1) * WINDOW_S > this.msgs.length) {
      const msgs = new Uint32Array(this.msgs.length * 2);
      msgs.set(this.msgs);
      const bytes = new Float64Array(this.bytes.length * 2);
      bytes.set(this.bytes);
      this.msgs = msgs;
      this.bytes = bytes;
    }
    return this.size++;
  }

  clear(): void {
    this.msgs = new Uint32Array(1024 * WINDOW_S);
    this.bytes = new Float64Array(1024 * WINDOW_S);
    this.size = 0;
  }
}

export class TopicNode {
  children: Map<string, TopicNode> | null = null;
  count = 0;
  bytes = 0;
  qos0 = 0;
  qos1 = 0;
  qos2 = 0;
  /** Leaves (real topics) in this subtree, this node included when it is one. */
  topics = 0;
  /** Messages on exactly this topic (0 for a level no message was published to). */
  own = 0;
  lastSeq = -1;
  lastUs = 0;
  /** Newest message on exactly this topic. */
  ownSeq = -1;
  ownUs = 0;
  /** Newest message on exactly this topic set a retained message (retain flag, non-empty payload). */
  retained = false;
  /** Newest second (wire time) with a bucket; the buckets are this node's ring of WINDOW_S seconds in `b`. */
  bucketSec = -1;
  readonly base: number;
  constructor(readonly name: string, readonly path: string, readonly parent: TopicNode | null, readonly b: Buckets) {
    this.base = b.alloc() * WINDOW_S;
  }

  child(name: string): TopicNode {
    this.children ??= new Map();
    let c = this.children.get(name);
    if (!c) {
      c = new TopicNode(name, this.parent === null ? name : `${this.path}/${name}`, this, this.b);
      this.children.set(name, c);
    }
    return c;
  }

  /** Messages per second over the last WINDOW_S seconds ending at `nowSec`. */
  rate(nowSec: number): { msgs: number; bytes: number } {
    let m = 0;
    let b = 0;
    for (let k = 0; k < WINDOW_S; k++) {
      const s = this.bucketSec - k;
      if (s <= nowSec - WINDOW_S || s < 0) break;
      if (s > nowSec) continue;
      m += this.b.msgs[this.base + (s % WINDOW_S)];
      b += this.b.bytes[this.base + (s % WINDOW_S)];
    }
    return { msgs: m / WINDOW_S, bytes: b / WINDOW_S };
  }

  /** Messages in each of the last WINDOW_S seconds, oldest first. */
  spark(nowSec: number): number[] {
    const out = new Array<number>(WINDOW_S).fill(0);
    for (let k = 0; k < WINDOW_S; k++) {
      const s = nowSec - (WINDOW_S - 1 - k);
      if (s >= 0 && s <= this.bucketSec && s > this.bucketSec - WINDOW_S) out[k] = this.b.msgs[this.base + (s % WINDOW_S)];
    }
    return out;
  }
}

export interface PublishFact {
  seq: number;
  topic: string;
  timeUs: number;
  qos: number;
  retain: boolean;
  payloadSize: number;
}

export class TopicStats {
  private buckets = new Buckets();
  root = new TopicNode('', '', null, this.buckets);
  private leaves = new Map<string, TopicNode>();
  messages = 0;
  untracked = 0;
  /** Estimated memory of the tree (NODE_BYTES a node plus its path). */
  bytes = NODE_BYTES;
  /** The tree's share of the trace budget: a new topic that would take it beyond is counted as untracked. */
  budgetBytes = Infinity;
  /** Bumped on every change; lets callers skip work when nothing moved. */
  version = 0;
  lastUs = 0;

  get topicCount(): number { return this.leaves.size; }

  add(f: PublishFact): void {
    let leaf = this.leaves.get(f.topic);
    if (!leaf) {
      if (this.leaves.size >= MAX_TOPICS || this.bytes + this.newNodesCost(f.topic) > this.budgetBytes) {
        this.untracked++;
        this.version++;
        return;
      }
      let n: TopicNode = this.root;
      // Levels split on '/'; an empty level ("a//b", "/a") is a level too (§4.7.3).
      for (const level of f.topic.split('/')) {
        const had: TopicNode | undefined = n.children?.get(level);
        n = had ?? n.child(level);
        if (!had) this.bytes += NODE_BYTES + n.path.length;
      }
      leaf = n;
      this.leaves.set(f.topic, leaf);
      for (let n: TopicNode | null = leaf; n; n = n.parent) n.topics++;
    }
    this.messages++;
    this.version++;
    if (f.timeUs > this.lastUs) this.lastUs = f.timeUs;
    leaf.own++;
    leaf.ownSeq = f.seq;
    leaf.ownUs = f.timeUs;
    leaf.retained = f.retain && f.payloadSize > 0 ? true : f.retain ? false : leaf.retained;
    const sec = Math.floor(f.timeUs / 1e6);
    const msgs = this.buckets.msgs;
    const bytes = this.buckets.bytes;
    for (let n: TopicNode | null = leaf; n; n = n.parent) {
      n.count++;
      n.bytes += f.payloadSize;
      if (f.qos === 0) n.qos0++; else if (f.qos === 1) n.qos1++; else n.qos2++;
      if (f.seq > n.lastSeq) n.lastSeq = f.seq;
      if (f.timeUs > n.lastUs) n.lastUs = f.timeUs;
      if (sec > n.bucketSec) {
        // Clear the seconds skipped since the newest bucket (at most the whole ring).
        for (let s = Math.max(n.bucketSec + 1, sec - WINDOW_S + 1); s <= sec; s++) { msgs[n.base + (s % WINDOW_S)] = 0; bytes[n.base + (s % WINDOW_S)] = 0; }
        n.bucketSec = sec;
      }
      if (sec > n.bucketSec - WINDOW_S) {
        msgs[n.base + (sec % WINDOW_S)]++;
        bytes[n.base + (sec % WINDOW_S)] += f.payloadSize;
      }
    }
  }

  /** What adding `topic` would add to `bytes`: the levels not in the tree yet. */
  private newNodesCost(topic: string): number {
    let n: TopicNode | undefined = this.root;
    let cost = 0;
    let at = -1;
    for (const level of topic.split('/')) {
      at += 1 + level.length; // the path: levels joined by '/'
      n = n?.children?.get(level);
      if (!n) cost += NODE_BYTES + at;
    }
    return cost;
  }

  node(path: string | null): TopicNode | undefined {
    if (path === null) return this.root;
    let n: TopicNode | undefined = this.root;
    for (const level of path.split('/')) {
      n = n.children?.get(level);
      if (!n) return undefined;
    }
    return n;
  }

  leaf(topic: string): TopicNode | undefined { return this.leaves.get(topic); }

  /** Every leaf whose topic contains `needle` (lower-case). */
  *matching(needle: string): Iterable<TopicNode> {
    for (const [topic, n] of this.leaves) if (topic.toLowerCase().includes(needle)) yield n;
  }

  clear(): void {
    this.buckets.clear();
    this.root = new TopicNode('', '', null, this.buckets);
    this.leaves.clear();
    this.messages = 0;
    this.untracked = 0;
    this.bytes = NODE_BYTES;
    this.lastUs = 0;
    this.version++;
  }
}
