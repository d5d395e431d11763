// A lean MQTT 3.1.1 client for load generation (mqtt-packet, no tap, no recorder): the bench measures
// the broker, so the load side must cost as little as possible.
import net from 'node:net';
import mqttPacket from 'mqtt-packet';

export class LoadClient {
  private sock!: net.Socket;
  private parser = mqttPacket.parser({ protocolVersion: 4 });
  private waiters = new Map<string, () => void>();
  private nextId = 1;
  onMessage: (payload: Buffer) => void = () => {};
  onAck: () => void = () => {};

  constructor(private port: number, private id: string) {}

  async connect(): Promise<void> {
    this.sock = net.connect(this.port, '127.0.0.1');
    this.sock.setNoDelay(true);
    this.sock.on('data', (b) => this.parser.parse(b));
    this.sock.on('error', () => {});
    this.parser.on('packet', (p) => this.handle(p));
    await new Promise<void>((r) => this.sock.once('connect', () => r()));
    const acked = this.wait('connack');
    this.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: this.id, clean: true, keepalive: 0 });
    await acked;
  }

  async subscribe(topic: string, qos: 0 | 1 | 2): Promise<void> {
    const done = this.wait('suback');
    this.send({ cmd: 'subscribe', messageId: this.pid(), subscriptions: [{ topic, qos }] });
    await done;
  }

  publish(topic: string, payload: Buffer, qos: 0 | 1 | 2): void {
    this.send({ cmd: 'publish', topic, payload, qos, messageId: qos ? this.pid() : undefined, retain: false, dup: false });
    if (qos === 0) this.onAck();
  }

  close(): void { this.sock.destroy(); }

  private handle(p: mqttPacket.Packet): void {
    switch (p.cmd) {
      case 'publish':
        if (p.qos === 1) this.send({ cmd: 'puback', messageId: p.messageId });
        if (p.qos === 2) this.send({ cmd: 'pubrec', messageId: p.messageId });
        this.onMessage(p.payload as Buffer);
        break;
      case 'pubrel': this.send({ cmd: 'pubcomp', messageId: p.messageId }); break;
      case 'pubrec': this.send({ cmd: 'pubrel', messageId: p.messageId }); break;
      case 'puback': case 'pubcomp': this.onAck(); break;
      default: this.waiters.get(p.cmd)?.();
    }
  }

  private pid(): number {
    const id = this.nextId;
    this.nextId = this.nextId === 65535 ? 1 : this.nextId + 1;
    return id;
  }

  private send(p: object): void { this.sock.write(mqttPacket.generate(p as mqttPacket.Packet)); }

  private wait(cmd: string): Promise<void> {
    return new Promise((r) => this.waiters.set(cmd, () => { this.waiters.delete(cmd); r(); }));
  }
}
