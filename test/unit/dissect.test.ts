import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt-packet';
import type { FieldNode, ProtocolVersion } from '../../shared/contract/types';
import { dissect, protocolVersionOfConnect } from '../../shared/mqtt/dissect';
import { PROPERTIES } from '../../shared/mqtt/properties';

// ---- helpers ----

function gen(packet: Record<string, unknown>, v: ProtocolVersion): Uint8Array {
  return new Uint8Array(mqtt.generate(packet as unknown as mqtt.Packet, { protocolVersion: v }));
}

function walk(nodes: FieldNode[], visit: (n: FieldNode) => void): void {
  for (const n of nodes) {
    visit(n);
    if (n.children) walk(n.children, visit);
  }
}

function find(nodes: FieldNode[], name: string): FieldNode {
  let hit: FieldNode | undefined;
  walk(nodes, (n) => { if (!hit && n.name === name) hit = n; });
  assert.ok(hit, `no field named ${JSON.stringify(name)} in ${names(nodes).join(', ')}`);
  return hit;
}

function findAll(nodes: FieldNode[], pred: (n: FieldNode) => boolean): FieldNode[] {
  const hits: FieldNode[] = [];
  walk(nodes, (n) => { if (pred(n)) hits.push(n); });
  return hits;
}

function names(nodes: FieldNode[]): string[] {
  return findAll(nodes, () => true).map((n) => n.name);
}

function problems(nodes: FieldNode[]): string[] {
  return findAll(nodes, (n) => n.problem !== undefined).map((n) => n.problem!);
}

function hasProblem(nodes: FieldNode[], re: RegExp): boolean {
  return problems(nodes).some((p) => re.test(p));
}

function assertProblem(nodes: FieldNode[], re: RegExp): void {
  if (!hasProblem(nodes, re)) assert.fail(`no problem matching ${re} in ${JSON.stringify(problems(nodes))}`);
}

function slice(bytes: Uint8Array, n: FieldNode): Buffer {
  return Buffer.from(bytes.subarray(n.offset, n.offset + n.length));
}

/** Every node lies inside the input; valid packets have no problems. */
function assertSane(bytes: Uint8Array, nodes: FieldNode[]): void {
  walk(nodes, (n) => {
    assert.ok(Number.isInteger(n.offset) && n.offset >= 0, `${n.name}: offset ${n.offset}`);
    assert.ok(Number.isInteger(n.length) && n.length >= 0, `${n.name}: length ${n.length}`);
    assert.ok(n.offset + n.length <= bytes.length, `${n.name}: [${n.offset}+${n.length}] beyond ${bytes.length}`);
  });
}

function clean(bytes: Uint8Array, v: ProtocolVersion): FieldNode[] {
  const nodes = dissect(bytes, v);
  assertSane(bytes, nodes);
  assert.deepEqual(problems(nodes), [], 'valid packet reported problems');
  // The top-level sections tile the packet exactly.
  let at = 0;
  for (const n of nodes) {
    assert.equal(n.offset, at, `${n.name} starts at ${n.offset}, expected ${at}`);
    at += n.length;
  }
  assert.equal(at, bytes.length, 'sections do not cover the whole packet');
  return nodes;
}

function assertString(bytes: Uint8Array, nodes: FieldNode[], name: string, text: string): void {
  const node = find(nodes, name);
  assert.equal(node.value, text);
  assert.deepEqual(slice(bytes, node), Buffer.from(text, 'utf8'));
  const len = find(nodes, `${name} length`);
  assert.equal(len.num, Buffer.byteLength(text));
  assert.equal(len.offset + 2, node.offset);
}

const VERSIONS: ProtocolVersion[] = [3, 4, 5];

// ---- CONNECT / CONNACK ----

describe('dissect CONNECT', () => {
  for (const v of VERSIONS) {
    it(`v${v}: protocol name, level, flags, keep alive, client id, will, credentials`, () => {
      const packet: Record<string, unknown> = {
        cmd: 'connect', protocolId: v === 3 ? 'MQIsdp' : 'MQTT', protocolVersion: v, clientId: 'client-1',
        clean: true, keepalive: 45, username: 'alice', password: Buffer.from('hunter2'),
        will: { topic: 'status/client-1', payload: Buffer.from('offline'), qos: 1, retain: true },
      };
      const b = gen(packet, v);
      const nodes = clean(b, 3); // the CONNECT's own level wins over the caller's version
      assertString(b, nodes, 'Protocol name', v === 3 ? 'MQIsdp' : 'MQTT');
      const level = find(nodes, 'Protocol level');
      assert.equal(level.num, v);
      assert.equal(slice(b, level)[0], v);
      const flags = find(nodes, 'Connect flags');
      assert.equal(flags.num, 0xee);
      assert.equal(flags.children?.length, 7);
      assert.equal(find(nodes, 'User name flag (0x80)').value, 'Set');
      assert.equal(find(nodes, 'Password flag (0x40)').value, 'Set');
      assert.equal(find(nodes, 'Will retain (0x20)').value, 'Set');
      assert.equal(find(nodes, 'Will QoS (0x18)').num, 1);
      assert.equal(find(nodes, 'Will flag (0x04)').value, 'Set');
      assert.equal(find(nodes, v === 5 ? 'Clean start (0x02)' : 'Clean session (0x02)').num, 1);
      assert.equal(find(nodes, 'Reserved (0x01)').num, 0);
      const ka = find(nodes, 'Keep alive');
      assert.equal(ka.num, 45);
      assert.deepEqual(slice(b, ka), Buffer.from([0, 45]));
      assertString(b, nodes, 'Client identifier', 'client-1');
      assertString(b, nodes, 'Will topic', 'status/client-1');
      const wp = find(nodes, 'Will payload');
      assert.deepEqual(slice(b, wp), Buffer.from('offline'));
      assert.match(wp.value!, /offline.*7 bytes/);
      assertString(b, nodes, 'User name', 'alice');
      const pw = find(nodes, 'Password');
      assert.equal(pw.value, '•••• (7 bytes)');
      assert.deepEqual(slice(b, pw), Buffer.from('hunter2'));
      assert.ok(!findAll(nodes, (n) => n.value?.includes('hunter2') ?? false).length, 'password leaked into a value');
      assert.equal(v === 5, findAll(nodes, (n) => n.name === 'Properties').length === 1);
    });
  }

  it('v5: CONNECT and Will properties by name', () => {
    const b = gen({
      cmd: 'connect', protocolVersion: 5, clientId: 'c', clean: false, keepalive: 0,
      properties: {
        sessionExpiryInterval: 0xffffffff, receiveMaximum: 20, maximumPacketSize: 1024, topicAliasMaximum: 5,
        requestResponseInformation: true, requestProblemInformation: false,
        userProperties: { app: 'mqscope', tag: ['a', 'b'] }, authenticationMethod: 'SCRAM', authenticationData: Buffer.from([0xde, 0xad]),
      },
      will: {
        topic: 'w', payload: Buffer.from([0, 1, 2]), qos: 0, retain: false,
        properties: {
          willDelayInterval: 10, payloadFormatIndicator: false, messageExpiryInterval: 100, contentType: 'application/json',
          responseTopic: 'r/t', correlationData: Buffer.from([1, 2, 3]), userProperties: { k: 'v' },
        },
      },
    }, 5);
    const nodes = clean(b, 5);
    assert.equal(find(nodes, 'Keep alive').value, '0 (disabled)');
    assert.match(find(nodes, 'Session Expiry Interval').value!, /never expires/);
    assert.equal(find(nodes, 'Receive Maximum').num, 20);
    assert.equal(find(nodes, 'Maximum Packet Size').value, '1024 bytes');
    assert.equal(find(nodes, 'Topic Alias Maximum').num, 5);
    assert.equal(find(nodes, 'Request Response Information').num, 1);
    assert.equal(find(nodes, 'Request Problem Information').num, 0);
    const ups = findAll(nodes, (n) => n.name === 'User Property').map((n) => n.value);
    assert.deepEqual(ups, ['app=mqscope', 'tag=a', 'tag=b', 'k=v']);
    assert.equal(find(nodes, 'Authentication Method').value, 'SCRAM');
    assert.equal(find(nodes, 'Authentication Data').value, 'de ad');
    const will = find(nodes, 'Will properties');
    assert.equal(will.value, '7 properties');
    assert.equal(find(will.children!, 'Will Delay Interval').value, '10 s');
    assert.equal(find(will.children!, 'Content Type').value, 'application/json');
    assert.equal(find(will.children!, 'Correlation Data').value, '01 02 03');
    assert.equal(find(will.children!, 'Response Topic').value, 'r/t');
    assert.equal(find(will.children!, 'Message Expiry Interval').num, 100);
    // Property node range: identifier + value.
    const rm = find(nodes, 'Receive Maximum');
    assert.deepEqual(slice(b, rm), Buffer.from([0x21, 0, 20]));
    // Properties node covers the length varint and the list.
    const props = findAll(nodes, (n) => n.name === 'Properties')[0];
    assert.equal(props.length, 1 + (props.num ?? 0));
    assert.match(find(nodes, 'Will payload').value!, /^00 01 02 \(3 bytes\)$/);
  });

  it('empty client id in 3.1.1 without clean session breaks [MQTT-3.1.3-7]', () => {
    const b = Uint8Array.from(gen({ cmd: 'connect', protocolVersion: 4, clientId: '', clean: true, keepalive: 10 }, 4));
    b[9] = 0; // clear Clean Session
    assertProblem(dissect(b, 4), /\[MQTT-3\.1\.3-7\]/);
  });

  it('flags: reserved bit, Will QoS 3, will bits without will flag, password without user name', () => {
    const b = gen({ cmd: 'connect', protocolVersion: 4, clientId: 'x', keepalive: 10 }, 4);
    const flagAt = 2 + 2 + 4 + 1;
    const withFlags = (f: number): Uint8Array => { const c = Uint8Array.from(b); c[flagAt] = f; return c; };
    assertProblem(dissect(withFlags(0x03), 4), /\[MQTT-3\.1\.2-3\]/);
    // Will flag + QoS 3: also truncated because the will fields are missing; the flag problem is still there.
    assertProblem(dissect(withFlags(0x1e), 4), /Will QoS 3.*\[MQTT-3\.1\.2-14\]/);
    assertProblem(dissect(withFlags(0x22), 4), /Will Retain.*\[MQTT-3\.1\.2-15\]/);
    assertProblem(dissect(withFlags(0x08 | 0x02), 4), /\[MQTT-3\.1\.2-13\]/);
    assertProblem(dissect(withFlags(0x42), 4), /\[MQTT-3\.1\.2-22\]/);
  });

  it('unknown protocol name and level', () => {
    const b = gen({ cmd: 'connect', protocolVersion: 4, clientId: 'x', keepalive: 10 }, 4);
    const c = Uint8Array.from(b);
    c[4] = 'X'.charCodeAt(0);
    c[8] = 9;
    const nodes = dissect(c, 4);
    assertProblem(nodes, /\[MQTT-3\.1\.2-1\]/);
    assertProblem(nodes, /\[MQTT-3\.1\.2-2\]/);
  });

  it('protocolVersionOfConnect reads the level byte', () => {
    for (const v of VERSIONS) {
      assert.equal(protocolVersionOfConnect(gen({ cmd: 'connect', protocolId: v === 3 ? 'MQIsdp' : 'MQTT', protocolVersion: v, clientId: 'a' }, v)), v);
    }
    const bridged = gen({ cmd: 'connect', protocolVersion: 4, clientId: 'a', bridgeMode: true }, 4);
    assert.equal(protocolVersionOfConnect(bridged), 4);
    assert.deepEqual(problems(dissect(bridged, 4)), []);
    assert.equal(protocolVersionOfConnect(gen({ cmd: 'pingreq' }, 4)), null);
    assert.equal(protocolVersionOfConnect(new Uint8Array([0x10])), null);
    assert.equal(protocolVersionOfConnect(new Uint8Array([0x10, 0x05, 0x00, 0x04, 0x4d])), null);
    assert.equal(protocolVersionOfConnect(new Uint8Array([])), null);
  });
});

describe('dissect CONNACK', () => {
  it('v4: session present and every return code in plain words', () => {
    const b = gen({ cmd: 'connack', sessionPresent: true, returnCode: 0 }, 4);
    const nodes = clean(b, 4);
    assert.equal(find(nodes, 'Session present (0x01)').value, 'Set');
    const rc = find(nodes, 'Return code');
    assert.equal(rc.num, 0);
    assert.equal(rc.value, '0x00 Connection accepted');
    assert.equal(rc.offset, 3);
    for (const [code, re] of [[1, /unacceptable protocol version/], [2, /identifier rejected/], [3, /server unavailable/], [4, /bad user name or password/], [5, /not authorized/]] as const) {
      const n = clean(gen({ cmd: 'connack', sessionPresent: false, returnCode: code }, 4), 4);
      assert.match(find(n, 'Return code').value!, re);
    }
    assertProblem(dissect(new Uint8Array([0x20, 2, 0, 6]), 4), /reserved/);
    assertProblem(dissect(new Uint8Array([0x20, 2, 0xfe, 0]), 4), /reserved/);
  });

  it('v3: the acknowledge byte is reserved', () => {
    const nodes = clean(gen({ cmd: 'connack', returnCode: 2 }, 3), 3);
    assert.ok(!names(nodes).includes('Session present (0x01)'), 'v3 has no session present');
    assert.match(find(nodes, 'Return code').value!, /identifier rejected/);
  });

  it('v5: reason code and all CONNACK properties', () => {
    const b = gen({
      cmd: 'connack', sessionPresent: false, reasonCode: 0x87,
      properties: {
        sessionExpiryInterval: 30, receiveMaximum: 100, maximumQoS: 1, retainAvailable: true, maximumPacketSize: 2048,
        assignedClientIdentifier: 'auto-1', topicAliasMaximum: 10, reasonString: 'nope', userProperties: { a: '1' },
        wildcardSubscriptionAvailable: false, subscriptionIdentifiersAvailable: true, sharedSubscriptionAvailable: true,
        serverKeepAlive: 60, responseInformation: 'resp', serverReference: 'other:1883', authenticationMethod: 'm',
        authenticationData: Buffer.from([7]),
      },
    }, 5);
    const nodes = clean(b, 5);
    const rc = find(nodes, 'Reason code');
    assert.equal(rc.value, '0x87 Not authorized');
    assert.deepEqual(slice(b, rc), Buffer.from([0x87]));
    for (const name of ['Maximum QoS', 'Retain Available', 'Assigned Client Identifier', 'Topic Alias Maximum', 'Reason String',
      'Wildcard Subscription Available', 'Subscription Identifier Available', 'Shared Subscription Available',
      'Server Keep Alive', 'Response Information', 'Server Reference', 'Authentication Method', 'Authentication Data',
      'Session Expiry Interval', 'Receive Maximum', 'Maximum Packet Size', 'User Property']) {
      find(nodes, name);
    }
    assert.equal(find(nodes, 'Assigned Client Identifier').value, 'auto-1');
    assert.equal(find(nodes, 'Wildcard Subscription Available').value, '0 (no)');
    assert.equal(find(nodes, 'Server Keep Alive').value, '60 s');
  });

  it('v5: a reason code not defined for CONNACK is flagged', () => {
    // 0x8E Session taken over exists only in DISCONNECT.
    const nodes = dissect(new Uint8Array([0x20, 3, 0, 0x8e, 0]), 5);
    assertProblem(nodes, /not a CONNACK reason code/);
    assert.match(find(nodes, 'Reason code').value!, /Session taken over \(not defined for CONNACK\)/);
  });
});

// ---- PUBLISH and acks ----

describe('dissect PUBLISH', () => {
  for (const v of VERSIONS) {
    for (const qos of [0, 1, 2] as const) {
      it(`v${v} QoS ${qos}: flags, topic, packet id, payload ranges`, () => {
        const topic = 'sensors/ü/temp';
        const payload = Buffer.from('21.5 °C');
        const b = gen({ cmd: 'publish', topic, payload, qos, retain: qos === 1, dup: qos === 2, messageId: qos ? 0x1234 : undefined }, v);
        const nodes = clean(b, v);
        assert.equal(find(nodes, 'Packet type').value, 'PUBLISH (3)');
        assert.equal(find(nodes, 'QoS (0x06)').num, qos);
        assert.equal(find(nodes, 'RETAIN (0x01)').num, qos === 1 ? 1 : 0);
        assert.equal(find(nodes, 'DUP (0x08)').num, qos === 2 ? 1 : 0);
        const rl = find(nodes, 'Remaining length');
        assert.equal(rl.num, b.length - 2);
        assert.deepEqual([rl.offset, rl.length], [1, 1]);
        assertString(b, nodes, 'Topic', topic);
        if (qos) {
          const id = find(nodes, 'Packet identifier');
          assert.equal(id.num, 0x1234);
          assert.deepEqual(slice(b, id), Buffer.from([0x12, 0x34]));
        } else {
          assert.ok(!names(nodes).includes('Packet identifier'), 'QoS 0 has no packet id');
        }
        const p = find(nodes, 'Payload');
        assert.equal(p.num, payload.length);
        assert.deepEqual(slice(b, p), payload);
        assert.equal(p.value, `"21.5 °C" (${payload.length} bytes)`);
        assert.equal(p.offset + p.length, b.length);
      });
    }
  }

  it('v5: every PUBLISH property', () => {
    const b = gen({
      cmd: 'publish', topic: 't', payload: Buffer.from('{"a":1}'), qos: 1, messageId: 1,
      properties: {
        payloadFormatIndicator: true, messageExpiryInterval: 3600, topicAlias: 2, responseTopic: 'reply/to',
        correlationData: Buffer.from('corr'), userProperties: { x: 'y' }, subscriptionIdentifier: [7, 200000], contentType: 'application/json',
      },
    }, 5);
    const nodes = clean(b, 5);
    assert.equal(find(nodes, 'Payload Format Indicator').value, '1 (UTF-8 text)');
    assert.equal(find(nodes, 'Message Expiry Interval').value, '3600 s');
    assert.equal(find(nodes, 'Topic Alias').num, 2);
    assert.equal(find(nodes, 'Response Topic').value, 'reply/to');
    assert.equal(find(nodes, 'Correlation Data').value, '63 6f 72 72');
    assert.deepEqual(findAll(nodes, (n) => n.name === 'Subscription Identifier').map((n) => n.num), [7, 200000]);
    const sid = findAll(nodes, (n) => n.name === 'Subscription Identifier')[1];
    assert.equal(sid.length, 1 + 3, 'varint of 200000 is 3 bytes');
    assert.equal(find(nodes, 'Content Type').value, 'application/json');
    assert.equal(find(nodes, 'User Property').value, 'x=y');
  });

  it('v5: empty topic with a Topic Alias is fine, without one it is not', () => {
    const withAlias = gen({ cmd: 'publish', topic: '', payload: Buffer.from('x'), qos: 0, properties: { topicAlias: 1 } }, 5);
    clean(withAlias, 5);
    const noAlias = new Uint8Array([0x30, 4, 0, 0, 0, 0x41]);
    assertProblem(dissect(noAlias, 5), /Topic Alias/);
    assertProblem(dissect(new Uint8Array([0x30, 3, 0, 0, 0x41]), 4), /\[MQTT-4\.7\.3-1\]/);
  });

  it('binary and empty payloads', () => {
    const bin = clean(gen({ cmd: 'publish', topic: 'b', payload: Buffer.from([0, 0xff, 1]), qos: 0 }, 4), 4);
    assert.equal(find(bin, 'Payload').value, '00 ff 01 (3 bytes)');
    const empty = clean(gen({ cmd: 'publish', topic: 'b', payload: Buffer.alloc(0), qos: 0 }, 4), 4);
    assert.equal(find(empty, 'Payload').num, 0);
    const big = Buffer.alloc(100_000, 0x61);
    const nodes = clean(gen({ cmd: 'publish', topic: 'big', payload: big, qos: 0 }, 4), 4);
    assert.equal(find(nodes, 'Remaining length').length, 3);
    assert.equal(find(nodes, 'Payload').num, 100_000);
    assert.ok(find(nodes, 'Payload').value!.length < 200, 'preview is bounded');
  });

  it('Payload Format Indicator 1 with a non-UTF-8 payload is flagged', () => {
    const b = gen({ cmd: 'publish', topic: 't', payload: Buffer.from([0xc3, 0x28]), qos: 0, properties: { payloadFormatIndicator: true } }, 5);
    assertProblem(dissect(b, 5), /Payload Format Indicator/);
  });

  it('wildcards in a topic name and packet id 0', () => {
    assertProblem(dissect(gen({ cmd: 'publish', topic: 'a/+', payload: Buffer.alloc(0), qos: 0 }, 4), 4), /\[MQTT-3\.3\.2-2\]/);
    const b = Uint8Array.from(gen({ cmd: 'publish', topic: 'a', payload: Buffer.alloc(0), qos: 1, messageId: 5 }, 4));
    b[5] = 0; b[6] = 0;
    assertProblem(dissect(b, 4), /\[MQTT-2\.3\.1-1\]/);
    assertProblem(dissect(b, 5), /\[MQTT-2\.2\.1-3\]/);
  });
});

describe('dissect PUBACK / PUBREC / PUBREL / PUBCOMP', () => {
  const acks = ['puback', 'pubrec', 'pubrel', 'pubcomp'] as const;
  for (const cmd of acks) {
    const type = cmd.toUpperCase();
    it(`${type} v3/v4: packet id only`, () => {
      for (const v of [3, 4] as const) {
        const b = gen({ cmd, messageId: 42 }, v);
        const nodes = clean(b, v);
        assert.equal(find(nodes, 'Packet type').value, `${type} (${b[0] >> 4})`);
        assert.deepEqual(slice(b, find(nodes, 'Packet identifier')), Buffer.from([0, 42]));
        assert.ok(!names(nodes).includes('Reason code'), 'no reason code before v5');
        assert.equal(find(nodes, 'Flags').num, cmd === 'pubrel' ? 2 : 0);
      }
    });
    it(`${type} v5: short form (remaining length 2) implies Success`, () => {
      const b = gen({ cmd, messageId: 42, reasonCode: 0 }, 5);
      assert.equal(b.length, 4);
      const nodes = clean(b, 5);
      const rc = find(nodes, 'Reason code');
      assert.equal(rc.num, 0);
      assert.equal(rc.length, 0);
      assert.match(rc.value!, /Success.*implied/);
    });
    it(`${type} v5: reason code and properties`, () => {
      const code = cmd === 'pubrel' || cmd === 'pubcomp' ? 0x92 : 0x10;
      const b = gen({ cmd, messageId: 42, reasonCode: code, properties: { reasonString: 'why', userProperties: { k: 'v' } } }, 5);
      const nodes = clean(b, 5);
      const rc = find(nodes, 'Reason code');
      assert.equal(rc.num, code);
      assert.equal(rc.value, code === 0x92 ? '0x92 Packet Identifier not found' : '0x10 No matching subscribers');
      assert.deepEqual(slice(b, rc), Buffer.from([code]));
      assert.equal(find(nodes, 'Reason String').value, 'why');
    });
  }
  it('v5: remaining length 3 (reason code, no properties)', () => {
    const nodes = clean(new Uint8Array([0x40, 3, 0, 1, 0x80]), 5);
    assert.equal(find(nodes, 'Reason code').value, '0x80 Unspecified error');
    assert.equal(find(nodes, 'Properties').length, 0);
  });
  it('v5: a reason code from another packet is flagged', () => {
    assertProblem(dissect(new Uint8Array([0x70, 3, 0, 1, 0x10]), 5), /not a valid reason code for PUBCOMP/);
  });
  it('PUBREL with wrong reserved flags', () => {
    assertProblem(dissect(new Uint8Array([0x60, 2, 0, 1]), 4), /PUBREL must be 0b0010 \[MQTT-2\.2\.2-1\]/);
    assertProblem(dissect(new Uint8Array([0x60, 2, 0, 1]), 5), /\[MQTT-2\.1\.3-1\]/);
    assertProblem(dissect(new Uint8Array([0x41, 2, 0, 1]), 4), /PUBACK must be 0b0000/);
  });
});

// ---- SUBSCRIBE family ----

describe('dissect SUBSCRIBE / SUBACK / UNSUBSCRIBE / UNSUBACK', () => {
  for (const v of VERSIONS) {
    it(`SUBSCRIBE v${v}: filters and options`, () => {
      const subs = [{ topic: 'a/+/c', qos: 1 }, { topic: 'x/#', qos: 2 }, { topic: 'ü', qos: 0 }];
      const b = gen({ cmd: 'subscribe', messageId: 9, subscriptions: subs }, v);
      const nodes = clean(b, v);
      assert.equal(find(nodes, 'Flags').num, 2);
      assert.equal(find(nodes, 'Packet identifier').num, 9);
      for (let i = 0; i < subs.length; i++) {
        const entry = find(nodes, `Subscription ${i + 1}`);
        const f = find(entry.children!, 'Topic filter');
        assert.equal(f.value, subs[i].topic);
        assert.deepEqual(slice(b, f), Buffer.from(subs[i].topic));
        const opts = find(entry.children!, 'Subscription options');
        assert.equal(opts.num, subs[i].qos);
        assert.equal(find(opts.children!, v === 5 ? 'Maximum QoS (0x03)' : 'Requested QoS (0x03)').num, subs[i].qos);
        assert.equal(entry.length, 2 + Buffer.byteLength(subs[i].topic) + 1);
      }
    });
  }

  it('SUBSCRIBE v5: No Local, Retain As Published, Retain Handling, properties', () => {
    const b = gen({
      cmd: 'subscribe', messageId: 1, properties: { subscriptionIdentifier: 12, userProperties: { a: 'b' } },
      subscriptions: [{ topic: 'a', qos: 2, nl: true, rap: true, rh: 1 }, { topic: '$share/grp/b/#', qos: 0, rh: 2 }],
    }, 5);
    const nodes = clean(b, 5);
    assert.equal(find(nodes, 'Subscription Identifier').num, 12);
    const o1 = find(find(nodes, 'Subscription 1').children!, 'Subscription options');
    assert.equal(o1.num, 0b011110);
    assert.equal(find(o1.children!, 'No Local (0x04)').value, 'Set');
    assert.equal(find(o1.children!, 'Retain As Published (0x08)').value, 'Set');
    assert.match(find(o1.children!, 'Retain Handling (0x30)').value!, /^1 /);
    const o2 = find(find(nodes, 'Subscription 2').children!, 'Subscription options');
    assert.equal(find(o2.children!, 'Retain Handling (0x30)').num, 2);
    assert.equal(find(o2.children!, 'No Local (0x04)').value, 'Not set');
  });

  it('SUBSCRIBE problems: reserved option bits, QoS 3, Retain Handling 3, bad filter, No Local on $share, empty payload', () => {
    const mk = (filter: string, opts: number, flags = 0x82): Uint8Array => {
      const f = Buffer.from(filter);
      return new Uint8Array([flags, 2 + 1 + 2 + f.length + 1, 0, 1, 0, 0, f.length, ...f, opts]);
    };
    assertProblem(dissect(mk('a', 0x40), 5), /\[MQTT-3\.8\.3-5\]/);
    assertProblem(dissect(new Uint8Array([0x82, 6, 0, 1, 0, 1, 0x61, 0x04]), 4), /reserved bits 7-2 must be 0 \[MQTT-3-8\.3-4\]/);
    assertProblem(dissect(mk('a', 0x03), 5), /QoS 3/);
    assertProblem(dissect(mk('a', 0x30), 5), /Retain Handling 3/);
    assertProblem(dissect(mk('a/#/b', 0), 5), /\[MQTT-4\.7\.1-1\]/);
    assertProblem(dissect(mk('$share/g/a', 0x04), 5), /\[MQTT-3\.8\.3-4\]/);
    assertProblem(dissect(mk('a', 0, 0x80), 5), /SUBSCRIBE must be 0b0010/);
    assertProblem(dissect(new Uint8Array([0x82, 2, 0, 1]), 4), /at least one topic filter \[MQTT-3\.8\.3-3\]/);
  });

  it('SUBACK v4: granted QoS and failure', () => {
    const b = gen({ cmd: 'suback', messageId: 3, granted: [0, 1, 2, 0x80] }, 4);
    const nodes = clean(b, 4);
    assert.deepEqual([1, 2, 3, 4].map((i) => find(nodes, `Return code ${i}`).value),
      ['0x00 Granted QoS 0', '0x01 Granted QoS 1', '0x02 Granted QoS 2', '0x80 Failure']);
    assert.deepEqual(slice(b, find(nodes, 'Return code 4')), Buffer.from([0x80]));
    assertProblem(dissect(new Uint8Array([0x90, 3, 0, 3, 0x03]), 4), /\[MQTT-3\.9\.3-2\]/);
  });

  it('SUBACK v5: reason codes and properties', () => {
    const b = gen({ cmd: 'suback', messageId: 3, granted: [1, 0x87, 0xa2], properties: { reasonString: 'partly' } }, 5);
    const nodes = clean(b, 5);
    assert.equal(find(nodes, 'Reason code 2').value, '0x87 Not authorized');
    assert.equal(find(nodes, 'Reason code 3').value, '0xa2 Wildcard Subscriptions not supported');
    assert.equal(find(nodes, 'Reason String').value, 'partly');
  });

  for (const v of VERSIONS) {
    it(`UNSUBSCRIBE / UNSUBACK v${v}`, () => {
      const b = gen({ cmd: 'unsubscribe', messageId: 4, unsubscriptions: ['a/b', 'c/#'] }, v);
      const nodes = clean(b, v);
      assert.equal(find(nodes, 'Flags').num, 2);
      assertString(b, nodes, 'Topic filter 1', 'a/b');
      assertString(b, nodes, 'Topic filter 2', 'c/#');
      const ub = v === 5
        ? gen({ cmd: 'unsuback', messageId: 4, granted: [0, 0x11], properties: { reasonString: 'r' } }, 5)
        : gen({ cmd: 'unsuback', messageId: 4 }, v);
      const un = clean(ub, v);
      assert.equal(find(un, 'Packet identifier').num, 4);
      if (v === 5) {
        assert.equal(find(un, 'Reason code 1').value, '0x00 Success');
        assert.equal(find(un, 'Reason code 2').value, '0x11 No subscription existed');
      } else {
        assert.equal(un.length, 2);
      }
    });
  }
});

// ---- PING, DISCONNECT, AUTH ----

describe('dissect PINGREQ / PINGRESP / DISCONNECT / AUTH', () => {
  for (const v of VERSIONS) {
    it(`PINGREQ, PINGRESP, DISCONNECT v${v}`, () => {
      for (const cmd of ['pingreq', 'pingresp', 'disconnect']) {
        // mqtt-packet writes a v5 DISCONNECT in full; the 5.0 short form has remaining length 0.
        const b = cmd === 'disconnect' && v === 5 ? new Uint8Array([0xe0, 0]) : gen({ cmd }, v);
        const nodes = clean(b, v);
        assert.equal(find(nodes, 'Remaining length').num, 0);
        if (v === 5 && cmd === 'disconnect') assert.match(find(nodes, 'Reason code').value!, /Normal disconnection.*implied/);
        else assert.equal(nodes.length, 1);
      }
    });
  }

  it('PINGREQ with a body is flagged, not thrown', () => {
    const nodes = dissect(new Uint8Array([0xc0, 1, 0]), 4);
    assertProblem(nodes, /left after the last field/);
  });

  it('DISCONNECT v5: reason code and properties', () => {
    const b = gen({ cmd: 'disconnect', reasonCode: 0x8e, properties: { sessionExpiryInterval: 5, reasonString: 'dup id', serverReference: 'b:1883', userProperties: { a: 'b' } } }, 5);
    const nodes = clean(b, 5);
    assert.equal(find(nodes, 'Reason code').value, '0x8e Session taken over');
    assert.equal(find(nodes, 'Server Reference').value, 'b:1883');
    assert.equal(find(nodes, 'Session Expiry Interval').num, 5);
    // Remaining length 1: reason code only.
    const short = clean(new Uint8Array([0xe0, 1, 0x04]), 5);
    assert.equal(find(short, 'Reason code').value, '0x04 Disconnect with Will Message');
  });

  it('AUTH v5', () => {
    const b = gen({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'SCRAM-SHA-1', authenticationData: Buffer.from([1, 2, 3]), reasonString: 'more' } }, 5);
    const nodes = clean(b, 5);
    assert.equal(find(nodes, 'Packet type').value, 'AUTH (15)');
    assert.equal(find(nodes, 'Reason code').value, '0x18 Continue authentication');
    assert.equal(find(nodes, 'Authentication Method').value, 'SCRAM-SHA-1');
    assert.match(find(clean(new Uint8Array([0xf0, 0]), 5), 'Reason code').value!, /Success/);
  });

  it('AUTH in 3.1.1 and type 0 are reserved', () => {
    assertProblem(dissect(new Uint8Array([0xf0, 0]), 4), /reserved before MQTT 5\.0/);
    assertProblem(dissect(new Uint8Array([0x00, 1, 7]), 5), /type 0 is reserved/);
  });
});

// ---- properties table ----

describe('v5 properties', () => {
  it('table has all 27 identifiers with spec names', () => {
    assert.equal(PROPERTIES.size, 27);
    assert.equal(PROPERTIES.get(0x01)?.name, 'Payload Format Indicator');
    assert.equal(PROPERTIES.get(0x2a)?.name, 'Shared Subscription Available');
    assert.equal(PROPERTIES.get(0x26)?.type, 'pair');
  });

  it('a property not allowed in the packet, a duplicate, an unknown identifier, a bad boolean', () => {
    // PUBACK v5, id 1, reason 0, properties: Topic Alias (not allowed), Reason String twice.
    const notAllowed = new Uint8Array([0x40, 2 + 1 + 1 + 3 + 4 + 4, 0, 1, 0, 3 + 4 + 4, 0x23, 0, 1, 0x1f, 0, 1, 0x61, 0x1f, 0, 1, 0x62]);
    const nodes = dissect(notAllowed, 5);
    assertSane(notAllowed, nodes);
    assertProblem(nodes, /Topic Alias is not allowed in PUBACK/);
    assertProblem(nodes, /Reason String appears more than once/);
    // CONNACK v5 with unknown property 0x05 followed by a known one: the rest is unreadable.
    const unknown = new Uint8Array([0x20, 2 + 1 + 3, 0, 0, 3, 0x05, 0x25, 1]);
    const un = dissect(unknown, 5);
    assertSane(unknown, un);
    assertProblem(un, /unknown property identifier 0x05/);
    const badBool = new Uint8Array([0x20, 2 + 1 + 2, 0, 0, 2, 0x25, 2]);
    assertProblem(dissect(badBool, 5), /must be 0 or 1/);
  });

  it('property length past the remaining length', () => {
    const b = new Uint8Array([0x40, 4, 0, 1, 0, 9]);
    const nodes = dissect(b, 5);
    assertSane(b, nodes);
    assertProblem(nodes, /property length 9 runs past the remaining length/);
  });

  it('decoding resumes after a broken property list when the packet has the bytes', () => {
    // SUBSCRIBE v5: property list of 3 bytes whose string runs past it, then a valid filter.
    const b = new Uint8Array([0x82, 2 + 1 + 3 + 4, 0, 1, 3, 0x26, 0, 9, 0, 1, 0x61, 1]);
    const nodes = dissect(b, 5);
    assertSane(b, nodes);
    assertProblem(nodes, /property length leaves/);
    assert.equal(find(nodes, 'Topic filter').value, 'a');
  });
});

// ---- malformed input ----

describe('dissect malformed input', () => {
  it('[MQTT-3.3.1-4] QoS 3 PUBLISH', () => {
    const b = new Uint8Array([0x36, 5, 0, 1, 0x61, 0, 1]);
    const nodes = dissect(b, 4);
    assert.ok(problems(nodes).includes('[MQTT-3.3.1-4] QoS 3 is reserved'), JSON.stringify(problems(nodes)));
    assert.equal(find(nodes, 'Topic').value, 'a');
  });

  it('[MQTT-3.3.1-2] DUP with QoS 0', () => {
    assertProblem(dissect(new Uint8Array([0x38, 3, 0, 1, 0x61]), 4), /\[MQTT-3\.3\.1-2\]/);
  });

  it('truncated remaining length', () => {
    const nodes = dissect(new Uint8Array([0x30, 0x80]), 4);
    assertProblem(nodes, /truncated: remaining length is incomplete/);
    assertProblem(dissect(new Uint8Array([0x30]), 4), /truncated/);
  });

  it('remaining length with a 5th byte (more than 268,435,455)', () => {
    const b = new Uint8Array([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0]);
    const nodes = dissect(b, 4);
    assertSane(b, nodes);
    assertProblem(nodes, /remaining length exceeds 4 bytes/);
    // Largest legal value decodes.
    const max = dissect(new Uint8Array([0x30, 0xff, 0xff, 0xff, 0x7f]), 4);
    assert.equal(find(max, 'Remaining length').num, 268_435_455);
    assertProblem(max, /truncated: 268435455 bytes missing/);
  });

  it('non-minimal varint in 5.0 [MQTT-1.5.5-1]', () => {
    assertProblem(dissect(new Uint8Array([0xc0, 0x80, 0x00]), 5), /\[MQTT-1\.5\.5-1\]/);
  });

  it('invalid UTF-8 topic', () => {
    const b = new Uint8Array([0x30, 6, 0, 2, 0xc3, 0x28, 0x68, 0x69]);
    const nodes = dissect(b, 4);
    const topic = find(nodes, 'Topic');
    assert.match(topic.problem!, /Topic is not valid UTF-8.*\[MQTT-1\.5\.3-1\]/);
    assert.deepEqual([topic.offset, topic.length], [4, 2]);
    assert.match(find(dissect(b, 5), 'Topic').problem!, /\[MQTT-1\.5\.4-1\]/);
    // Encoded surrogate and U+0000.
    assertProblem(dissect(new Uint8Array([0x30, 5, 0, 3, 0xed, 0xa0, 0x80]), 4), /not valid UTF-8/);
    assertProblem(dissect(new Uint8Array([0x30, 3, 0, 1, 0x00]), 4), /U\+0000 \[MQTT-1\.5\.3-2\]/);
  });

  it('truncated packets report how many bytes are missing', () => {
    const full = gen({ cmd: 'publish', topic: 'hello/world', payload: Buffer.from('payload'), qos: 1, messageId: 2 }, 4);
    for (let cut = 1; cut < full.length; cut++) {
      const b = full.subarray(0, cut);
      const nodes = dissect(b, 4);
      assertSane(b, nodes);
      assert.ok(hasProblem(nodes, /truncated/), `cut at ${cut}: ${JSON.stringify(problems(nodes))}`);
      if (cut >= 2) assertProblem(nodes, new RegExp(`truncated: ${full.length - cut} bytes missing`));
    }
  });

  it('trailing bytes after the packet', () => {
    const b = new Uint8Array([0xc0, 0, 1, 2, 3]);
    const nodes = dissect(b, 4);
    const t = find(nodes, 'Trailing bytes');
    assert.deepEqual([t.offset, t.length], [2, 3]);
    assert.match(t.problem!, /3 bytes after the end of the packet/);
  });

  it('a string that runs past the remaining length', () => {
    const b = new Uint8Array([0x30, 4, 0, 9, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69]);
    const nodes = dissect(b, 4);
    assertSane(b, nodes);
    assertProblem(nodes, /Topic needs 9 bytes but the remaining length leaves 2/);
  });

  it('empty input', () => {
    assertProblem(dissect(new Uint8Array(0), 4), /empty/);
  });

  it('fuzz: random buffers and mutated packets never throw and stay in range', () => {
    let seed = 0x5eed1234;
    const rand = (): number => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const seeds: Uint8Array[] = [
      gen({ cmd: 'connect', protocolVersion: 5, clientId: 'c', username: 'u', password: Buffer.from('p'), will: { topic: 'w', payload: Buffer.from('x'), qos: 1, properties: { userProperties: { a: 'b' } } }, properties: { sessionExpiryInterval: 1 } }, 5),
      gen({ cmd: 'connect', protocolVersion: 4, clientId: 'c', will: { topic: 'w', payload: Buffer.from('x') } }, 4),
      gen({ cmd: 'publish', topic: 'a/b', payload: Buffer.from('hi'), qos: 2, messageId: 1, properties: { topicAlias: 1, correlationData: Buffer.from([1]) } }, 5),
      gen({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'a/#', qos: 1, nl: true }], properties: { subscriptionIdentifier: 3 } }, 5),
      gen({ cmd: 'suback', messageId: 1, granted: [0, 0x80], properties: { reasonString: 'x' } }, 5),
      gen({ cmd: 'unsubscribe', messageId: 1, unsubscriptions: ['a'] }, 5),
      gen({ cmd: 'connack', reasonCode: 0, properties: { maximumQoS: 1, assignedClientIdentifier: 'x' } }, 5),
      gen({ cmd: 'disconnect', reasonCode: 0x8e, properties: { reasonString: 'r' } }, 5),
      gen({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationMethod: 'm' } }, 5),
    ];
    let withProblems = 0;
    const runs = 4000;
    for (let i = 0; i < runs; i++) {
      let b: Uint8Array;
      if (i % 2 === 0) {
        b = new Uint8Array(Math.floor(rand() * 64));
        for (let k = 0; k < b.length; k++) b[k] = Math.floor(rand() * 256);
      } else {
        b = Uint8Array.from(seeds[i % seeds.length]);
        const flips = 1 + Math.floor(rand() * 3);
        for (let k = 0; k < flips; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
        if (rand() < 0.3) b = b.subarray(0, Math.floor(rand() * b.length));
      }
      const v = VERSIONS[i % 3];
      let nodes: FieldNode[] = [];
      assert.doesNotThrow(() => { nodes = dissect(b, v); }, `input ${Buffer.from(b).toString('hex')}`);
      assert.ok(nodes.length >= 1, 'at least the fixed header');
      assertSane(b, nodes);
      assert.ok(!hasProblem(nodes, /internal dissector error/), `internal error on ${Buffer.from(b).toString('hex')}: ${problems(nodes)}`);
      if (problems(nodes).length) withProblems++;
    }
    assert.ok(withProblems > runs * 0.8, `only ${withProblems} of ${runs} random inputs reported a problem`);
  });
});
