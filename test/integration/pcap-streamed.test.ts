// The pcap export comes in pieces: a save or download writes them as they are made and the broker runs
// between writes. Frames the live capture evicts before their turn are counted, never silently missing,
// and tshark (a reader nobody here wrote) reads what was written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import mqttPacket from 'mqtt-packet';
import { TraceRecorder } from '../../electron/core/trace/recorder';
import { TraceStore } from '../../electron/core/trace/trace-store';
import { pcapParts } from '../../electron/core/trace/pcap-export';
import { readPcap } from '../../electron/core/trace/pcap-read';

test('a pcap export while the capture evicts: written frames in order, the rest counted, tshark reads it', async () => {
  const rec = new TraceRecorder(new TraceStore(12 * 2 ** 20), () => {});
  const conn = rec.openConnection({ side: 'broker', transport: 'tcp', remote: '127.0.0.1:5000', local: '127.0.0.1:1883' });
  const ctx = rec.conns.get(conn.id)!;
  const feed = (b: Buffer) => { const pos = rec.store.reserve(b.length); b.copy(rec.store.bufferAt(pos), rec.store.offsetAt(pos)); rec.store.commitPacket(ctx, false, pos, b.length, 2); };
  const publish = (k: number) => mqttPacket.generate({ cmd: 'publish', topic: `t/${k % 9}`, payload: Buffer.alloc(1000, k), qos: 0, retain: false, dup: false } as mqttPacket.Packet);
  feed(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'ev', clean: true, keepalive: 0 } as mqttPacket.Packet));
  let k = 0;
  for (; k < 8_000; k++) feed(publish(k));
  const heldAtStart = rec.store.nextSeq - rec.store.firstSeq;
  const dir = await mkdtemp(join(tmpdir(), 'mqscope-pcap-stream-'));
  try {
    const skipped = { evicted: 0, events: 0 };
    const parts: Buffer[] = [];
    for (const part of pcapParts(rec, skipped)) {
      parts.push(part);
      // After 1,000 frames are out, the capture goes on (as it does between two awaited writes).
      if (parts.length === 1001) for (let j = 0; j < 6_000; j++) feed(publish(k++));
    }
    const frames = parts.length - 1;
    assert.ok(skipped.evicted > 0, 'frames were evicted before their turn');
    assert.equal(frames + skipped.evicted + skipped.events, heldAtStart, `every frame held when the export began is written or counted (${frames} written, ${skipped.evicted} evicted, ${skipped.events} events)`);
    const file = Buffer.concat(parts);
    const back = readPcap(file);
    assert.equal(back.frames.length, frames);
    const path = join(dir, 'evicting.pcap');
    await writeFile(path, file);
    const t = spawnSync('tshark', ['-r', path, '-T', 'fields', '-e', 'mqtt.msgtype'], { encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    const types = t.stdout.trim().split('\n');
    assert.equal(types.length, frames, 'tshark counts one MQTT packet per written frame');
    assert.equal(types[0], '1', 'the CONNECT first');
    assert.ok(types.slice(1).every((x) => x === '3'), 'then PUBLISHes');
  } finally {
    rec.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
