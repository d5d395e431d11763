// Connects to core and wires its events into the store and the trace model. Called once by main.tsx.
import { connectCore, core, errorText, onCoreEvent } from './core';
import { useApp } from './store';
import { traceModel } from '../features/trace/trace-model';
import { renderPace } from '../features/trace/live-render-pace';

export async function boot(): Promise<void> {
  const app = useApp.getState();
  try {
    await connectCore((reason) => useApp.getState().setCore('lost', reason));
  } catch (e) {
    app.setCore('lost', errorText(e));
    return;
  }
  onCoreEvent('brokerStatus', (s) => useApp.getState().setBroker(s));
  onCoreEvent('brokerChanged', (c) => useApp.getState().bumpBroker(c.what));
  onCoreEvent('session', (s) => useApp.getState().upsertSession(s));
  onCoreEvent('sessionClosed', ({ id }) => useApp.getState().removeSession(id));
  onCoreEvent('traceBatch', (b) => {
    traceModel.onBatch(b);
    renderPace.setStats(b.stats);
  });
  onCoreEvent('traceReset', (stats) => {
    useApp.getState().setTraceStats(stats);
    if (useApp.getState().traceDoc === 'live') useApp.getState().selectFrame(null);
    traceModel.reload();
  });
  onCoreEvent('traceDocOpened', (d) => {
    core().traceDocs().then((docs) => { useApp.getState().setTraceDocs(docs); useApp.getState().showTraceDoc(d.id); }, () => {});
  });
  traceModel.onError = (text) => useApp.getState().showToast(`Trace: ${text}`, 'error');
  try {
    const api = core();
    const [host, broker, sessions, stats, docs] = await Promise.all([api.hostInfo(), api.brokerStatus(), api.sessionList(), api.traceStats(), api.traceDocs()]);
    app.setTraceDocs(docs);
    app.setHostInfo(host);
    app.setBroker(broker);
    app.setTraceStats(stats);
    for (const s of sessions) app.upsertSession(s);
    traceModel.start(api);
    app.setCore('ready');
  } catch (e) {
    app.setCore('lost', errorText(e));
  }
}
