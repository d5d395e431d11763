// Publish: topic (with history), QoS, retain, MQTT 5 properties and a monaco payload editor in text /
// JSON / hex / base64 / file mode. Ctrl+Enter (Cmd+Enter) sends.
import { useEffect, useMemo, useState } from 'react';
import { formatSize } from '../../app/bytes';
import { useApp } from '../../app/store';
import { CodeEditor, formatJsonText } from '../../ui/CodeEditor';
import { SplitPane } from '../../ui/SplitPane';
import { encodePayload } from './payload-encode';
import { checkDraft, publishDraft, type PublishErrors } from './publish-action';
import { PublishProperties } from './PublishProperties';
import { PublishSidebar } from './PublishSidebar';
import { convertPayload } from './payload-convert';
import { PropertyChips } from './PropertyChips';
import { RepeatControls } from './RepeatControls';
import './publish.css';
import { usePublish, type PayloadMode } from './publish-state';

const MODES: { id: PayloadMode; label: string }[] = [
  { id: 'text', label: 'Text' }, { id: 'json', label: 'JSON' }, { id: 'hex', label: 'Hex' }, { id: 'base64', label: 'Base64' }, { id: 'file', label: 'File' },
  { id: 'codec', label: 'Codec' },
];

export function PublishPanel({ sessionId }: { sessionId: string }) {
  const session = useApp((s) => s.sessions[sessionId]);
  const { draft, setDraft, file, setFile, topics, loaded, load } = usePublish();
  const [errors, setErrors] = useState<PublishErrors>({});
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [showProps, setShowProps] = useState(false);
  const [sending, setSending] = useState(false);
  const [pinned, setPinned] = useState(false);
  const [convertNote, setConvertNote] = useState('');
  useEffect(() => { if (!loaded) void load(); }, [loaded]);
  const v5 = session?.options.protocolVersion === 5;
  const enc = useMemo(() => encodePayload(draft.mode, draft.text, file?.bytes ?? null), [draft.mode, draft.text, file]);

  const send = async () => {
    if (sending) return;
    setSending(true);
    const r = await publishDraft(sessionId);
    setSending(false);
    // Properties apply to one message unless pinned.
    if (r.ok && !pinned && Object.keys(usePublish.getState().draft.props).length) setDraft({ props: {} });
    setErrors(r.errors);
    setResult({ ok: r.ok, text: r.text });
  };

  const live = (patch: Parameters<typeof setDraft>[0]) => {
    setDraft(patch);
    if (Object.keys(errors).length) setErrors(checkDraft({ ...draft, ...patch }, v5));
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void send(); }
  };

  const format = () => {
    try { setDraft({ text: formatJsonText(draft.text) }); setErrors({ ...errors, payload: '' }); } catch (e) { setErrors({ ...errors, payload: `Not valid JSON: ${(e as Error).message}` }); }
  };

  const payloadError = errors.payload || (draft.mode !== 'text' && draft.mode !== 'file' && draft.mode !== 'codec' && draft.text && !enc.ok ? enc.error : '');

  const editor = (
    <div className="panel publish-panel" data-testid="publish-panel" onKeyDown={onKeyDown}>
      <div className="toolbar wrap">
        <label className={'inline grow' + (errors.topic ? ' has-error' : '')}>Topic
          <input className="mono grow" list="topic-history" value={draft.topic} placeholder="e.g. sensors/kitchen/temp" data-testid="pub-topic"
            onChange={(e) => live({ topic: e.target.value })} />
        </label>
        <datalist id="topic-history">{topics.map((t) => <option key={t} value={t} />)}</datalist>
        <label className="inline">QoS
          <select value={draft.qos} onChange={(e) => live({ qos: Number(e.target.value) as 0 | 1 | 2 })} data-testid="pub-qos">
            <option value={0}>0</option><option value={1}>1</option><option value={2}>2</option>
          </select>
        </label>
        <label className="inline"><input type="checkbox" checked={draft.retain} onChange={(e) => live({ retain: e.target.checked })} data-testid="pub-retain" /> Retain</label>
        {v5 ? <button className={showProps ? 'small active' : 'small'} onClick={() => setShowProps(!showProps)} data-testid="pub-props-toggle">Properties{draft.props && Object.keys(draft.props).length ? ` (${Object.keys(draft.props).length})` : ''}</button> : null}
        {v5 ? <PropertyChips props={draft.props} pinned={pinned} onPin={setPinned} onChange={(props) => live({ props })} /> : null}
        <button className="primary" onClick={() => void send()} disabled={sending || !session} data-testid="pub-send" title="Publish (Ctrl+Enter)">Publish</button>
        <RepeatControls sessionId={sessionId} disabled={!session || session.state !== 'connected'} />
      </div>
      {errors.topic ? <div className="ferror pad-x" data-testid="pub-topic-error">{errors.topic}</div> : null}
      <div className="tabs small">
        {MODES.map((m) => (
          <button key={m.id} className={draft.mode === m.id ? 'tab active' : 'tab'} onClick={() => {
            const c = convertPayload(draft.mode, m.id, draft.text);
            setConvertNote(c.ok ? '' : c.why);
            live(c.ok ? { mode: m.id, text: c.text } : { mode: m.id });
          }} data-testid={`pub-mode-${m.id}`}>{m.label}</button>
        ))}
        {draft.mode === 'json' ? <button className="small" onClick={format} data-testid="pub-format">Format</button> : null}
        <span className="grow" />
        <span className={payloadError ? 'ferror' : 'muted small'} data-testid="pub-payload-status">
          {payloadError ? `${payloadError}${convertNote ? ` — ${convertNote}` : ''}` : (draft.mode === 'codec' ? "JSON, encoded by the topic's codec rule when sent (Topics → Codecs)" : enc.ok ? `${formatSize(enc.bytes.length)}${draft.mode === 'json' ? ' · valid JSON' : ''}` : '')}
        </span>
      </div>
      <div className="publish-editor">
        <div className="publish-payload">
          {draft.mode === 'file' ? (
            <div className="pad file-pick">
              <input type="file" data-testid="pub-file" onChange={async (e) => {
                const f = e.target.files?.[0];
                setFile(f ? { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) } : null);
              }} />
              {file ? <p data-testid="pub-file-info">{file.name} — {formatSize(file.bytes.length)} will be sent as-is.</p> : <p className="muted">Pick a file; its bytes are the payload.</p>}
            </div>
          ) : (
            <CodeEditor value={draft.text} language={draft.mode === 'json' || draft.mode === 'codec' ? 'json' : 'plaintext'} onChange={(text) => setDraft({ text })} onSubmit={() => void send()} testId="pub-editor" />
          )}
        </div>
        {showProps && v5 ? <PublishProperties props={draft.props} errors={errors} onChange={(props) => live({ props })} /> : null}
      </div>
      <div className={'publish-result ' + (result ? (result.ok ? 'ok' : 'error') : '')} data-testid="pub-result">
        {result?.text ?? (session?.state === 'connected' ? 'Ctrl+Enter publishes' : `${session?.options.name ?? 'This connection'} is not connected`)}
      </div>
    </div>
  );
  return (
    <SplitPane id="publish.sidebar" direction="row" initial={240} sizeSecond min={160}>
      {editor}
      <PublishSidebar />
    </SplitPane>
  );
}
