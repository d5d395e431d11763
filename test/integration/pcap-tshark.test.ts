// Wireshark's own MQTT dissector (tshark) reads our pcap export and agrees with our trace, frame by frame.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportPcap } from '../../electron/core/trace/pcap-export';
import { startTestCore } from '../support/core';
import { run } from '../support/processes';
import { waitFor } from '../support/wait';

const MSGTYPE: Record<string, number> = {
  CONNECT: 1, CONNACK: 2, PUBLISH: 3, PUBACK: 4, PUBREC: 5, PUBREL: 6, PUBCOMP: 7, SUBSCRIBE: 8, SUBACK: 9,
  UNSUBSCRIBE: 10, UNSUBACK: 11, PINGREQ: 12, PINGRESP: 13, DISCONNECT: 14, AUTH: 15,
};

test('tshark dissects the exported pcap exactly as the trace summarises it (MQTT 3.1.1 and 5)', async () => {
  const t = await startTestCore();
  const dir = await mkdtemp(join(tmpdir(), 'mqscope-pcap-'));
  try {
    await run('mosquitto_pub', ['-p', String(t.port), '-V', 'mqttv311', '-t', 'plant/a', '-m', 'v4 message', '-q', '2', '-r']);
    await run('mosquitto_pub', ['-p', String(t.port), '-V', 'mqttv5', '-t', 'plant/b', '-m', 'v5 message', '-q', '1',
      '-D', 'publish', 'user-property', 'site', 'north', '-D', 'publish', 'content-type', 'text/plain']);
    await waitFor(async () => (await t.core.connectionList()).filter((c) => c.closedAtMs).length === 2, { what: 'both publishers gone' });
    const { frames } = await t.core.traceQuery({ kinds: ['packet'], limit: 1000 });
    // The bytes the Trace view's "pcap…" button saves (the web host's download and traceFileSave both use it).
    const pcap = exportPcap(t.core.recorder);
    const file = join(dir, 'trace.pcap');
    await writeFile(file, pcap);
    const out = await run('tshark', ['-r', file, '-d', `tcp.port==${t.port},mqtt`, '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=f',
      '-e', 'mqtt.msgtype', '-e', 'mqtt.topic', '-e', 'mqtt.msgid', '-e', 'mqtt.qos', '-e', 'mqtt.retain', '-e', 'mqtt.prop_key', '-e', 'mqtt.prop_value', '-e', 'mqtt.property.content_type', '-e', 'mqtt.ver']);
    const rows = out.trim().split('\n').map((l) => l.split('|'));
    assert.equal(rows.length, frames.length, `tshark saw ${rows.length} packets, the trace has ${frames.length}`);
    frames.forEach((f, k) => {
      const [type, topic, msgid, qos, retain] = rows[k];
      assert.equal(Number(type), MSGTYPE[f.type!], `frame ${f.seq} type`);
      if (f.topic !== undefined && f.type === 'PUBLISH') assert.equal(topic, f.topic, `frame ${f.seq} topic`);
      if (f.packetId) assert.equal(Number(msgid), f.packetId, `frame ${f.seq} packet id`);
      if (f.type === 'PUBLISH') {
        assert.equal(Number(qos), f.qos, `frame ${f.seq} qos`);
        assert.equal(retain === 'True' || retain === '1', f.retain, `frame ${f.seq} retain`);
      }
    });
    const v5 = rows[frames.findIndex((f) => f.type === 'PUBLISH' && f.topic === 'plant/b')];
    assert.deepEqual([v5[5], v5[6], v5[7]], ['site', 'north', 'text/plain']);
    // Our own dissector reads the same properties from the same bytes.
    const ours = (await t.core.traceFrame({ seq: frames.find((f) => f.type === 'PUBLISH' && f.topic === 'plant/b')!.seq }))!;
    const flat: { name: string; value?: string }[] = [];
    const walk = (ns: typeof ours.fields) => ns.forEach((n) => { flat.push(n); if (n.children) walk(n.children); });
    walk(ours.fields);
    const up = flat.find((n) => n.name === 'User Property');
    assert.ok(up, `no User Property node in ${flat.map((n) => n.name).join(', ')}`);
    const kv = (up as { children?: { name: string; value?: string }[] }).children!.filter((c) => c.name === 'Key' || c.name === 'Value').map((c) => c.value);
    assert.deepEqual(kv, [v5[5], v5[6]]);
    assert.equal(flat.find((n) => n.name === 'Content Type')?.value, v5[7]);
    assert.deepEqual(rows.filter((r) => r[0] === '1').map((r) => r[8]), ['4', '5'], 'CONNECT versions');
  } finally {
    await t.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
