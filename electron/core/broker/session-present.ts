// aedes 2.0.0-beta.1 derives CONNACK Session Present from stored subscriptions only, so a client with a
// persistent session but no subscriptions (a pure publisher) hears "Session Present 0" although aedes kept
// its QoS 2 state. A spec client must then discard its in-flight messages [MQTT-3.2.2-5], and flows that
// the broker would have finished are reported lost. We know better (the client left a persistent session
// behind), so the flag is set on the CONNACK as it is written — only when the connection is accepted,
// because a refused CONNACK must say 0 [MQTT-3.2.2-6]. The tap sits below write(), so the trace shows
// exactly the byte that went out.
import type { Duplex } from 'node:stream';

type Write = Duplex['write'];

/**
 * Set Session Present on the next CONNACK written to `stream`. mqtt-packet writes a CONNACK as separate
 * chunks: header (0x20), remaining length, flags, return code, [properties]; the flags chunk is held
 * until the return code shows the connection was accepted.
 */
export function forceSessionPresent(stream: Duplex): void {
  const original = stream.write;
  let step = 0;
  let heldFlags: Buffer | null = null;
  const restore = (): void => {
    if (stream.write === patched) stream.write = original;
  };
  const patched = function (this: Duplex, chunk: unknown, ...rest: unknown[]): boolean {
    const call = (c: unknown): boolean => (original as (...a: unknown[]) => boolean).call(stream, c, ...rest);
    const buf = Buffer.isBuffer(chunk) ? chunk : null;
    step += 1;
    if (!buf || (step === 1 && !(buf.length === 1 && buf[0] === 0x20))) {
      restore();
      return call(chunk);
    }
    if (step === 3 && buf.length === 1) {
      heldFlags = buf;
      return true;
    }
    if (step === 4 && heldFlags) {
      restore();
      const accepted = buf[0] === 0;
      (original as (...a: unknown[]) => boolean).call(stream, Buffer.from([accepted ? 0x01 : heldFlags[0] as number]));
      return call(chunk);
    }
    if (step >= 3) restore();
    return call(chunk);
  } as Write;
  stream.write = patched;
}
