// "Load mosquitto.conf…": the file's text goes to core (which reads it exactly like `mqscope broker -c`),
// its problems are listed with their lines, and the settings the broker will run with are shown read-only.
import { useRef, useState } from 'react';
import type { BrokerConfig, BrokerConfigParse } from '../../../shared/contract/types';
import { core, errorText } from '../../app/core';

interface Props {
  cfg: BrokerConfig;
  disabled: boolean;
  onLoad(config: BrokerConfig): void;
}

export function BrokerConfigFile({ cfg, disabled, onLoad }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<(BrokerConfigParse & { name: string }) | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const load = async (file: File | undefined) => {
    if (!file) return;
    setErr(null);
    try {
      const r = await core().brokerConfigParse({ text: await file.text(), name: file.name });
      setResult({ ...r, name: file.name });
      if (!r.errors.length) onLoad(r.config);
    } catch (e) { setErr(errorText(e)); }
    if (input.current) input.current.value = '';
  };
  return (
    <fieldset data-testid="broker-config-file">
      <legend>Config file</legend>
      <div className="conf-load">
        <button className="small" disabled={disabled} onClick={() => input.current?.click()} data-testid="broker-conf-load">Load mosquitto.conf…</button>
        <span className="muted small">{result ? result.name : 'same subset as mqscope broker -c'}</span>
        <input ref={input} type="file" hidden accept=".conf,text/plain" data-testid="broker-conf-input" onChange={(e) => void load(e.target.files?.[0])} />
      </div>
      {err ? <div className="ferror">{err}</div> : null}
      {result?.errors.length ? (
        <ul className="conf-problems error" data-testid="broker-conf-errors">
          <li>Not loaded: fix {result.errors.length === 1 ? 'this error' : `these ${result.errors.length} errors`} first.</li>
          {result.errors.map((m) => <li key={m} className="mono">{m}</li>)}
        </ul>
      ) : null}
      {result?.warnings.length ? (
        <ul className="conf-problems warn" data-testid="broker-conf-warnings">
          {result.warnings.map((m) => <li key={m} className="mono">{m}</li>)}
        </ul>
      ) : null}
      <EffectiveSettings cfg={cfg} summary={result && !result.errors.length ? result.summary : undefined} />
    </fieldset>
  );
}

function EffectiveSettings({ cfg, summary }: { cfg: BrokerConfig; summary?: BrokerConfigParse['summary'] }) {
  const at = (host: string, port: number) => `${host}:${port === 0 ? 'any' : port}`;
  const listeners = [
    `TCP ${at(cfg.host, cfg.tcpPort)}`,
    ...(cfg.wsPort !== null ? [`WS ${at(cfg.host, cfg.wsPort)}${cfg.wsPath}`] : []),
    ...(cfg.tls ? [`TLS ${at(cfg.host, cfg.tls.port)}`] : []),
    ...(cfg.extraListeners ?? []).map((l) => `${l.kind.toUpperCase()} ${at(l.host, l.port)}${l.kind === 'ws' ? l.path ?? '/mqtt' : ''}`),
  ];
  const anonymous = cfg.allowAnonymous ?? (!cfg.auth && !cfg.passwordFile);
  const users = summary?.passwordUsers;
  const auth = [
    anonymous ? 'anonymous allowed' : 'anonymous refused',
    ...(cfg.passwordFile ? [`password_file${users !== undefined ? ` (${users} user${users === 1 ? '' : 's'})` : ''}`] : []),
    ...(cfg.auth ? [`user ${cfg.auth.username}`] : []),
  ].join(' · ');
  const acl = cfg.aclFile
    ? `acl_file${summary?.aclRules !== undefined ? ` (${summary.aclRules} rules, ${summary.aclUsers} users)` : ''}`
    : 'none: every client may publish and subscribe everywhere';
  const limits = [
    cfg.maxKeepalive !== undefined ? `keepalive ≤ ${cfg.maxKeepalive} s` : null,
    cfg.maxInflightMessages !== undefined ? `in flight ${cfg.maxInflightMessages || 'no limit'}` : null,
    cfg.maxQueuedMessages !== undefined ? `queue ${cfg.maxQueuedMessages || 'no limit'}` : null,
    cfg.maxPacketSize !== undefined ? `packet ≤ ${cfg.maxPacketSize} B` : null,
    cfg.maxQos !== undefined ? `QoS ≤ ${cfg.maxQos}` : null,
    cfg.retainAvailable === false ? 'no retain' : null,
    cfg.sysInterval !== undefined ? `$SYS every ${cfg.sysInterval} s` : null,
  ].filter(Boolean).join(' · ') || 'defaults';
  const rows: [string, string, string][] = [
    ['Listeners', listeners.join('\n'), 'listeners'],
    ['Auth', auth, 'auth'],
    ['ACL', acl, 'acl'],
    ['Limits', limits, 'limits'],
    ['Persistence', cfg.persistence ? cfg.persistence.dir : 'off (sessions and retained messages live in memory)', 'persistence'],
  ];
  return (
    <dl className="effective" data-testid="broker-effective">
      {rows.map(([k, v, id]) => (
        <div key={k}><dt>{k}</dt><dd data-testid={`effective-${id}`} title={v}>{v}</dd></div>
      ))}
    </dl>
  );
}
