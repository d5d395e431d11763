// How long work sliced on the broker's event loop gives way between its slices. One setImmediate is not
// enough: aedes hands a message on through a chain of setImmediate callbacks (the emitter, the delivery,
// the end of its write turn), and a slice queued behind the first of them ran before the next one, so a
// publish waited a slice per hop. Hopping again while the previous hop found other work to run lets such a
// chain finish (and the sockets be polled between its steps) before the next slice; when nothing else is
// waiting, one hop costs a few microseconds.
const MAX_HOPS = 32;
/** A hop longer than this ran someone else's callbacks or I/O. */
const BUSY_HOP_MS = 0.05;

const hop = () => new Promise<void>((r) => setImmediate(r));

export async function yieldTurn(): Promise<void> {
  for (let i = 0; i < MAX_HOPS; i++) {
    const t = performance.now();
    await hop();
    if (performance.now() - t < BUSY_HOP_MS) return;
  }
}
