// A byte-level MQTT client for the broker-config tests (auth, ACL, persistence): sends packets built with
// mqtt-packet and hands back each received packet's exact bytes, so assertions can name the bytes the spec
// fixes.
import net from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';

export interface RawPacket { bytes: Buffer; type: number; packet: Packet }

export interface RawConnectOptions {
  clientId: string;
  version?: 4 | 5;
  username?: string;
  password?: string;
  clean?: boolean;
  properties?: Record<string, unknown>;
  will?: { topic: string; payload: string; qos: 0 | 1 | 2; retain?: boolean };
  /** Answer QoS 1 PUBLISHes with PUBACK (default true); false leaves them in flight. */
  autoAck?: boolean;
}

export class ByteClient {
  private buf = Buffer.alloc(0);
  private got: RawPacket[] = [];
  private waiters = new Set<() => void>();
  private nextId = 1;
  readonly closed: Promise<void>;
  private constructor(private socket: net.Socket, readonly version: 4 | 5, private autoAck: boolean) {
    socket.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.split(); });
    socket.on('error', () => { /* shows up as close */ });
    this.closed = new Promise((r) => socket.once('close', () => { for (const w of this.waiters) w(); r(); }));
  }

  /** Connects and returns the client plus the CONNACK's bytes. */
  static async connect(port: number, o: RawConnectOptions): Promise<{ c: ByteClient; connack: Buffer }> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    socket.setNoDelay(true);
    const version = o.version ?? 4;
    const c = new ByteClient(socket, version, o.autoAck ?? true);
    c.send({
      cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clientId: o.clientId, clean: o.clean ?? true, keepalive: 60,
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: Buffer.from(o.password) } : {}),
      ...(o.properties ? { properties: o.properties } : {}),
      ...(o.will ? { will: { topic: o.will.topic, payload: Buffer.from(o.will.payload), qos: o.will.qos, retain: o.will.retain ?? false } } : {}),
    } as Packet);
    const connack = await c.next(2);
    return { c, connack: connack.bytes };
  }

  send(p: Packet): void { this.socket.write(mqttPacket.generate(p, { protocolVersion: this.version })); }

  /** SUBSCRIBE one filter; returns the SUBACK bytes. */
  async subscribe(topic: string, qos: 0 | 1 | 2 = 0): Promise<Buffer> {
    const messageId = this.nextId++;
    this.send({ cmd: 'subscribe', messageId, subscriptions: [{ topic, qos }] } as Packet);
    return (await this.next(9)).bytes;
  }

  /** PUBLISH; for QoS 1 returns the PUBACK bytes, QoS 2 the PUBREC bytes (then completes the flow), QoS 0 nothing. */
  async publish(topic: string, payload: string, qos: 0 | 1 | 2 = 0, retain = false): Promise<Buffer | null> {
    const messageId = qos > 0 ? this.nextId++ : undefined;
    this.send({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain, dup: false, messageId } as Packet);
    if (qos === 0) return null;
    const ack = await this.next(qos === 1 ? 4 : 5);
    // A v5 PUBREC with a failure code (>= 0x80) ends the flow [MQTT-4.3.3]; otherwise release it.
    const failed = this.version === 5 && ack.bytes.length > 4 && ack.bytes[4] >= 0x80;
    if (qos === 2 && !failed) {
      this.send({ cmd: 'pubrel', messageId } as Packet);
      await this.next(7);
    }
    return ack.bytes;
  }

  /** The next received packet of this type (1 CONNECT … 14 DISCONNECT), removed from the queue. */
  async next(type: number, timeoutMs = 5000): Promise<RawPacket> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.got.findIndex((p) => p.type === type);
      if (i >= 0) return this.got.splice(i, 1)[0];
      if (this.socket.closed) throw new Error(`connection closed while waiting for packet type ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no packet of type ${type} within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        const w = () => { clearTimeout(t); this.waiters.delete(w); r(); };
        const t = setTimeout(w, left);
        this.waiters.add(w);
      });
    }
  }

  /** Every PUBLISH received so far, in order (QoS 1 ones are acknowledged unless autoAck is false). */
  publishes(): { topic: string; payload: string; retain: boolean; qos: number; dup: boolean }[] {
    return this.got.filter((p) => p.type === 3).map((p) => {
      const pk = p.packet as Packet & { topic: string; payload: Buffer; retain: boolean; qos: number; dup: boolean };
      return { topic: pk.topic, payload: pk.payload.toString(), retain: pk.retain, qos: pk.qos, dup: pk.dup };
    });
  }

  /** Drops the connection without DISCONNECT (a crashed or unplugged client). */
  async drop(): Promise<void> {
    this.socket.destroy();
    await this.closed;
  }

  async close(): Promise<void> {
    if (!this.socket.closed) { this.send({ cmd: 'disconnect' } as Packet); this.socket.end(); }
    await this.closed;
  }

  private split(): void {
    for (;;) {
      if (this.buf.length < 2) return;
      let len = 0, mul = 1, i = 1;
      for (;; i++) {
        if (i >= this.buf.length) return;
        len += (this.buf[i] & 0x7f) * mul;
        mul *= 128;
        if (!(this.buf[i] & 0x80)) break;
      }
      const total = i + 1 + len;
      if (this.buf.length < total) return;
      const bytes = Buffer.from(this.buf.subarray(0, total));
      this.buf = this.buf.subarray(total);
      const parser = mqttPacket.parser({ protocolVersion: this.version });
      let packet: Packet | undefined;
      parser.on('packet', (p) => { packet = p; });
      parser.parse(bytes);
      const type = bytes[0] >> 4;
      if (this.autoAck && type === 3 && packet && (packet as { qos?: number }).qos === 1) this.send({ cmd: 'puback', messageId: (packet as { messageId: number }).messageId } as Packet);
      this.got.push({ bytes, type, packet: packet! });
      for (const w of [...this.waiters]) w();
    }
  }
}
