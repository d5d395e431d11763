// createCore(): the whole engine behind the contract, in plain Node. Hosts (Electron, web, CLI, tests)
// wrap it; it never imports electron.
import { EventEmitter } from 'node:events';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import type { CoreApi, CoreEvents, EventName } from '../../shared/contract/api';
import type { BrokerConfig, HostInfo, TraceDocInfo } from '../../shared/contract/types';
import { bytesToBase64 } from '../../shared/util/base64';
import { dissect } from '../../shared/mqtt/dissect';
import { DEFAULT_BROKER_CONFIG, EmbeddedBroker } from './broker/broker';
import { checkBrokerConfig } from './broker/config/load';
import { DocStore, plainSecrets, type SecretBox } from './docs/doc-store';
import { provokeApi } from './provoke-api';
import { FlowIndex } from './flows/flow-index';
import { flowById, flowWindows, flowsOfFrames, journeyOf, queryFlows } from '../../shared/flows/queries';
import { SessionManager } from './sessions/session-manager';
import { FilterQueries } from './trace/filter-query';
import { FilterPages } from './trace/filter-pages';
import { FILTER_INDEX_SLICE, FilterIndex } from './trace/filter-index';
import { BurstWatch } from './trace/burst-watch';
import { messagePage } from './trace/message-page';
import { TraceRecorder } from './trace/recorder';
import { DEFAULT_BUDGET, TraceStore } from './trace/trace-store';
import { exportParts, writeTraceFile, type ImportOptions } from './trace/trace-io';
import { DocumentRegistry, LIVE_DOC, TraceDocument } from './trace/documents';
import { traceFileTransfers } from './trace/trace-file-transfers';
import { DocMessages } from './trace/doc-messages';
import { createTopics } from './topics/topic-api';
import { payloadChunkMethods } from './payload/payload-chunks';

export interface CoreOptions {
  host?: HostInfo['host'];
  dataDir?: string;
  brokerConfig?: Partial<BrokerConfig>;
  budgetBytes?: number;
  secrets?: SecretBox;
  version?: string;
}

export interface Core extends CoreApi {
  events: EventEmitter<{ [E in EventName]: [CoreEvents[E]] }>;
  recorder: TraceRecorder;
  flows: FlowIndex;
  /** The live capture and every opened trace file (per-trace indexes hang on a TraceDocument). */
  documents: DocumentRegistry;
  broker: EmbeddedBroker;
  sessions: SessionManager;
  /** Whether the live capture is in a burst (indexes nobody waits for wait for its end). */
  burst: BurstWatch;
  // ---- trace files by path (hosts only: a path the user chose in a dialog, or the web host's upload) ----
  /** Opens a file, streamed, as a document of its own (announced with traceDocOpened). */
  openTraceFile(path: string, opts?: ImportOptions & { name?: string }): Promise<TraceDocInfo>;
  saveTraceFile(path: string, doc?: string): Promise<{ frames: number; bytes: number; evicted: number }>;
  traceFileParts(doc?: string): Generator<Buffer>;
  dispose(): Promise<void>;
}

export function defaultDataDir(): string {
  return process.env.MQSCOPE_DATA_DIR || join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'mqscope');
}

export function createCore(opts: CoreOptions = {}): Core {
  const events = new EventEmitter<{ [E in EventName]: [CoreEvents[E]] }>();
  const emit = <E extends EventName>(name: E, payload: CoreEvents[E]) => (events.emit as (n: string, p: unknown) => boolean)(name, payload);
  const store = new TraceStore(opts.budgetBytes ?? DEFAULT_BUDGET);
  const recorder = new TraceRecorder(store, (batch) => emit('traceBatch', batch));
  recorder.wanted = () => events.listenerCount('traceBatch') > 0;
  const flows = new FlowIndex(recorder, (c) => emit('flowsChanged', c));
  flows.wanted = () => events.listenerCount('flowsChanged') > 0;
  const brokerConfig: BrokerConfig = { ...DEFAULT_BROKER_CONFIG, ...opts.brokerConfig };
  const broker = new EmbeddedBroker(recorder, (s) => emit('brokerStatus', s), debounce((what) => emit('brokerChanged', { what })), brokerConfig);
  const sessions = new SessionManager({
    recorder,
    onChange: (info) => emit('session', info),
    onClosed: (id) => emit('sessionClosed', { id }),
    onStep: (state) => emit('sessionStep', state),
  });
  const secrets = opts.secrets ?? plainSecrets;
  const dataDir = opts.dataDir ?? defaultDataDir();
  const docs = new DocStore(join(dataDir, 'docs'), secrets);
  const info: HostInfo = {
    version: opts.version ?? '0.1.0', host: opts.host ?? 'test', platform: process.platform, startedAtMs: Date.now(), dataDir, secretStorage: secrets.kind,
  };
  const filterQueries = new FilterQueries();
  const filterPages = new FilterPages(filterQueries);
  const documents = new DocumentRegistry(new TraceDocument(LIVE_DOC, 'Live capture', store, recorder, false));
  // One flow index per document: the live one folds at every batch tick; an opened file's is built when
  // its flows are first asked for (a file never grows) and goes with the document.
  const fileFlows = new WeakMap<TraceDocument, FlowIndex>();
  const flowsOf = (doc?: string) => {
    const d = documents.get(doc);
    let index = d === documents.live ? flows : fileFlows.get(d);
    if (!index) fileFlows.set(d, (index = new FlowIndex(d.recorder)));
    index.update(false);
    return index.engine;
  };
  // Work a window wants but nobody waits for waits for a burst to end (issue 11, burst); ticked at each batch tick below.
  const burst = new BurstWatch(() => store.nextSeq);
  const topics = createTopics(recorder, docs, broker, () => events.listenerCount('traceBatch') > 0, () => burst.inBurst());
  const traceFiles = traceFileTransfers({ host: info.host, documents, progress: (p) => emit('traceFileProgress', p), opened: (d) => emit('traceDocOpened', d) });
  // Display-filter indexes: the live one grows at the batch tick while a window watches the trace (a
  // backlog in slices, the rest caught up by the next query); an opened file's is built by its first query.
  const liveFilterIndex = new FilterIndex(store);
  const liveConnFacts = (id: number) => documents.live.connection(id);
  // Not in a burst: a query extends the index itself as its scan reaches new frames (issue 11, burst).
  recorder.flushHooks.push(() => {
    burst.tick();
    if (events.listenerCount('traceBatch') > 0 && !burst.inBurst()) liveFilterIndex.extend(liveConnFacts, store.nextSeq, FILTER_INDEX_SLICE);
  });
  const fileFilterIndexes = new WeakMap<TraceDocument, FilterIndex>();
  const filterIndexOf = (d: TraceDocument) => {
    if (d === documents.live) return liveFilterIndex;
    let index = fileFilterIndexes.get(d);
    if (!index) fileFilterIndexes.set(d, (index = new FilterIndex(d.store)));
    return index;
  };
  // The codecs are loaded by the call that needs them (a headless broker never does), so the previewer is set then.
  let codecsLoaded: Awaited<ReturnType<typeof topics.codecs>> | undefined;
  const docMessages = new DocMessages((seq, topic, payload) => codecsLoaded!.previewBytes(seq, topic, payload));
  const sessionConns = (id?: string) => {
    if (!id) return undefined;
    const s = sessions.get(id);
    return new Set(s ? s.conns : []);
  };

  const api: CoreApi = {
    hostInfo: async () => info,
    brokerStatus: async () => broker.getStatus(),
    brokerStart: async ({ config }) => broker.start(config ?? broker.getStatus().config),
    brokerStop: async () => broker.stop(),
    brokerClients: async () => broker.clients(),
    brokerSubscriptions: async () => broker.subscriptions(),
    brokerRetained: async ({ filter }) => broker.retained(filter),
    brokerRetainedPayload: async ({ topic }) => {
      const p = await broker.retainedPayload(topic);
      return p ? { topic, payloadB64: p.toString('base64') } : null;
    },
    brokerRetainedDelete: async ({ topic }) => ({ deleted: await broker.deleteRetained(topic) }),
    brokerRetainedClear: async ({ filter, dryRun }) => ({ count: await broker.clearRetained(filter, dryRun) }),
    brokerOfflineSessions: async () => broker.offlineSessions(),
    brokerDisconnectClient: async ({ clientId }) => ({ disconnected: broker.disconnect(clientId) }),
    // ---- broker config ----
    brokerConfigParse: async ({ text, name }) => checkBrokerConfig(text, name),
    connectionList: async (p) => documents.get(p?.doc).recorder.connections(),
    sessionList: async () => sessions.list(),
    sessionOpen: async ({ options }) => sessions.open(options),
    sessionConnect: async ({ id }) => sessions.connect(id),
    sessionDisconnect: async ({ id }) => sessions.disconnect(id),
    sessionClose: async ({ id }) => ({ closed: await sessions.close(id) }),
    sessionSubscribe: async ({ id, subscriptions, userProperties }) => sessions.subscribe(id, subscriptions, userProperties),
    sessionUnsubscribe: async ({ id, topics }) => sessions.unsubscribe(id, topics),
    sessionPublish: async ({ id, message }) => sessions.publish(id, message),
    traceQuery: async (q) => {
      const d = documents.get(q.doc);
      return filterQueries.run(d.store, (id) => d.connection(id), q, sessionConns(q.sessionId), filterIndexOf(d));
    },
    traceFrame: async ({ seq, doc }) => {
      const d = documents.get(doc);
      const summary = d.store.summary(seq);
      if (!summary) return null;
      const bytes = d.store.bytesOf(seq)!;
      const version = (d.connection(summary.conn)?.protocolVersion ?? 4) as 3 | 4 | 5;
      const fields = summary.kind === 'event' ? [] : dissect(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), version);
      return { summary, bytesB64: bytesToBase64(bytes), fields, protocolVersion: version };
    },
    traceStats: async (p) => documents.get(p?.doc).store.stats(),
    traceSetBudget: async ({ bytes }) => { store.setBudget(bytes); return store.stats(); },
    traceClear: async () => {
      store.clear();
      recorder.resetFeed();
      flows.reset();
      topics.feed.reset();
      emit('traceReset', store.stats());
      return store.stats();
    },
    traceQueryCancel: async ({ caller }) => ({ cancelled: filterQueries.cancel(caller) }),
    traceDocs: async () => documents.list(),
    traceCloseDoc: async ({ doc }) => ({ closed: documents.close(doc) }),
    // ---- trace files by path (issue 9: Electron's in-page Open…/Save…, streamed, with progress and cancel) ----
    ...traceFiles.methods,
    // ---- messages of a trace document ----
    traceDocMessages: async ({ doc, ...page }) => { codecsLoaded = await topics.codecs(); return docMessages.page(documents.get(doc), page); },
    // ---- provoke ----
    ...provokeApi(broker, sessions),
    // ---- end provoke ----
    docGet: async ({ key }) => ({ value: await docs.get(key) }),
    docSet: async ({ key, value }) => { await docs.set(key, value); return { ok: true as const }; },
    // ---- flows ----
    flowsQuery: async ({ doc, ...q }) => queryFlows(flowsOf(doc), q),
    flowGet: async ({ id, doc }) => flowById(flowsOf(doc), id),
    flowsOfFrames: async ({ fromSeq, toSeq, doc }) => flowsOfFrames(flowsOf(doc), fromSeq, toSeq),
    journeyGet: async ({ doc, ...ref }) => journeyOf(flowsOf(doc), ref as Parameters<typeof journeyOf>[1]),
    flowWindows: async () => { flows.update(false); return flowWindows(flows.engine); },
    flowSettings: async (p) => {
      if (p?.stalledMs !== undefined) flows.setStalledMs(p.stalledMs);
      return { stalledMs: flows.stalledMsSetting };
    },
    // ---- topics ---- (topic tree, payload codecs, charts: issue 10)
    ...topics.methods,
    // ---- burst (issue 11) ----
    traceMessagePage: async ({ fromSeq, toSeq, limit }) => messagePage(store, fromSeq, toSeq, limit),
    // ---- filtered lists page like the live list (issue 11) ----
    traceList: async (q) => {
      const d = documents.get(q.doc);
      return filterPages.refresh(d.store, (id) => d.connection(id), q, sessionConns(q.sessionId), filterIndexOf(d));
    },
    traceListPage: async (p) => {
      const d = documents.get(p.doc);
      return filterPages.page(d.store, (id) => d.connection(id), p, sessionConns(p.sessionId), filterIndexOf(d));
    },
    // ---- end filtered list pages ----
    // ---- large payloads ----
    ...payloadChunkMethods(documents),
  };

  return Object.assign(api, {
    events,
    recorder,
    flows,
    documents,
    broker,
    sessions,
    burst,
    async openTraceFile(path: string, o?: ImportOptions & { name?: string }) {
      const info = (await documents.open(path, o?.name ?? basename(path), o)).info();
      emit('traceDocOpened', info);
      return info;
    },
    saveTraceFile: (path: string, doc?: string) => writeTraceFile(documents.get(doc).recorder, path),
    traceFileParts: (doc?: string) => exportParts(documents.get(doc).recorder),
    async dispose() {
      filterQueries.dispose();
      filterPages.dispose();
      traceFiles.dispose();
      await sessions.dispose();
      await broker.dispose();
      recorder.flush();
      flows.dispose();
      liveFilterIndex.dispose();
      topics.feed.dispose();
      recorder.dispose();
      events.removeAllListeners();
    },
  });
}

function debounce<T extends string>(fn: (what: T[]) => void, ms = 50): (what: T[]) => void {
  let pending = new Set<T>();
  let timer: NodeJS.Timeout | null = null;
  return (what) => {
    for (const w of what) pending.add(w);
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      const w = [...pending];
      pending = new Set();
      fn(w);
    }, ms);
    timer.unref();
  };
}
