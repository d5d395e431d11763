// The in-flight window per connection: QoS 1 and 2 publishes waiting for their last ack, per direction,
// against the receiver's Receive Maximum. Busiest connections first; a full window turns red and says so.
import { useEffect, useState } from 'react';
import type { FlowWindow, FlowWindowSide } from '../../../shared/flows/types';
import { core } from '../../app/core';
import { useFlowsVersion } from './use-flows-version';

const SHOWN = 12;

function Gauge({ label, side, title }: { label: string; side: FlowWindowSide; title: string }) {
  const used = side.qos1 + side.qos2;
  const ratio = side.receiveMaximum > 0 ? used / side.receiveMaximum : 0;
  const cls = ratio >= 1 ? ' full' : ratio >= 0.75 ? ' high' : '';
  return (
    <div className="gauge" title={`${title}: ${side.qos1} QoS 1 + ${side.qos2} QoS 2 in flight of Receive Maximum ${side.receiveMaximum}`} data-testid="flow-gauge" data-used={used} data-max={side.receiveMaximum}>
      <span>{label}</span>
      <span className="gauge-bar" role="meter" aria-valuemin={0} aria-valuemax={side.receiveMaximum} aria-valuenow={used} aria-label={title}>
        <span className={`gauge-fill${cls}`} style={{ display: 'block', width: `${Math.min(100, Math.max(used ? 3 : 0, ratio * 100))}%` }} />
      </span>
      <span className="mono">{used}/{side.receiveMaximum}{ratio >= 1 ? ' full' : ''}</span>
    </div>
  );
}

const load = (w: FlowWindow) => Math.max((w.c2s.qos1 + w.c2s.qos2) / (w.c2s.receiveMaximum || 1), (w.s2c.qos1 + w.s2c.qos2) / (w.s2c.receiveMaximum || 1));

export function FlowWindows() {
  const version = useFlowsVersion();
  const [windows, setWindows] = useState<FlowWindow[]>([]);
  useEffect(() => {
    let live = true;
    core().flowWindows().then((w) => { if (live) setWindows(w); }, () => {});
    return () => { live = false; };
  }, [version]);
  if (!windows.length) return null;
  const sorted = [...windows].sort((a, b) => load(b) - load(a) || a.conn - b.conn);
  return (
    <div className="flow-windows" data-testid="flow-windows" aria-label="In-flight window per connection">
      <span className="muted small">In flight</span>
      {sorted.slice(0, SHOWN).map((w) => (
        <div key={w.conn} className="flow-window" data-testid="flow-window" data-conn={w.conn}>
          <span className="who small" title={`connection #${w.conn}, ${w.side} tap`}>{w.clientId ?? `#${w.conn}`} <span className="muted">#{w.conn} {w.side}</span></span>
          <Gauge label="→ srv" side={w.c2s} title="client → server, limit is the server's Receive Maximum" />
          <Gauge label="→ cli" side={w.s2c} title="server → client, limit is the client's Receive Maximum" />
        </div>
      ))}
      {sorted.length > SHOWN ? <span className="muted small">+{sorted.length - SHOWN} quieter connections</span> : null}
    </div>
  );
}
