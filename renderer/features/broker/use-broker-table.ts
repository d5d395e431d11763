// Fetches one broker table and refetches when core says it changed (brokerChanged), at most every 300 ms.
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../../app/core';
import { useApp } from '../../app/store';

type Table = 'clients' | 'subscriptions' | 'retained' | 'offline';

export function useBrokerTable<T>(table: Table, fetch: () => Promise<T[]>, deps: unknown[] = []): { rows: T[]; error: string | null; refresh(): void } {
  const epoch = useApp((s) => s.brokerEpoch[table]);
  const running = useApp((s) => s.broker?.state === 'running');
  const [rows, setRows] = useState<T[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const last = useRef(0);

  useEffect(() => {
    if (!running) { setRows([]); return; }
    let cancelled = false;
    const wait = Math.max(0, last.current + 300 - Date.now());
    const t = setTimeout(() => {
      last.current = Date.now();
      fetch().then((r) => { if (!cancelled) { setRows(r); setError(null); } }, (e) => { if (!cancelled) setError(errorText(e)); });
    }, wait);
    return () => { cancelled = true; clearTimeout(t); };
  }, [epoch, running, tick, ...deps]);

  return { rows, error, refresh: () => setTick((n) => n + 1) };
}

export function since(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m ago`;
}
