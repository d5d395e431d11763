// The desktop app's in-page Open…/Save…: the page only suggests a file name; the shell asks the user in a
// native dialog, core reads or writes the chosen file streamed, and progress and cancel travel over the
// contract (traceFileProgress, traceFileCancel). Nothing of the file passes through the page.
import { useState } from 'react';
import type { TraceFileProgress } from '../../../shared/contract/types';
import { core, onCoreEvent } from '../../app/core';

export interface TraceFileTransfer {
  transfer: string;
  verb: 'Opening' | 'Saving';
  /** null until core has started on the file (the user may still be in the dialog). */
  progress: TraceFileProgress | null;
}

let nextTransfer = 1;

export function useTraceFileTransfer() {
  const [running, setRunning] = useState<TraceFileTransfer | null>(null);
  const run = async <T>(verb: TraceFileTransfer['verb'], call: (transfer: string) => Promise<T>): Promise<T> => {
    const transfer = `${verb.toLowerCase()}-${Date.now().toString(36)}-${nextTransfer++}`;
    setRunning({ transfer, verb, progress: null });
    const off = onCoreEvent('traceFileProgress', (p) => { if (p.transfer === transfer) setRunning({ transfer, verb, progress: p }); });
    try {
      return await call(transfer);
    } finally {
      off();
      setRunning(null);
    }
  };
  const cancel = () => { if (running) void core().traceFileCancel({ transfer: running.transfer }); };
  return { running, run, cancel };
}

/** The user closing the shell's file dialog is not an error worth a red toast. */
export function dialogClosed(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === 'declined' && /you did not (confirm|choose)/.test(err.message ?? '');
}

export function wasCancelled(e: unknown): boolean {
  return (e as { code?: string })?.code === 'cancelled';
}
