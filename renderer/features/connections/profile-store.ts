// Saved profiles live in core's document store under 'profiles' (docGet/docSet). The "Local broker"
// profile is always present. Import/export as JSON files.
import { core } from '../../app/core';
import { localBrokerProfile, newProfile, randomId, LOCAL_PROFILE_ID, type Profile } from './profile';

export const PROFILES_KEY = 'profiles';

export async function loadProfiles(): Promise<Profile[]> {
  const { value } = await core().docGet({ key: PROFILES_KEY });
  const list = Array.isArray(value) ? (value as Partial<Profile>[]).map(upgrade) : [];
  if (!list.some((p) => p.id === LOCAL_PROFILE_ID)) list.unshift(localBrokerProfile());
  return list;
}

export async function saveProfiles(list: Profile[]): Promise<void> {
  await core().docSet({ key: PROFILES_KEY, value: list });
}

/** Fill fields added since the profile was saved, so old files keep working. */
export function upgrade(raw: Partial<Profile>): Profile {
  const base = raw.id === LOCAL_PROFILE_ID ? localBrokerProfile() : newProfile();
  return {
    ...base,
    ...raw,
    id: typeof raw.id === 'string' && raw.id ? raw.id : randomId('p'),
    tls: { ...base.tls, ...raw.tls },
    props: { ...base.props, ...raw.props },
    will: { ...base.will, ...raw.will },
    reconnect: { ...base.reconnect, ...raw.reconnect },
  };
}

export function exportProfilesJson(list: Profile[]): string {
  return JSON.stringify({ format: 'mqscope-profiles', version: 1, profiles: list.filter((p) => !p.localBroker) }, null, 2);
}

/** Parses an export file; imported profiles get fresh ids so they never overwrite existing ones. */
export function parseProfilesJson(text: string): Profile[] {
  let data: unknown;
  try { data = JSON.parse(text); } catch { throw new Error('The file is not valid JSON'); }
  const arr = Array.isArray(data) ? data : (data as { profiles?: unknown }).profiles;
  if (!Array.isArray(arr)) throw new Error('No "profiles" list in the file');
  return arr.map((raw) => ({ ...upgrade(raw as Partial<Profile>), id: randomId('p'), localBroker: undefined }));
}

export function downloadText(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
