// mosquitto.conf read into a BrokerConfig: the options we take, their mosquitto defaults, and problems
// reported with file and line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMosquittoConf } from '../../electron/core/broker/config/mosquitto-conf';

const parse = (text: string) => parseMosquittoConf(text, { name: 'm.conf', baseDir: '/etc/mq' });

test('a full file: listeners with protocol and TLS files, auth, limits, persistence', () => {
  const r = parse(`# a comment
listener 1884 127.0.0.1
max_qos 1

listener 9001 127.0.0.1
protocol websockets

listener 8883 127.0.0.1
certfile certs/server.crt
keyfile /abs/server.key
cafile certs/ca.crt

listener 1885 10.0.0.7

allow_anonymous false
password_file passwd
acl_file /etc/other/acl
max_keepalive 120
max_inflight_messages 30
max_queued_messages 500
max_packet_size 4096
retain_available false
sys_interval 5
persistence true
persistence_location /var/lib/mq
`);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.config, {
    host: '127.0.0.1', tcpPort: 1884, wsPort: 9001, wsPath: '/mqtt',
    tls: { port: 8883, certPath: '/etc/mq/certs/server.crt', keyPath: '/abs/server.key', caPath: '/etc/mq/certs/ca.crt' },
    auth: null,
    maxQos: 1, allowAnonymous: false, passwordFile: '/etc/mq/passwd', aclFile: '/etc/other/acl', maxKeepalive: 120,
    maxInflightMessages: 30, maxQueuedMessages: 500, maxPacketSize: 4096, retainAvailable: false, sysInterval: 5,
    persistence: { dir: '/var/lib/mq' },
    extraListeners: [{ kind: 'tcp', host: '10.0.0.7', port: 1885 }],
  });
});

test('mosquitto 2 defaults: no listener = local only with anonymous clients; a listener = every interface, anonymous refused', () => {
  const none = parse('max_keepalive 60\n').config;
  assert.equal(none.host, '127.0.0.1');
  assert.equal(none.tcpPort, 1883);
  assert.equal(none.wsPort, null);
  assert.equal(none.allowAnonymous, true);
  const one = parse('listener 1883\n').config;
  assert.equal(one.host, '0.0.0.0');
  assert.equal(one.allowAnonymous, false);
  // port / bind_address make the default listener; certfile before any listener belongs to it too.
  const def = parse('port 1999\nbind_address 127.0.0.2\nlistener 2000 127.0.0.2\nprotocol websockets\n').config;
  assert.deepEqual([def.host, def.tcpPort, def.wsPort], ['127.0.0.2', 1999, 2000]);
});

test('mosquitto value rules: 0 / 65535 inflight = no limit (unset), negative queue = 0, message_size_limit warns', () => {
  assert.equal(parse('max_inflight_messages 0').config.maxInflightMessages, undefined);
  assert.equal(parse('max_inflight_messages 30\nmax_inflight_messages 65535').config.maxInflightMessages, undefined, 'the last line wins');
  assert.equal(parse('max_queued_messages -5').config.maxQueuedMessages, 0);
  const r = parse('message_size_limit 1000\n');
  assert.equal(r.config.maxPacketSize, 1000);
  assert.match(r.warnings[0], /^m\.conf:1: message_size_limit is deprecated/);
  assert.equal(parse('max_packet_size 200\nmessage_size_limit 1000\n').config.maxPacketSize, 200, 'max_packet_size wins');
});

test('wrong values are errors with file and line; the rest of the file is still checked', () => {
  const r = parse(`listener 1883 127.0.0.1
max_keepalive 5
allow_anonymous yes
listener 70000
max_packet_size 10
protocol mqttsn
max_inflight_messages many
listener 8883 127.0.0.1
certfile only-cert.pem
listener 9443 127.0.0.1
protocol websockets
certfile a.crt
keyfile a.key
password_file
sys_interval 70000
max_qos 3
persistence maybe
`);
  assert.deepEqual(r.errors, [
    'm.conf:2: max_keepalive must be 10–65535, got 5',
    'm.conf:3: allow_anonymous must be true or false, got "yes"',
    'm.conf:4: listener port must be 0–65535 (0 = any free port), got "70000"',
    'm.conf:5: max_packet_size must be 20–268435460, got 10',
    'm.conf:6: protocol must be mqtt or websockets, got "mqttsn"',
    'm.conf:7: max_inflight_messages must be a whole number, got "many"',
    'm.conf:14: password_file needs a file path',
    'm.conf:15: sys_interval must be 0–65535, got 70000',
    'm.conf:16: max_qos must be 0–2, got 3',
    'm.conf:17: persistence must be true or false, got "maybe"',
    'm.conf:8: listener on line 8: certfile and keyfile must be given together',
    'm.conf:10: listener on line 10: WebSockets over TLS is not supported by MQScope',
  ]);
});

test('unknown and unsupported options are warnings with their line, and are ignored', () => {
  const r = parse('log_type all\n  \n\t# indented comment\nfrobnicate 3\nbridge_cafile x\nlistener 0 127.0.0.1\n');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings, [
    'm.conf:1: "log_type" is a mosquitto option MQScope does not support; ignored',
    'm.conf:4: unknown option "frobnicate"; ignored',
    'm.conf:5: "bridge_cafile" is a mosquitto option MQScope does not support; ignored',
  ]);
  assert.equal(r.config.tcpPort, 0);
});

test('a file with only a WebSocket listener still gets a TCP listener, and says so', () => {
  const r = parse('listener 9001 127.0.0.1\nprotocol websockets\n');
  assert.equal(r.config.wsPort, 9001);
  assert.equal(r.config.tcpPort, 1883);
  assert.match(r.warnings[0], /^m\.conf:1: no plain MQTT listener in the file; MQScope always runs one, on 127\.0\.0\.1:1883/);
});

test('persistence without a location is stored next to the config file, and says where', () => {
  const r = parse('persistence true\n');
  assert.deepEqual(r.config.persistence, { dir: '/etc/mq' });
  assert.deepEqual(r.warnings, ['m.conf:1: persistence without persistence_location: storing in /etc/mq']);
  assert.equal(parse('persistence false\n').config.persistence, undefined);
});
