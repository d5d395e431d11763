// Trace UI state: stats from the last batch, the selected frame, whether the list follows new frames.
import type { StateCreator } from 'zustand';
import type { TraceStats } from '../../../shared/contract/types';
import type { AppState } from '../../app/store';

export interface TraceSlice {
  traceStats: TraceStats | null;
  selectedFrame: number | null;
  followTrace: boolean;
  setTraceStats(s: TraceStats): void;
  selectFrame(seq: number | null): void;
  setFollowTrace(on: boolean): void;
}

export const createTraceSlice: StateCreator<AppState, [], [], TraceSlice> = (set) => ({
  traceStats: null,
  selectedFrame: null,
  followTrace: true,
  setTraceStats: (traceStats) => set({ traceStats }),
  selectFrame: (selectedFrame) => set({ selectedFrame }),
  setFollowTrace: (followTrace) => set({ followTrace }),
});
