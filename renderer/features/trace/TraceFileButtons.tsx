// Save the trace to a .mqtrace file and open one (the web counterpart of Electron's File menu). In the
// browser the file travels as a plain HTTP stream (download link, upload with progress and cancel), never
// as base64 inside a contract message.
import { useRef, useState } from 'react';
import { base64ToBytes, bytesToBase64 } from '../../app/bytes';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { takeToken } from '../../app/transport';

export function TraceFileButtons() {
  const input = useRef<HTMLInputElement>(null);
  const { showToast } = useApp.getState();
  const web = useApp((s) => s.hostInfo?.host === 'web');
  const [upload, setUpload] = useState<{ name: string; done: number; total: number; xhr: XMLHttpRequest } | null>(null);

  const download = async (what: 'mqtrace' | 'pcap') => {
    try {
      const a = document.createElement('a');
      let frames: number;
      if (web) {
        frames = (await core().traceStats()).frames;
        a.href = `/trace/capture.${what}?token=${encodeURIComponent(takeToken() ?? '')}`;
      } else {
        const r = what === 'pcap' ? await core().traceExportPcap() : await core().traceExport();
        frames = r.frames;
        a.href = URL.createObjectURL(new Blob([base64ToBytes(r.fileB64) as BlobPart], { type: 'application/octet-stream' }));
        setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      }
      a.download = `capture-${new Date().toISOString().replace(/[:.]/g, '-')}.${what}`;
      a.click();
      showToast(`Saved ${frames.toLocaleString('en')} frames${what === 'pcap' ? ' as pcap (Wireshark: Decode As… MQTT for non-standard ports)' : ''}`);
    } catch (e) { showToast(`Could not save the trace: ${errorText(e)}`, 'error'); }
  };

  const opened = (name: string, stats: { frames: number; warning?: string }) => {
    // The core's traceReset event reloads the views (the Electron File menu relies on it too).
    if (stats.warning) showToast(`Opened ${name}: ${stats.frames.toLocaleString('en')} frames. Warning: ${stats.warning}`, 'error');
    else showToast(`Opened ${name}: ${stats.frames.toLocaleString('en')} frames`);
  };
  const failed = (name: string, why: string) => showToast(`Could not open ${name}: ${why} — the current trace is unchanged`, 'error');

  const uploadFile = (f: File) => {
    const xhr = new XMLHttpRequest();
    setUpload({ name: f.name, done: 0, total: f.size, xhr });
    xhr.open('POST', `/trace/open?token=${encodeURIComponent(takeToken() ?? '')}`);
    xhr.upload.onprogress = (e) => setUpload((u) => (u ? { ...u, done: e.loaded } : u));
    xhr.onload = () => {
      setUpload(null);
      let body: { error?: string; frames?: number; warning?: string } = {};
      try { body = JSON.parse(xhr.responseText); } catch { body = { error: xhr.responseText.trim() || `HTTP ${xhr.status}` }; }
      if (xhr.status === 200) opened(f.name, body as { frames: number; warning?: string });
      else failed(f.name, body.error ?? `HTTP ${xhr.status}`);
    };
    xhr.onerror = () => { setUpload(null); failed(f.name, 'the upload to the core failed'); };
    xhr.onabort = () => { setUpload(null); showToast(`Opening ${f.name} cancelled — the current trace is unchanged`); };
    xhr.send(f);
  };

  const open = async (f: File | undefined) => {
    if (!f) return;
    if (web) uploadFile(f);
    else {
      try { opened(f.name, await core().traceImport({ fileB64: bytesToBase64(new Uint8Array(await f.arrayBuffer())) })); } catch (e) { failed(f.name, errorText(e)); }
    }
    if (input.current) input.current.value = '';
  };

  return (
    <>
      <button className="small" onClick={() => void download('mqtrace')} data-testid="trace-save" title="Save the trace as a .mqtrace file">Save…</button>
      <button className="small" onClick={() => void download('pcap')} data-testid="trace-export-pcap" title="Export as pcap for Wireshark or tshark (one TCP segment per MQTT frame)">pcap…</button>
      {upload ? (
        <span className="upload" data-testid="trace-open-progress">
          <progress max={upload.total || 1} value={upload.done} /> {Math.round((100 * upload.done) / (upload.total || 1))} %
          <button className="small" onClick={() => upload.xhr.abort()} data-testid="trace-open-cancel">Cancel</button>
        </span>
      ) : (
        <button className="small" onClick={() => input.current?.click()} data-testid="trace-open" title="Open a .mqtrace file (replaces the current trace)">Open…</button>
      )}
      <input ref={input} type="file" accept=".mqtrace" hidden data-testid="trace-open-file" onChange={(e) => void open(e.target.files?.[0])} />
    </>
  );
}
