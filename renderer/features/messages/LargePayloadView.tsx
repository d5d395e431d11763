// A payload too large for the editor (over 1 MiB): the worker guesses its form and lays it out in rows,
// the page renders only the rows in view (text, JSON, base64) or the virtualized hex dump. Shown in full;
// a search (in the worker) finds any part of it and scrolls there.
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatSize } from '../../app/bytes';
import { HexView } from '../../ui/HexView';
import { LargeTextView } from '../../ui/LargeTextView';
import { rowOf } from './payload-layout';
import type { FromWorker, LargeMode, ToWorker } from './payload-protocol';

type TextView = { mode: LargeMode; text: string; rows: Uint32Array; error?: string };
type Search = { query: string; offsets: Uint32Array; total: number; at: number };

function startWorker(): Worker {
  return new Worker(new URL('payload.worker.js', document.baseURI), { name: 'payload' });
}

export function LargePayloadView({ bytes, testId = 'payload' }: { bytes: Uint8Array; testId?: string }) {
  const worker = useRef<Worker | null>(null);
  const [mode, setMode] = useState<LargeMode | null>(null);
  const [view, setView] = useState<TextView | null>(null);
  const [search, setSearch] = useState<Search | null>(null);
  const [query, setQuery] = useState('');
  const viewId = useRef(0);
  const searchId = useRef(0);

  useEffect(() => {
    const w = startWorker();
    worker.current = w;
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.kind === 'loaded') setMode((cur) => cur ?? m.guess);
      else if (m.kind === 'view' && m.id === viewId.current) setView({ mode: m.mode, text: m.text, rows: m.rows, error: m.error });
      else if (m.kind === 'search' && m.id === searchId.current) setSearch({ query: m.query, offsets: m.offsets, total: m.total, at: 0 });
    };
    const copy = bytes.slice(); // the page keeps its bytes for the hex view; the worker gets its own
    w.postMessage({ kind: 'load', bytes: copy.buffer } satisfies ToWorker, [copy.buffer]);
    return () => { w.terminate(); worker.current = null; };
  }, [bytes]);

  useEffect(() => {
    setSearch(null);
    searchId.current++;
    if (!mode || mode === 'hex') { setView(null); return; }
    const id = ++viewId.current;
    worker.current?.postMessage({ kind: 'view', id, mode } satisfies ToWorker);
  }, [mode]);

  const find = () => {
    if (!mode || mode === 'hex' || !query) return;
    if (search && search.query === query && search.offsets.length) {
      setSearch({ ...search, at: (search.at + 1) % search.offsets.length });
      return;
    }
    const id = ++searchId.current;
    worker.current?.postMessage({ kind: 'search', id, mode, query } satisfies ToWorker);
  };

  const mark = useMemo(() => {
    if (!search || !view || view.mode !== mode || search.offsets.length === 0) return null;
    const offset = search.offsets[search.at];
    return { offset, length: search.query.length, row: rowOf(view.rows, offset) };
  }, [search, view, mode]);

  const ready = mode === 'hex' || (view !== null && view.mode === mode);
  return (
    <div className="payload-view" data-testid={testId} data-mode={mode ?? ''} data-size={bytes.length} data-ready={ready ? 'true' : 'false'}>
      <div className="tabs small">
        {(['text', 'json', 'hex', 'base64'] as LargeMode[]).map((m) => (
          <button key={m} className={m === mode ? 'tab active' : 'tab'} onClick={() => setMode(m)} data-testid={`${testId}-mode-${m}`} disabled={!mode}>
            {m === 'json' ? 'JSON' : m === 'hex' ? 'Hex' : m === 'base64' ? 'Base64' : 'Text'}
          </button>
        ))}
        {mode && mode !== 'hex' ? (
          <form className="row gap" onSubmit={(e) => { e.preventDefault(); find(); }}>
            <input className="small" placeholder="Find in payload" value={query} onChange={(e) => setQuery(e.target.value)} data-testid={`${testId}-search`} />
            <span className="muted small" data-testid={`${testId}-search-result`}>
              {search && search.query === query ? (search.total ? `${search.at + 1} of ${search.total.toLocaleString('en')}${search.total > search.offsets.length ? ` (first ${search.offsets.length.toLocaleString('en')} reachable)` : ''}` : 'not found') : ''}
            </span>
          </form>
        ) : null}
        <span className="grow" />
        <span className="muted small" data-testid={`${testId}-size`}>{bytes.length.toLocaleString('en')} bytes ({formatSize(bytes.length)}), shown in full</span>
      </div>
      <div className="payload-body">
        {!ready ? <p className="pad muted" data-testid={`${testId}-preparing`}>Preparing the {mode ?? 'payload'} view…</p> : null}
        {mode === 'hex' ? <HexView bytes={bytes} testId={`${testId}-hex`} /> : null}
        {ready && view && view.error ? <div className="notice error" data-testid={`${testId}-json-error`}>{view.error}</div> : null}
        {ready && view && !view.error ? <LargeTextView text={view.text} rows={view.rows} mark={mark} testId={`${testId}-${mode}`} /> : null}
      </div>
    </div>
  );
}
