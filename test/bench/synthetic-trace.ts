// The synthetic capture the query benches fill a store with: four imported connections (two broker-side, two
// client-side), every packet kind, ~48 B JSON payloads on eight topics, and one frame in 1,000 a PUBLISH on
// plant/line2/alarm saying "Overheat".
import mqttPacket from 'mqtt-packet';
import { Framer } from '../../electron/core/trace/framer';
import type { ConnCtx, TraceStore } from '../../electron/core/trace/trace-store';

/** Returns fillTo(n): adds frames until the store holds n. */
export function syntheticTrace(store: TraceStore): (frames: number) => void {
  const ctxs = [1001, 1002, 1003, 1004].map((id): ConnCtx => ({ id, clientSide: id > 1002, version: 5, sawConnect: true, imported: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} }));
  const framers = ctxs.flatMap((c) => [new Framer(store, c, false), new Framer(store, c, true)]);
  const gen = (p: object) => mqttPacket.generate(p as mqttPacket.Packet, { protocolVersion: 5 });
  const packets: Buffer[] = [];
  for (let i = 0; i < 40; i++) {
    const qos = i % 3;
    const payload = Buffer.from(`{"c":${20 + i / 10},"line":${i % 4}}`.padEnd(48, ' '));
    packets.push(gen({ cmd: 'publish', topic: `plant/line${i % 4}/${i % 2 ? 'temp' : 'rpm'}`, payload, qos, messageId: qos ? 1 + i : undefined, retain: false, dup: false }));
  }
  packets.push(gen({ cmd: 'puback', messageId: 7, reasonCode: 0 }), gen({ cmd: 'pingreq' }), gen({ cmd: 'pubrec', messageId: 9, reasonCode: 0 }));
  const rare = gen({ cmd: 'publish', topic: 'plant/line2/alarm', payload: Buffer.from('{"fault":"Overheat","line":2}'), qos: 1, messageId: 77, retain: false, dup: false });
  return (frames) => {
    for (let i = store.nextSeq - store.firstSeq; i < frames; i++) framers[i % framers.length].feed(i % 1000 === 999 ? rare : packets[(i * 7) % packets.length]);
  };
}
