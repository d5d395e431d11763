// The session's skim: plain QoS 0 PUBLISHes pass unparsed, every other packet reaches mqtt-packet's parser
// whole and in order, however the bytes are cut into chunks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { PublishSkim, plainQos0Publish } from '../../electron/core/sessions/publish-skim';

const label = (p: Packet) => `${p.cmd} ${'messageId' in p ? p.messageId ?? '' : ''} ${'topic' in p ? p.topic ?? '' : ''}`;

function stream(version: 4 | 5): { packets: Packet[]; bytes: Buffer; plain: number } {
  const packets: Packet[] = [];
  let plain = 0;
  for (let i = 0; i < 300; i++) {
    const k = i % 6;
    if (k === 0 || k === 1) { packets.push({ cmd: 'publish', topic: `a/${i}`, payload: Buffer.alloc(i * 7, i), qos: 0, retain: false, dup: false }); plain++; }
    else if (k === 2) packets.push({ cmd: 'publish', topic: `q/${i}`, payload: Buffer.from('x'), qos: 1, messageId: 1 + i, retain: false, dup: false });
    else if (k === 3) packets.push({ cmd: 'pingresp' });
    else if (k === 4 && version === 5) packets.push({ cmd: 'publish', topic: `al/${i}`, payload: Buffer.from('y'), qos: 0, retain: false, dup: false, properties: { topicAlias: 3 } });
    else if (k === 4) packets.push({ cmd: 'puback', messageId: i });
    else packets.push({ cmd: 'suback', messageId: i, granted: [0, 1] });
  }
  const bytes = Buffer.concat(packets.map((p) => mqttPacket.generate(p, { protocolVersion: version })));
  return { packets, bytes, plain };
}

for (const version of [4, 5] as const) {
  test(`v${version}: plain QoS 0 PUBLISHes are skipped, the rest parsed in order, for any chunking`, () => {
    const { packets, bytes, plain } = stream(version);
    const want = packets.filter((p) => !(p.cmd === 'publish' && p.qos === 0 && !p.properties)).map(label);
    for (const cut of [1, 2, 3, 7, 64, 1000, bytes.length]) {
      const parser = mqttPacket.parser({ protocolVersion: version });
      const got: string[] = [];
      parser.on('packet', (p: Packet) => got.push(label(p)));
      parser.on('error', (e) => assert.fail(e));
      const skim = new PublishSkim(plainQos0Publish(version), (b) => parser.parse(b));
      for (let o = 0; o < bytes.length; o += cut) skim.feed(bytes.subarray(o, o + cut));
      assert.equal(skim.skipped, plain, `cut ${cut}`);
      assert.deepEqual(got, want, `cut ${cut}`);
    }
  });
}

test('bytes that are not MQTT framing go to the parser, which reports them', () => {
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  const errors: string[] = [];
  parser.on('error', (e) => errors.push(e.message));
  const skim = new PublishSkim(plainQos0Publish(4), (b) => parser.parse(b));
  skim.feed(mqttPacket.generate({ cmd: 'publish', topic: 't', payload: Buffer.from('1'), qos: 0, retain: false, dup: false }));
  skim.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]));
  assert.equal(skim.skipped, 1);
  assert.equal(errors.length, 1);
});
