// createCore(): the whole engine behind the contract, in plain Node. Hosts (Electron, web, CLI, tests)
// wrap it; it never imports electron.
import { EventEmitter } from 'node:events';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CoreApi, CoreEvents, EventName } from '../../shared/contract/api';
import type { BrokerConfig, HostInfo, TraceStats } from '../../shared/contract/types';
import { bytesToBase64, base64ToBytes } from '../../shared/util/base64';
import { dissect } from '../../shared/mqtt/dissect';
import { DEFAULT_BROKER_CONFIG, EmbeddedBroker } from './broker/broker';
import { DocStore, plainSecrets, type SecretBox } from './docs/doc-store';
import { SessionManager } from './sessions/session-manager';
import { exportPcap } from './trace/pcap-export';
import { runQuery } from './trace/query';
import { TraceRecorder } from './trace/recorder';
import { DEFAULT_BUDGET, TraceStore } from './trace/trace-store';
import { exportParts, exportTrace, importTrace, writeTraceFile, type ImportOptions } from './trace/trace-io';

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
  broker: EmbeddedBroker;
  sessions: SessionManager;
  // ---- trace files by path (hosts only: a path the user chose in a dialog, or the web host's upload) ----
  openTraceFile(path: string, opts?: ImportOptions): Promise<TraceStats & { warning?: string }>;
  saveTraceFile(path: string): Promise<{ frames: number; bytes: number }>;
  traceFileParts(): Generator<Buffer>;
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
  const brokerConfig: BrokerConfig = { ...DEFAULT_BROKER_CONFIG, ...opts.brokerConfig };
  const broker = new EmbeddedBroker(recorder, (s) => emit('brokerStatus', s), debounce((what) => emit('brokerChanged', { what })), brokerConfig);
  const sessions = new SessionManager({
    recorder,
    onChange: (info) => emit('session', info),
    onClosed: (id) => emit('sessionClosed', { id }),
  });
  const secrets = opts.secrets ?? plainSecrets;
  const dataDir = opts.dataDir ?? defaultDataDir();
  const docs = new DocStore(join(dataDir, 'docs'), secrets);
  const info: HostInfo = {
    version: opts.version ?? '0.1.0', host: opts.host ?? 'test', platform: process.platform, startedAtMs: Date.now(), dataDir, secretStorage: secrets.kind,
  };
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
    connectionList: async () => recorder.connections(),
    sessionList: async () => sessions.list(),
    sessionOpen: async ({ options }) => sessions.open(options),
    sessionConnect: async ({ id }) => sessions.connect(id),
    sessionDisconnect: async ({ id }) => sessions.disconnect(id),
    sessionClose: async ({ id }) => ({ closed: await sessions.close(id) }),
    sessionSubscribe: async ({ id, subscriptions, userProperties }) => sessions.subscribe(id, subscriptions, userProperties),
    sessionUnsubscribe: async ({ id, topics }) => sessions.unsubscribe(id, topics),
    sessionPublish: async ({ id, message }) => sessions.publish(id, message),
    traceQuery: async (q) => runQuery(store, q, sessionConns(q.sessionId)),
    traceFrame: async ({ seq }) => {
      const summary = store.summary(seq);
      if (!summary) return null;
      const bytes = store.bytesOf(seq)!;
      const version = (recorder.conns.get(summary.conn)?.info.protocolVersion ?? 4) as 3 | 4 | 5;
      const fields = summary.kind === 'event' ? [] : dissect(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), version);
      return { summary, bytesB64: bytesToBase64(bytes), fields, protocolVersion: version };
    },
    traceStats: async () => store.stats(),
    traceSetBudget: async ({ bytes }) => { store.setBudget(bytes); return store.stats(); },
    traceClear: async () => {
      store.clear();
      recorder.resetFeed();
      emit('traceReset', store.stats());
      return store.stats();
    },
    traceExport: async () => {
      const file = exportTrace(recorder);
      return { fileB64: file.toString('base64'), frames: store.stats().frames };
    },
    traceExportPcap: async () => ({ fileB64: exportPcap(recorder).toString('base64'), frames: store.stats().frames }),
    traceImport: async ({ fileB64 }) => {
      const r = await importTrace(recorder, Buffer.from(base64ToBytes(fileB64)));
      emit('traceReset', store.stats());
      return r.warning ? { ...store.stats(), warning: r.warning } : store.stats();
    },
    docGet: async ({ key }) => ({ value: await docs.get(key) }),
    docSet: async ({ key, value }) => { await docs.set(key, value); return { ok: true as const }; },
  };

  return Object.assign(api, {
    events,
    recorder,
    broker,
    sessions,
    async openTraceFile(path: string, o?: ImportOptions) {
      const r = await importTrace(recorder, path, o);
      emit('traceReset', store.stats());
      return r.warning ? { ...store.stats(), warning: r.warning } : store.stats();
    },
    saveTraceFile: (path: string) => writeTraceFile(recorder, path),
    traceFileParts: () => exportParts(recorder),
    async dispose() {
      await sessions.dispose();
      await broker.dispose();
      recorder.flush();
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
