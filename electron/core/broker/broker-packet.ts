// A message the broker itself publishes ($SYS statistics, a retained message put back), built as the same
// class mqtt-packet's parser makes for a PUBLISH it reads, not as an object literal. aedes copies every
// message it routes through aedes-packet's one constructor, whose property reads share one feedback slot
// for every call: each new hidden class there counts, and the $SYS literal was the one too many that turned
// those reads megamorphic for every delivery afterwards (~670 instructions a delivery at QoS 0 64 B 1→10
// under callgrind; V8's IC log shows no megamorphic read there with the statistics off). A parsed-packet
// object has a class those reads already see.
import type { Aedes } from 'aedes';
import mqttPacket from 'mqtt-packet';

type PacketClass = new () => Record<string, unknown>;
/** mqtt-packet's own Packet class (not exported by the package: taken from a parser's packet when first needed). */
let parsedPacket: PacketClass | null = null;

export interface BrokerMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  properties?: Record<string, unknown>;
}

export function brokerPacket(m: BrokerMessage): Parameters<Aedes['publish']>[0] {
  // The fields the parser sets for a PUBLISH, in its order (constructor fields first, then properties).
  parsedPacket ??= (mqttPacket.parser() as unknown as { packet: object }).packet.constructor as PacketClass;
  const p = new parsedPacket();
  p.cmd = 'publish';
  p.retain = m.retain;
  p.qos = m.qos;
  p.dup = false;
  p.topic = m.topic;
  p.payload = m.payload;
  if (m.properties) p.properties = m.properties;
  return p as unknown as Parameters<Aedes['publish']>[0];
}
