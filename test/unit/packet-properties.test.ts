// The lean property reader the filters use agrees with the full dissector, packet type by packet type.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import type { FieldNode } from '../../shared/contract/types';
import { dissect } from '../../shared/mqtt/dissect';
import { packetProperties } from '../../shared/mqtt/packet-properties';

/** The packet's own property list as the dissector shows it (Will properties excluded). */
function fromDissect(fields: FieldNode[]): { name: string; key?: string; value: string | number }[] {
  const out: { name: string; key?: string; value: string | number }[] = [];
  const walk = (nodes: FieldNode[]) => {
    for (const n of nodes) {
      if (n.name === 'Properties') {
        for (const p of n.children ?? []) {
          if (p.name === 'Property length') continue;
          const kids = p.children ?? [];
          if (p.name === 'User Property') out.push({ name: p.name, key: kids.find((k) => k.name === 'Key')!.value!, value: kids.find((k) => k.name === 'Value')!.value! });
          else if (p.name === 'Correlation Data' || p.name === 'Authentication Data') out.push({ name: p.name, value: 'binary' });
          else out.push({ name: p.name, value: p.num ?? p.value! });
        }
      } else if (n.children && n.name !== 'Will properties') walk(n.children);
    }
  };
  walk(fields);
  return out;
}

const user = { userProperties: { site: 'north', rack: ['a', 'b'] } };
const packets: object[] = [
  { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clean: true, keepalive: 30, clientId: 'c', properties: { sessionExpiryInterval: 300, receiveMaximum: 20, ...user },
    will: { topic: 'w', payload: Buffer.from('x'), qos: 0, retain: false, properties: { willDelayInterval: 5, contentType: 'not-me' } } },
  { cmd: 'connack', sessionPresent: false, reasonCode: 0, properties: { assignedClientIdentifier: 'gen-1', topicAliasMaximum: 10, maximumQoS: 1, ...user } },
  { cmd: 'publish', topic: 'a/b', payload: Buffer.from('p'), qos: 1, messageId: 5, retain: false, dup: false,
    properties: { contentType: 'application/json', messageExpiryInterval: 3600, payloadFormatIndicator: true, responseTopic: 'r/t', correlationData: Buffer.from([1, 2, 255]), subscriptionIdentifier: 7, ...user } },
  { cmd: 'publish', topic: 'a/b', payload: Buffer.from('p'), qos: 0, retain: false, dup: false, properties: { topicAlias: 3 } },
  { cmd: 'puback', messageId: 5, reasonCode: 0x10, properties: { reasonString: 'no one', ...user } },
  { cmd: 'pubrec', messageId: 5, reasonCode: 0 },
  { cmd: 'subscribe', messageId: 9, subscriptions: [{ topic: 'a/#', qos: 1 }], properties: { subscriptionIdentifier: 42, ...user } },
  { cmd: 'suback', messageId: 9, granted: [1], properties: { reasonString: 'ok' } },
  { cmd: 'unsubscribe', messageId: 10, unsubscriptions: ['a/#'], properties: user },
  { cmd: 'disconnect', reasonCode: 0x8e, properties: { reasonString: 'taken over', sessionExpiryInterval: 0 } },
  { cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM', authenticationData: Buffer.from('d') } },
];

test('packetProperties = the dissector\'s property list for every packet type that carries one', () => {
  for (const p of packets) {
    const bytes = mqttPacket.generate(p as mqttPacket.Packet, { protocolVersion: 5 });
    const lean = packetProperties(bytes, 5).map((x) => (x.name === 'Correlation Data' || x.name === 'Authentication Data' ? { ...x, value: 'binary' } : x));
    const full = fromDissect(dissect(bytes, 5));
    assert.deepEqual(lean, full, (p as { cmd: string }).cmd);
    assert.ok(full.length > 0 || (p as { cmd: string }).cmd === 'pubrec', `${(p as { cmd: string }).cmd} has properties to compare`);
  }
  const pub = packetProperties(mqttPacket.generate(packets[2] as mqttPacket.Packet, { protocolVersion: 5 }), 5);
  assert.equal(pub.find((x) => x.name === 'Correlation Data')?.value, '0102ff', 'binary values read as hex');
});

test('no properties before MQTT 5, and a list cut short keeps what came before the cut', () => {
  const v4 = mqttPacket.generate({ cmd: 'publish', topic: 'a', payload: Buffer.from('x'), qos: 0, retain: false, dup: false } as mqttPacket.Packet);
  assert.deepEqual(packetProperties(v4, 4), []);
  const full = mqttPacket.generate(packets[2] as mqttPacket.Packet, { protocolVersion: 5 });
  const cut = full.subarray(0, 20);
  const got = packetProperties(cut, 5);
  assert.ok(got.length < packetProperties(full, 5).length);
  assert.deepEqual(got, packetProperties(full, 5).slice(0, got.length));
  assert.deepEqual(packetProperties(Uint8Array.from([0x30]), 5), []);
});
