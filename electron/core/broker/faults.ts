// Fault injection on the embedded broker, per client: delay what the broker sends it, drop the next N
// acknowledgements, drop the next outbound PUBLISH, or close its socket without DISCONNECT (so its will
// fires). It works between aedes and the client's stream: while a fault is active, the stream's write()
// is replaced by one that reassembles aedes' chunked writes into whole packets and then passes, holds or
// swallows each. The wire tap sits below write(), so the trace shows only what really went out; what was
// swallowed is recorded as an event ("fault: dropped PUBACK id 7"). Without faults the stream is untouched,
// so the broker's socket path costs nothing.
import type { Duplex } from 'node:stream';
import type { BrokerFault, ClientFaults } from '../../../shared/contract/types';
import type { WireConnection } from '../trace/wire';

const NAMES = ['', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE', 'SUBACK',
  'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'];
const ACKS = new Set([4, 5, 6, 7]);
type Write = (chunk: unknown, ...rest: unknown[]) => boolean;

/** Offset of the variable header (after type byte and remaining length), or -1 while incomplete. */
function headerEnd(buf: Buffer): { start: number; total: number } | null {
  let len = 0;
  let mul = 1;
  for (let i = 1; i < buf.length && i <= 4; i++) {
    const b = buf[i] as number;
    len += (b & 0x7f) * mul;
    mul *= 128;
    if (!(b & 0x80)) return { start: i + 1, total: i + 1 + len };
  }
  return null;
}

/** "PUBACK id 7", "PUBLISH id 3 'a/b'" — what the event says about a packet. */
export function describePacket(p: Buffer): string {
  const type = (p[0] as number) >> 4;
  const h = headerEnd(p);
  const name = NAMES[type] ?? `type ${type}`;
  if (!h) return name;
  if (ACKS.has(type) && p.length >= h.start + 2) return `${name} id ${p.readUInt16BE(h.start)}`;
  if (type === 3 && p.length >= h.start + 2) {
    const tlen = p.readUInt16BE(h.start);
    const topic = p.subarray(h.start + 2, h.start + 2 + tlen).toString('utf8');
    const qos = ((p[0] as number) >> 1) & 3;
    const idAt = h.start + 2 + tlen;
    const id = qos > 0 && p.length >= idAt + 2 ? ` id ${p.readUInt16BE(idAt)}` : '';
    return `${name} QoS ${qos}${id} '${topic}'`;
  }
  return name;
}

/** Faults on one client connection. */
class StreamFaults {
  readonly state: ClientFaults = { delayMs: 0, dropAcks: 0, dropPublishes: 0 };
  private readonly original: Write;
  private pending = Buffer.alloc(0);
  /** Packets held by a delay, oldest first; due times never decrease, so the queue is also in time order. */
  private readonly queue: { packet: Buffer; due: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly patched: Write;

  constructor(private readonly stream: Duplex, private readonly wire: WireConnection, private readonly changed: () => void) {
    this.original = stream.write as unknown as Write;
    this.patched = (chunk: unknown) => this.write(chunk);
    stream.write = this.patched as unknown as Duplex['write'];
    stream.once('close', () => this.dispose());
  }

  get active(): boolean {
    const s = this.state;
    return s.delayMs > 0 || s.dropAcks > 0 || s.dropPublishes > 0;
  }

  get idle(): boolean {
    return !this.active && this.queue.length === 0 && this.pending.length === 0;
  }

  /** Hand write() back to the stream once nothing is held. */
  restoreIfIdle(): boolean {
    if (!this.idle) return false;
    if (this.stream.write === (this.patched as unknown)) this.stream.write = this.original as unknown as Duplex['write'];
    return true;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
    this.pending = Buffer.alloc(0);
    this.state.delayMs = 0;
    this.state.dropAcks = 0;
    this.state.dropPublishes = 0;
  }

  private write(chunk: unknown): boolean {
    const buf = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    this.pending = this.pending.length ? Buffer.concat([this.pending, buf]) : Buffer.from(buf);
    for (;;) {
      const h = headerEnd(this.pending);
      if (!h || this.pending.length < h.total) break;
      const packet = this.pending.subarray(0, h.total);
      this.pending = this.pending.subarray(h.total);
      this.route(packet);
    }
    return true;
  }

  private route(packet: Buffer): void {
    const type = (packet[0] as number) >> 4;
    const s = this.state;
    if (ACKS.has(type) && s.dropAcks > 0) {
      s.dropAcks -= 1;
      return this.dropped(packet);
    }
    if (type === 3 && s.dropPublishes > 0) {
      s.dropPublishes -= 1;
      return this.dropped(packet);
    }
    if (s.delayMs > 0 || this.queue.length > 0) {
      // Never before a packet held earlier (the delay may have been lowered or cleared meanwhile).
      const last = this.queue[this.queue.length - 1];
      this.queue.push({ packet, due: Math.max(Date.now() + s.delayMs, last ? last.due : 0) });
      this.arm();
      return;
    }
    this.pass(packet);
  }

  /** One timer for the head of the queue; when it fires, everything due goes out in order. */
  private arm(): void {
    const head = this.queue[0];
    if (this.timer || !head) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const now = Date.now();
      while (this.queue.length && (this.queue[0] as { due: number }).due <= now + 1) this.pass((this.queue.shift() as { packet: Buffer }).packet);
      this.arm();
      this.restoreIfIdle();
    }, Math.max(0, head.due - Date.now()));
  }

  private pass(packet: Buffer): void {
    if (!this.stream.destroyed) this.original.call(this.stream, packet);
  }

  private dropped(packet: Buffer): void {
    const s = this.state;
    const left = s.dropAcks || s.dropPublishes ? ` (${[s.dropAcks ? `${s.dropAcks} ack(s)` : '', s.dropPublishes ? `${s.dropPublishes} PUBLISH` : ''].filter(Boolean).join(', ')} still to drop)` : '';
    this.wire.event(`fault: dropped ${describePacket(packet)}${left}`);
    this.changed();
  }
}

export interface FaultTarget { stream: Duplex; wire: WireConnection }

/** All fault state of the broker, keyed by the client's stream (it goes away with the connection). */
export class BrokerFaults {
  private readonly byStream = new WeakMap<Duplex, StreamFaults>();

  constructor(private readonly changed: () => void) {}

  /** Active faults of a client connection, or undefined when there are none. */
  of(stream: Duplex): ClientFaults | undefined {
    const f = this.byStream.get(stream);
    return f && f.active ? { ...f.state } : undefined;
  }

  set(target: FaultTarget, fault: BrokerFault): ClientFaults {
    const { stream, wire } = target;
    if (fault.kind === 'close') {
      wire.event('fault: closed the socket without DISCONNECT (the broker publishes the will)');
      wire.closing('fault injected: socket closed without DISCONNECT');
      stream.destroy();
      return { delayMs: 0, dropAcks: 0, dropPublishes: 0 };
    }
    let f = this.byStream.get(stream);
    if (!f || f.restoreIfIdle()) {
      f = new StreamFaults(stream, wire, this.changed);
      this.byStream.set(stream, f);
    }
    const s = f.state;
    if (fault.kind === 'delay') {
      s.delayMs = fault.ms;
      wire.event(fault.ms > 0 ? `fault: delaying every packet to this client by ${fault.ms} ms` : 'fault: delay off');
    } else if (fault.kind === 'drop-acks') {
      s.dropAcks = fault.count;
      wire.event(`fault: dropping the next ${fault.count} acknowledgement(s) (PUBACK/PUBREC/PUBREL/PUBCOMP) to this client`);
    } else {
      s.dropPublishes = fault.count ?? 1;
      wire.event(`fault: dropping the next ${s.dropPublishes} PUBLISH to this client`);
    }
    f.restoreIfIdle();
    this.changed();
    return { ...s };
  }

  clear(target: FaultTarget): boolean {
    const f = this.byStream.get(target.stream);
    if (!f || !f.active) return false;
    f.state.delayMs = 0;
    f.state.dropAcks = 0;
    f.state.dropPublishes = 0;
    target.wire.event('fault: all faults cleared (packets still delayed go out on time)');
    f.restoreIfIdle();
    this.changed();
    return true;
  }
}
