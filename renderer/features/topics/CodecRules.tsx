// Which codec reads which topics: ordered MQTT-filter rules (first match wins, else auto: Sparkplug B on
// spBv1.0/…, then JSON / text / hex by content) and the .proto text Protobuf rules use. Saved in core.
import { useEffect, useState } from 'react';
import { CODEC_IDS, WRAPS, type CodecRule } from '../../../shared/codecs/types';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { forgetPreviews } from '../messages/use-row-previews';

const LABELS: Record<string, string> = {
  auto: 'auto', text: 'Text', json: 'JSON', hex: 'Hex', base64: 'Base64', cbor: 'CBOR', msgpack: 'MessagePack', protobuf: 'Protobuf', sparkplug: 'Sparkplug B',
};

export function CodecRules() {
  const [rules, setRules] = useState<CodecRule[]>([]);
  const [protoText, setProtoText] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const showToast = useApp((s) => s.showToast);

  useEffect(() => {
    core().codecSettings().then((s) => { setRules(s.rules); setProtoText(s.protoText); setTypes(s.protoTypes); }, (e) => setError(errorText(e)));
  }, []);

  const change = (i: number, patch: Partial<CodecRule>) => { setRules(rules.map((r, k) => (k === i ? { ...r, ...patch } : r))); setDirty(true); };
  const save = async () => {
    try {
      const clean = rules.map((r) => ({ pattern: r.pattern.trim(), codec: r.codec, ...(r.wrap ? { wrap: r.wrap } : {}), ...(r.codec === 'protobuf' && r.messageType ? { messageType: r.messageType } : {}) }));
      const s = await core().codecSettingsSet({ rules: clean, protoText });
      setRules(s.rules);
      setTypes(s.protoTypes);
      setError(null);
      setDirty(false);
      forgetPreviews();
      showToast('Codec rules saved');
    } catch (e) {
      setError(errorText(e));
    }
  };
  const loadFile = async (file: File | undefined) => {
    if (!file) return;
    setProtoText(await file.text());
    setDirty(true);
  };

  return (
    <div className="codec-rules" data-testid="codec-rules">
      <p className="fhint">Topic pattern (MQTT filter, + and #) → codec; the first matching rule wins, otherwise <b>auto</b>: Sparkplug B on <span className="mono">spBv1.0/…</span>, else JSON, text or hex by content. Used for previews, charts and publishing.</p>
      <table className="rules-table">
        <thead><tr><th>Pattern</th><th>Codec</th><th>Wrapped in</th><th>Message type</th><th /></tr></thead>
        <tbody>
          {rules.map((r, i) => (
            <tr key={i} data-testid="codec-rule">
              <td><input className="mono" value={r.pattern} onChange={(e) => change(i, { pattern: e.target.value })} placeholder="plant/+/cbor" data-testid={`codec-pattern-${i}`} /></td>
              <td>
                <select value={r.codec} onChange={(e) => change(i, { codec: e.target.value as CodecRule['codec'] })} data-testid={`codec-codec-${i}`}>
                  {CODEC_IDS.map((c) => <option key={c} value={c}>{LABELS[c]}</option>)}
                </select>
              </td>
              <td>
                <select value={r.wrap ?? ''} onChange={(e) => change(i, { wrap: (e.target.value || undefined) as CodecRule['wrap'] })} data-testid={`codec-wrap-${i}`}>
                  <option value="">nothing</option>
                  {WRAPS.map((w) => <option key={w} value={w}>{w}</option>)}
                </select>
              </td>
              <td>
                {r.codec === 'protobuf' ? (
                  <select value={r.messageType ?? ''} onChange={(e) => change(i, { messageType: e.target.value })} data-testid={`codec-type-${i}`}>
                    <option value="">{types.length ? 'choose…' : 'load a .proto first'}</option>
                    {types.map((t) => <option key={t} value={t}>{t}</option>)}
                  </select>
                ) : <span className="muted">–</span>}
              </td>
              <td><button className="icon" onClick={() => { setRules(rules.filter((_, k) => k !== i)); setDirty(true); }} title="Remove this rule" aria-label="Remove rule">×</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="toolbar" style={{ borderBottom: 'none' }}>
        <button className="small" onClick={() => { setRules([...rules, { pattern: '', codec: 'json' }]); setDirty(true); }} data-testid="codec-add">Add rule</button>
        <span className="grow" />
        <button className="primary small" disabled={!dirty} onClick={() => void save()} data-testid="codec-save">Save</button>
      </div>
      {error ? <div className="notice error" data-testid="codec-error">{error}</div> : null}
      <div className="panel-head">.proto for Protobuf rules {types.length ? <span className="keep-case muted">({types.length} message types)</span> : null}</div>
      <div className="toolbar">
        <input type="file" accept=".proto,text/plain" onChange={(e) => void loadFile(e.target.files?.[0])} data-testid="codec-proto-file" />
      </div>
      <textarea className="mono proto-text" value={protoText} onChange={(e) => { setProtoText(e.target.value); setDirty(true); }}
        placeholder={'syntax = "proto3";\nmessage Reading { double value = 1; }'} spellCheck={false} data-testid="codec-proto" />
    </div>
  );
}
