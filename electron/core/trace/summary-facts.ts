// The filter's view of one frame held as a summary plus its bytes (the CLI's decode, a pcap read back):
// the same answers StoreFacts gives from the column store.
import type { ConnectionInfo, FrameSummary } from '../../../shared/contract/types';
import { PACKET_TYPES } from '../../../shared/contract/types';
import type { FrameFacts, FrameProperty } from '../../../shared/filter';
import { packetProperties } from '../../../shared/mqtt/packet-properties';

export class SummaryFacts implements FrameFacts {
  private f!: FrameSummary;
  private bytes: Uint8Array = new Uint8Array(0);
  private conn_: ConnectionInfo | undefined;
  private props: readonly FrameProperty[] | null = null;

  /** Point at a frame; `originMs` is its trace's wall clock at timeUs 0. */
  set(f: FrameSummary, bytes: Uint8Array, conn: ConnectionInfo | undefined): void {
    this.f = f;
    this.bytes = bytes;
    this.conn_ = conn;
    this.props = null;
  }

  frame(): number { return this.f.seq; }
  timeUs(): number { return this.f.timeUs; }
  wallMs(): number { return this.f.wallMs; }
  kind(): number { return this.f.kind === 'packet' ? 0 : this.f.kind === 'malformed' ? 1 : 2; }
  typeNum(): number { return this.f.type === null ? -1 : PACKET_TYPES.indexOf(this.f.type); }
  b0(): number { return this.bytes.length ? this.bytes[0] : 0; }
  clientSide(): boolean { return this.f.side === 'client'; }
  s2c(): boolean { return this.f.dir === 's2c'; }
  conn(): number { return this.f.conn; }
  clientId(): string | undefined { return this.conn_?.clientId; }
  packetId(): number { return this.f.packetId ?? 0; }
  topic(): string | undefined { return this.f.topic; }
  size(): number { return this.f.length; }
  reason(): number { return this.f.reasonCode ?? -1; }
  payload(): Uint8Array | null {
    return this.f.type === 'PUBLISH' && this.f.payloadSize !== undefined ? this.bytes.subarray(this.bytes.length - this.f.payloadSize) : null;
  }
  properties(): readonly FrameProperty[] {
    if (this.props) return this.props;
    const v = this.conn_?.protocolVersion ?? 4;
    return (this.props = this.f.kind === 'event' ? [] : packetProperties(this.bytes, v));
  }
}
