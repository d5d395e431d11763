// The broker's own messages ($SYS statistics, a retained message put back) must have the hidden class of a
// PUBLISH mqtt-packet parses (electron/core/broker/broker-packet.ts): aedes copies every routed message through
// one constructor whose reads go megamorphic, for every delivery afterwards, once they see one class too many.
// V8's %HaveSameMap says it; it needs --allow-natives-syntax, so it runs in a child node.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '../..');

function sameMaps(): Record<string, boolean> {
  const script = `
import('./electron/core/broker/broker-packet.ts').then(async ({ brokerPacket }) => {
  const mp = (await import('mqtt-packet')).default;
  const parsed = (version, packet) => {
    const parser = mp.parser({ protocolVersion: version });
    let got = null;
    parser.on('packet', (p) => { got = p; });
    parser.parse(mp.generate(packet, { protocolVersion: version }));
    return got;
  };
  const v4 = parsed(4, { cmd: 'publish', topic: 'a/b', payload: Buffer.from('x'), qos: 0, retain: true, dup: false });
  const v5 = parsed(5, { cmd: 'publish', topic: 'a/b', payload: Buffer.from('x'), qos: 0, retain: true, dup: false, properties: { contentType: 'text/plain' } });
  const sys = brokerPacket({ topic: '$SYS/broker/uptime', payload: Buffer.from('5 seconds'), qos: 0, retain: true });
  const withProps = brokerPacket({ topic: 'a', payload: Buffer.from('x'), qos: 0, retain: true, properties: { contentType: 'text/plain' } });
  const literal = { topic: 't', payload: Buffer.from('x'), qos: 0, retain: true };
  console.log(JSON.stringify({ sys: %HaveSameMap(sys, v4), withProps: %HaveSameMap(withProps, v5), literal: %HaveSameMap(literal, v4) }));
});`;
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

test("the broker's own PUBLISHes have the hidden class of a parsed PUBLISH (and an object literal would not)", () => {
  const r = sameMaps();
  assert.equal(r.literal, false, 'the check can tell classes apart');
  assert.equal(r.sys, true, 'a $SYS statistic is shaped as a parsed v3.1.1 PUBLISH');
  assert.equal(r.withProps, true, 'a retained message put back with properties is shaped as a parsed v5 PUBLISH');
});
