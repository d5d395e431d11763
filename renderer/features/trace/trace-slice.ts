// Trace UI state: stats from the last batch, the selected frame, whether the list follows new frames,
// which trace document is shown (the live capture or an opened file) and the display filter.
import type { StateCreator } from 'zustand';
import type { TraceDocInfo, TraceStats } from '../../../shared/contract/types';
import type { AppState } from '../../app/store';

export const LIVE_DOC = 'live';

export interface TraceSlice {
  traceStats: TraceStats | null;
  selectedFrame: number | null;
  followTrace: boolean;
  /** Shown document; every trace view follows it. */
  traceDoc: string;
  traceDocs: TraceDocInfo[];
  /** Text in the filter bar (the field tree's "Filter on this value" writes here too). */
  filterDraft: string;
  /** The filter the list shows (applied with Enter). */
  filterApplied: string;
  setTraceStats(s: TraceStats): void;
  selectFrame(seq: number | null): void;
  setFollowTrace(on: boolean): void;
  setTraceDocs(docs: TraceDocInfo[]): void;
  showTraceDoc(id: string): void;
  setFilterDraft(text: string): void;
  applyFilter(text: string): void;
}

export const createTraceSlice: StateCreator<AppState, [], [], TraceSlice> = (set) => ({
  traceStats: null,
  selectedFrame: null,
  followTrace: true,
  traceDoc: LIVE_DOC,
  traceDocs: [],
  filterDraft: '',
  filterApplied: '',
  setTraceStats: (traceStats) => set({ traceStats }),
  selectFrame: (selectedFrame) => set({ selectedFrame }),
  setFollowTrace: (followTrace) => set({ followTrace }),
  setTraceDocs: (traceDocs) => set((s) => ({ traceDocs, traceDoc: traceDocs.some((d) => d.id === s.traceDoc) ? s.traceDoc : LIVE_DOC })),
  showTraceDoc: (traceDoc) => set({ traceDoc, selectedFrame: null }),
  setFilterDraft: (filterDraft) => set({ filterDraft }),
  applyFilter: (text) => set({ filterDraft: text, filterApplied: text.trim() }),
});
