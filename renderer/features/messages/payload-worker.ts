// The payload worker: detection, JSON pretty-printing, row layout and search of a large payload, off the
// page's main thread (a 5 MB JSON takes hundreds of ms to parse and format; the page must keep painting).
// Built by build/build-renderer.mjs as payload.worker.js.
import { base64Lines, guessMode, rowStarts } from './payload-layout';
import { SEARCH_MAX, type FromWorker, type LargeMode, type ToWorker } from './payload-protocol';

const scope = self as unknown as { onmessage: ((e: MessageEvent<ToWorker>) => void) | null; postMessage(m: FromWorker, transfer?: Transferable[]): void };
let bytes = new Uint8Array(0);
let decoded: string | null = null;
const views = new Map<LargeMode, { text: string; lower?: string; error?: string }>();

function view(mode: Exclude<LargeMode, 'hex'>): { text: string; lower?: string; error?: string } {
  let v = views.get(mode);
  if (v) return v;
  const text = decoded ?? new TextDecoder().decode(bytes);
  if (mode === 'text') v = { text };
  else if (mode === 'base64') v = { text: base64Lines(bytes) };
  else {
    try { v = { text: JSON.stringify(JSON.parse(text), null, 2) }; } catch (e) { v = { text: '', error: `Not valid JSON: ${(e as Error).message}` }; }
  }
  views.set(mode, v);
  return v;
}

scope.onmessage = (e) => {
  const m = e.data;
  if (m.kind === 'load') {
    bytes = new Uint8Array(m.bytes);
    views.clear();
    const g = guessMode(bytes);
    decoded = g.text;
    scope.postMessage({ kind: 'loaded', size: bytes.length, guess: g.guess });
  } else if (m.kind === 'view') {
    const v = view(m.mode);
    const rows = rowStarts(v.text);
    scope.postMessage({ kind: 'view', id: m.id, mode: m.mode, text: v.text, rows, error: v.error }, [rows.buffer]);
  } else if (m.kind === 'search') {
    const v = view(m.mode);
    const hay = (v.lower ??= v.text.toLowerCase());
    const needle = m.query.toLowerCase();
    const found: number[] = [];
    let total = 0;
    if (needle) {
      for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) {
        if (found.length < SEARCH_MAX) found.push(i);
        total++;
      }
    }
    const offsets = Uint32Array.from(found);
    scope.postMessage({ kind: 'search', id: m.id, query: m.query, offsets, total }, [offsets.buffer]);
  }
};
