// PUBLISH and its acknowledgements: QoS 1 PUBLISH→PUBACK and QoS 2 PUBLISH→PUBREC→PUBREL→PUBCOMP,
// in both directions (each direction has its own packet id space), resends with DUP and after a
// reconnect, and every way peers get it wrong.
import { reasonText } from '../mqtt/reason-codes';
import type { PacketType, ProtocolVersion } from '../contract/types';
import { idKey, opposite, rule, type ConnState } from './conn-state';
import type { FlowEngine } from './engine';
import { expectedNext, type FlowRec } from './flow-record';
import type { FlowFrame, FrameExtras } from './frame';

function resolveTopic(c: ConnState, f: FlowFrame, x: FrameExtras | undefined): string | undefined {
  const alias = x?.topicAlias;
  if (alias === undefined) return f.topic;
  const map = c.aliases[f.dir === 'c2s' ? 0 : 1];
  if (f.topic) { map.set(alias, f.topic); return f.topic; }
  return map.get(alias);
}

function retransmit(e: FlowEngine, r: FlowRec, c: ConnState, f: FlowFrame, note: string): void {
  e.addStep(r, c, f, note);
  r.retransmitted = true;
  r.carried = false;
  e.resume(r);
}

export function onPublish(e: FlowEngine, c: ConnState, f: FlowFrame, x: FrameExtras | undefined): void {
  const qos = f.qos ?? 0;
  const topic = resolveTopic(c, f, x);
  if (qos === 0) {
    const r = e.newFlow(c, f, 'publish-qos0', 0);
    r.topic = topic;
    e.finish(r, 'complete');
    if (c.side === 'broker') e.journeys.onPublish(c, f, x, r, topic);
    return;
  }
  const kind = qos === 1 ? 'publish-qos1' : 'publish-qos2';
  const pid = f.packetId ?? 0;
  const k = idKey(f.dir, pid);
  const prev = c.open.get(k);
  if (prev) {
    // A resend may come before the first ack (QoS 1, QoS 2 before PUBREL) [MQTT-4.3.2-1], [MQTT-4.3.3-1].
    if (prev.kind === kind && prev.stage <= 2 && (f.dup || prev.carried)) {
      retransmit(e, prev, c, f, f.dup ? (prev.carried ? 'resent with DUP after reconnect' : 'resent with DUP')
        : `resent after reconnect without the DUP flag ${rule(c, '3.3.1-1', '3.3.1-1')}`);
      return;
    }
    e.finish(prev, 'broken', `packet id ${pid} was reused by a new PUBLISH (#${f.seq}) before this exchange finished ${rule(c, '2.2.1-3', '2.3.1-2')}`);
  } else if (f.dup) {
    const done = c.prevDone?.get(k);
    if (done && e.flows.has(done.id) && done.kind === kind && done.topic === topic) {
      e.reopen(done, c);
      retransmit(e, done, c, f, 'resent with DUP after reconnect (this exchange had already finished on the wire)');
      return;
    }
  }
  const r = e.newFlow(c, f, kind, pid, f.dir, f.dup ? 'DUP: a resend of a PUBLISH this trace did not see' : undefined);
  r.topic = topic;
  if (f.dup) { r.retransmitted = true; e.setState(r, 'retransmitted'); }
  c.open.set(k, r);
  if (c.side === 'broker') e.journeys.onPublish(c, f, x, r, topic);
}

const ACK_KIND: Record<string, 'publish-qos1' | 'publish-qos2'> = { PUBACK: 'publish-qos1', PUBREC: 'publish-qos2', PUBREL: 'publish-qos2', PUBCOMP: 'publish-qos2' };

function describe(r: FlowRec): string {
  return r.kind === 'publish-qos1' ? 'a QoS 1 PUBLISH' : r.kind === 'publish-qos2' ? 'a QoS 2 PUBLISH' : `a ${r.kind.toUpperCase()}`;
}

export function onAck(e: FlowEngine, c: ConnState, f: FlowFrame): void {
  const t = f.type as 'PUBACK' | 'PUBREC' | 'PUBREL' | 'PUBCOMP';
  const pid = f.packetId ?? 0;
  const origin = t === 'PUBREL' ? f.dir : opposite(f.dir);
  const k = idKey(origin, pid);
  let r = c.open.get(k);
  const section = t === 'PUBACK' ? '§4.3.2' : '§4.3.3';
  if (!r && t === 'PUBREL') {
    // The sender resends PUBREL after reconnect when it never processed the PUBCOMP [MQTT-4.4.0-1].
    const done = c.prevDone?.get(k);
    if (done && e.flows.has(done.id) && done.kind === 'publish-qos2' && done.stage === 3) {
      e.reopen(done, c);
      retransmit(e, done, c, f, 'PUBREL resent after reconnect (this exchange had already finished on the wire)');
      return;
    }
  }
  if (!r) {
    const want = t === 'PUBACK' ? 'QoS 1 PUBLISH' : t === 'PUBCOMP' ? 'PUBREL' : 'QoS 2 PUBLISH';
    e.orphan(c, f, ACK_KIND[t], pid, `${t} for packet id ${pid}, but no ${want} with that id is in flight: an acknowledgement must carry the packet id of the packet it answers (MQTT ${section})`);
    return;
  }
  if (r.kind !== ACK_KIND[t]) {
    e.addStep(r, c, f);
    e.finish(r, 'broken', `${t} answers ${describe(r)} (packet id ${pid}), which expects ${expectedNext(r)} (MQTT ${r.kind === 'publish-qos1' ? '§4.3.2' : r.kind === 'publish-qos2' ? '§4.3.3' : '§2.2.1'})`);
    return;
  }
  const resumed = r.carried;
  r.carried = false;
  const code = f.reasonCode;
  const refused = code !== undefined && code >= 0x80;
  const why = refused ? `refused: ${reasonText(code, t as PacketType, c.version as ProtocolVersion)} (0x${code.toString(16)})` : undefined;
  const after = resumed ? 'after reconnect' : undefined;
  switch (t) {
    case 'PUBACK':
      e.addStep(r, c, f, why ?? after);
      e.finish(r, refused ? 'refused' : 'complete', why);
      return;
    case 'PUBREC':
      e.addStep(r, c, f, why ?? (r.stage >= 2 ? 'PUBREC again' : after));
      if (r.stage < 2) r.stage = 2;
      if (refused) e.finish(r, 'refused', why); // a failed PUBREC ends the exchange: no PUBREL follows (MQTT §4.3.3)
      else e.resume(r);
      return;
    case 'PUBREL':
      if (r.stage === 1) {
        e.addStep(r, c, f);
        e.finish(r, 'broken', `PUBREL before any PUBREC: the sender releases a QoS 2 message only after the receiver's PUBREC (MQTT §4.3.3)`);
        return;
      }
      if (r.stage === 3 || resumed) {
        e.addStep(r, c, f, resumed ? 'PUBREL resent after reconnect' : 'PUBREL resent');
        r.retransmitted = true;
      } else {
        e.addStep(r, c, f);
      }
      r.stage = 3;
      e.resume(r);
      return;
    case 'PUBCOMP':
      if (r.stage < 3) {
        e.addStep(r, c, f);
        e.finish(r, 'broken', `PUBCOMP before the PUBREL it answers: the receiver completes a QoS 2 exchange only after PUBREL (MQTT §4.3.3)`);
        return;
      }
      if (code === 0x92 && r.hadType(7)) {
        // PUBREL resent for an exchange the receiver had completed: "not found" is the expected answer.
        e.addStep(r, c, f, 'the receiver had already completed this exchange (0x92 Packet Identifier not found)');
        e.finish(r, 'complete');
        return;
      }
      e.addStep(r, c, f, why ?? after);
      e.finish(r, refused ? 'refused' : 'complete', why);
      return;
  }
}
