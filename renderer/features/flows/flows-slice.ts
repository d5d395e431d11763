// Flows view state: what the diagram shows and the table's filters (kept while the user visits other views).
import type { StateCreator } from 'zustand';
import type { FlowKind, FlowState } from '../../../shared/flows/types';
import type { AppState } from '../../app/store';

/** What the sequence diagram draws: a flow (its journey when it has one), a journey, or whatever a frame belongs to. */
export type FlowTarget = { kind: 'flow'; id: number } | { kind: 'journey'; id: number } | { kind: 'frame'; seq: number };

export interface FlowFilter { state: FlowState | ''; kind: FlowKind | ''; clientId: string; topicFilter: string }

export interface FlowsSlice {
  flowTarget: FlowTarget | null;
  flowFilter: FlowFilter;
  /** Flows the diagram currently draws (the table marks their rows). */
  diagramFlows: number[];
  setDiagramFlows(ids: number[]): void;
  setFlowTarget(t: FlowTarget | null): void;
  setFlowFilter(f: Partial<FlowFilter>): void;
}

export const createFlowsSlice: StateCreator<AppState, [], [], FlowsSlice> = (set, get) => ({
  flowTarget: null,
  flowFilter: { state: '', kind: '', clientId: '', topicFilter: '' },
  diagramFlows: [],
  setDiagramFlows: (diagramFlows) => set({ diagramFlows }),
  setFlowTarget: (flowTarget) => set({ flowTarget }),
  setFlowFilter: (f) => set({ flowFilter: { ...get().flowFilter, ...f } }),
});
