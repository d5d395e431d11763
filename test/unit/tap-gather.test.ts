// The tap gathers a writev's small chunks (mqtt-packet writes a PUBLISH in five or six pieces) and feeds
// them as one; large chunks pass as they are. Over a real socket: the bytes the sink sees are exactly the
// bytes the peer receives, in order, each feed told truly how many bytes follow it in the same call, and a
// large payload Buffer reaches the sink as that very Buffer (fan-out dedupe recognises it by identity).
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { tapStream, type Sink } from '../../electron/core/trace/tap';

class Recording implements Sink {
  bytes: Buffer[] = [];
  calls: { n: number; ahead: number; chunk: Buffer }[] = [];
  feed(chunk: Buffer, ahead = 0): void { this.bytes.push(Buffer.from(chunk)); this.calls.push({ n: chunk.length, ahead, chunk }); }
  feedString(text: string, encoding: BufferEncoding, ahead = 0): void { this.feed(Buffer.from(text, encoding), ahead); }
}

test('a writev of small, string (ASCII, not, long) and large chunks reaches the sink as the peer gets it, small ones gathered', async () => {
  const big = Buffer.alloc(4096, 0x42);
  const pieces: [Buffer | string, BufferEncoding?][] = [];
  for (let i = 0; i < 40; i++) pieces.push([Buffer.from([0x30]), undefined], [Buffer.from([i])], ['plant/é/' + i, 'utf8'], ['plant/line/' + i, 'utf8'], ['c0ffee', 'hex'],
    [i % 2 ? 'a/'.repeat(40) + i : 'ascii until the very last char ' + '\u00ff', 'utf8'], [i % 5 === 0 ? big : Buffer.from('x'.repeat(i))]);
  for (let i = 0; i < 300; i++) pieces.push([Buffer.alloc(250, i)]); // more small bytes than the gathering buffer holds
  const expected = Buffer.concat(pieces.map(([c, enc]) => (typeof c === 'string' ? Buffer.from(c, enc) : c)));
  const received: Buffer[] = [];
  let done!: () => void;
  const all = new Promise<void>((r) => { done = r; });
  const server = net.createServer((s) => s.on('data', (d) => { received.push(d); if (Buffer.concat(received).length >= expected.length) done(); }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sock = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  try {
    await new Promise((r) => sock.once('connect', r));
    const sent = new Recording();
    tapStream(sock, new Recording(), sent, () => {});

    sock.cork();
    for (const [c, enc] of pieces) (typeof c === 'string' ? sock.write(c, enc!) : sock.write(c));
    process.nextTick(() => sock.uncork());
    await all;

    assert.ok(Buffer.concat(sent.bytes).equals(expected), 'the sink saw exactly the bytes the peer received');
    assert.ok(Buffer.concat(received).equals(expected));
    let following = expected.length;
    for (const c of sent.calls) { following -= c.n; assert.equal(c.ahead, following, 'ahead = the bytes after this feed in the same call'); }
    assert.ok(sent.calls.length < pieces.length / 2, `small chunks were gathered (${sent.calls.length} feeds for ${pieces.length} chunks)`);
    assert.equal(sent.calls.filter((c) => c.chunk === big).length, 8, 'the large payload reached the sink as the Buffer written');
  } finally {
    sock.destroy();
    server.close();
  }
});
