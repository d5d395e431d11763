// Crafted frame sequences for the flow engine: each call appends one frame (seq and time advance),
// so a test reads like the wire it describes.
import type { Dir, PacketType, Side } from '../../shared/contract/types';
import type { ConnMeta } from '../../shared/flows/conn-state';
import { FlowEngine, type FlowEngineOptions } from '../../shared/flows/engine';
import type { FlowFrame, FrameExtras } from '../../shared/flows/frame';

export class Wire {
  readonly e: FlowEngine;
  seq = 0;
  timeUs = 1_000_000;
  private sides = new Map<number, Side>();
  readonly meta = new Map<number, ConnMeta>();

  constructor(opts: FlowEngineOptions = {}) {
    this.e = new FlowEngine({ ...opts, connMeta: (id) => this.meta.get(id) });
  }

  open(conn: number, side: Side = 'broker', meta?: Omit<ConnMeta, 'side'>): this {
    this.sides.set(conn, side);
    if (meta) this.meta.set(conn, { side, ...meta });
    return this.frame(conn, 'c2s', null, {}, undefined, 'event', 'connection opened 127.0.0.1:1 ↔ 127.0.0.1:2 (tcp)');
  }

  close(conn: number): this {
    return this.frame(conn, 's2c', null, {}, undefined, 'event', 'connection closed: socket closed');
  }

  /** `dt` µs after the previous frame. */
  pkt(conn: number, dir: Dir, type: PacketType, f: Partial<FlowFrame> = {}, x?: FrameExtras, dt = 100): this {
    this.timeUs += dt;
    return this.frame(conn, dir, type, f, x, 'packet');
  }

  connect(conn: number, clientId: string, x: FrameExtras = {}, sessionPresent = false, level = 4): this {
    return this.pkt(conn, 'c2s', 'CONNECT', {}, { clientId, level, ...x }).pkt(conn, 's2c', 'CONNACK', { reasonCode: 0 }, { sessionPresent });
  }

  private frame(conn: number, dir: Dir, type: PacketType | null, f: Partial<FlowFrame>, x: FrameExtras | undefined, kind: FlowFrame['kind'], note?: string): this {
    const side = this.sides.get(conn) ?? 'broker';
    this.e.append({ seq: this.seq++, timeUs: this.timeUs, conn, side, dir, kind, type, ...(note ? { note } : {}), ...f }, x);
    return this;
  }

  /** Flows of one kind, oldest first. */
  flows(kind?: string) { return [...this.e.flows.values()].filter((r) => !kind || r.kind === kind); }
}
