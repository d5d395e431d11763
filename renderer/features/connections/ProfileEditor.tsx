// Edits one profile as a draft. Save and Connect validate first; a failed check keeps the draft (dirty)
// with messages next to the fields, and the saved copy is never touched.
import { useEffect, useState } from 'react';
import { errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { BasicSection } from './BasicSection';
import { Mqtt5Section } from './Mqtt5Section';
import { randomId, type Profile } from './profile';
import { useProfiles } from './profiles-state';
import { ReconnectSection } from './ReconnectSection';
import { connectProfile } from './session-actions';
import { TlsSection } from './TlsSection';
import { validateProfile, type ProfileErrors } from './validate-profile';
import { loadedSessionSchema, loadSessionSchema } from './profile-schema';
import { WillSection } from './WillSection';
import { Confirm } from '../../ui/Confirm';

export function ProfileEditor({ saved }: { saved: Profile }) {
  // Unsaved edits survive switching to another profile and back.
  const [draft, setDraft] = useState<Profile>(() => useProfiles.getState().drafts[saved.id] ?? saved);
  const [errors, setErrors] = useState<ProfileErrors>({});
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { put, remove, select } = useProfiles();
  const setView = useApp((s) => s.setView);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);

  useEffect(() => { setDraft(useProfiles.getState().drafts[saved.id] ?? saved); setErrors({}); setNotice(null); }, [saved.id]);
  useEffect(() => { // the checks' schema, fetched while nobody waits for it
    const idle = requestIdleCallback(() => { loadSessionSchema().catch(() => undefined); }, { timeout: 5000 });
    return () => cancelIdleCallback(idle);
  }, []);
  useEffect(() => { useProfiles.getState().keepDraft(saved.id, dirty ? draft : null); }, [saved.id, dirty, draft]);

  const up = (fn: (p: Profile) => Profile) => {
    setDraft((d) => {
      const next = fn(d);
      if (Object.keys(errors).length) setErrors(validateProfile(next, loadedSessionSchema()));
      return next;
    });
  };

  const check = async (): Promise<boolean> => {
    let schema;
    try { schema = await loadSessionSchema(); } catch (err) {
      setNotice({ text: `Could not load the profile checks: ${errorText(err)}`, kind: 'error' });
      return false;
    }
    const e = validateProfile(draft, schema);
    setErrors(e);
    if (Object.keys(e).length) {
      setNotice({ text: `Not saved — fix ${Object.keys(e).length === 1 ? 'the field' : `${Object.keys(e).length} fields`} marked in red`, kind: 'error' });
      return false;
    }
    return true;
  };

  const save = async () => {
    if (!(await check())) return;
    try { await put(draft); setNotice({ text: 'Saved', kind: 'ok' }); } catch (e) { setNotice({ text: `Could not save: ${errorText(e)}`, kind: 'error' }); }
  };

  const connect = async () => {
    if (!(await check())) { setNotice({ text: 'Not connected — fix the fields marked in red first', kind: 'error' }); return; }
    setBusy(true);
    setNotice(null);
    try {
      await connectProfile(draft);
      setView('messages');
    } catch (e) { setNotice({ text: `Could not connect: ${errorText(e)}`, kind: 'error' }); } finally { setBusy(false); }
  };

  const duplicate = async () => {
    const copy: Profile = { ...structuredClone(saved), id: randomId('p'), name: `${saved.name} (copy)`, localBroker: undefined };
    if (saved.localBroker) { copy.host = '127.0.0.1'; copy.port = useApp.getState().broker?.listeners.find((l) => l.kind === 'tcp')?.port ?? 1883; }
    await put(copy);
    select(copy.id);
  };

  const props = { p: draft, up, e: errors };
  return (
    <div className="profile-editor" data-testid="profile-editor" data-dirty={dirty ? 'true' : 'false'}>
      <div className="toolbar">
        <strong className="grow">{saved.name}{dirty ? <span className="muted"> — edited</span> : null}</strong>
        <button className="primary" onClick={connect} disabled={busy} data-testid="profile-connect">{busy ? 'Connecting…' : 'Connect'}</button>
        <button onClick={save} disabled={!dirty} data-testid="profile-save">Save</button>
        <button onClick={() => { setDraft(saved); setErrors({}); setNotice(null); }} disabled={!dirty} data-testid="profile-revert">Revert</button>
        <button onClick={duplicate} data-testid="profile-duplicate">Duplicate</button>
        {!saved.localBroker ? <button className="danger" onClick={() => setConfirmDelete(true)} data-testid="profile-delete">Delete</button> : null}
      </div>
      {notice ? <div className={`notice ${notice.kind}`} data-testid="profile-notice">{notice.text}</div> : null}
      <form className="form-scroll" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <BasicSection {...props} />
        <TlsSection {...props} />
        <Mqtt5Section {...props} />
        <WillSection {...props} />
        <ReconnectSection {...props} />
      </form>
      {confirmDelete ? (
        <Confirm title="Delete profile" confirmLabel="Delete" testId="confirm-delete-profile"
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => { setConfirmDelete(false); void remove(saved.id); }}>
          Delete the saved profile “{saved.name}”? Open connections stay open.
        </Confirm>
      ) : null}
    </div>
  );
}
