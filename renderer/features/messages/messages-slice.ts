// Per-session message view state: selection, pause, search. The messages themselves are in trace-model.
import type { StateCreator } from 'zustand';
import type { AppState } from '../../app/store';

export interface MessagesSlice {
  /** sessionId → selected message seq. */
  selectedMessage: Record<string, number | undefined>;
  /** sessionId → paused (list frozen at the count it had). */
  paused: Record<string, number | undefined>;
  search: Record<string, string | undefined>;
  selectMessage(sessionId: string, seq: number | undefined): void;
  setPaused(sessionId: string, atCount: number | undefined): void;
  setSearch(sessionId: string, text: string): void;
}

export const createMessagesSlice: StateCreator<AppState, [], [], MessagesSlice> = (set, get) => ({
  selectedMessage: {},
  paused: {},
  search: {},
  selectMessage: (id, seq) => set({ selectedMessage: { ...get().selectedMessage, [id]: seq } }),
  setPaused: (id, atCount) => set({ paused: { ...get().paused, [id]: atCount } }),
  setSearch: (id, text) => set({ search: { ...get().search, [id]: text } }),
});
