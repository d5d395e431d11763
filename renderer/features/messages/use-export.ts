// Exports the messages the list shows (search/filter applied) with each payload decoded by its topic's
// codec in core, in batches, with progress and cancel; the file is built as Blob parts, never one string.
import { useRef, useState } from 'react';
import type { FrameSummary } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { EXTENSION, formatRow, header, isoMicros, MIME, type ExportFormat } from './export-format';

const BATCH = 200;

export interface ExportState { running: boolean; done: number; total: number; error: string | null }

type Run = (format: ExportFormat, count: number, get: (i: number) => FrameSummary | undefined, all?: () => Promise<FrameSummary[]>) => Promise<void>;

/** `all`: the rows of a paged list (a search), fetched whole; otherwise rows 0…count-1 of `get`. */
export function useExport(): { state: ExportState; run: Run; cancel(): void } {
  const [state, setState] = useState<ExportState>({ running: false, done: 0, total: 0, error: null });
  const cancelled = useRef(false);

  const run: Run = async (format, count, get, all) => {
    // Snapshot the rows first: the live list keeps growing while the export runs.
    const frames: FrameSummary[] = [];
    if (all) {
      setState({ running: true, done: 0, total: count, error: null });
      try { frames.push(...await all()); } catch (e) { setState((s) => ({ ...s, running: false, error: errorText(e) })); return; }
    } else for (let i = 0; i < count; i++) { const f = get(i); if (f) frames.push(f); }
    cancelled.current = false;
    setState({ running: true, done: 0, total: frames.length, error: null });
    const parts: string[] = [header(format)];
    try {
      for (let i = 0; i < frames.length; i += BATCH) {
        if (cancelled.current) { setState((s) => ({ ...s, running: false })); return; }
        const slice = frames.slice(i, i + BATCH);
        const previews = await core().payloadPreview({ seqs: slice.map((f) => f.seq), full: true });
        let chunk = '';
        slice.forEach((f, k) => {
          const p = previews[k];
          chunk += formatRow(format, {
            seq: f.seq, time: isoMicros(f.wallMs), topic: f.topic ?? '', qos: f.qos ?? 0, retain: !!f.retain, dup: !!f.dup,
            size: f.payloadSize ?? 0, codec: p.gone ? '' : p.codec, payload: p.gone ? '' : p.text,
            ...(p.gone ? { error: 'payload no longer in the trace (evicted by the budget)' } : p.error ? { error: `${p.error}; payload shown as hex` } : {}),
          });
        });
        parts.push(chunk);
        setState((s) => ({ ...s, done: Math.min(frames.length, i + BATCH) }));
      }
      const blob = new Blob(parts, { type: `${MIME[format]};charset=utf-8` });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `mqscope-messages-${new Date().toISOString().replace(/[:.]/g, '-')}${format === 'excel' ? '-excel' : ''}.${EXTENSION[format]}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      setState((s) => ({ ...s, running: false, done: frames.length }));
    } catch (e) {
      setState((s) => ({ ...s, running: false, error: errorText(e) }));
    }
  };
  return { state, run, cancel: () => { cancelled.current = true; } };
}
