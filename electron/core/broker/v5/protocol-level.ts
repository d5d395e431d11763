// [MQTT-3.1.2-2] (3.1.1): a CONNECT whose protocol level the server does not support is answered with
// CONNACK return code 0x01 and then the connection is closed. mqtt-packet refuses such a CONNECT while
// parsing (before aedes sees a packet), so aedes would just drop the connection. This listens for that
// parser error and writes the CONNACK first. The 3.1.1 form (20 02 00 01) is used whatever the level asked
// for, as mosquitto does: it is the one a client of an unknown level is most likely to read, and MQTT 5.0
// only allows (MAY) a CONNACK here before the close it requires.
import type { Duplex } from 'node:stream';

export const CONNACK_UNACCEPTABLE_PROTOCOL = Buffer.from([0x20, 0x02, 0x00, 0x01]);

interface ParserOwner { _parser?: { prependListener(ev: 'error', f: (e: Error) => void): void } }

export function answerUnsupportedLevel(client: unknown, stream: Duplex): void {
  (client as ParserOwner)._parser?.prependListener('error', (err) => {
    if (err.message === 'Invalid protocol version' && stream.writable) stream.write(CONNACK_UNACCEPTABLE_PROTOCOL);
  });
}
