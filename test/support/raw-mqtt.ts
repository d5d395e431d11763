// A raw MQTT peer for conformance tests: writes hand-made bytes (or mqtt-packet generated ones) and hands
// back each whole frame the broker sends, byte for byte. Works the same against the embedded broker and
// mosquitto, so a test can compare the two answers.
import net from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';

export type Version = 3 | 4 | 5;

export const gen = (p: Packet | Record<string, unknown>, protocolVersion: Version = 5): Buffer =>
  mqttPacket.generate(p as Packet, { protocolVersion });

/** A parsed view of a frame, for assertions on fields (the bytes stay the ground truth). */
export function parse(frame: Buffer, protocolVersion: Version = 5): any {
  const parser = mqttPacket.parser({ protocolVersion });
  let out: any = null;
  parser.on('packet', (p) => { out = p; });
  parser.on('error', (e) => { throw e; });
  parser.parse(frame);
  return out;
}

export class RawPeer {
  private buf = Buffer.alloc(0);
  private frames: Buffer[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<void>;
  isClosed = false;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (b) => { this.buf = Buffer.concat([this.buf, b]); this.split(); });
    socket.on('error', () => { /* a reset shows up as close */ });
    this.closed = new Promise((r) => socket.once('close', () => { this.isClosed = true; this.wake(); r(); }));
  }

  static async open(port: number, host = '127.0.0.1'): Promise<RawPeer> {
    const socket = net.connect(port, host);
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    return new RawPeer(socket);
  }

  /** Opens, sends CONNECT, returns the peer and the CONNACK bytes. */
  static async connect(port: number, connect: Record<string, unknown>, v: Version = 5): Promise<{ peer: RawPeer; connack: Buffer }> {
    const peer = await RawPeer.open(port);
    peer.send(gen({ cmd: 'connect', protocolId: v === 3 ? 'MQIsdp' : 'MQTT', protocolVersion: v, keepalive: 60, clean: true, ...connect }, v));
    return { peer, connack: await peer.next() };
  }

  send(b: Buffer): void { this.socket.write(b); }

  /** The next whole frame; rejects when the connection closes first or nothing comes in time. */
  async next(timeoutMs = 3000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.isClosed) throw new Error('connection closed before the next frame');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      await new Promise<void>((r) => { const t = setTimeout(r, left); this.waiters.push(() => { clearTimeout(t); r(); }); });
    }
    return this.frames.shift()!;
  }

  /** Collects frames until `quietMs` passes with nothing new (for "nothing more is sent" checks). */
  async drain(quietMs = 300): Promise<Buffer[]> {
    const out: Buffer[] = [];
    for (;;) {
      try { out.push(await this.next(quietMs)); } catch { return out; }
    }
  }

  /** Frames received so far and not yet taken. */
  pending(): number { return this.frames.length; }

  close(): void { this.socket.destroy(); }

  private split(): void {
    for (;;) {
      if (this.buf.length < 2) break;
      let len = 0;
      let mul = 1;
      let i = 1;
      for (; i < 5 && i < this.buf.length; i++) {
        len += (this.buf[i] & 0x7f) * mul;
        mul *= 128;
        if ((this.buf[i] & 0x80) === 0) break;
      }
      if (i >= this.buf.length) break;
      const total = i + 1 + len;
      if (this.buf.length < total) break;
      this.frames.push(this.buf.subarray(0, total));
      this.buf = this.buf.subarray(total);
    }
    this.wake();
  }

  private wake(): void { const w = this.waiters; this.waiters = []; for (const f of w) f(); }
}

export const hex = (b: Buffer): string => b.toString('hex').replace(/(..)/g, '$1 ').trim();

/** A PUBLISH frame with its packet identifier zeroed: brokers pick identifiers differently. */
export function sansPacketId(frame: Buffer): Buffer {
  const type = frame[0] >> 4;
  const qos = (frame[0] >> 1) & 3;
  if (type !== 3 || qos === 0) return frame;
  let i = 1;
  while (frame[i] & 0x80) i++;
  const topicLen = frame.readUInt16BE(i + 1);
  const at = i + 3 + topicLen;
  const out = Buffer.from(frame);
  out.writeUInt16BE(0, at);
  return out;
}

/** The packet identifier of a PUBLISH (QoS > 0) frame. */
export function packetIdOf(frame: Buffer): number {
  let i = 1;
  while (frame[i] & 0x80) i++;
  return frame.readUInt16BE(i + 3 + frame.readUInt16BE(i + 1));
}

export const puback = (id: number): Buffer => Buffer.from([0x40, 0x02, id >> 8, id & 0xff]);
