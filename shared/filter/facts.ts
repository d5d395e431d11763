// What the evaluator may ask about one frame. Core implements it over its column store (a cursor moved
// with seek), the CLI over a file; properties (shared/mqtt/packet-properties) are read only when a
// filter gets that far.
export interface FrameProperty {
  /** Full property name as in the MQTT 5 spec ("Content Type"); "User Property" for user pairs. */
  name: string;
  /** User Property key. */
  key?: string;
  value: string | number;
}

export interface FrameFacts {
  frame(): number;
  /** Microseconds since the trace's own origin. */
  timeUs(): number;
  /** Absolute wall clock, ms since the epoch (fractional: microseconds are kept). */
  wallMs(): number;
  /** 0 packet, 1 malformed, 2 event. */
  kind(): number;
  /** Packet type 0–15, or -1 when the frame has no bytes (events). */
  typeNum(): number;
  /** First byte of the frame (PUBLISH flags live here). */
  b0(): number;
  clientSide(): boolean;
  s2c(): boolean;
  conn(): number;
  clientId(): string | undefined;
  /** 0 when the packet has none. */
  packetId(): number;
  topic(): string | undefined;
  size(): number;
  /** -1 when the packet has none. */
  reason(): number;
  payload(): Uint8Array | null;
  /**
   * Optional fast path for payload search: the payload as a range of a larger array, no view allocated.
   * Returns false when the frame has no payload bytes.
   */
  payloadRange?(out: { bytes: Uint8Array; from: number; to: number }): boolean;
  properties(): readonly FrameProperty[];
}
