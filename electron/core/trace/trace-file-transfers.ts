// Trace files by path through the contract (the desktop app's in-page Open…/Save…): core reads or writes the
// file streamed, tells how far it got with traceFileProgress and stops on traceFileCancel. Nothing of the
// file crosses the contract, so its size is not bounded by a message limit and memory holds one piece.
//
// Where the path comes from matters: in the desktop app it is the file the user chose in a native dialog
// (electron/main/consent.ts replaces the page's suggestion with it before the call reaches core). The web
// host cannot ask anyone, and a page must not make it read or overwrite files by name, so there these
// methods are refused; the browser moves files as HTTP streams instead (electron/web/trace-transfer.ts).
import { basename } from 'node:path';
import type { HostInfo, TraceDocInfo, TraceFileProgress } from '../../../shared/contract/types';
import { ContractError } from '../../../shared/contract/errors';
import type { ParamsOf } from '../../../shared/contract/schemas';
import type { DocumentRegistry } from './documents';
import { pcapParts } from './pcap-export';
import { TraceReadCancelled } from './trace-reader';
import { TraceWriteCancelled, writeFramesBeside, writeTraceFile } from './trace-io';

/** Progress events per transfer at most this often (plus one at the end). */
const PROGRESS_EVERY_MS = 100;

export interface TraceFileTransfersDeps {
  host: HostInfo['host'];
  documents: DocumentRegistry;
  progress(p: TraceFileProgress): void;
  opened(info: TraceDocInfo): void;
}

export function traceFileTransfers(deps: TraceFileTransfersDeps) {
  const running = new Map<string, AbortController>();

  const run = async <T>(method: string, transfer: string, unit: TraceFileProgress['unit'], work: (signal: AbortSignal, onProgress: (done: number, total: number) => void) => Promise<T>): Promise<T> => {
    if (deps.host === 'web') {
      throw new ContractError('unsupported', `${method}: the web host does not open or write files by name; Open… and Save… in the browser move the file over HTTP`);
    }
    if (running.has(transfer)) throw new ContractError('bad-params', `${method}: transfer "${transfer}" is already running`);
    const abort = new AbortController();
    running.set(transfer, abort);
    let last = 0;
    let latest: TraceFileProgress | null = null;
    const onProgress = (done: number, total: number) => {
      latest = { transfer, done, total, unit };
      const now = performance.now();
      if (now - last >= PROGRESS_EVERY_MS) { last = now; deps.progress(latest); latest = null; }
    };
    try {
      const r = await work(abort.signal, onProgress);
      if (latest) deps.progress(latest);
      return r;
    } catch (e) {
      if (e instanceof TraceReadCancelled || e instanceof TraceWriteCancelled || abort.signal.aborted) {
        throw new ContractError('cancelled', `${method}: cancelled, nothing was changed`);
      }
      throw e;
    } finally {
      running.delete(transfer);
    }
  };

  return {
    methods: {
      traceFileOpen: async ({ openFile, transfer }: ParamsOf<'traceFileOpen'>): Promise<TraceDocInfo> => {
        const info = await run('traceFileOpen', transfer, 'bytes', async (signal, onProgress) =>
          (await deps.documents.open(openFile, basename(openFile), { signal, onProgress })).info());
        deps.opened(info);
        return info;
      },
      traceFileSave: async ({ saveFile, transfer, format, doc }: ParamsOf<'traceFileSave'>) => {
        const recorder = deps.documents.get(doc).recorder;
        const written = await run('traceFileSave', transfer, 'frames', async (signal, onProgress) => {
          if (format !== 'pcap') return writeTraceFile(recorder, saveFile, { signal, onProgress });
          // pcap in pieces of about 1 MiB, written as they are made (the broker runs between writes).
          return writeFramesBeside(recorder, saveFile, (skipped) => pcapParts(recorder, skipped), 1, { signal, onProgress });
        });
        return { ...written, path: saveFile };
      },
      traceFileCancel: async ({ transfer }: ParamsOf<'traceFileCancel'>) => {
        const abort = running.get(transfer);
        abort?.abort();
        return { cancelled: abort !== undefined };
      },
    },
    dispose(): void {
      for (const abort of running.values()) abort.abort();
    },
  };
}
