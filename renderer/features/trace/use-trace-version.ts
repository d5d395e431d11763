// React hook: re-render when the trace model's version changes (at most once per animation frame).
import { useSyncExternalStore } from 'react';
import { traceModel } from './trace-model';

export function useTraceVersion(): number {
  return useSyncExternalStore(traceModel.subscribe, traceModel.getVersion);
}
