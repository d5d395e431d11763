// What the app shell does not need, as chunks of their own, so it parses less: the views after the first
// (Connections) and the profile form (it brings zod and the contract's schemas, ~200 KB). The form is fetched
// at start (main.tsx) and evaluated while the page waits for core's first answers, so it is there when the
// profiles are; the views are fetched once the app is up and the browser is idle.
import { lazy, type ComponentType } from 'react';
import type { ProfileEditor as ProfileEditorType } from '../features/connections/ProfileEditor';

type Loaded<P> = { default: ComponentType<P> };
function lazyChunk<P>(load: () => Promise<Loaded<P>>) {
  let loaded: Loaded<P> | undefined;
  const fetch = () => load().then((m) => (loaded = m));
  // Once fetched, React gets the module through a thenable that calls back at once: no "Loading…" frame.
  const View = lazy(() => (loaded ? ({ then: (ok: (m: Loaded<P>) => void) => ok(loaded!) } as unknown as Promise<Loaded<P>>) : fetch()));
  return { View, fetch };
}
const messages = lazyChunk(() => import('../features/messages/MessagesView').then((m) => ({ default: m.MessagesView })));
const broker = lazyChunk(() => import('../features/broker/BrokerView').then((m) => ({ default: m.BrokerView })));
const trace = lazyChunk(() => import('../features/trace/TraceView').then((m) => ({ default: m.TraceView })));
const flows = lazyChunk(() => import('../features/flows/FlowsView').then((m) => ({ default: m.FlowsView })));
const topics = lazyChunk(() => import('../features/topics/TopicsView').then((m) => ({ default: m.TopicsView })));
const profileEditor = lazyChunk<Parameters<typeof ProfileEditorType>[0]>(() => import('../features/connections/ProfileEditor').then((m) => ({ default: m.ProfileEditor })));

export const MessagesView = messages.View;
export const BrokerView = broker.View;
export const TraceView = trace.View;
export const FlowsView = flows.View;
export const TopicsView = topics.View;
export const ProfileEditor = profileEditor.View;

export function prefetchProfileForm(): void { void profileEditor.fetch().catch(() => {}); }

export function prefetchChunks(): void {
  for (const c of [messages, broker, trace, flows, topics]) void c.fetch().catch(() => {});
}
