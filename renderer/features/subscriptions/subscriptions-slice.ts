// Per-subscription colours, chosen by the user (or assigned from a palette on subscribe).
import type { StateCreator } from 'zustand';
import type { AppState } from '../../app/store';

export const PALETTE = ['#4e9af1', '#e5a50a', '#2ec27e', '#e66100', '#c061cb', '#1db8b8', '#e01b24', '#98c379'];

export interface SubscriptionsSlice {
  /** `${sessionId}\u0000${filter}` → colour. */
  subColours: Record<string, string>;
  setSubColour(sessionId: string, filter: string, colour: string): void;
  colourFor(sessionId: string, filter: string): string;
}

const key = (sessionId: string, filter: string) => `${sessionId}\u0000${filter}`;

export const createSubscriptionsSlice: StateCreator<AppState, [], [], SubscriptionsSlice> = (set, get) => ({
  subColours: {},
  setSubColour: (sessionId, filter, colour) => set({ subColours: { ...get().subColours, [key(sessionId, filter)]: colour } }),
  colourFor: (sessionId, filter) => {
    const c = get().subColours[key(sessionId, filter)];
    if (c) return c;
    const n = Object.keys(get().subColours).filter((k) => k.startsWith(sessionId + '\u0000')).length;
    return PALETTE[n % PALETTE.length];
  },
});
