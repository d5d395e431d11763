// Client sessions (live MQTT connections) as core announces them, plus which profile opened each.
import type { StateCreator } from 'zustand';
import type { SessionInfo } from '../../../shared/contract/types';
import type { AppState } from '../../app/store';

export interface SessionsSlice {
  sessions: Record<string, SessionInfo>;
  sessionOrder: string[];
  activeSessionId: string | null;
  /** sessionId → profile id that opened it. */
  sessionProfile: Record<string, string>;
  upsertSession(info: SessionInfo, profileId?: string): void;
  removeSession(id: string): void;
  setActiveSession(id: string | null): void;
}

export const createSessionsSlice: StateCreator<AppState, [], [], SessionsSlice> = (set, get) => ({
  sessions: {},
  sessionOrder: [],
  activeSessionId: null,
  sessionProfile: {},
  upsertSession: (info, profileId) => {
    const s = get();
    const known = info.id in s.sessions;
    set({
      sessions: { ...s.sessions, [info.id]: info },
      sessionOrder: known ? s.sessionOrder : [...s.sessionOrder, info.id],
      activeSessionId: s.activeSessionId ?? info.id,
      sessionProfile: profileId ? { ...s.sessionProfile, [info.id]: profileId } : s.sessionProfile,
    });
  },
  removeSession: (id) => {
    const s = get();
    if (!(id in s.sessions)) return;
    const sessions = { ...s.sessions };
    delete sessions[id];
    const sessionOrder = s.sessionOrder.filter((x) => x !== id);
    set({
      sessions,
      sessionOrder,
      activeSessionId: s.activeSessionId === id ? (sessionOrder[0] ?? null) : s.activeSessionId,
    });
  },
  setActiveSession: (activeSessionId) => set({ activeSessionId }),
});
