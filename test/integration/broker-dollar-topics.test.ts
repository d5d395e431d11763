// [MQTT-4.7.2-1]: a filter that starts with a wildcard never matches a topic that starts with '$'. The
// embedded broker keeps its $SYS statistics retained, so this also covers retained delivery on subscribe,
// checked with mosquitto_sub against the embedded broker and against mosquitto, which does it right.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestCore, type TestCore } from '../support/core';
import { startMosquitto, type Mosquitto } from '../support/mosquitto';
import { run, startPeer } from '../support/processes';
import { waitFor } from '../support/wait';

let core: TestCore;
let mosq: Mosquitto;
before(async () => { [core, mosq] = await Promise.all([startTestCore(), startMosquitto()]); });
after(async () => { await Promise.all([core?.dispose(), mosq?.stop()]); });

/** What mosquitto_sub receives in 1.5 s for these filters after one ordinary retained message. */
async function received(port: number, filters: string[]): Promise<string[]> {
  await run('mosquitto_pub', ['-p', String(port), '-t', 'plain/t', '-m', 'x', '-r']);
  // -W: stop after 1.5 s (exit code 27, mosquitto_sub's "timed out").
  const sub = startPeer('mosquitto_sub', ['-p', String(port), ...filters.flatMap((f) => ['-t', f]), '-v', '-W', '1.5']);
  assert.equal(await sub.exited, 27, sub.err());
  return sub.out().split('\n').filter(Boolean).map((l) => l.split(' ')[0]);
}

for (const target of ['embedded broker', 'mosquitto'] as const) {
  test(`${target}: '#' and '+/…' filters get no $SYS topics, retained or live; '$SYS/#' does`, async () => {
    const port = target === 'mosquitto' ? mosq.port : core.port;
    if (target === 'embedded broker') {
      await waitFor(async () => (await core.core.brokerRetained({ filter: '$SYS/#' })).length > 0, { what: 'the $SYS statistics published' });
    }
    const wild = await received(port, ['#', '+/broker/#', '+/+']);
    assert.ok(wild.includes('plain/t'), `the ordinary retained message arrives: ${wild.join(', ')}`);
    assert.deepEqual(wild.filter((t) => t.startsWith('$')), [], 'no $ topic for a filter that starts with a wildcard');
    if (target === 'embedded broker') {
      const sys = await received(port, ['$SYS/#']);
      assert.ok(sys.some((t) => t.startsWith('$SYS/broker/')), `'$SYS/#' gets the statistics: ${sys.slice(0, 3).join(', ')}`);
    }
  });
}
