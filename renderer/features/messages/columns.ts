// Which optional columns the message list shows: chosen by the user, remembered in localStorage
// (a window preference, like pane sizes).
import { useState } from 'react';

export const COLUMNS = [
  { id: 'time', label: 'Time (wire, µs)' },
  { id: 'qos', label: 'QoS' },
  { id: 'flags', label: 'Retain / DUP' },
  { id: 'sub', label: 'Subscription' },
  { id: 'size', label: 'Size' },
  { id: 'preview', label: 'Payload preview' },
  { id: 'props', label: 'Properties (MQTT 5)' },
] as const;
export type ColumnId = (typeof COLUMNS)[number]['id'];

const KEY = 'mqscope.messageColumns';
const DEFAULT: ColumnId[] = ['time', 'qos', 'flags', 'sub', 'size', 'preview', 'props'];

function load(): ColumnId[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as unknown;
    if (Array.isArray(v)) return v.filter((x): x is ColumnId => COLUMNS.some((c) => c.id === x));
  } catch { /* fall through to the default */ }
  return DEFAULT;
}

const WIDTHS_KEY = 'mqscope.messageColumnWidths';

function loadWidths(): Record<string, number> {
  try {
    const v = JSON.parse(localStorage.getItem(WIDTHS_KEY) ?? '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] >= 24 && e[1] <= 2000));
  } catch { return {}; }
}

export function useColumns(): {
  shown: ReadonlySet<ColumnId>; toggle(id: ColumnId): void;
  /** Widths the user dragged (px), by column class ('topic', 'preview', …); absent = automatic. */
  widths: Record<string, number>; setWidth(id: string, px: number | null): void;
} {
  const [shown, setShown] = useState<ReadonlySet<ColumnId>>(() => new Set(load()));
  const [widths, setWidths] = useState<Record<string, number>>(loadWidths);
  return {
    shown,
    widths,
    setWidth: (id, px) => {
      const next = { ...widths };
      if (px === null) delete next[id]; else next[id] = Math.round(Math.max(24, Math.min(2000, px)));
      localStorage.setItem(WIDTHS_KEY, JSON.stringify(next));
      setWidths(next);
    },
    toggle: (id) => {
      const next = new Set(shown);
      if (next.has(id)) next.delete(id); else next.add(id);
      localStorage.setItem(KEY, JSON.stringify([...next]));
      setShown(next);
    },
  };
}
