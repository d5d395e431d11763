// Saved profiles: pick, create, import and export.
import { useRef } from 'react';
import { errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { newProfile, profileUrl } from './profile';
import { downloadText, exportProfilesJson, parseProfilesJson } from './profile-store';
import { useProfiles } from './profiles-state';
import { connectProfile } from './session-actions';

export function ProfileList() {
  const { profiles, selectedId, select, put, addMany, drafts } = useProfiles();
  const showToast = useApp((s) => s.showToast);
  const setView = useApp((s) => s.setView);
  const file = useRef<HTMLInputElement>(null);

  const create = async () => {
    const p = newProfile({ name: `Connection ${profiles.length}` });
    await put(p);
    select(p.id);
  };

  const onImport = async (f: File | undefined) => {
    if (!f) return;
    try {
      const list = parseProfilesJson(await f.text());
      await addMany(list);
      showToast(`Imported ${list.length} profile${list.length === 1 ? '' : 's'}`);
    } catch (e) { showToast(`Import failed: ${errorText(e)}`, 'error'); }
    if (file.current) file.current.value = '';
  };

  return (
    <div className="panel profile-list" data-testid="profile-list">
      <div className="panel-head">
        <span className="grow">Profiles</span>
        <button className="small" onClick={create} data-testid="profile-new" title="New profile">New</button>
        <button className="small" onClick={() => file.current?.click()} data-testid="profile-import">Import</button>
        <button className="small" onClick={() => downloadText('mqscope-profiles.json', exportProfilesJson(profiles))} data-testid="profile-export">Export</button>
        <input ref={file} type="file" accept="application/json,.json" hidden data-testid="profile-import-file" onChange={(e) => void onImport(e.target.files?.[0])} />
      </div>
      <ul className="list">
        {profiles.map((p) => (
          <li key={p.id} className={p.id === selectedId ? 'selected' : ''} onClick={() => select(p.id)} data-testid="profile-item" data-name={p.name}
            onDoubleClick={() => void connectProfile(p).then(() => setView('messages')).catch((e) => showToast(errorText(e), 'error'))}>
            <span className="item-title">{p.name}{drafts[p.id] ? <span className="muted" title="Unsaved edits" data-testid="profile-unsaved"> ●</span> : null}</span>
            <span className="item-sub mono">{p.localBroker ? 'embedded broker' : Number.isFinite(p.port) ? profileUrl(p) : p.host}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
