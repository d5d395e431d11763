// Save the shown trace document to a .mqtrace (or pcap) file and open one as a document of its own (the web
// counterpart of Electron's File menu). In the browser the file travels as a plain HTTP stream (download
// link, upload with progress and cancel), never as base64 inside a contract message.
import { useRef, useState } from 'react';
import type { TraceDocInfo } from '../../../shared/contract/types';
import { base64ToBytes, bytesToBase64 } from '../../app/bytes';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { takeToken } from '../../app/transport';
import { LIVE_DOC } from './trace-slice';

export function TraceFileButtons() {
  const input = useRef<HTMLInputElement>(null);
  const doc = useApp((s) => s.traceDoc);
  const web = useApp((s) => s.hostInfo?.host === 'web');
  const { showToast, setTraceDocs, showTraceDoc } = useApp.getState();
  const [upload, setUpload] = useState<{ name: string; done: number; total: number; xhr: XMLHttpRequest } | null>(null);

  const download = async (what: 'mqtrace' | 'pcap') => {
    try {
      const which = doc === LIVE_DOC ? undefined : { doc };
      const a = document.createElement('a');
      let frames: number;
      if (web) {
        frames = (await core().traceStats(which)).frames;
        const q = new URLSearchParams({ token: takeToken() ?? '', ...(which ?? {}) });
        a.href = `/trace/capture.${what}?${q}`;
      } else {
        const r = what === 'pcap' ? await core().traceExportPcap(which) : await core().traceExport(which);
        frames = r.frames;
        a.href = URL.createObjectURL(new Blob([base64ToBytes(r.fileB64) as BlobPart], { type: 'application/octet-stream' }));
        setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      }
      a.download = `capture-${new Date().toISOString().replace(/[:.]/g, '-')}.${what}`;
      a.click();
      showToast(`Saved ${frames.toLocaleString('en')} frames${what === 'pcap' ? ' as pcap (Wireshark: Decode As… MQTT for non-standard ports)' : ''}`);
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

  const open = async (f: File | undefined) => {
    if (!f) return;
    if (web) uploadFile(f);
    else {
      try {
        await opened(f.name, await core().traceOpen({ fileB64: bytesToBase64(new Uint8Array(await f.arrayBuffer())), name: f.name }));
      } catch (e) { failed(f.name, errorText(e)); }
    }
    if (input.current) input.current.value = '';
  };

  return (
    <>
      <button className="small" onClick={() => void download('mqtrace')} data-testid="trace-save" title="Save the trace shown as a .mqtrace file">Save…</button>
      <button className="small" onClick={() => void download('pcap')} data-testid="trace-export-pcap" title="Export as pcap for Wireshark or tshark (one TCP segment per MQTT frame)">pcap…</button>
      {upload ? (
        <span className="upload" data-testid="trace-open-progress">
          <progress max={upload.total || 1} value={upload.done} /> {Math.round((100 * upload.done) / (upload.total || 1))} %
          <button className="small" onClick={() => upload.xhr.abort()} data-testid="trace-open-cancel">Cancel</button>
        </span>
      ) : (
        <button className="small" onClick={() => input.current?.click()} data-testid="trace-open" title="Open a .mqtrace file in its own tab (the live capture goes on)">Open…</button>
      )}
      <input ref={input} type="file" accept=".mqtrace" hidden data-testid="trace-open-file" onChange={(e) => void open(e.target.files?.[0])} />
    </>
  );
}
