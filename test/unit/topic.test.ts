import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasWildcard, parseSharedFilter, topicMatches, validateTopicFilter, validateTopicName } from '../../shared/mqtt/topic';

describe('topicMatches', () => {
  const table: [filter: string, topic: string, expected: boolean][] = [
    // exact
    ['a/b/c', 'a/b/c', true],
    ['a/b/c', 'a/b', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'A/b/c', false],
    ['/', '/', true],
    ['a//b', 'a//b', true],
    // single level
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a//c', true],
    ['a/+/c', 'a/b/x/c', false],
    ['a/+', 'a', false],
    ['a/+', 'a/', true],
    ['+', 'a', true],
    ['+', '/a', false],
    ['+/+', '/a', true],
    ['/+', '/a', true],
    ['+/b/+', 'x/b/y', true],
    // multi level [§4.7.1.2: "sport/#" also matches "sport"]
    ['#', 'a', true],
    ['#', 'a/b/c', true],
    ['#', '/', true],
    ['a/#', 'a', true],
    ['a/#', 'a/b', true],
    ['a/#', 'a/b/c/d', true],
    ['a/#', 'ab', false],
    ['a/b/#', 'a', false],
    ['+/#', 'a', true],
    ['+/#', 'a/b/c', true],
    // $ topics [MQTT-4.7.2-1]
    ['#', '$SYS/broker/uptime', false],
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['+/#', '$SYS/x', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
    ['$SYS/+/uptime', '$SYS/broker/uptime', true],
    ['$SYS', '$SYS', true],
    ['a/+', 'a/$x', true],
    ['#', 'a/$SYS', true],
    // shared subscriptions match with their inner filter
    ['$share/group/a/+', 'a/b', true],
    ['$share/group/a/+', 'a/b/c', false],
    ['$share/g/#', 'x/y', true],
    ['$share/g/#', '$SYS/x', false],
    ['$share/g/$SYS/#', '$SYS/x', true],
    ['$share/g/a', 'a', true],
  ];
  for (const [filter, topic, expected] of table) {
    it(`${JSON.stringify(filter)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(topic)}`, () => {
      assert.equal(topicMatches(filter, topic), expected);
    });
  }
});

describe('validateTopicName', () => {
  it('accepts ordinary names', () => {
    for (const name of ['a', 'a/b', '/', 'a//b', '$SYS/x', 'ü/日本', 'with space', 'a/$b']) {
      assert.equal(validateTopicName(name), null, name);
    }
  });
  it('rejects empty, wildcards, U+0000, lone surrogates, over 65535 bytes', () => {
    assert.match(validateTopicName('')!, /empty.*\[MQTT-4\.7\.3-1\]/);
    assert.match(validateTopicName('a/+')!, /wildcards.*\[MQTT-3\.3\.2-2\]/);
    assert.match(validateTopicName('a/#')!, /wildcards/);
    assert.match(validateTopicName('a+b')!, /wildcards/);
    assert.match(validateTopicName('a\u0000b')!, /U\+0000/);
    assert.match(validateTopicName('a\ud800')!, /UTF-8/);
    assert.equal(validateTopicName('x'.repeat(65535)), null);
    assert.match(validateTopicName('x'.repeat(65536))!, /65535/);
    // 3-byte characters count in bytes, not UTF-16 units.
    assert.match(validateTopicName('日'.repeat(21846))!, /65538 bytes/);
  });
});

describe('validateTopicFilter', () => {
  const valid = ['a', '#', '+', 'a/#', 'a/+/c', '+/+', '/#', '+/#', '$SYS/#', '$share/g/a/#', '$share/g/+', '$share/g/#', 'a//b', '$share'];
  for (const f of valid) it(`accepts ${JSON.stringify(f)}`, () => assert.equal(validateTopicFilter(f), null));

  const invalid: [string, RegExp][] = [
    ['', /empty/],
    ['a/#/b', /last level.*\[MQTT-4\.7\.1-1\]/],
    ['a#', /whole level/],
    ['a/b#', /whole level/],
    ['#/a', /last level/],
    ['a+', /'\+' must occupy a whole level.*\[MQTT-4\.7\.1-2\]/],
    ['a/+b/c', /whole level/],
    ['$share//a', /share name.*\[MQTT-4\.8\.2-1\]/],
    ['$share/g', /topic filter after the share name.*\[MQTT-4\.8\.2-2\]/],
    ['$share/g/', /topic filter after the share name/],
    ['$share/g+/a', /must not contain.*\[MQTT-4\.8\.2-2\]/],
    ['$share/#/a', /must not contain/],
    ['$share/g/a/#/b', /last level/],
    ['a\u0000', /U\+0000/],
  ];
  for (const [f, re] of invalid) it(`rejects ${JSON.stringify(f)}`, () => assert.match(validateTopicFilter(f) ?? 'valid', re));
});

describe('parseSharedFilter / hasWildcard', () => {
  it('splits $share/<group>/<filter>', () => {
    assert.deepEqual(parseSharedFilter('$share/g1/a/b/#'), { group: 'g1', filter: 'a/b/#' });
    assert.deepEqual(parseSharedFilter('$share/g/'), { group: 'g', filter: '' });
    assert.equal(parseSharedFilter('$share/g'), null);
    assert.equal(parseSharedFilter('a/b'), null);
    assert.equal(parseSharedFilter('$SHARE/g/a'), null, 'the prefix is case-sensitive');
    assert.equal(parseSharedFilter('$queue/a'), null);
  });
  it('detects wildcards after the $share prefix', () => {
    assert.equal(hasWildcard('a/+'), true);
    assert.equal(hasWildcard('a/#'), true);
    assert.equal(hasWildcard('a/b'), false);
    assert.equal(hasWildcard('$share/g/a'), false);
    assert.equal(hasWildcard('$share/g/+'), true);
  });
});
