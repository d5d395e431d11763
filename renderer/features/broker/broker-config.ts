// Plain-words checks of a broker config before starting.
import type { BrokerConfig } from '../../../shared/contract/types';

const portOk = (n: number) => Number.isInteger(n) && n >= 0 && n <= 65535;

export function configProblems(c: BrokerConfig): Record<string, string> {
  const e: Record<string, string> = {};
  if (!c.host.trim()) e.host = 'Bind address is required (127.0.0.1 keeps it on this machine)';
  if (!portOk(c.tcpPort)) e.tcpPort = 'Port must be 0–65535';
  if (c.wsPort !== null && !portOk(c.wsPort)) e.wsPort = 'Port must be 0–65535';
  if (!c.wsPath.startsWith('/')) e.wsPath = 'Path must start with /';
  if (c.tls) {
    if (!portOk(c.tls.port)) e.tlsPort = 'Port must be 0–65535';
    if (!c.tls.certPath.trim()) e.tlsCert = 'Certificate file is required for TLS';
    if (!c.tls.keyPath.trim()) e.tlsKey = 'Key file is required for TLS';
  }
  if (c.auth && !c.auth.username.trim()) e.authUser = 'Username is required';
  const bad = (c.wsAllowedOrigins ?? []).find((o) => !/^https?:\/\/[^/\s]+$/.test(o));
  if (bad !== undefined) e.wsOrigins = `"${bad}" is not an origin: write https://host or http://host:port, with no path`;
  const idle = c.inactivityTimeoutSec;
  if (idle !== undefined && !(Number.isFinite(idle) && idle >= 0 && idle <= 86400)) e.inactivity = 'Inactivity limit must be 0–86400 seconds';
  return e;
}
