// One TCP connection seen by two taps: MQScope's own client session (client tap) connected to the
// embedded broker (broker tap). The client's local address is the broker's remote one and vice versa;
// flows on the two are the same exchange, matched by kind, origin and packet id in order.
import type { ConnState, ConnMeta } from './conn-state';
import type { FlowEngine } from './engine';
import type { FlowRec } from './flow-record';

const MAX_UNPEERED = 512;

export function notePairing(e: FlowEngine, c: ConnState, meta: ConnMeta): void {
  if (!meta.local || !meta.remote || meta.local === '?' || meta.remote === '?') return;
  const key = c.side === 'client' ? `${meta.local}|${meta.remote}` : `${meta.remote}|${meta.local}`;
  c.pairKey = key;
  let p = e.pairs.get(key);
  if (!p) { p = { client: 0, broker: 0 }; e.pairs.set(key, p); }
  p[c.side] = c.id;
  const twin = e.conns.get(c.side === 'client' ? p.broker : p.client);
  if (twin && twin.id !== c.id) {
    c.pair = twin.id;
    twin.pair = c.id;
  }
}

function sameExchange(a: FlowRec, b: FlowRec): boolean {
  return a.kind === b.kind && a.origin === b.origin && a.packetId === b.packetId;
}

/** Join a new flow with its twin's, or leave it for the twin's flow to find. */
export function linkPeer(e: FlowEngine, c: ConnState, r: FlowRec): void {
  if (!c.pairKey) {
    // A client connection learns its local address only once the socket connected: look again.
    const meta = e.opts.connMeta?.(c.id);
    if (meta) notePairing(e, c, meta);
    if (!c.pairKey) return;
  }
  const twin = c.pair ? e.conns.get(c.pair) : undefined;
  const theirs = twin?.unpeered.get(r.kind);
  const i = theirs ? theirs.findIndex((o) => sameExchange(o, r)) : -1;
  if (i >= 0) {
    const o = theirs![i];
    theirs!.splice(i, 1);
    r.peer = { conn: twin!.id, flowId: o.id };
    o.peer = { conn: c.id, flowId: r.id };
    if (o.journeyId && !r.journeyId) r.journeyId = o.journeyId;
    return;
  }
  let rs = c.unpeered.get(r.kind);
  if (!rs) { rs = []; c.unpeered.set(r.kind, rs); }
  rs.push(r);
  if (rs.length > MAX_UNPEERED * 2) rs.splice(0, MAX_UNPEERED);
}
