// A mosquitto.conf subset read into a BrokerConfig, with mosquitto 2.0's meaning for each option we take
// (src/conf.c, mosquitto.conf(5)). Unknown or unsupported options are warnings, wrong values are errors;
// both name the file and line so people can find them.
import { isAbsolute, resolve } from 'node:path';
import type { BrokerConfig, BrokerConfigParse, ExtraListener } from '../../../../shared/contract/types';

export interface ConfOptions {
  /** Shown in messages ("mosquitto.conf:12: ..."). */
  name: string;
  /** Relative file paths in the config are taken relative to this directory (the config file's). */
  baseDir?: string;
}

interface ConfListener {
  line: number;
  port: number;
  /** undefined: every interface, as mosquitto does. */
  host?: string;
  protocol: 'mqtt' | 'websockets';
  certPath?: string;
  keyPath?: string;
  caPath?: string;
}

/** Options mosquitto knows that MQScope deliberately does not take (warned about, then ignored). */
const UNSUPPORTED = new Set([
  'acl_file_per_listener', 'auth_plugin', 'auth_opt_', 'autosave_interval', 'autosave_on_changes', 'capath',
  'check_retain_source', 'ciphers', 'ciphers_tls1.3', 'clientid_prefixes', 'connection_messages', 'crlfile',
  'dhparamfile', 'http_dir', 'include_dir', 'log_dest', 'log_facility', 'log_timestamp', 'log_timestamp_format',
  'log_type', 'max_connections', 'max_inflight_bytes', 'max_queued_bytes', 'max_topic_alias', 'memory_limit',
  'mount_point', 'per_listener_settings', 'persistence_file', 'persistent_client_expiration', 'pid_file',
  'plugin', 'plugin_opt_', 'psk_file', 'psk_hint', 'queue_qos0_messages', 'require_certificate',
  'set_tcp_nodelay', 'socket_domain', 'tls_engine', 'tls_engine_kpass_sha1', 'tls_keyform', 'tls_version',
  'upgrade_outgoing_qos', 'use_identity_as_username', 'use_subject_as_username', 'use_username_as_clientid',
  'websockets_headers_size', 'websockets_log_level', 'allow_duplicate_messages', 'allow_zero_length_clientid',
  'auto_id_prefix', 'password_file_per_listener', 'user', 'connection', 'address', 'topic',
]);

export function parseMosquittoConf(text: string, opts: ConfOptions): BrokerConfigParse {
  const warnings: string[] = [];
  const errors: string[] = [];
  const at = (line: number, msg: string) => `${opts.name}:${line}: ${msg}`;
  const warn = (line: number, msg: string) => warnings.push(at(line, msg));
  const fail = (line: number, msg: string) => errors.push(at(line, msg));
  const path = (p: string) => (opts.baseDir && !isAbsolute(p) ? resolve(opts.baseDir, p) : p);

  // Options before the first `listener` line belong to the default listener (`port`, `bind_address`).
  const defaults: ConfListener = { line: 0, port: 1883, protocol: 'mqtt' };
  let defaultUsed = false;
  const listeners: ConfListener[] = [];
  let cur: ConfListener = defaults;
  const out: Partial<BrokerConfig> = {};
  let persistence = false;
  let persistenceDir: string | undefined;
  let persistenceLine = 0;

  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i].replace(/\s+$/, '');
    const trimmed = raw.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [key, ...rest] = trimmed.split(/\s+/);
    const args = rest;
    // Paths and the like take the rest of the line, so they may contain spaces (mosquitto does the same).
    const restOfLine = trimmed.slice(key.length).trim();
    const needValue = (what = 'a value'): string | null => {
      if (!restOfLine) { fail(n, `${key} needs ${what}`); return null; }
      return restOfLine;
    };
    const int = (min: number, max: number): number | null => {
      const v = needValue('a number');
      if (v === null) return null;
      if (!/^-?\d+$/.test(args[0]) || args.length > 1) { fail(n, `${key} must be a whole number, got "${v}"`); return null; }
      const x = Number(args[0]);
      if (x < min || x > max) { fail(n, `${key} must be ${min}–${max}, got ${x}`); return null; }
      return x;
    };
    const bool = (): boolean | null => {
      const v = needValue('true or false');
      if (v === null) return null;
      if (v !== 'true' && v !== 'false') { fail(n, `${key} must be true or false, got "${v}"`); return null; }
      return v === 'true';
    };
    const useDefault = () => { defaultUsed = true; defaults.line ||= n; };
    const onListener = () => { if (cur === defaults) useDefault(); return cur; };

    switch (key) {
      case 'listener': {
        const p = args[0];
        if (!p) { fail(n, 'listener needs a port: listener PORT [BIND_ADDRESS]'); break; }
        if (!/^\d+$/.test(p) || Number(p) > 65535) { fail(n, `listener port must be 0–65535 (0 = any free port), got "${p}"`); break; }
        if (args.length > 2) { fail(n, `listener takes a port and an optional bind address, got "${restOfLine}"`); break; }
        cur = { line: n, port: Number(p), host: args[1], protocol: 'mqtt' };
        listeners.push(cur);
        break;
      }
      case 'port': {
        const p = int(0, 65535);
        if (p !== null) { defaults.port = p; useDefault(); }
        break;
      }
      case 'bind_address': {
        const v = needValue('an address');
        if (v !== null) { defaults.host = v; useDefault(); }
        break;
      }
      case 'protocol': {
        const v = needValue('mqtt or websockets');
        if (v === null) break;
        if (v !== 'mqtt' && v !== 'websockets') { fail(n, `protocol must be mqtt or websockets, got "${v}"`); break; }
        onListener().protocol = v;
        break;
      }
      case 'certfile': case 'keyfile': case 'cafile': {
        const v = needValue('a file path');
        if (v === null) break;
        const l = onListener();
        if (key === 'certfile') l.certPath = path(v); else if (key === 'keyfile') l.keyPath = path(v); else l.caPath = path(v);
        break;
      }
      case 'allow_anonymous': { const b = bool(); if (b !== null) out.allowAnonymous = b; break; }
      case 'password_file': { const v = needValue('a file path'); if (v !== null) out.passwordFile = path(v); break; }
      case 'acl_file': { const v = needValue('a file path'); if (v !== null) out.aclFile = path(v); break; }
      case 'max_keepalive': { const x = int(10, 65535); if (x !== null) out.maxKeepalive = x; break; }
      case 'max_inflight_messages': {
        // mosquitto: 0, 65535 (or a negative number) means no limit, which is an unset maxInflightMessages here.
        const x = int(-(2 ** 31), 65535);
        if (x !== null) {
          if (x <= 0 || x === 65535) delete out.maxInflightMessages;
          else out.maxInflightMessages = x;
        }
        break;
      }
      case 'max_queued_messages': { const x = int(-(2 ** 31), 2 ** 31 - 1); if (x !== null) out.maxQueuedMessages = Math.max(0, x); break; }
      case 'max_packet_size': { const x = int(20, 268435460); if (x !== null) out.maxPacketSize = x; break; }
      case 'message_size_limit': {
        const x = int(0, 268435455);
        if (x !== null) {
          // mosquitto limits the payload here; the whole packet is a few bytes more (header + topic).
          if (x > 0) out.maxPacketSize ??= x;
          warn(n, 'message_size_limit is deprecated in mosquitto 2; MQScope applies it as max_packet_size (the whole packet, not just the payload)');
        }
        break;
      }
      case 'max_qos': case 'maximum_qos': { const x = int(0, 2); if (x !== null) out.maxQos = x as 0 | 1 | 2; break; }
      case 'retain_available': { const b = bool(); if (b !== null) out.retainAvailable = b; break; }
      case 'sys_interval': { const x = int(0, 65535); if (x !== null) out.sysInterval = x; break; }
      case 'persistence': { const b = bool(); if (b !== null) { persistence = b; persistenceLine = n; } break; }
      case 'persistence_location': { const v = needValue('a directory'); if (v !== null) persistenceDir = path(v); break; }
      default:
        if (UNSUPPORTED.has(key) || key.startsWith('auth_opt_') || key.startsWith('plugin_opt_') || key.startsWith('bridge_')) {
          warn(n, `"${key}" is a mosquitto option MQScope does not support; ignored`);
        } else {
          warn(n, `unknown option "${key}"; ignored`);
        }
    }
  }

  const all = [...(defaultUsed ? [defaults] : []), ...listeners];
  for (const l of all) {
    const where = l === defaults ? 'the default listener (options before any listener line)' : `listener on line ${l.line}`;
    if ((l.certPath === undefined) !== (l.keyPath === undefined)) {
      fail(l.line, `${where}: certfile and keyfile must be given together`);
    }
    if (l.caPath && !l.certPath) fail(l.line, `${where}: cafile needs certfile and keyfile`);
    if (l.protocol === 'websockets' && l.certPath) fail(l.line, `${where}: WebSockets over TLS is not supported by MQScope`);
  }

  const config = toBrokerConfig(all, out, warn);
  if (persistence) {
    // mosquitto's default location is the working directory; ours is the config file's directory.
    config.persistence = { dir: persistenceDir ?? opts.baseDir ?? '.' };
    if (!persistenceDir) warn(persistenceLine, `persistence without persistence_location: storing in ${config.persistence.dir}`);
  } else if (persistenceDir) {
    config.persistence = null;
  }
  return { config, warnings, errors };
}

function toBrokerConfig(all: ConfListener[], out: Partial<BrokerConfig>, warn: (line: number, msg: string) => void): BrokerConfig {
  const hostOf = (l: ConfListener) => l.host ?? '0.0.0.0';
  const base: BrokerConfig = { host: '127.0.0.1', tcpPort: 1883, wsPort: null, wsPath: '/mqtt', tls: null, auth: null, ...out };
  if (all.length === 0) {
    // mosquitto 2 without listeners: local only, port 1883, anonymous clients allowed.
    base.allowAnonymous ??= true;
    return base;
  }
  // mosquitto 2 with a listener and no allow_anonymous: anonymous clients are refused.
  base.allowAnonymous ??= false;
  const isTcp = (l: ConfListener) => l.protocol === 'mqtt' && !l.certPath;
  const isWs = (l: ConfListener) => l.protocol === 'websockets';
  const isTls = (l: ConfListener) => l.protocol === 'mqtt' && !!l.certPath;
  const tcp = all.find(isTcp);
  base.host = hostOf(tcp ?? all[0]);
  if (tcp) base.tcpPort = tcp.port;
  else warn(all[0].line || 1, `no plain MQTT listener in the file; MQScope always runs one, on ${base.host}:1883 (change it with -p)`);
  const ws = all.find((l) => isWs(l) && hostOf(l) === base.host);
  if (ws) base.wsPort = ws.port;
  const tls = all.find((l) => isTls(l) && hostOf(l) === base.host);
  if (tls) base.tls = { port: tls.port, certPath: tls.certPath!, keyPath: tls.keyPath!, ...(tls.caPath ? { caPath: tls.caPath } : {}) };
  const extra: ExtraListener[] = [];
  for (const l of all) {
    if (l === tcp || l === ws || l === tls) continue;
    const kind = isWs(l) ? 'ws' : isTls(l) ? 'tls' : 'tcp';
    extra.push({
      kind, host: hostOf(l), port: l.port,
      ...(kind === 'ws' ? { path: '/mqtt' } : {}),
      ...(l.certPath ? { certPath: l.certPath, keyPath: l.keyPath } : {}),
      ...(l.caPath ? { caPath: l.caPath } : {}),
    });
  }
  if (extra.length) base.extraListeners = extra;
  return base;
}
