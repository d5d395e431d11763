// The page's render pace (render-pace.ts): follows the live trace model, applies trace stats to the store.
import { useApp } from '../../app/store';
import { RenderPace } from './render-pace';
import { traceModel } from './trace-model';

export const renderPace = new RenderPace(traceModel, (s) => useApp.getState().setTraceStats(s));
