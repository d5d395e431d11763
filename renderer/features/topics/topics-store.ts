// Topic tree and chart state: its own small zustand store (the tree is one feature; the app store stays
// as it is). `scope` is the subtree picked in the tree: the message lists filter on it.
import { create } from 'zustand';
import type { TopicSort } from '../../../shared/contract/topics';

export interface ChartSeries { topic: string; field: string; colour: string }

const PALETTE = ['#0b6bcb', '#d9480f', '#2b8a3e', '#9c36b5', '#e67700', '#0c8599', '#c2255c', '#5c940d'];

interface TopicsState {
  expanded: ReadonlySet<string>;
  sort: TopicSort;
  search: string;
  selected: string | null;
  /** MQTT filter for message lists ("a/b/#"), or '' for none. */
  scope: string;
  series: ChartSeries[];
  toggle(path: string): void;
  setSort(sort: TopicSort): void;
  setSearch(text: string): void;
  select(path: string | null, hasChildren: boolean): void;
  clearScope(): void;
  addSeries(topic: string, field: string): void;
  removeSeries(i: number): void;
}

export const useTopics = create<TopicsState>((set, get) => ({
  expanded: new Set(),
  sort: 'name',
  search: '',
  selected: null,
  scope: '',
  series: [],
  toggle: (path) => {
    const next = new Set(get().expanded);
    if (next.has(path)) next.delete(path); else next.add(path);
    set({ expanded: next });
  },
  setSort: (sort) => set({ sort }),
  setSearch: (search) => set({ search }),
  select: (path, hasChildren) => set({ selected: path, scope: path === null ? '' : hasChildren ? `${path}/#` : path }),
  clearScope: () => set({ scope: '', selected: null }),
  addSeries: (topic, field) => {
    const s = get().series;
    if (s.some((x) => x.topic === topic && x.field === field)) return;
    const used = new Set(s.map((x) => x.colour));
    set({ series: [...s, { topic, field, colour: PALETTE.find((c) => !used.has(c)) ?? PALETTE[s.length % PALETTE.length] }] });
  },
  removeSeries: (i) => set({ series: get().series.filter((_, k) => k !== i) }),
}));
