// Saved profiles held for the UI (a few dozen at most), loaded from and written to core's doc store.
import { create } from 'zustand';
import { errorText } from '../../app/core';
import type { Profile } from './profile';
import { loadProfiles, saveProfiles } from './profile-store';

interface ProfilesState {
  profiles: Profile[];
  loaded: boolean;
  selectedId: string | null;
  error: string | null;
  /** Unsaved edits per profile, kept while the user looks at another profile (never written to disk). */
  drafts: Record<string, Profile>;
  keepDraft(id: string, draft: Profile | null): void;
  load(): Promise<void>;
  select(id: string | null): void;
  /** Replace or add one profile and persist the list. */
  put(p: Profile): Promise<void>;
  remove(id: string): Promise<void>;
  addMany(list: Profile[]): Promise<void>;
}

export const useProfiles = create<ProfilesState>()((set, get) => ({
  profiles: [],
  loaded: false,
  selectedId: null,
  error: null,
  drafts: {},
  keepDraft: (id, draft) => {
    const drafts = { ...get().drafts };
    if (draft) drafts[id] = draft; else delete drafts[id];
    set({ drafts });
  },
  load: async () => {
    try {
      const profiles = await loadProfiles();
      set({ profiles, loaded: true, selectedId: get().selectedId ?? profiles[0]?.id ?? null });
    } catch (e) { set({ error: errorText(e), loaded: true }); }
  },
  select: (selectedId) => set({ selectedId }),
  put: async (p) => {
    const list = get().profiles;
    const next = list.some((x) => x.id === p.id) ? list.map((x) => (x.id === p.id ? p : x)) : [...list, p];
    await saveProfiles(next);
    set({ profiles: next });
  },
  remove: async (id) => {
    const next = get().profiles.filter((x) => x.id !== id);
    await saveProfiles(next);
    set({ profiles: next, selectedId: get().selectedId === id ? (next[0]?.id ?? null) : get().selectedId });
  },
  addMany: async (list) => {
    const next = [...get().profiles, ...list];
    await saveProfiles(next);
    set({ profiles: next, selectedId: list[0]?.id ?? get().selectedId });
  },
}));
