import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PACKET_TYPES, type PacketType } from '../../shared/contract/types';
import {
  SUBACK_FAILURE, isErrorCode, isValidReasonCode, reasonHint, reasonText,
} from '../../shared/mqtt/reason-codes';

describe('reasonText: MQTT 3.1 / 3.1.1', () => {
  it('every CONNACK return code', () => {
    const expected = [
      'Connection accepted',
      'Connection refused: unacceptable protocol version',
      'Connection refused: identifier rejected',
      'Connection refused: server unavailable',
      'Connection refused: bad user name or password',
      'Connection refused: not authorized',
    ];
    for (const v of [3, 4] as const) {
      expected.forEach((text, code) => assert.equal(reasonText(code, 'CONNACK', v), text));
    }
    assert.equal(reasonText(6, 'CONNACK', 4), 'Reserved return code 0x06');
    assert.equal(isValidReasonCode(6, 'CONNACK', 4), false);
  });
  it('SUBACK return codes', () => {
    assert.equal(reasonText(0, 'SUBACK', 4), 'Granted QoS 0');
    assert.equal(reasonText(2, 'SUBACK', 4), 'Granted QoS 2');
    assert.equal(reasonText(SUBACK_FAILURE, 'SUBACK', 4), 'Failure');
    assert.equal(SUBACK_FAILURE, 0x80);
    assert.equal(isValidReasonCode(3, 'SUBACK', 4), false);
  });
  it('packets without return codes say so', () => {
    assert.match(reasonText(0, 'PUBACK', 4), /no return code before MQTT 5/);
  });
});

describe('reasonText: MQTT 5.0', () => {
  it('the same number means different things in different packets', () => {
    assert.equal(reasonText(0x00, 'CONNACK', 5), 'Success');
    assert.equal(reasonText(0x00, 'PUBACK', 5), 'Success');
    assert.equal(reasonText(0x00, 'AUTH', 5), 'Success');
    assert.equal(reasonText(0x00, 'DISCONNECT', 5), 'Normal disconnection');
    assert.equal(reasonText(0x00, 'SUBACK', 5), 'Granted QoS 0');
    assert.equal(reasonText(0x01, 'SUBACK', 5), 'Granted QoS 1');
    assert.equal(reasonText(0x02, 'SUBACK', 5), 'Granted QoS 2');
  });

  // Table 2-6 of MQTT 5.0: code, name, packets.
  const table: [number, string, PacketType[]][] = [
    [0x04, 'Disconnect with Will Message', ['DISCONNECT']],
    [0x10, 'No matching subscribers', ['PUBACK', 'PUBREC']],
    [0x11, 'No subscription existed', ['UNSUBACK']],
    [0x18, 'Continue authentication', ['AUTH']],
    [0x19, 'Re-authenticate', ['AUTH']],
    [0x80, 'Unspecified error', ['CONNACK', 'PUBACK', 'PUBREC', 'SUBACK', 'UNSUBACK', 'DISCONNECT']],
    [0x81, 'Malformed Packet', ['CONNACK', 'DISCONNECT']],
    [0x82, 'Protocol Error', ['CONNACK', 'DISCONNECT']],
    [0x83, 'Implementation specific error', ['CONNACK', 'PUBACK', 'PUBREC', 'SUBACK', 'UNSUBACK', 'DISCONNECT']],
    [0x84, 'Unsupported Protocol Version', ['CONNACK']],
    [0x85, 'Client Identifier not valid', ['CONNACK']],
    [0x86, 'Bad User Name or Password', ['CONNACK']],
    [0x87, 'Not authorized', ['CONNACK', 'PUBACK', 'PUBREC', 'SUBACK', 'UNSUBACK', 'DISCONNECT']],
    [0x88, 'Server unavailable', ['CONNACK']],
    [0x89, 'Server busy', ['CONNACK', 'DISCONNECT']],
    [0x8a, 'Banned', ['CONNACK']],
    [0x8b, 'Server shutting down', ['DISCONNECT']],
    [0x8c, 'Bad authentication method', ['CONNACK', 'DISCONNECT']],
    [0x8d, 'Keep Alive timeout', ['DISCONNECT']],
    [0x8e, 'Session taken over', ['DISCONNECT']],
    [0x8f, 'Topic Filter invalid', ['SUBACK', 'UNSUBACK', 'DISCONNECT']],
    [0x90, 'Topic Name invalid', ['CONNACK', 'PUBACK', 'PUBREC', 'DISCONNECT']],
    [0x91, 'Packet Identifier in use', ['PUBACK', 'PUBREC', 'SUBACK', 'UNSUBACK']],
    [0x92, 'Packet Identifier not found', ['PUBREL', 'PUBCOMP']],
    [0x93, 'Receive Maximum exceeded', ['DISCONNECT']],
    [0x94, 'Topic Alias invalid', ['DISCONNECT']],
    [0x95, 'Packet too large', ['CONNACK', 'DISCONNECT']],
    [0x96, 'Message rate too high', ['DISCONNECT']],
    [0x97, 'Quota exceeded', ['CONNACK', 'PUBACK', 'PUBREC', 'SUBACK', 'DISCONNECT']],
    [0x98, 'Administrative action', ['DISCONNECT']],
    [0x99, 'Payload format invalid', ['CONNACK', 'PUBACK', 'PUBREC', 'DISCONNECT']],
    [0x9a, 'Retain not supported', ['CONNACK', 'DISCONNECT']],
    [0x9b, 'QoS not supported', ['CONNACK', 'DISCONNECT']],
    [0x9c, 'Use another server', ['CONNACK', 'DISCONNECT']],
    [0x9d, 'Server moved', ['CONNACK', 'DISCONNECT']],
    [0x9e, 'Shared Subscriptions not supported', ['SUBACK', 'DISCONNECT']],
    [0x9f, 'Connection rate exceeded', ['CONNACK', 'DISCONNECT']],
    [0xa0, 'Maximum connect time', ['DISCONNECT']],
    [0xa1, 'Subscription Identifiers not supported', ['SUBACK', 'DISCONNECT']],
    [0xa2, 'Wildcard Subscriptions not supported', ['SUBACK', 'DISCONNECT']],
  ];
  for (const [code, name, packets] of table) {
    it(`0x${code.toString(16)} ${name}`, () => {
      for (const type of PACKET_TYPES) {
        const valid = packets.includes(type);
        assert.equal(isValidReasonCode(code, type, 5), valid, `${type}`);
        if (valid) assert.equal(reasonText(code, type, 5), name);
        else assert.equal(reasonText(code, type, 5), `${name} (not defined for ${type})`);
      }
      if (code >= 0x80) assert.ok(reasonHint(code, packets[0], 5).length > 10, 'error codes have a hint');
    });
  }

  it('unknown codes', () => {
    assert.equal(reasonText(0x7f, 'PUBACK', 5), 'Unknown reason code 0x7f');
    assert.equal(reasonText(0xff, 'DISCONNECT', 5), 'Unknown reason code 0xff');
  });
});

describe('reasonHint', () => {
  it('says what the user can do', () => {
    assert.equal(reasonHint(0x87, 'CONNACK', 5), "Check the username/password and the broker's ACL for this client id.");
    assert.equal(reasonHint(5, 'CONNACK', 4), "Check the username/password and the broker's ACL for this client id.");
    assert.match(reasonHint(0x86, 'CONNACK', 5), /username and password/);
    assert.match(reasonHint(0x8e, 'DISCONNECT', 5), /unique id/);
    assert.match(reasonHint(0x80, 'SUBACK', 4), /ACL/);
    assert.match(reasonHint(1, 'CONNACK', 3), /protocol version/);
  });
  it('is empty for success codes', () => {
    assert.equal(reasonHint(0, 'CONNACK', 5), '');
    assert.equal(reasonHint(0, 'CONNACK', 4), '');
    assert.equal(reasonHint(1, 'SUBACK', 5), '');
  });
  it('every 3.x CONNACK refusal has a hint', () => {
    for (let code = 1; code <= 5; code++) assert.ok(reasonHint(code, 'CONNACK', 4).endsWith('.'), `${code}`);
  });
});

describe('isErrorCode', () => {
  it('0x80 and above in 5.0; any non-zero CONNACK in 3.x', () => {
    assert.equal(isErrorCode(0x10, 'PUBACK', 5), false);
    assert.equal(isErrorCode(0x80, 'PUBACK', 5), true);
    assert.equal(isErrorCode(0x04, 'DISCONNECT', 5), false);
    assert.equal(isErrorCode(0x05, 'CONNACK', 4), true);
    assert.equal(isErrorCode(0x00, 'CONNACK', 4), false);
    assert.equal(isErrorCode(0x80, 'SUBACK', 4), true);
  });
});
