// Save the trace to a .mqtrace file and open one (the web counterpart of Electron's File menu).
import { useRef } from 'react';
import { base64ToBytes, bytesToBase64 } from '../../app/bytes';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { LIVE_DOC } from './trace-slice';

export function TraceFileButtons() {
  const input = useRef<HTMLInputElement>(null);
  const doc = useApp((s) => s.traceDoc);
  const { showToast, setTraceDocs, showTraceDoc } = useApp.getState();

  const download = async (what: 'mqtrace' | 'pcap') => {
    try {
      const which = doc === LIVE_DOC ? undefined : { doc };
      const { fileB64, frames } = what === 'pcap' ? await core().traceExportPcap(which) : await core().traceExport(which);
      const url = URL.createObjectURL(new Blob([base64ToBytes(fileB64) as BlobPart], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `capture-${new Date().toISOString().replace(/[:.]/g, '-')}.${what}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      showToast(`Saved ${frames.toLocaleString('en')} frames${what === 'pcap' ? ' as pcap (Wireshark: Decode As… MQTT for non-standard ports)' : ''}`);
    } catch (e) { showToast(`Could not save the trace: ${errorText(e)}`, 'error'); }
  };

  const open = async (f: File | undefined) => {
    if (!f) return;
    try {
      // A document of its own, beside the live capture (which goes on untouched).
      const opened = await core().traceOpen({ fileB64: bytesToBase64(new Uint8Array(await f.arrayBuffer())), name: f.name });
      setTraceDocs(await core().traceDocs());
      showTraceDoc(opened.id);
      showToast(`Opened ${f.name}: ${opened.stats.frames.toLocaleString('en')} frames${opened.warning ? ` (${opened.warning})` : ''}`);
    } catch (e) { showToast(`Could not open ${f.name}: ${errorText(e)} — nothing was changed`, 'error'); }
    if (input.current) input.current.value = '';
  };

  return (
    <>
      <button className="small" onClick={() => void download('mqtrace')} data-testid="trace-save" title="Save the trace as a .mqtrace file">Save…</button>
      <button className="small" onClick={() => void download('pcap')} data-testid="trace-export-pcap" title="Export as pcap for Wireshark or tshark (one TCP segment per MQTT frame)">pcap…</button>
      <button className="small" onClick={() => input.current?.click()} data-testid="trace-open" title="Open a .mqtrace file in its own tab (the live capture goes on)">Open…</button>
      <input ref={input} type="file" accept=".mqtrace" hidden data-testid="trace-open-file" onChange={(e) => void open(e.target.files?.[0])} />
    </>
  );
}
