// App-wide UI state: which view, theme preference, pane sizes, core link state. Pane sizes and theme are
// remembered in localStorage (they are this window's preferences, not user data).
import type { StateCreator } from 'zustand';
import type { HostInfo } from '../../shared/contract/types';
import type { AppState } from './store';

export type ViewId = 'connections' | 'messages' | 'broker' | 'trace' | 'flows' | 'topics';
export type ThemePref = 'system' | 'light' | 'dark';
export type CoreState = 'connecting' | 'ready' | 'lost';

export interface UiSlice {
  view: ViewId;
  themePref: ThemePref;
  panes: Record<string, number>;
  coreState: CoreState;
  coreError: string | null;
  hostInfo: HostInfo | null;
  helpOpen: boolean;
  toast: { text: string; kind: 'info' | 'error' } | null;
  setView(view: ViewId): void;
  setThemePref(pref: ThemePref): void;
  setPane(id: string, size: number): void;
  setCore(state: CoreState, error?: string | null): void;
  setHostInfo(info: HostInfo): void;
  setHelpOpen(open: boolean): void;
  showToast(text: string, kind?: 'info' | 'error'): void;
}

const PREFS_KEY = 'mqscope.ui';

function loadPrefs(): { themePref?: ThemePref; panes?: Record<string, number> } {
  try { return JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}'); } catch { return {}; }
}

function savePrefs(s: { themePref: ThemePref; panes: Record<string, number> }): void {
  localStorage.setItem(PREFS_KEY, JSON.stringify({ themePref: s.themePref, panes: s.panes }));
}

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => {
  const prefs = loadPrefs();
  return {
    view: 'connections',
    themePref: prefs.themePref ?? 'system',
    panes: prefs.panes ?? {},
    coreState: 'connecting',
    coreError: null,
    hostInfo: null,
    helpOpen: false,
    toast: null,
    setView: (view) => set({ view }),
    setThemePref: (themePref) => { set({ themePref }); savePrefs(get()); },
    setPane: (id, size) => { set({ panes: { ...get().panes, [id]: size } }); savePrefs(get()); },
    setCore: (coreState, coreError = null) => set({ coreState, coreError }),
    setHostInfo: (hostInfo) => set({ hostInfo }),
    setHelpOpen: (helpOpen) => set({ helpOpen }),
    showToast: (text, kind = 'info') => set({ toast: { text, kind } }),
  };
};
