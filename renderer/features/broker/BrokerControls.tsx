// Start/stop the embedded broker and edit its listeners, auth and the trace byte budget.
import { useEffect, useState } from 'react';
import type { BrokerConfig, BrokerStatus } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { formatSize } from '../../app/bytes';
import { CheckField, NumberField, TextField } from '../../ui/fields';
import { configProblems } from './broker-config';
import { BrokerConfigFile } from './BrokerConfigFile';

export function BrokerControls() {
  const status = useApp((s) => s.broker);
  const stats = useApp((s) => s.traceStats);
  const setBroker = useApp((s) => s.setBroker);
  const [cfg, setCfg] = useState<BrokerConfig | null>(status?.config ?? null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [budgetMiB, setBudgetMiB] = useState<number | undefined>(undefined);
  const [budgetErr, setBudgetErr] = useState<string | null>(null);
  const [originsText, setOriginsText] = useState<string | null>(null);
  useEffect(() => { if (!cfg && status) setCfg(status.config); }, [status]);
  useEffect(() => { if (stats && budgetMiB === undefined) setBudgetMiB(Math.round(stats.budgetBytes / 2 ** 20)); }, [stats]);
  if (!status || !cfg) return <div className="pad muted">Loading broker status…</div>;

  const running = status.state === 'running';
  const problems = configProblems(cfg);
  const run = async (fn: () => Promise<BrokerStatus>) => {
    setBusy(true); setErr(null);
    try { setBroker(await fn()); } catch (e) { setErr(errorText(e)); } finally { setBusy(false); }
  };
  const start = () => { if (!Object.keys(problems).length) void run(() => core().brokerStart({ config: cfg })); };
  const stop = () => void run(() => core().brokerStop());
  const setBudget = async () => {
    if (budgetMiB === undefined || !Number.isFinite(budgetMiB) || budgetMiB < 1) { setBudgetErr('Budget must be at least 1 MiB'); return; }
    try { useApp.getState().setTraceStats(await core().traceSetBudget({ bytes: Math.round(budgetMiB * 2 ** 20) })); setBudgetErr(null); } catch (e) { setBudgetErr(errorText(e)); }
  };
  const c = (patch: Partial<BrokerConfig>) => setCfg({ ...cfg, ...patch });

  return (
    <div className="broker-controls" data-testid="broker-controls">
      <div className="toolbar">
        <span className={`dot state-${status.state}`} />
        <strong data-testid="broker-state">{status.state === 'running' ? 'Running' : status.state === 'failed' ? 'Failed' : status.state[0].toUpperCase() + status.state.slice(1)}</strong>
        <span className="grow" />
        {running ? <button onClick={stop} disabled={busy} data-testid="broker-stop">Stop broker</button>
          : <button className="primary" onClick={start} disabled={busy || !!Object.keys(problems).length} data-testid="broker-start">Start broker</button>}
      </div>
      <div className="listeners" data-testid="broker-listeners">
        {status.listeners.length ? status.listeners.map((l) => (
          <span key={l.url} className="mono small"><span className="kind">{l.kind.toUpperCase()}</span>{l.url}</span>
        )) : <span className="muted small">No listeners while stopped.</span>}
      </div>
      {status.error || err ? <div className="notice error" data-testid="broker-error">{err ?? status.error}</div> : null}
      <div className="broker-config">
        <BrokerConfigFile cfg={running ? status.config : cfg} disabled={running} onLoad={(config) => setCfg(config)} />
        <fieldset disabled={running}>
          <legend>Listeners {running ? <span className="muted small">(stop the broker to change)</span> : null}</legend>
          <TextField label="Bind address" testId="broker-host" value={cfg.host} error={problems.host} onChange={(host) => c({ host })} />
          <NumberField label="TCP port" testId="broker-tcp-port" value={cfg.tcpPort} error={problems.tcpPort} hint="0 picks a free port" onChange={(v) => c({ tcpPort: v ?? NaN })} />
          <NumberField label="Inactivity limit (s)" testId="broker-inactivity" value={cfg.inactivityTimeoutSec ?? 90} error={problems.inactivity}
            hint="closes connections with no CONNECT or an unfinished packet for this long; 0: never" onChange={(v) => c({ inactivityTimeoutSec: v ?? NaN })} />
          <CheckField label="WebSocket listener" testId="broker-ws-enabled" checked={cfg.wsPort !== null} onChange={(on) => c({ wsPort: on ? 8083 : null })} />
          {cfg.wsPort !== null ? (
            <>
              <NumberField label="WebSocket port" testId="broker-ws-port" value={cfg.wsPort} error={problems.wsPort} onChange={(v) => c({ wsPort: v ?? NaN })} />
              <TextField label="WebSocket path" testId="broker-ws-path" value={cfg.wsPath} error={problems.wsPath} onChange={(wsPath) => c({ wsPath })} />
              <TextField label="Allowed origins" mono testId="broker-ws-origins" value={originsText ?? (cfg.wsAllowedOrigins ?? []).join(' ')} error={problems.wsOrigins}
                placeholder="https://app.example:8443 (space-separated)"
                onChange={(text) => { setOriginsText(text); c({ wsAllowedOrigins: text.split(/[\s,]+/).filter(Boolean) }); }} />
              <div className="frow"><span className="flabel" /><span className="fcontrol muted small">Browser pages from other origins are refused; pages from this listener's own address and MQTT clients (no Origin) are always allowed.</span></div>
            </>
          ) : null}
          <CheckField label="TLS listener" testId="broker-tls-enabled" checked={cfg.tls !== null} onChange={(on) => c({ tls: on ? { port: 8883, certPath: '', keyPath: '' } : null })} />
          {cfg.tls ? (
            <>
              <NumberField label="TLS port" testId="broker-tls-port" value={cfg.tls.port} error={problems.tlsPort} onChange={(v) => c({ tls: { ...cfg.tls!, port: v ?? NaN } })} />
              <TextField label="Certificate" mono testId="broker-tls-cert" value={cfg.tls.certPath} error={problems.tlsCert} onChange={(certPath) => c({ tls: { ...cfg.tls!, certPath } })} />
              <TextField label="Key" mono testId="broker-tls-key" value={cfg.tls.keyPath} error={problems.tlsKey} onChange={(keyPath) => c({ tls: { ...cfg.tls!, keyPath } })} />
            </>
          ) : null}
        </fieldset>
        <fieldset disabled={running}>
          <legend>Authentication</legend>
          <CheckField label="Require username and password" testId="broker-auth-enabled" checked={cfg.auth !== null} onChange={(on) => c({ auth: on ? { username: 'user', password: '' } : null })} />
          {cfg.auth ? (
            <>
              <TextField label="Username" testId="broker-auth-user" value={cfg.auth.username} error={problems.authUser} onChange={(username) => c({ auth: { ...cfg.auth!, username } })} />
              <TextField label="Password" type="password" testId="broker-auth-password" value={cfg.auth.password} onChange={(password) => c({ auth: { ...cfg.auth!, password } })} />
            </>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>Trace</legend>
          <NumberField label="Byte budget (MiB)" testId="trace-budget" value={budgetMiB} error={budgetErr ?? undefined}
            hint={stats ? `${formatSize(stats.bytes)} held · ${stats.frames.toLocaleString('en')} frames · ${stats.evictedFrames.toLocaleString('en')} evicted` : undefined}
            onChange={setBudgetMiB} />
          <div className="frow"><span className="flabel" /><span className="fcontrol"><button className="small" onClick={() => void setBudget()} data-testid="trace-budget-apply">Apply budget</button></span></div>
        </fieldset>
      </div>
    </div>
  );
}
