// Connections view: profiles and open connections on the left, the selected profile's form on the right.
import { Suspense, useEffect } from 'react';
import { SplitPane } from '../../ui/SplitPane';
import { ProfileEditor } from '../../app/lazy-views';
import { ProfileList } from './ProfileList';
import { useProfiles } from './profiles-state';
import { SessionList } from './SessionList';

export function ConnectionsView() {
  const { profiles, selectedId, loaded, load, error } = useProfiles();
  useEffect(() => { if (!loaded) void load(); }, [loaded]);
  const selected = profiles.find((p) => p.id === selectedId);
  return (
    <div className="view" data-testid="view-connections">
      <SplitPane id="connections.left" direction="row" initial={300}>
        <SplitPane id="connections.sessions" direction="column" initial={260} sizeSecond>
          <ProfileList />
          <SessionList />
        </SplitPane>
        <div className="panel">
          {error ? <div className="notice error">Could not load profiles: {error}</div> : null}
          {selected ? <Suspense fallback={<p className="muted pad">Loading…</p>}><ProfileEditor key={selected.id} saved={selected} /></Suspense> : <p className="muted pad">Pick a profile on the left or create one.</p>}
        </div>
      </SplitPane>
    </div>
  );
}
