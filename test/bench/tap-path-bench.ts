// The tap's own path for a broker's coalesced writes, without a socket or a broker: the chunks one writev
// hands the tap (--per-writev PUBLISH packets, default 32, as the patched mqtt-packet writes them: everything
// before a payload of 256 bytes or more in one Buffer and the payload as it is, the same Buffer for every
// subscriber; a smaller payload inside that one Buffer) fed to the framers and the store, which is filled past
// its budget first so it evicts as it records. ns per delivered packet, median of 7 rounds.
// Run alone: npx tsx test/bench/tap-path-bench.ts [--size=4096] [--fanout=10] [--per-writev=32]
import { giveAll, type Chunks } from '../../electron/core/trace/tap';
import { Framer } from '../../electron/core/trace/framer';
import { TraceStore, type ConnCtx } from '../../electron/core/trace/trace-store';
import { wireClock } from '../../electron/core/trace/wire-clock';

const arg = (name: string, dflt: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const SIZE = arg('size', 4096), FANOUT = arg('fanout', 10);
const PER_WRITEV = arg('per-writev', 32);

const store = new TraceStore(arg('budget-mib', 64) * 2 ** 20);
const ctx = (id: number): ConnCtx => ({ id, clientSide: false, version: 4, sawConnect: true, packetsIn: 0, packetsOut: 0, bytesIn: 0, bytesOut: 0, onConnect: () => {} });
const subs = Array.from({ length: FANOUT }, (_, i) => new Framer(store, ctx(i + 2), true));
const pubIn = new Framer(store, ctx(1), false);

const varint = (n: number) => { const out: number[] = []; do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 128; out.push(b); } while (n > 0); return Buffer.from(out); };
const topics = Array.from({ length: 100 }, (_, i) => `bench/dev${i}/temp`);
const HDR = Buffer.from([0x30]);
const head = (topic: string, payload: Buffer) => Buffer.concat([HDR, varint(2 + topic.length + payload.length), Buffer.from([0, topic.length]), Buffer.from(topic)]);
/** One QoS 0 PUBLISH as the patched mqtt-packet writes it (patches/mqtt-packet+*.patch): one Buffer, or the head and the payload. */
const pieces = (topic: string, payload: Buffer): Buffer[] => (payload.length < 256 ? [Buffer.concat([head(topic, payload), payload])] : [head(topic, payload), payload]);
const whole = (topic: string, payload: Buffer) => Buffer.concat([head(topic, payload), payload]);

interface Group { reads: Buffer[]; chunks: Chunks[] }

/** The inbound reads and the writev chunks for `messages` messages, built before the clock starts. */
function build(messages: number): Group[] {
  const groups: Group[] = [];
  for (let m = 0; m < messages; m += PER_WRITEV) {
    // Each message arrives in its own read; the payload aedes forwards is a view of that read (mqtt-packet's parser).
    const reads = Array.from({ length: PER_WRITEV }, (_, k) => whole(topics[(m + k) % 100], Buffer.alloc(SIZE, 97)));
    const payloads = reads.map((r) => r.subarray(r.length - SIZE));
    // Each subscriber's writev has Buffers of its own (mqtt-packet encodes per write); a large payload is shared.
    const chunks: Chunks[] = subs.map(() => {
      const c: Chunks = [];
      for (let k = 0; k < PER_WRITEV; k++) for (const p of pieces(topics[(m + k) % 100], payloads[k])) c.push({ chunk: p, encoding: 'buffer' });
      return c;
    });
    groups.push({ reads, chunks });
  }
  return groups;
}

// Payloads under 256 bytes are copied, never recognised by identity, so one set of inputs serves every round
// (no garbage of the bench's own to collect while the clock runs); larger ones are built afresh each round.
let reused: Group[] | null = null;
function round(messages: number): number {
  const groups = SIZE < 256 ? (reused ??= build(messages)) : build(messages);
  const t0 = process.hrtime.bigint();
  for (const g of groups) {
    // As the socket hooks do: one clock reading per read or writev, used for every frame in it.
    wireClock.set = true;
    for (const r of g.reads) { wireClock.us = performance.now() * 1000; pubIn.feed(r); }
    for (let k = 0; k < subs.length; k++) { wireClock.us = performance.now() * 1000; giveAll(subs[k], g.chunks[k]); }
    wireClock.set = false;
  }
  return Number(process.hrtime.bigint() - t0) / (groups.length * PER_WRITEV * FANOUT);
}

// Fill past the budget (it then evicts as it records) and warm the JIT, in rounds small enough to build.
while (store.evictedFrames === 0) round(20_000);
round(20_000);
// --rounds=N (default 7): fewer for instruction counts under valgrind (two runs with different N, subtracted).
const rounds = Array.from({ length: arg('rounds', 7) }, () => round(20_000)).sort((a, b) => a - b);
console.log(`tap path, QoS 0 ${SIZE} B 1→${FANOUT}, ${PER_WRITEV} packets a writev: ${rounds[rounds.length >> 1].toFixed(0)} ns per delivery (the inbound frame included; min ${rounds[0].toFixed(0)}, max ${rounds[rounds.length - 1].toFixed(0)}); frames ${store.nextSeq}`);
