// Handshakes that are not PUBLISH: CONNECT→CONNACK, SUBSCRIBE→SUBACK, UNSUBSCRIBE→UNSUBACK,
// PINGREQ→PINGRESP, AUTH exchanges and DISCONNECT.
import type { PacketType, ProtocolVersion } from '../contract/types';
import { reasonText } from '../mqtt/reason-codes';
import { DEFAULT_RECEIVE_MAXIMUM, idKey, rule, type ConnState } from './conn-state';
import type { FlowEngine } from './engine';
import type { FlowFrame, FrameExtras } from './frame';
import type { FlowKind } from './types';

const KIND: Partial<Record<PacketType, FlowKind>> = {
  CONNECT: 'connect', CONNACK: 'connect', SUBSCRIBE: 'subscribe', SUBACK: 'subscribe', UNSUBSCRIBE: 'unsubscribe',
  UNSUBACK: 'unsubscribe', PINGREQ: 'ping', PINGRESP: 'ping', DISCONNECT: 'disconnect', AUTH: 'auth',
};
const FROM_CLIENT = new Set<PacketType>(['CONNECT', 'SUBSCRIBE', 'UNSUBSCRIBE', 'PINGREQ']);
const FROM_SERVER = new Set<PacketType>(['CONNACK', 'SUBACK', 'UNSUBACK', 'PINGRESP']);

function text(c: ConnState, code: number, t: PacketType): string {
  return `${reasonText(code, t, c.version as ProtocolVersion)} (0x${code.toString(16).padStart(2, '0')})`;
}

export function onControl(e: FlowEngine, c: ConnState, f: FlowFrame, x: FrameExtras | undefined): void {
  const t = f.type!;
  const kind = KIND[t];
  if (!kind) return;
  if ((FROM_CLIENT.has(t) && f.dir !== 'c2s') || (FROM_SERVER.has(t) && f.dir !== 's2c')) {
    const r = e.newFlow(c, f, kind, f.packetId ?? 0);
    e.finish(r, 'broken', `${t} sent by the ${f.dir === 'c2s' ? 'client' : 'server'}: only the ${f.dir === 'c2s' ? 'server' : 'client'} sends ${t} (MQTT §2.1.2)`);
    return;
  }
  const pid = f.packetId ?? 0;
  switch (t) {
    case 'CONNECT': {
      c.sawStart = true;
      if (x?.level) c.version = x.level;
      if (x?.clientId) c.clientId = x.clientId;
      c.will = x?.will;
      c.rmS2C = x?.receiveMaximum ?? DEFAULT_RECEIVE_MAXIMUM;
      c.connectUs = f.timeUs;
      c.graceful = false;
      e.adoptSession(c);
      c.connectFlow = e.newFlow(c, f, 'connect', 0);
      return;
    }
    case 'CONNACK': {
      const r = c.connectFlow;
      if (!r) return e.orphan(c, f, 'connect', 0, `CONNACK without a CONNECT on this connection ${rule(c, '3.2.0-1', '3.2.0-1')}`);
      const code = f.reasonCode ?? 0;
      const refused = c.version === 5 ? code >= 0x80 : code !== 0;
      const why = refused ? `refused: ${text(c, code, t)}` : undefined;
      e.addStep(r, c, f, why);
      if (c.authFlow) {
        e.addStep(c.authFlow, c, f);
        e.finish(c.authFlow, refused ? 'refused' : 'complete', why);
      }
      e.finish(r, refused ? 'refused' : 'complete', why);
      c.sessionPresent = x?.sessionPresent === true;
      c.rmC2S = x?.receiveMaximum ?? DEFAULT_RECEIVE_MAXIMUM;
      if (!refused && !c.sessionPresent) e.dropCarried(c);
      return;
    }
    case 'SUBSCRIBE': case 'UNSUBSCRIBE': {
      const k = idKey('c2s', pid);
      const prev = c.open.get(k);
      if (prev) e.finish(prev, 'broken', `packet id ${pid} was reused by a new ${t} (#${f.seq}) before this exchange finished ${rule(c, '2.2.1-3', '2.3.1-2')}`);
      const r = e.newFlow(c, f, kind, pid);
      r.topic = f.topic;
      c.open.set(k, r);
      if (t === 'SUBSCRIBE') c.lastSubscribeUs = f.timeUs;
      return;
    }
    case 'SUBACK': case 'UNSUBACK': {
      const r = c.open.get(idKey('c2s', pid));
      const ask = t === 'SUBACK' ? 'SUBSCRIBE' : 'UNSUBSCRIBE';
      const rl = t === 'SUBACK' ? rule(c, '3.8.4-2', '3.8.4-2') : '(MQTT §3.11)';
      if (!r) return e.orphan(c, f, kind, pid, `${t} for packet id ${pid}, but no ${ask} with that id is in flight ${rl}`);
      if (r.kind !== kind) {
        e.addStep(r, c, f);
        return e.finish(r, 'broken', `${t} answers a ${r.kind === 'subscribe' ? 'SUBSCRIBE' : r.kind === 'unsubscribe' ? 'UNSUBSCRIBE' : 'PUBLISH'} (packet id ${pid}): an acknowledgement of the wrong type (MQTT §2.2.1)`);
      }
      const codes = x?.reasonCodes ?? (f.reasonCode !== undefined ? [f.reasonCode] : []);
      const bad = codes.flatMap((v, i) => (v >= 0x80 ? [[v, i]] : []));
      const why = bad.length === 0 ? undefined
        : `${bad.length === codes.length ? 'refused' : `${bad.length} of ${codes.length} filters refused (filter ${bad[0][1] + 1})`}: ${text(c, bad[0][0], t)}`;
      e.addStep(r, c, f, why);
      e.finish(r, why ? 'refused' : 'complete', why);
      return;
    }
    case 'PINGREQ':
      c.pings.push(e.newFlow(c, f, 'ping', 0));
      return;
    case 'PINGRESP': {
      const r = c.pings.shift();
      if (!r) return e.orphan(c, f, 'ping', 0, `PINGRESP without a PINGREQ: the server sends PINGRESP only in answer to PINGREQ ${rule(c, '3.12.4-1', '3.12.4-1')}`);
      e.addStep(r, c, f);
      e.finish(r, 'complete');
      return;
    }
    case 'DISCONNECT': {
      const code = f.reasonCode ?? 0;
      const r = e.newFlow(c, f, 'disconnect', 0);
      const refused = c.version === 5 && code >= 0x80;
      e.finish(r, refused ? 'refused' : 'complete', refused ? `${f.dir === 'c2s' ? 'the client' : 'the server'} disconnected with ${text(c, code, t)}` : undefined);
      // DISCONNECT without 0x04 discards the will [MQTT-3.1.2-10] (3.1.1: [MQTT-3.1.2-10] as well).
      if (f.dir === 'c2s' && code !== 0x04) c.graceful = true;
      return;
    }
    case 'AUTH': {
      const code = f.reasonCode ?? 0;
      let r = c.authFlow;
      if (r) e.addStep(r, c, f);
      else r = c.authFlow = e.newFlow(c, f, 'auth', 0);
      if (code === 0x00 && r.stepCount > 1) e.finish(r, 'complete');
      else e.resume(r);
      return;
    }
  }
}
