// THE contract: what core offers (methods) and what it announces (events). Hosts bind it to a transport;
// the renderer only ever sees this interface.
import type { MethodName, ParamsOf } from './schemas';
import type {
  AckResult, BrokerClientInfo, BrokerConfigParse, BrokerStatus, BrokerSubscriptionInfo, ClientFaults, ConnectionInfo, FrameDetail, FrameSummary, HostInfo, StepState,
  OfflineSessionInfo, RetainedInfo, SessionInfo, TraceBatch, TraceDocInfo, TraceFileProgress, TraceQueryResult, TraceStats,
} from './types';
import type { Flow, FlowSettings, FlowWindow, FlowsChanged, FlowsQueryResult, FrameFlowMark, JourneyResult } from '../flows/types';
import type { DocMessagesResult } from './doc-messages';
import type { TraceListPageResult, TraceListResult } from './list-pages';
import type { CodecSettingsInfo, PayloadPreview, TopicSeriesResult, TopicTreeResult } from './topics';
import type { PayloadChunk } from './types';

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
  // ---- broker config ----
  brokerConfigParse: BrokerConfigParse;
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
  // ---- provoke ----
  /** The client's faults after the change (all zero after 'close', which ends the connection). */
  brokerFaultSet: ClientFaults;
  brokerFaultClear: { cleared: boolean };
  sessionStepMode: StepState;
  sessionStepQueue: StepState;
  sessionStepAction: StepState;
  /** The bytes that went out. */
  sessionSendRaw: { bytesB64: string; length: number };
  // ---- end provoke ----
  // ---- display filters and trace documents (issue 8) ----
  /** Stop the running filtered query of that caller (it rejects with code 'cancelled'). */
  traceQueryCancel: { cancelled: boolean };
  /** The live capture first, then every opened file. */
  traceDocs: TraceDocInfo[];
  traceCloseDoc: { closed: boolean };
  // ---- trace files by path (issue 9) ----
  /** The file read streamed into a document of its own (also announced with traceDocOpened). */
  traceFileOpen: TraceDocInfo;
  /** Written to a temporary file beside the chosen one, renamed over it when complete. */
  traceFileSave: {
    frames: number; bytes: number; path: string;
    /** Frames of a live capture the budget evicted while the save was under way: they are not in the file. */
    evicted: number;
  };
  /** Stops that transfer (its call rejects with code 'cancelled' and changes nothing). */
  traceFileCancel: { cancelled: boolean };
  // ---- messages of a trace document ----
  /** One page of an opened file's messages (PUBLISH frames delivered to a client), oldest first. */
  traceDocMessages: DocMessagesResult;
  docGet: { value: unknown };
  docSet: { ok: true };
  // ---- flows ----
  /** Flows for the table: stalled, broken, refused first, then newest; steps trimmed to FLOW_TABLE_STEPS. */
  flowsQuery: FlowsQueryResult;
  /** One flow with all its steps, or null when it is not (or no longer) in the trace. */
  flowGet: Flow | null;
  /** Which flow each frame in the range belongs to (frames of no flow are left out). */
  flowsOfFrames: FrameFlowMark[];
  /** A message journey by its id, by a frame seq or by a flow id, with every flow its diagram draws. */
  journeyGet: JourneyResult | null;
  /** Live connections: outstanding QoS 1/2 publishes per direction vs the receiver's Receive Maximum. */
  flowWindows: FlowWindow[];
  /** Read (no params) or set the stall threshold. */
  flowSettings: FlowSettings;
  // ---- topics ---- (topic tree, payload codecs, charts: issue 10)
  topicTree: TopicTreeResult;
  payloadPreview: PayloadPreview[];
  codecSettings: CodecSettingsInfo;
  codecSettingsSet: CodecSettingsInfo;
  payloadEncode: { payloadB64: string };
  topicSeries: TopicSeriesResult;
  /** One-line previews of retained payloads, decoded by each topic's codec. */
  retainedPreview: { topic: string; preview: PayloadPreview | null }[];
  /** Republishes a deleted retained message (undo). */
  retainedRestore: { ok: true };
  // ---- burst (issue 11) ----
  /**
   * Live capture, a seq range: the client side's inbound PUBLISHes and event notes (what the message lists
   * hold), at most `limit`; `nextFromSeq` says where to go on (null: the range is done).
   */
  traceMessagePage: { frames: FrameSummary[]; nextFromSeq: number | null };
  // ---- filtered lists page like the live list (issue 11) ----
  /** traceQuery for a list that pages: also says how many matches are new since `since` (the caller's pages follow this answer). */
  traceList: TraceListResult;
  /** Rows of the caller's list by rank from its newest match below `upTo` (or from a frame number). */
  traceListPage: TraceListPageResult;
  // ---- end filtered list pages ----
  // ---- large payloads ----
  /** Bytes [offset, offset + length) of a PUBLISH payload (fewer at its end); null when the frame is gone. */
  payloadChunk: PayloadChunk | null;
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
  /** provoke: step mode's queue of a session changed. */
  sessionStep: StepState;
  /** The live capture was cleared (from any window or the Electron menu): reload views of it. */
  traceReset: TraceStats;
  /** A trace file was opened as a document (e.g. from the Electron File menu): show it. */
  traceDocOpened: TraceDocInfo;
  /** Flows changed (at most once per trace batch): refetch what you show. */
  flowsChanged: FlowsChanged;
  /** How far a traceFileOpen/traceFileSave got (at most ~10 per second per transfer, and once at the end). */
  traceFileProgress: TraceFileProgress;
}
export type EventName = keyof CoreEvents;
export const EVENT_NAMES: EventName[] = ['traceBatch', 'brokerStatus', 'brokerChanged', 'session', 'sessionClosed', 'traceReset', 'traceDocOpened',
  'flowsChanged', 'sessionStep', 'traceFileProgress'];

export type EventListener = <E extends EventName>(name: E, payload: CoreEvents[E]) => void;

/** Max summaries in one traceBatch; beyond that the batch says which range to query. */
export const TRACE_BATCH_MAX = 2000;
/** Electron IPC channel names: the only two strings the preload lets through. */
export const IPC_CALL = 'mqscope:call';
export const IPC_EVENT = 'mqscope:event';
