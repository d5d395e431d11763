// The topic tree as the rows a virtual list shows: expanded nodes flattened in the chosen order, a page
// of them in full. A search opens the ancestors of every matching topic.
import type { TopicRow, TopicTreeParams, TopicTreeResult } from '../../../shared/contract/topics';
import type { TopicNode, TopicStats } from './topic-stats';

const MAX_SEARCH_HITS = 50_000;

export function queryTopicTree(stats: TopicStats, p: TopicTreeParams, nowUs: number, preview: (seq: number) => string | undefined): TopicTreeResult {
  const nowSec = Math.floor(nowUs / 1e6);
  let open: Set<TopicNode> | null = null;
  let visible: Set<TopicNode> | null = null;
  const needle = p.search?.trim().toLowerCase();
  if (needle) {
    open = new Set();
    visible = new Set();
    let hits = 0;
    for (const leaf of stats.matching(needle)) {
      if (++hits > MAX_SEARCH_HITS) break;
      visible.add(leaf);
      for (let n = leaf.parent; n && n.parent; n = n.parent) { open.add(n); visible.add(n); }
    }
  }
  const expanded = new Set(p.expanded);
  const rateCache = new Map<TopicNode, number>();
  const rateOf = (n: TopicNode) => {
    let r = rateCache.get(n);
    if (r === undefined) rateCache.set(n, (r = n.rate(nowSec).msgs));
    return r;
  };
  const order = (a: TopicNode, b: TopicNode): number => {
    if (p.sort === 'rate') return rateOf(b) - rateOf(a) || b.count - a.count || (a.name < b.name ? -1 : 1);
    if (p.sort === 'count') return b.count - a.count || (a.name < b.name ? -1 : 1);
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  };

  const rows: TopicRow[] = [];
  let index = 0;
  const end = p.offset + p.limit;
  const walk = (node: TopicNode, depth: number) => {
    if (!node.children) return;
    let kids = [...node.children.values()];
    if (visible) kids = kids.filter((k) => visible!.has(k));
    kids.sort(order);
    for (const k of kids) {
      const isOpen = !!k.children && (open ? open.has(k) : expanded.has(k.path));
      if (index >= p.offset && index < end) rows.push(row(k, depth, isOpen, nowSec, preview));
      index++;
      if (isOpen) walk(k, depth + 1);
    }
  };
  walk(stats.root, 0);
  return { rows, total: index, topics: stats.topicCount, messages: stats.messages, untracked: stats.untracked, treeBytes: stats.bytes, treeBudgetBytes: stats.budgetBytes, nowUs };
}

function row(n: TopicNode, depth: number, expanded: boolean, nowSec: number, preview: (seq: number) => string | undefined): TopicRow {
  const r = n.rate(nowSec);
  const out: TopicRow = {
    path: n.path, name: n.name, depth, hasChildren: !!n.children?.size, expanded,
    count: n.count, own: n.own, topics: n.topics, bytes: n.bytes, msgRate: r.msgs, byteRate: r.bytes,
    spark: n.spark(nowSec), qos: [n.qos0, n.qos1, n.qos2], retained: n.retained,
  };
  if (n.own > 0) {
    out.lastSeq = n.ownSeq;
    out.lastUs = n.ownUs;
    const text = preview(n.ownSeq);
    if (text !== undefined) out.preview = text;
  }
  return out;
}
