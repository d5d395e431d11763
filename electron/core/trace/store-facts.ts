// The filter's view of a TraceStore: a cursor over its columns. seek() is all that moves per frame; the
// rest are reads of the block it points at, and properties are decoded at most once per frame.
import type { ProtocolVersion } from '../../../shared/contract/types';
import type { FrameFacts, FrameProperty } from '../../../shared/filter';
import { packetProperties } from '../../../shared/mqtt/packet-properties';
import { META_CLIENT_SIDE, META_KIND_SHIFT, META_S2C, NO_REASON, type Block } from './frame-index';
import { UNKNOWN_SET, type FilterIndex } from './filter-index';
import type { PayloadSpan, TraceStore } from './trace-store';

/** What the facts need to know about a connection. */
export interface ConnFacts { clientId?: string; protocolVersion?: ProtocolVersion }

export class StoreFacts implements FrameFacts {
  private b!: Block;
  private i = 0;
  private seq = 0;
  private props: readonly FrameProperty[] | null = null;
  private connId = -1;
  private connInfo: ConnFacts | undefined;

  /** Decoded property lists by the index's set id: each distinct list is decoded once per query. */
  private sets = new Map<number, readonly FrameProperty[]>();

  constructor(private store: TraceStore, private conns: (id: number) => ConnFacts | undefined, private index?: FilterIndex) {}

  /** Point at `seq`; false when it is no longer stored. */
  seek(seq: number): boolean {
    const b = this.store.blockOf(seq);
    if (!b) return false;
    this.b = b;
    this.i = seq - b.firstSeq;
    this.seq = seq;
    this.props = null;
    return true;
  }

  frame(): number { return this.seq; }
  timeUs(): number { return this.b.timeUs[this.i]; }
  wallMs(): number { return this.store.wallUs(this.b.timeUs[this.i]) / 1000; }
  kind(): number { return (this.b.meta[this.i] >> META_KIND_SHIFT) & 3; }
  typeNum(): number { return this.kind() === 2 || this.b.len[this.i] === 0 ? -1 : this.b.b0[this.i] >> 4; }
  b0(): number { return this.b.b0[this.i]; }
  clientSide(): boolean { return (this.b.meta[this.i] & META_CLIENT_SIDE) !== 0; }
  s2c(): boolean { return (this.b.meta[this.i] & META_S2C) !== 0; }
  conn(): number { return this.b.conn[this.i]; }
  clientId(): string | undefined { return this.connFacts()?.clientId; }
  packetId(): number { return this.b.packetId[this.i]; }
  topic(): string | undefined { return this.store.topicOf(this.seq); }
  size(): number { return this.b.len[this.i]; }
  reason(): number { const r = this.b.reason[this.i]; return r === NO_REASON ? -1 : r; }
  payload(): Uint8Array | null { return this.store.payloadOf(this.seq); }
  payloadRange(out: PayloadSpan): boolean { return this.store.payloadSpan(this.seq, out); }

  properties(): readonly FrameProperty[] {
    if (this.props) return this.props;
    if (this.kind() === 2 || this.b.len[this.i] < 2) return (this.props = []);
    const version = this.connFacts()?.protocolVersion ?? 4;
    // Only MQTT 5 packets carry properties (a CONNECT says its own level).
    if (version !== 5 && (this.b.b0[this.i] >> 4) !== 1) return (this.props = []);
    const set = this.index ? this.index.propSet(this.seq) : UNKNOWN_SET;
    if (set === 0) return (this.props = []);
    if (set !== UNKNOWN_SET) {
      const known = this.sets.get(set);
      if (known) return (this.props = known);
    }
    const head = this.store.headerOf(this.seq);
    this.props = head ? packetProperties(head, version) : [];
    if (set !== UNKNOWN_SET) this.sets.set(set, this.props);
    return this.props;
  }

  private connFacts(): ConnFacts | undefined {
    const id = this.b.conn[this.i];
    if (id !== this.connId) { this.connId = id; this.connInfo = this.conns(id); }
    return this.connInfo;
  }
}
