// THE contract: what core offers (methods) and what it announces (events). Hosts bind it to a transport;
// the renderer only ever sees this interface.
import type { MethodName, ParamsOf } from './schemas';
import type {
  AckResult, BrokerClientInfo, BrokerStatus, BrokerSubscriptionInfo, ConnectionInfo, FrameDetail, HostInfo,
  OfflineSessionInfo, RetainedInfo, SessionInfo, TraceBatch, TraceQueryResult, TraceStats,
} from './types';

export interface MethodResults {
  hostInfo: HostInfo;
  brokerStatus: BrokerStatus;
  brokerStart: BrokerStatus;
  brokerStop: BrokerStatus;
  brokerClients: BrokerClientInfo[];
  brokerSubscriptions: BrokerSubscriptionInfo[];
  brokerRetained: RetainedInfo[];
  brokerRetainedPayload: { topic: string; payloadB64: string } | null;
  brokerRetainedDelete: { deleted: boolean };
  brokerRetainedClear: { count: number };
  brokerOfflineSessions: OfflineSessionInfo[];
  brokerDisconnectClient: { disconnected: boolean };
  connectionList: ConnectionInfo[];
  sessionList: SessionInfo[];
  sessionOpen: SessionInfo;
  sessionConnect: SessionInfo;
  sessionDisconnect: SessionInfo;
  sessionClose: { closed: boolean };
  sessionSubscribe: AckResult;
  sessionUnsubscribe: AckResult;
  sessionPublish: AckResult;
  traceQuery: TraceQueryResult;
  traceFrame: FrameDetail | null;
  traceStats: TraceStats;
  traceSetBudget: TraceStats;
  traceClear: TraceStats;
  traceExport: { fileB64: string; frames: number };
  /** The trace as pcap (Wireshark/tshark), one TCP segment per MQTT frame. */
  traceExportPcap: { fileB64: string; frames: number };
  /** `warning`: the file was cut short (e.g. a killed writer); everything before the cut was loaded. */
  traceImport: TraceStats & { warning?: string };
  docGet: { value: unknown };
  docSet: { ok: true };
}

type CheckAllMethods = { [M in MethodName]: MethodResults[M] };
/** Methods without parameters may be called with none: api.brokerStatus(). */
type Method<P, R> = undefined extends P ? (params?: P) => Promise<R> : (params: P) => Promise<R>;
export type CoreApi = { [M in MethodName]: Method<ParamsOf<M>, CheckAllMethods[M]> };

export interface CoreEvents {
  /** Batched trace appends, at most ~30 per second, never one per frame. */
  traceBatch: TraceBatch;
  brokerStatus: BrokerStatus;
  /** Something in clients/subscriptions/retained/offline sessions changed; refetch what you show. */
  brokerChanged: { what: ('clients' | 'subscriptions' | 'retained' | 'offline')[] };
  session: SessionInfo;
  sessionClosed: { id: string };
  /** The trace was cleared or replaced by a file (from any window or the Electron menu): reload views. */
  traceReset: TraceStats;
}
export type EventName = keyof CoreEvents;
export const EVENT_NAMES: EventName[] = ['traceBatch', 'brokerStatus', 'brokerChanged', 'session', 'sessionClosed', 'traceReset'];

export type EventListener = <E extends EventName>(name: E, payload: CoreEvents[E]) => void;

/** Max summaries in one traceBatch; beyond that the batch says which range to query. */
export const TRACE_BATCH_MAX = 2000;
/** Electron IPC channel names: the only two strings the preload lets through. */
export const IPC_CALL = 'mqscope:call';
export const IPC_EVENT = 'mqscope:event';
