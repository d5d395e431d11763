// The tap's framing: any read boundaries give the same frames, byte for byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { Framer } from '../../electron/core/trace/framer';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';

function ctx(id = 1): ConnCtx {
  return { id, clientSide: false, version: 4, sawConnect: false, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect(level) { this.version = level; } };
}

function packets(version: 4 | 5): Buffer[] {
  const g = (p: object) => mqttPacket.generate(p as mqttPacket.Packet, { protocolVersion: version });
  return [
    g({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: version, clientId: 'framer', clean: true, keepalive: 30 }),
    g({ cmd: 'publish', topic: 'a/b', payload: Buffer.alloc(300, 7), qos: 1, messageId: 10, retain: false, dup: false }),
    g({ cmd: 'publish', topic: 'ünï/cødé', payload: Buffer.from('x'.repeat(20000)), qos: 2, messageId: 11, retain: true, dup: false }),
    g({ cmd: 'pubrel', messageId: 11 }),
    g({ cmd: 'subscribe', messageId: 12, subscriptions: [{ topic: 's/#', qos: 1 }] }),
    g({ cmd: 'pingreq' }),
    g({ cmd: 'disconnect' }),
  ];
}

function framesOf(store: TraceStore): Buffer[] {
  const out: Buffer[] = [];
  for (let s = store.firstSeq; s < store.nextSeq; s++) out.push(store.bytesOf(s)!);
  return out;
}

for (const version of [4, 5] as const) {
  test(`v${version}: byte-by-byte, coalesced and random splits give the same frames`, () => {
    const pk = packets(version);
    const all = Buffer.concat(pk);
    const splits: [string, Buffer[]][] = [
      ['byte by byte', [...all].map((b) => Buffer.from([b]))],
      ['coalesced', [all]],
      ['random', (() => { const parts: Buffer[] = []; let i = 0, seed = 7; while (i < all.length) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; const n = 1 + (seed % 700); parts.push(all.subarray(i, i + n)); i += n; } return parts; })()],
    ];
    for (const [name, chunks] of splits) {
      const store = new TraceStore();
      const c = ctx();
      const f = new Framer(store, c, false);
      for (const ch of chunks) f.feed(ch);
      const got = framesOf(store);
      assert.equal(got.length, pk.length, name);
      got.forEach((g, i) => assert.ok(g.equals(pk[i]), `${name}: frame ${i} bytes differ`));
      const s = store.summary(2)!;
      assert.equal(s.type, 'PUBLISH');
      assert.equal(s.topic, 'ünï/cødé');
      assert.equal(s.qos, 2);
      assert.equal(s.retain, true);
      assert.equal(s.packetId, 11);
      assert.equal(s.payloadSize, 20000);
      assert.equal(store.summary(4)!.topic, 's/#');
      assert.equal(store.stats().malformed, 0, name);
      assert.equal(c.version, version);
    }
  });
}

test('a packet cut short by the end of the stream is kept as malformed with its bytes', () => {
  const store = new TraceStore();
  const f = new Framer(store, ctx(), false);
  const pk = packets(4);
  f.feed(pk[0]);
  f.feed(pk[1].subarray(0, 100));
  f.end();
  const s = store.summary(1)!;
  assert.equal(s.kind, 'malformed');
  assert.match(s.note!, /closed after 100 of \d+ bytes/);
  assert.ok(store.bytesOf(1)!.equals(pk[1].subarray(0, 100)));
});

test('a remaining length of five bytes makes the rest of the direction one kept malformed record', () => {
  const store = new TraceStore();
  const f = new Framer(store, ctx(), false);
  const bad = Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3]);
  f.feed(bad.subarray(0, 3));
  f.feed(bad.subarray(3));
  f.feed(Buffer.from([9, 9]));
  const a = store.summary(0)!;
  assert.equal(a.kind, 'malformed');
  assert.match(a.note!, /remaining length longer than 4 bytes/);
  assert.ok(Buffer.concat([store.bytesOf(0)!, store.bytesOf(1)!]).equals(Buffer.concat([bad, Buffer.from([9, 9])])));
});

test('QoS 3, bad UTF-8, a second CONNECT and a first packet that is not CONNECT are flagged with the rule', () => {
  const store = new TraceStore();
  const f = new Framer(store, ctx(), false);
  f.feed(Buffer.from([0xc0, 0x00])); // PINGREQ before CONNECT
  const pk = packets(4);
  f.feed(pk[0]);
  f.feed(Buffer.from([0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01])); // QoS 3
  f.feed(Buffer.from([0x30, 0x04, 0x00, 0x02, 0xff, 0xfe])); // invalid UTF-8 topic
  f.feed(pk[0]);
  const notes = [0, 2, 3, 4].map((s) => store.summary(s)!.note);
  assert.match(notes[0]!, /MQTT-3\.1\.0-1/);
  assert.match(notes[1]!, /QoS 3/);
  assert.match(notes[2]!, /UTF-8/);
  assert.match(notes[3]!, /second CONNECT/);
  assert.equal(store.summary(1)!.kind, 'packet');
  assert.equal(store.stats().malformed, 4);
});

test('strings written to the socket (Node sockets take them as they are) are framed like bytes', () => {
  const store = new TraceStore();
  const f = new Framer(store, ctx(), true);
  const whole = mqttPacket.generate({ cmd: 'publish', topic: 'tëst/topic', payload: Buffer.from('pàyload'), qos: 0, retain: false, dup: false } as mqttPacket.Packet);
  const topicBytes = Buffer.byteLength('tëst/topic');
  f.feed(whole.subarray(0, 4)); // fixed header + topic length
  f.feedString('tëst/topic', 'utf8');
  f.feed(whole.subarray(4 + topicBytes));
  const empty = mqttPacket.generate({ cmd: 'publish', topic: 'end', payload: Buffer.alloc(0), qos: 0, retain: false, dup: false } as mqttPacket.Packet);
  f.feed(empty.subarray(0, 4));
  f.feedString('end', 'utf8'); // the last piece of a packet
  assert.ok(store.bytesOf(0)!.equals(whole));
  assert.ok(store.bytesOf(1)!.equals(empty));
  assert.equal(store.summary(0)!.topic, 'tëst/topic');
});
