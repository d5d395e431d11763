// Saved publish templates and the publish history; clicking one loads it into the editor.
import { useState } from 'react';
import { usePublish } from './publish-state';

export function PublishSidebar() {
  const { templates, history, saveTemplate, deleteTemplate, clearHistory, setDraft, draft } = usePublish();
  const [tab, setTab] = useState<'templates' | 'history'>('templates');
  const [name, setName] = useState('');
  return (
    <div className="panel publish-sidebar" data-testid="publish-sidebar">
      <div className="tabs small">
        <button className={tab === 'templates' ? 'tab active' : 'tab'} onClick={() => setTab('templates')} data-testid="pub-tab-templates">Templates ({templates.length})</button>
        <button className={tab === 'history' ? 'tab active' : 'tab'} onClick={() => setTab('history')} data-testid="pub-tab-history">History ({history.length})</button>
      </div>
      {tab === 'templates' ? (
        <>
          <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (name.trim()) { void saveTemplate(name.trim()); setName(''); } }}>
            <input placeholder={draft.topic ? `Name for “${draft.topic}”` : 'Template name'} value={name} onChange={(e) => setName(e.target.value)} data-testid="pub-template-name" />
            <button type="submit" className="small" disabled={!name.trim()} data-testid="pub-template-save">Save current</button>
          </form>
          <ul className="list compact" data-testid="pub-templates">
            {templates.length === 0 ? <li className="muted">No templates yet. Fill in a message and save it here.</li> : null}
            {templates.map((t) => (
              <li key={t.id} onClick={() => setDraft(structuredClone(t.draft))} data-testid="pub-template" title="Load into the editor">
                <span className="item-title">{t.name}</span>
                <span className="item-sub mono">{t.draft.topic} · QoS {t.draft.qos}{t.draft.retain ? ' · retain' : ''}</span>
                <button className="icon" title="Delete template" onClick={(e) => { e.stopPropagation(); void deleteTemplate(t.id); }}>✕</button>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <div className="inline-form"><span className="grow muted small">Newest first</span><button className="small" onClick={() => void clearHistory()} disabled={!history.length}>Clear</button></div>
          <ul className="list compact" data-testid="pub-history">
            {history.length === 0 ? <li className="muted">Nothing published yet.</li> : null}
            {history.map((h, i) => (
              <li key={i} onClick={() => setDraft(structuredClone(h.draft))} data-testid="pub-history-item" title={h.result}>
                <span className="item-title mono">{h.draft.topic}</span>
                <span className="item-sub">{new Date(h.atMs).toLocaleTimeString()} · {h.sessionName} · QoS {h.draft.qos}{h.draft.retain ? ' · retain' : ''}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
