// Shows a payload as text / JSON / hex / base64. Never truncates: text goes into monaco (which handles
// megabytes), hex is virtualized. Picks a sensible first mode from the bytes.
import { useMemo, useState } from 'react';
import { bytesToBase64, formatSize, looksLikeText, utf8Decode } from '../app/bytes';
import { CodeEditor } from './CodeEditor';
import { HexView } from './HexView';

export type PayloadMode = 'text' | 'json' | 'hex' | 'base64';

function guessMode(bytes: Uint8Array): PayloadMode {
  if (bytes.length === 0) return 'text';
  if (!looksLikeText(bytes)) return 'hex';
  const t = utf8Decode(bytes).trim();
  if ((t.startsWith('{') || t.startsWith('[')) && jsonOk(t)) return 'json';
  return 'text';
}

function jsonOk(t: string): boolean {
  try { JSON.parse(t); return true; } catch { return false; }
}

export function PayloadView({ bytes, testId = 'payload' }: { bytes: Uint8Array; testId?: string }) {
  const [mode, setMode] = useState<PayloadMode>(() => guessMode(bytes));
  const text = useMemo(() => (mode === 'text' || mode === 'json' ? utf8Decode(bytes) : ''), [bytes, mode]);
  const json = useMemo(() => {
    if (mode !== 'json') return null;
    try { return { ok: true as const, text: JSON.stringify(JSON.parse(text), null, 2) }; } catch (e) { return { ok: false as const, error: (e as Error).message }; }
  }, [text, mode]);
  const b64 = useMemo(() => (mode === 'base64' ? bytesToBase64(bytes) : ''), [bytes, mode]);

  return (
    <div className="payload-view" data-testid={testId} data-mode={mode} data-size={bytes.length}>
      <div className="tabs small">
        {(['text', 'json', 'hex', 'base64'] as PayloadMode[]).map((m) => (
          <button key={m} className={m === mode ? 'tab active' : 'tab'} onClick={() => setMode(m)} data-testid={`${testId}-mode-${m}`}>
            {m === 'json' ? 'JSON' : m === 'hex' ? 'Hex' : m === 'base64' ? 'Base64' : 'Text'}
          </button>
        ))}
        <span className="grow" />
        <span className="muted small" data-testid={`${testId}-size`}>{bytes.length.toLocaleString('en')} bytes{bytes.length >= 1024 ? ` (${formatSize(bytes.length)})` : ''}, shown in full</span>
      </div>
      <div className="payload-body">
        {mode === 'text' ? <CodeEditor value={text} readOnly testId={`${testId}-text`} /> : null}
        {mode === 'json' && json?.ok ? <CodeEditor value={json.text} language="json" readOnly testId={`${testId}-json`} /> : null}
        {mode === 'json' && json && !json.ok ? <div className="notice error" data-testid={`${testId}-json-error`}>Not valid JSON: {json.error}</div> : null}
        {mode === 'hex' ? <HexView bytes={bytes} testId={`${testId}-hex`} /> : null}
        {mode === 'base64' ? <CodeEditor value={b64} readOnly testId={`${testId}-base64`} /> : null}
      </div>
      <pre className="sr-only" data-testid={`${testId}-raw`}>{bytes.length <= 64 * 1024 && looksLikeText(bytes) ? utf8Decode(bytes) : ''}</pre>
    </div>
  );
}
