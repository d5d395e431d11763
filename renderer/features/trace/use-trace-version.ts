// React hook: re-render when the live capture changed, at the render pace (at most once per animation
// frame, less often while renders run long; see render-pace.ts).
import { useSyncExternalStore } from 'react';
import { renderPace } from './live-render-pace';

export function useTraceVersion(): number {
  return useSyncExternalStore(renderPace.subscribe, renderPace.getVersion);
}
