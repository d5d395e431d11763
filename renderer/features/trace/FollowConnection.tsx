// Follow a connection: its whole conversation in order, the client tap and the broker tap of the same
// TCP connection side by side (matched by their addresses), with the CONNECT's facts at the top.
import { useEffect, useState } from 'react';
import type { ConnectionInfo, FieldNode, FrameSummary } from '../../../shared/contract/types';
import { clockUs } from '../../../shared/util/clock';
import { core, errorText } from '../../app/core';
import { DIR_WORDS } from './TraceRow';
import { LIVE_DOC } from './trace-slice';
import { callerOf } from './query-refresh';

const LIMIT = 100_000;

/** The other tap's record of the same TCP connection: its local address is our remote and vice versa. */
export function peerOf(c: ConnectionInfo, all: Iterable<ConnectionInfo>): ConnectionInfo | undefined {
  for (const p of all) if (p.id !== c.id && p.side !== c.side && p.local === c.remote && p.remote === c.local) return p;
  return undefined;
}

/** Leaf fields worth reading in a CONNECT (values, not lengths). */
function facts(fields: FieldNode[]): [string, string][] {
  const out: [string, string][] = [];
  const walk = (nodes: FieldNode[], under: string) => {
    for (const n of nodes) {
      if (n.children?.length) { walk(n.children, n.name === 'Properties' || n.name === 'Will properties' ? n.name : under); continue; }
      if (n.value === undefined || /length$/i.test(n.name) || n.name === 'Identifier') continue;
      out.push([under === 'Properties' || under === 'Will properties' ? `${under}: ${n.name}` : n.name, n.value]);
    }
  };
  walk(fields.filter((f) => f.name !== 'Fixed header'), '');
  return out;
}

export function FollowConnection({ conn, conns, doc, onClose, onPick }: {
  conn: number; conns: Map<number, ConnectionInfo>; doc: string; onClose(): void; onPick(seq: number): void;
}) {
  const me = conns.get(conn);
  const peer = me ? peerOf(me, conns.values()) : undefined;
  const client = me?.side === 'client' ? me : peer;
  const broker = me?.side === 'broker' ? me : peer;
  const [frames, setFrames] = useState<FrameSummary[] | null>(null);
  const [connect, setConnect] = useState<[string, string][] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    const ids = [client?.id, broker?.id].filter((x): x is number => x !== undefined);
    if (!ids.length) ids.push(conn);
    const q = { filter: ids.map((i) => `conn == ${i}`).join(' || '), limit: LIMIT, caller: callerOf('follow'), ...(doc === LIVE_DOC ? {} : { doc }) };
    core().traceQuery(q).then(async (r) => {
      if (cancelled) return;
      setFrames(r.frames);
      const c = r.frames.find((f) => f.type === 'CONNECT' && f.kind === 'packet');
      if (c) {
        const d = await core().traceFrame({ seq: c.seq, ...(doc === LIVE_DOC ? {} : { doc }) });
        if (!cancelled && d) setConnect(facts(d.fields));
      }
    }, (e: Error & { code?: string }) => { if (!cancelled && e.code !== 'cancelled') setError(errorText(e)); });
    return () => { cancelled = true; };
  }, [conn, doc, client?.id, broker?.id]);

  const cols: ('client' | 'broker')[] = client && broker ? ['client', 'broker'] : [me?.side ?? 'broker'];
  const who = me?.clientId ?? client?.clientId ?? broker?.clientId;
  return (
    <div className="follow-conn panel" data-testid="follow-conn">
      <div className="toolbar">
        <strong>Connection #{conn}{who ? ` — ${who}` : ''}</strong>
        <span className="muted small">{client && broker ? `client tap #${client.id} ↔ broker tap #${broker.id}` : `${me?.side ?? '?'} tap only`} · {me?.transport} {me?.remote} ↔ {me?.local}</span>
        <span className="grow" />
        <button className="small" onClick={onClose} data-testid="follow-close">Close</button>
      </div>
      <div className="follow-body scroll">
        <section className="follow-connect" data-testid="follow-connect">
          <h4>CONNECT</h4>
          {connect ? <dl>{connect.map(([k, v], i) => <div key={i}><dt>{k}</dt><dd className="mono">{v}</dd></div>)}</dl>
            : <p className="muted small">{frames ? 'No CONNECT of this connection is in the trace.' : 'Loading…'}</p>}
          {me?.closeReason ? <p className="small">Closed: {me.closeReason}</p> : null}
        </section>
        {error ? <p className="ferror pad">{error}</p> : null}
        <div className={`follow-grid cols-${cols.length}`} data-testid="follow-frames" data-count={frames?.length ?? 0}>
          {cols.map((c) => <div key={c} className="follow-head">{c === 'client' ? 'Client tap' : 'Broker tap'}</div>)}
          {frames?.map((f) => cols.map((c) => (
            <div key={`${f.seq}-${c}`} className={`follow-cell${f.side === c ? ` dir-${f.dir}` : ' empty'}`}
              data-testid={f.side === c ? 'follow-frame' : undefined} data-side={f.side === c ? c : undefined} data-seq={f.side === c ? f.seq : undefined}
              onClick={f.side === c ? () => onPick(f.seq) : undefined}>
              {f.side === c ? <>
                <span className="mono muted">#{f.seq} {clockUs(f.wallMs)}</span>{' '}
                <span>{DIR_WORDS[f.dir]}</span>{' '}
                <strong>{f.kind === 'event' ? f.note : f.type ?? 'bytes'}</strong>
                {f.topic !== undefined ? <span className="mono"> {f.topic}</span> : null}
                {f.packetId ? <span className="muted"> id {f.packetId}</span> : null}
              </> : null}
            </div>
          )))}
        </div>
      </div>
    </div>
  );
}
