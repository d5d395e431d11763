// Put a hand-written packet on the session's connection: hex bytes exactly as typed, or a packet type and
// its fields encoded by the core with mqtt-packet. What went out shows in the Trace like any other frame.
import { useState } from 'react';
import type { RawPacketFields } from '../../../shared/contract/types';
import { parseHex } from '../../../shared/mqtt/payload/hex';
import { bytesToBase64, base64ToBytes } from '../../../shared/util/base64';
import { core, errorText } from '../../app/core';
import { RAW_TEMPLATES } from './raw-templates';

type Mode = 'fields' | 'hex';
const CMDS = Object.keys(RAW_TEMPLATES) as RawPacketFields['cmd'][];
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** The request to send, or what is wrong with the input, in plain words. */
function build(mode: Mode, hexText: string, cmd: RawPacketFields['cmd'], json: string): { bytesB64: string } | { packet: RawPacketFields } | string {
  if (mode === 'hex') {
    const r = parseHex(hexText);
    if (!r.ok) return `hex: ${r.error}`;
    if (!r.bytes.length) return 'type at least one byte, e.g. c0 00 (PINGREQ)';
    return { bytesB64: bytesToBase64(r.bytes) };
  }
  let fields: unknown;
  try { fields = json.trim() ? JSON.parse(json) : {}; } catch (e) { return `fields are not valid JSON: ${errorText(e)}`; }
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return 'fields must be a JSON object, e.g. {"messageId": 1}';
  return { packet: { ...(fields as Record<string, unknown>), cmd } };
}

export function RawSender({ sessionId, onClose }: { sessionId: string; onClose(): void }) {
  const [mode, setMode] = useState<Mode>('fields');
  const [hexText, setHex] = useState('c0 00');
  const [cmd, setCmd] = useState<RawPacketFields['cmd']>('publish');
  const [json, setJson] = useState(JSON.stringify(RAW_TEMPLATES.publish, null, 2));
  const [error, setError] = useState('');
  const [sent, setSent] = useState('');
  const req = build(mode, hexText, cmd, json);
  const invalid = typeof req === 'string' ? req : '';

  const pick = (c: RawPacketFields['cmd']) => {
    setCmd(c);
    setJson(JSON.stringify(RAW_TEMPLATES[c], null, 2));
  };
  const send = async () => {
    if (typeof req === 'string') return;
    setError('');
    try {
      const r = await core().sessionSendRaw({ id: sessionId, ...req });
      setSent(`Sent ${r.length} byte(s): ${hex(base64ToBytes(r.bytesB64)).slice(0, 300)}`);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal raw-sender" role="dialog" aria-label="Send a raw packet" data-testid="raw-sender" onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
        <h3>Send a raw packet</h3>
        <div className="modal-body">
          <div className="mode">
            <button className={mode === 'fields' ? 'small primary' : 'small'} onClick={() => setMode('fields')} data-testid="raw-mode-fields">Fields</button>
            <button className={mode === 'hex' ? 'small primary' : 'small'} onClick={() => setMode('hex')} data-testid="raw-mode-hex">Hex bytes</button>
          </div>
          {mode === 'hex' ? (
            <>
              <p className="muted small">Written to the connection exactly as typed, valid MQTT or not.</p>
              <textarea value={hexText} onChange={(e) => setHex(e.target.value)} spellCheck={false} data-testid="raw-hex" />
            </>
          ) : (
            <>
              <label className="provoke-line">Packet
                <select value={cmd} onChange={(e) => pick(e.target.value as RawPacketFields['cmd'])} data-testid="raw-cmd">
                  {CMDS.map((c) => <option key={c} value={c}>{c.toUpperCase()}</option>)}
                </select>
                <span className="muted small">fields as mqtt-packet names them; binary as base64 in “…B64”</span>
              </label>
              <textarea value={json} onChange={(e) => setJson(e.target.value)} spellCheck={false} data-testid="raw-fields" />
            </>
          )}
          {invalid ? <div className="ferror" data-testid="raw-invalid">{invalid}</div> : null}
          {error ? <div className="ferror" data-testid="raw-error">{error}</div> : null}
          {sent ? <div className="small mono" data-testid="raw-sent">{sent}</div> : null}
        </div>
        <div className="modal-actions">
          <button onClick={onClose} data-testid="raw-close">Close</button>
          <button className="primary" disabled={!!invalid} onClick={() => void send()} data-testid="raw-send">Send</button>
        </div>
      </div>
    </div>
  );
}
