// QoS flows and message journeys as they cross the contract (the flow engine produces them, the Flows
// view, the sequence diagram and `mqscope flows --json` read them). Plain data, no behaviour.
import type { Dir, PacketType, Side } from '../contract/types';

/** One handshake: CONNECT→CONNACK, SUBSCRIBE→SUBACK, PUBLISH→PUBACK, PUBLISH→PUBREC→PUBREL→PUBCOMP, … */
export const FLOW_KINDS = [
  'connect', 'subscribe', 'unsubscribe', 'ping', 'publish-qos0', 'publish-qos1', 'publish-qos2', 'auth', 'disconnect',
] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

/**
 * complete: every step seen. in-flight: waiting for the next step, younger than the stall threshold.
 * stalled: no next step within the threshold (or the connection closed and no later connection of the
 * same client continued it). retransmitted: a DUP or a resend after reconnect, still waiting; once it
 * completes the state is `complete` and `Flow.retransmitted` stays true. refused: a reason code ≥ 0x80
 * (3.1.1: a CONNACK return code ≠ 0, SUBACK 0x80). broken: the peers broke a rule (ack for an unknown
 * id, id reused while in flight, steps in the wrong order, ack of the wrong type); `problem` says which.
 */
export const FLOW_STATES = ['complete', 'in-flight', 'stalled', 'retransmitted', 'refused', 'broken'] as const;
export type FlowState = (typeof FLOW_STATES)[number];

export interface FlowStep {
  /** The frame in the trace store (traceFrame({ seq }) opens it). */
  seq: number;
  type: PacketType;
  dir: Dir;
  /** Monotonic µs, same clock as FrameSummary.timeUs. */
  timeUs: number;
  /** PUBLISH sent with the DUP flag. */
  dup?: boolean;
  reasonCode?: number;
  /** Why this step matters, in plain words: "resent after reconnect", "refused: Not authorized". */
  note?: string;
  /** This step happened on another connection than the flow's first one (resend after reconnect). */
  conn?: number;
}

export interface Flow {
  id: number;
  /** Connection of the first step; a QoS 1/2 flow continued after a reconnect keeps it (see steps[].conn). */
  conn: number;
  side: Side;
  clientId?: string;
  kind: FlowKind;
  packetId?: number;
  /** Direction of the packet that started the flow. */
  origin: Dir;
  /** PUBLISH topic (topic aliases resolved), first SUBSCRIBE/UNSUBSCRIBE filter. */
  topic?: string;
  qos?: 0 | 1 | 2;
  state: FlowState;
  retransmitted: boolean;
  /** Why the flow is broken, refused or stalled, in plain words citing the spec rule. */
  problem?: string;
  /** All steps from flowGet/journeyGet; flowsQuery sends at most FLOW_TABLE_STEPS of them. */
  steps: FlowStep[];
  /** Number of steps (steps may be trimmed in a table result). */
  stepCount: number;
  startUs: number;
  /** Time of the last step of a flow that is over (complete, refused, broken). */
  endUs?: number;
  /** endUs − startUs, or lastStep − startUs while still open. */
  durationUs: number;
  /** The same exchange seen by the other tap (MQScope's client session ↔ the embedded broker, loopback). */
  peer?: { conn: number; flowId: number };
  /** The message journey this PUBLISH flow belongs to (inbound, a delivery, or the peer of either). */
  journeyId?: number;
}

/** Steps kept per flow in a flowsQuery result (the table needs the first few, the diagram asks flowGet). */
export const FLOW_TABLE_STEPS = 4;

export type DeliveryCause = 'publish' | 'retained' | 'will' | 'offline-queue';

export interface JourneyDelivery {
  conn: number;
  clientId?: string;
  /** QoS the subscriber got (min of the publish QoS and its subscription QoS). */
  qos: 0 | 1 | 2;
  /** The broker-side outbound PUBLISH flow. */
  flow: number;
  state: FlowState;
  cause: DeliveryCause;
  /** seq of the delivered PUBLISH frame. */
  seq: number;
}

export interface Journey {
  id: number;
  topic: string;
  /** Who published it; for a will, the connection that died; absent when the publish is not in the trace. */
  publisher?: { conn: number; clientId?: string };
  /** The broker-side inbound PUBLISH flow (absent for wills and when the publish is not in the trace). */
  inboundFlow?: number;
  /** QoS of the inbound PUBLISH (or of the will / the first delivery when there is none). */
  qos: 0 | 1 | 2;
  retain: boolean;
  payloadSize: number;
  startUs: number;
  /** Empty: the broker delivered it to nobody. */
  deliveries: JourneyDelivery[];
}

export interface FlowsQuery {
  states?: FlowState[];
  kinds?: FlowKind[];
  /** Exact client id. */
  clientId?: string;
  /** MQTT topic filter (+, #) on the flow's topic. */
  topicFilter?: string;
  conns?: number[];
  offset?: number;
  limit?: number;
  /** The trace document (default: the live capture). */
  doc?: string;
}

export type FlowCounts = Record<FlowState, number>;

export interface FlowsQueryResult {
  /** Stalled, broken, refused first (newest first within them), then the rest newest first. */
  flows: Flow[];
  /** Flows matching the filters (ignoring offset/limit). */
  total: number;
  /** Per state over ALL flows held (ignoring filters). */
  counts: FlowCounts;
}

export interface FrameFlowMark {
  seq: number;
  flowId: number;
  kind: FlowKind;
  state: FlowState;
}

export interface JourneyResult {
  journey: Journey;
  /** Every flow the diagram draws: inbound, each delivery, and the peer flows of loopback client taps. */
  flows: Flow[];
}

/** Publishes waiting for their last ack per direction, against the receiver's Receive Maximum. */
export interface FlowWindowSide {
  qos1: number;
  qos2: number;
  /** The receiver's Receive Maximum (65535 when it sent none, §3.1.2.11.3 / §3.2.2.3.3, and for 3.1.1). */
  receiveMaximum: number;
}

export interface FlowWindow {
  conn: number;
  clientId?: string;
  side: Side;
  /** Client → server publishes in flight; the limit is the server's Receive Maximum (CONNACK). */
  c2s: FlowWindowSide;
  /** Server → client publishes in flight; the limit is the client's Receive Maximum (CONNECT). */
  s2c: FlowWindowSide;
}

export interface FlowSettings {
  /** An open flow with no next step for this long is stalled. Default 5000. */
  stalledMs: number;
}

export interface FlowsChanged {
  counts: FlowCounts;
  total: number;
}
