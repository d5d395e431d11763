// Save the shown trace document to a .mqtrace (or pcap) file and open one as a document of its own. Never
// base64 inside a contract message: in the browser the file travels as a plain HTTP stream (download link,
// upload with progress and cancel); in the desktop app the user picks the file in a native dialog and core
// reads or writes it streamed, with progress and cancel over the contract (use-trace-file-transfer.ts).
import { useRef, useState } from 'react';
import type { TraceDocInfo } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { takeToken } from '../../app/transport';
import { LIVE_DOC } from './trace-slice';
import { dialogClosed, useTraceFileTransfer, wasCancelled } from './use-trace-file-transfer';

export function TraceFileButtons() {
  const input = useRef<HTMLInputElement>(null);
  const doc = useApp((s) => s.traceDoc);
  const web = useApp((s) => s.hostInfo?.host === 'web');
  const { showToast, setTraceDocs, showTraceDoc } = useApp.getState();
  const [upload, setUpload] = useState<{ name: string; done: number; total: number; xhr: XMLHttpRequest } | null>(null);
  const byPath = useTraceFileTransfer();
  const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

  const saved = (frames: number, what: 'mqtrace' | 'pcap', where = '') =>
    showToast(`Saved ${frames.toLocaleString('en')} frames${where}${what === 'pcap' ? ' as pcap (Wireshark: Decode As… MQTT for non-standard ports)' : ''}`);

  const download = async (what: 'mqtrace' | 'pcap') => {
    const which = doc === LIVE_DOC ? undefined : { doc };
    if (!web) {
      try {
        const r = await byPath.run('Saving', (transfer) => core().traceFileSave({ saveFile: `capture-${stamp()}.${what}`, transfer, format: what, ...which }));
        saved(r.frames, what, ` to ${r.path}`);
        if (r.evicted > 0) {
          showToast(`${r.evicted.toLocaleString('en')} older frames were evicted by the trace budget while saving and are not in the file`, 'error');
        }
      } catch (e) {
        if (wasCancelled(e)) showToast('Saving cancelled — no file was written or replaced');
        else if (!dialogClosed(e)) showToast(`Could not save the trace: ${errorText(e)}`, 'error');
      }
      return;
    }
    try {
      const a = document.createElement('a');
      const frames = (await core().traceStats(which)).frames;
      const q = new URLSearchParams({ token: takeToken() ?? '', ...(which ?? {}) });
      a.href = `/trace/capture.${what}?${q}`;
      a.download = `capture-${stamp()}.${what}`;
      a.click();
      saved(frames, what);
    } catch (e) { showToast(`Could not save the trace: ${errorText(e)}`, 'error'); }
  };

  // A document of its own, beside the live capture (which goes on untouched).
  const opened = async (name: string, info: TraceDocInfo) => {
    setTraceDocs(await core().traceDocs());
    showTraceDoc(info.id);
    const text = `Opened ${name}: ${info.stats.frames.toLocaleString('en')} frames`;
    if (info.warning) showToast(`${text}. Warning: ${info.warning}`, 'error');
    else showToast(text);
  };
  const failed = (name: string, why: string) => showToast(`Could not open ${name}: ${why} — nothing was changed`, 'error');

  const uploadFile = (f: File) => {
    const xhr = new XMLHttpRequest();
    setUpload({ name: f.name, done: 0, total: f.size, xhr });
    xhr.open('POST', `/trace/open?${new URLSearchParams({ token: takeToken() ?? '', name: f.name })}`);
    xhr.upload.onprogress = (e) => setUpload((u) => (u ? { ...u, done: e.loaded } : u));
    xhr.onload = () => {
      setUpload(null);
      let body: Partial<TraceDocInfo> & { error?: string } = {};
      try { body = JSON.parse(xhr.responseText); } catch { body = { error: xhr.responseText.trim() || `HTTP ${xhr.status}` }; }
      if (xhr.status === 200) void opened(f.name, body as TraceDocInfo);
      else failed(f.name, body.error ?? `HTTP ${xhr.status}`);
    };
    xhr.onerror = () => { setUpload(null); failed(f.name, 'the upload to the core failed'); };
    xhr.onabort = () => { setUpload(null); showToast(`Opening ${f.name} cancelled — nothing was changed`); };
    xhr.send(f);
  };

  const open = (f: File | undefined) => {
    if (!f) return;
    uploadFile(f);
    if (input.current) input.current.value = '';
  };

  // Desktop: the shell's dialog picks the file (the suggested name only fills it in).
  const openByPath = async () => {
    try {
      const info = await byPath.run('Opening', (transfer) => core().traceFileOpen({ openFile: 'capture.mqtrace', transfer }));
      await opened(info.name, info);
    } catch (e) {
      if (wasCancelled(e)) showToast('Opening cancelled — nothing was changed');
      else if (!dialogClosed(e)) failed('the trace file', errorText(e));
    }
  };
  const running = byPath.running;

  return (
    <>
      <button className="small" disabled={running !== null} onClick={() => void download('mqtrace')} data-testid="trace-save" title="Save the trace shown as a .mqtrace file">Save…</button>
      <button className="small" disabled={running !== null} onClick={() => void download('pcap')} data-testid="trace-export-pcap" title="Export as pcap for Wireshark or tshark (one TCP segment per MQTT frame)">pcap…</button>
      {running ? (
        <span className="upload" data-testid="trace-file-progress">
          {running.progress ? (
            <>
              {running.verb} <progress max={running.progress.total || 1} value={running.progress.done} /> {Math.round((100 * running.progress.done) / (running.progress.total || 1))} %
              <button className="small" onClick={byPath.cancel} data-testid="trace-file-cancel">Cancel</button>
            </>
          ) : <>{running.verb}…</>}
        </span>
      ) : upload ? (
        <span className="upload" data-testid="trace-open-progress">
          <progress max={upload.total || 1} value={upload.done} /> {Math.round((100 * upload.done) / (upload.total || 1))} %
          <button className="small" onClick={() => upload.xhr.abort()} data-testid="trace-open-cancel">Cancel</button>
        </span>
      ) : (
        <button className="small" onClick={() => (web ? input.current?.click() : void openByPath())} data-testid="trace-open" title="Open a .mqtrace file in its own tab (the live capture goes on)">Open…</button>
      )}
      <input ref={input} type="file" accept=".mqtrace" hidden data-testid="trace-open-file" onChange={(e) => void open(e.target.files?.[0])} />
    </>
  );
}
