// Opening and driving client sessions from a profile. Errors land on the session (shown as its last
// error) so a failed connect is visible where the connection is, not in a transient popup.
import type { SessionInfo } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { toSessionOptions, type Profile } from './profile';

/** The embedded broker's TCP port, starting the broker first if it is not running. */
export async function localBrokerPort(): Promise<number> {
  let status = await core().brokerStatus();
  if (status.state !== 'running') status = await core().brokerStart({});
  useApp.getState().setBroker(status);
  const tcp = status.listeners.find((l) => l.kind === 'tcp');
  if (status.state !== 'running' || !tcp) throw new Error(status.error ?? 'The embedded broker is not running');
  return tcp.port;
}

function failOn(info: SessionInfo, e: unknown): void {
  const latest = useApp.getState().sessions[info.id] ?? info;
  useApp.getState().upsertSession({ ...latest, state: 'failed', lastError: latest.lastError || errorText(e) });
}

/** Opens a session for the profile and connects it; returns the session id. */
export async function connectProfile(p: Profile): Promise<string> {
  const port = p.localBroker ? await localBrokerPort() : undefined;
  const info = await core().sessionOpen({ options: toSessionOptions(p, port) });
  const app = useApp.getState();
  app.upsertSession(info, p.id);
  app.setActiveSession(info.id);
  await connectSession(info.id);
  return info.id;
}

export async function connectSession(id: string): Promise<void> {
  const app = useApp.getState();
  const info = app.sessions[id];
  try {
    app.upsertSession(await core().sessionConnect({ id }));
  } catch (e) {
    if (info) failOn(info, e);
  }
}

export async function disconnectSession(id: string): Promise<void> {
  try { useApp.getState().upsertSession(await core().sessionDisconnect({ id })); } catch (e) { useApp.getState().showToast(errorText(e), 'error'); }
}

export async function closeSession(id: string): Promise<void> {
  try {
    await core().sessionClose({ id });
    useApp.getState().removeSession(id);
  } catch (e) { useApp.getState().showToast(errorText(e), 'error'); }
}
