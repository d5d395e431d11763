// The tap gathers a writev's small chunks (mqtt-packet writes a PUBLISH in five or six pieces) and feeds
// them as one; large chunks pass as they are. Over a real socket: the bytes the sink sees are exactly the
// bytes the peer receives, in order, each feed told truly how many bytes follow it in the same call, and a
// large payload Buffer reaches the sink as that very Buffer (fan-out dedupe recognises it by identity).
import assert from 'node:assert/strict';
import net from 'node:net';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { giveAll, tapStream, type Sink } from '../../electron/core/trace/tap';

class Recording implements Sink {
  bytes: Buffer[] = [];
  calls: { n: number; ahead: number; chunk: Buffer }[] = [];
  feed(chunk: Buffer, ahead = 0, end = -1): void {
    const bytes = end >= 0 ? chunk.subarray(0, end) : chunk;
    this.bytes.push(Buffer.from(bytes));
    this.calls.push({ n: bytes.length, ahead, chunk });
  }
  feedString(text: string, encoding: BufferEncoding, ahead = 0): void { this.feed(Buffer.from(text, encoding), ahead); }
  feedHeadAndBody(): boolean { return false; } // records every piece the usual way
}

/** Writes `pieces` to a tapped real socket in one corked run (one writev); what the tap's sink and the peer got. */
async function throughTap(pieces: [Buffer | string, BufferEncoding?][]): Promise<{ sent: Recording; received: Buffer; expected: Buffer }> {
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
    return { sent, received: Buffer.concat(received), expected };
  } finally {
    sock.destroy();
    server.close();
  }
}

/** The sink saw exactly what the peer got, each feed told truly what follows it, small chunks gathered. */
function assertFaithful({ sent, received, expected }: { sent: Recording; received: Buffer; expected: Buffer }, chunks: number): void {
  assert.ok(Buffer.concat(sent.bytes).equals(expected), 'the sink saw exactly the bytes the peer received');
  assert.ok(received.equals(expected));
  let following = expected.length;
  for (const c of sent.calls) { following -= c.n; assert.equal(c.ahead, following, 'ahead = the bytes after this feed in the same call'); }
  assert.ok(sent.calls.length < chunks / 2, `small chunks were gathered (${sent.calls.length} feeds for ${chunks} chunks)`);
}

test('a writev of small, string (ASCII, not, long) and large chunks reaches the sink as the peer gets it, small ones gathered', async () => {
  const big = Buffer.alloc(4096, 0x42);
  const pieces: [Buffer | string, BufferEncoding?][] = [];
  for (let i = 0; i < 40; i++) pieces.push([Buffer.from([0x30]), undefined], [Buffer.from([i])], ['plant/é/' + i, 'utf8'], ['plant/line/' + i, 'utf8'], ['c0ffee', 'hex'],
    [i % 2 ? 'a/'.repeat(40) + i : 'ascii until the very last char ' + '\u00ff', 'utf8'], [i % 5 === 0 ? big : Buffer.from('x'.repeat(i))]);
  for (let i = 0; i < 300; i++) pieces.push([Buffer.alloc(250, i)]); // more small bytes than the gathering buffer holds
  const got = await throughTap(pieces);
  assertFaithful(got, pieces.length);
  assert.equal(got.sent.calls.filter((c) => c.chunk === big).length, 8, 'the large payload reached the sink as the Buffer written');
});

test('a gathered run that is exactly the rest of a packet is stored as its own bytes, never as an earlier run\'s', async () => {
  // The tap feeds gathered runs from one reused buffer. A run of small payload pieces (≥ 256 bytes in all)
  // that completes a packet must not be taken for a payload stored before: that buffer's identity says nothing.
  const { Framer } = await import('../../electron/core/trace/framer');
  const { TraceStore } = await import('../../electron/core/trace/trace-store');
  const store = new TraceStore();
  const ctx = { id: 1, clientSide: false, version: 4, sawConnect: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect() {} };
  const framer = new Framer(store, ctx, true);
  const topic = 't/'.repeat(150); // header + topic: one chunk of more than 256 bytes, fed as it is
  const packets: Buffer[] = [];
  for (let m = 0; m < 3; m++) {
    const payload = Buffer.alloc(300, 0x61 + m);
    const rem = 2 + topic.length + payload.length; // 602: two bytes of remaining length
    const head = Buffer.concat([Buffer.from([0x30, 0x80 | (rem & 127), rem >> 7]), Buffer.from([topic.length >> 8, topic.length & 255]), Buffer.from(topic)]);
    packets.push(Buffer.concat([head, payload]));
    // The payload in three small pieces: gathered into one run of exactly the packet's rest.
    giveAll(framer, [head, payload.subarray(0, 100), payload.subarray(100, 200), payload.subarray(200)].map((chunk) => ({ chunk, encoding: 'buffer' })));
  }
  assert.equal(store.nextSeq, 3);
  for (let s = 0; s < 3; s++) assert.ok(store.bytesOf(s)!.equals(packets[s]), `packet ${s} stored as sent`);
});

test('a writev of Buffers only (Node marks it allBuffers, as a broker\'s always is) reaches the sink as the peer gets it, small ones gathered', async () => {
  // The tap takes its Buffers-only way on this flag: Node sets it on the chunks of such a writev.
  let flagged: unknown;
  const probe = new Writable({ writev(chunks, cb) { flagged = (chunks as unknown as { allBuffers?: boolean }).allBuffers; cb(); } });
  probe.cork(); probe.write(Buffer.from('a')); probe.write(Buffer.from('b')); probe.uncork();
  assert.equal(flagged, true);

  const big = Buffer.alloc(4096, 0x42);
  const pieces: [Buffer][] = [];
  for (let i = 0; i < 60; i++) pieces.push([Buffer.from([0x30, 10 + (i % 7)])], [Buffer.alloc(1 + (i % 40), i)], [i % 3 === 0 ? big : Buffer.alloc(300 + i, i)]);
  for (let i = 0; i < 300; i++) pieces.push([Buffer.alloc(250, i)]); // more small bytes than the gathering buffer holds
  const got = await throughTap(pieces);
  assertFaithful(got, pieces.length);
  assert.equal(got.sent.calls.filter((c) => c.chunk === big).length, 20, 'the large payload reached the sink as the Buffer written');
  assert.ok(got.sent.calls.some((c) => c.n >= 300 && c.chunk !== big && pieces.some(([p]) => p === c.chunk)), 'a large chunk passes as itself');
});
