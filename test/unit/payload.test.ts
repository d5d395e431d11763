import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeBase64, decodeText, detectPayload, detectView, encodeBase64, encodeText, hexDump, locateJsonError, parseHex,
  parseJson, prettyJson, toHex,
} from '../../shared/mqtt/payload';
import { base64ToBytes, bytesToBase64 } from '../../shared/util/base64';
import { decodeUtf8, firstInvalidUtf8, utf8Length } from '../../shared/util/utf8';

// Deterministic pseudo-random bytes (mulberry32).
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

describe('util/base64', () => {
  it('matches Buffer for every length 0..300 and random content', () => {
    for (let n = 0; n <= 300; n++) {
      const b = randomBytes(n, n + 1);
      const s = bytesToBase64(b);
      assert.equal(s, Buffer.from(b).toString('base64'), `length ${n}`);
      assert.deepEqual(base64ToBytes(s), b);
    }
  });
  it('round trips a large buffer', () => {
    const b = randomBytes(1_000_003, 7);
    const s = bytesToBase64(b);
    assert.equal(s, Buffer.from(b).toString('base64'));
    assert.deepEqual(base64ToBytes(s), b);
  });
  it('accepts missing padding, rejects bad input', () => {
    assert.deepEqual(base64ToBytes('aGk'), new TextEncoder().encode('hi'));
    assert.deepEqual(base64ToBytes(''), new Uint8Array(0));
    assert.throws(() => base64ToBytes('aGk*'), /unexpected character "\*" at position 3/);
    assert.throws(() => base64ToBytes('a'), /dangling/);
    assert.throws(() => base64ToBytes('aGk= '), /invalid base64/);
    assert.throws(() => base64ToBytes('aé=='), /invalid base64/);
    assert.throws(() => base64ToBytes('a==='), /invalid base64/);
  });
});

describe('payload/base64', () => {
  it('tolerates whitespace, URL-safe alphabet and no padding', () => {
    const b = randomBytes(100, 3);
    const std = Buffer.from(b).toString('base64');
    const wrapped = std.replace(/(.{20})/g, '$1\n  ');
    assert.deepEqual(decodeBase64(wrapped), { ok: true, bytes: b });
    const url = encodeBase64(b, { urlSafe: true });
    assert.equal(url, Buffer.from(b).toString('base64url'));
    assert.deepEqual(decodeBase64(url), { ok: true, bytes: b });
    assert.equal(encodeBase64(b), std);
  });
  it('reports errors instead of throwing', () => {
    const r = decodeBase64('ab$d');
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /unexpected character/);
    assert.match((decodeBase64('ab+-') as { error: string }).error, /mixes/);
  });
});

describe('payload/text', () => {
  it('decodes valid UTF-8', () => {
    assert.deepEqual(decodeText(encodeText('héllo 日本 🎉')), { text: 'héllo 日本 🎉', valid: true });
    assert.deepEqual(decodeText(new Uint8Array(0)), { text: '', valid: true });
  });
  it('reports invalid UTF-8 with the offset instead of silently replacing', () => {
    const r = decodeText(new Uint8Array([0x61, 0x62, 0xff, 0x63]));
    assert.equal(r.valid, false);
    assert.equal(r.invalidAt, 2);
    assert.equal(r.text, 'ab\ufffdc');
  });
  it('firstInvalidUtf8 agrees with a fatal TextDecoder on random input', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    for (let i = 0; i < 3000; i++) {
      const b = randomBytes(1 + (i % 12), i * 7919);
      let ok = true;
      try { fatal.decode(b); } catch { ok = false; }
      assert.equal(firstInvalidUtf8(b) < 0, ok, Buffer.from(b).toString('hex'));
    }
  });
  it('catches overlongs, surrogates, code points above U+10FFFF, cut sequences', () => {
    assert.equal(firstInvalidUtf8(new Uint8Array([0xc0, 0xaf])), 0);
    assert.equal(firstInvalidUtf8(new Uint8Array([0x61, 0xe0, 0x80, 0xaf])), 1);
    assert.equal(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80])), 0);
    assert.equal(firstInvalidUtf8(new Uint8Array([0xf4, 0x90, 0x80, 0x80])), 0);
    assert.equal(firstInvalidUtf8(new Uint8Array([0x61, 0x62, 0xe6, 0x97])), 2);
    assert.equal(firstInvalidUtf8(new Uint8Array([0xf0, 0x9f, 0x8e, 0x89])), -1);
    assert.equal(decodeUtf8(new Uint8Array([0x78, 0x61, 0x62]), 1, 3).text, 'ab');
  });
  it('utf8Length counts bytes', () => {
    for (const s of ['', 'a', 'é', '日', '🎉', 'a日🎉é']) assert.equal(utf8Length(s), Buffer.byteLength(s), s);
  });
});

describe('payload/json', () => {
  it('parses and pretty-prints', () => {
    const r = parseJson('{"a":[1,2,{"b":null}],"c":"x"}');
    assert.equal(r.ok, true);
    if (r.ok) {
      assert.deepEqual(r.value, { a: [1, 2, { b: null }], c: 'x' });
      assert.equal(r.pretty, '{\n  "a": [\n    1,\n    2,\n    {\n      "b": null\n    }\n  ],\n  "c": "x"\n}');
      assert.deepEqual(JSON.parse(r.pretty), r.value);
    }
    assert.equal(prettyJson([1], 0), '[1]');
  });
  it('reports the line and column of a syntax error', () => {
    const r = parseJson('{\n  "a": 1,\n  "b": tru\n}');
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.line, 3);
      assert.equal(r.column, 11);
      assert.match(r.error, /expected true at line 3, column 11/);
    }
  });
  const cases: [string, number, number, RegExp][] = [
    ['', 1, 1, /end of input/],
    ['{"a":1,}', 1, 8, /expected a property name/],
    ['[1 2]', 1, 4, /expected ',' or '\]'/],
    ['{"a" 1}', 1, 6, /expected ':'/],
    ['"abc', 1, 5, /unterminated string/],
    ['{"a":1} x', 1, 9, /after the end/],
    ['01', 1, 2, /leading zeros/],
    ['[1,\n\n  -]', 3, 4, /expected a digit/],
    ["{'a':1}", 1, 2, /property name in double quotes/],
    ['"a\\x"', 1, 3, /bad escape/],
    ['"\t"', 1, 2, /control character/],
  ];
  for (const [text, line, column, re] of cases) {
    it(`error in ${JSON.stringify(text)} at ${line}:${column}`, () => {
      const r = parseJson(text);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.deepEqual([r.line, r.column], [line, column], r.error);
        assert.match(r.error, re);
      }
    });
  }
  it('the scanner accepts everything JSON.parse accepts', () => {
    for (const t of ['0', '-1.5e+10', '"\\u00e9\\n"', '[]', '{}', ' [ { "a" : [ true , false , null ] } ] ', '1E5', '-0']) {
      assert.equal(locateJsonError(t), null, t);
    }
  });
});

describe('payload/hex', () => {
  it('toHex and parseHex round trip', () => {
    const b = randomBytes(257, 11);
    assert.deepEqual(parseHex(toHex(b)), { ok: true, bytes: b });
    assert.deepEqual(parseHex(toHex(b, '')), { ok: true, bytes: b });
  });
  it('accepts the forms people type', () => {
    const expect = Uint8Array.from([0xde, 0xad, 0xbe, 0xef]);
    for (const s of ['deadbeef', 'de ad be ef', 'DE AD BE EF', '0xde, 0xad, 0xbe, 0xef', 'de:ad:be:ef', 'de-ad-be-ef', ' dead\nbeef ', '0xdeadbeef']) {
      assert.deepEqual(parseHex(s), { ok: true, bytes: expect }, s);
    }
    assert.deepEqual(parseHex(''), { ok: true, bytes: new Uint8Array(0) });
  });
  it('rejects bad input with a clear error', () => {
    assert.deepEqual(parseHex('deadbee'), { ok: false, error: 'odd number of hex digits: lone digit at position 6', position: 6 });
    assert.deepEqual(parseHex('de ad zz'), { ok: false, error: 'invalid character "z" at position 6', position: 6 });
    assert.deepEqual(parseHex('d e'), { ok: false, error: 'lone hex digit at position 0: bytes need two digits', position: 0 });
  });
  it('hexDump has an offset column and an ASCII gutter', () => {
    const b = new TextEncoder().encode('hello, MQTT world\u0000\u0001!');
    const dump = hexDump(b);
    assert.equal(dump, [
      '00000000  68 65 6c 6c 6f 2c 20 4d  51 54 54 20 77 6f 72 6c  |hello, MQTT worl|',
      '00000010  64 00 01 21                                       |d..!|',
    ].join('\n'));
    assert.equal(hexDump(new Uint8Array([0x41]), { width: 8, baseOffset: 0x20 }), '00000020  41                        |A|');
    assert.equal(hexDump(new Uint8Array(0)), '');
  });
});

describe('payload/detect', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  it('picks json, text or binary', () => {
    assert.equal(detectView(enc('{"temp": 21.5}')), 'json');
    assert.equal(detectView(enc('  [1, 2, 3]\n')), 'json');
    assert.equal(detectView(enc('21.5')), 'text');
    assert.equal(detectView(enc('hello world')), 'text');
    assert.equal(detectView(enc('{"broken": }')), 'text');
    assert.equal(detectView(new Uint8Array(0)), 'text');
    assert.equal(detectView(new Uint8Array([0xff, 0xfe, 0x00])), 'binary');
    assert.equal(detectView(new Uint8Array([0x00, 0x01, 0x02, 0x03])), 'binary');
    assert.equal(detectView(enc('line one\r\n\tline two')), 'text');
    assert.match(detectPayload(new Uint8Array([0xc3])).reason, /UTF-8/);
  });
});
