// acl_file parsing and mosquitto's matching order, and the filter overlap/cover logic behind SUBACK refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { READ, WRITE, covers, overlaps, parseAclFile, rulesFor, subscriptionAllowed, topicAllowed } from '../../electron/core/broker/auth/acl-file';
import { parsePasswordFile } from '../../electron/core/broker/auth/password-file';

test('acl_file errors name the file and line; mosquitto reads "topic X" as readwrite X', () => {
  const r = parseAclFile('user\ntopic sometimes a/b\ntopic read a/#/b\nfoo bar\npattern write nothing/here\ntopic read\n', 'acl');
  assert.deepEqual(r.errors, [
    'acl:1: "user" needs a username',
    'acl:2: access must be read, write, readwrite or deny, got "sometimes"',
    'acl:3: invalid topic filter "a/#/b": \'#\' must be the last level of the filter [MQTT-4.7.1-1]',
    'acl:4: expected "user", "topic" or "pattern", got "foo"',
  ]);
  assert.deepEqual(r.warnings, ['acl:5: pattern "nothing/here" has neither %c nor %u']);
  // "topic read" alone is a rule for the topic named "read", readable and writable.
  const anon = rulesFor(r.acl, { id: 'x' });
  assert.ok(topicAllowed(anon, 'read', READ) && topicAllowed(anon, 'read', WRITE));
});

test('mosquitto order: own deny first, then own grants, then patterns (deny patterns first); nothing matched = denied', () => {
  const { acl } = parseAclFile([
    'topic read pub/#',
    'user u',
    'topic readwrite x/#',
    'topic deny x/no',
    'pattern deny x/p/%u',
    'pattern readwrite x/p/%c',
    'pattern read dev/%u/#',
  ].join('\n'), 'acl');
  const u = rulesFor(acl, { id: 'c1', username: 'u' });
  assert.equal(topicAllowed(u, 'x/no', WRITE), false, 'own deny beats own grant that comes earlier');
  assert.equal(topicAllowed(u, 'x/p/u', READ), true, 'an own grant decides before any pattern deny');
  assert.equal(topicAllowed(u, 'dev/u/1', READ), true);
  assert.equal(topicAllowed(u, 'dev/u/1', WRITE), false);
  assert.equal(topicAllowed(u, 'pub/a', READ), false, 'anonymous rules are not a named user\'s');
  const other = rulesFor(acl, { id: 'c2', username: 'v' }); // no own section: patterns only
  assert.equal(topicAllowed(other, 'x/p/c2', WRITE), true);
  assert.equal(topicAllowed(other, 'x/p/v', WRITE), false, 'deny pattern');
  assert.equal(topicAllowed(other, 'x/a', READ), false);
  const anon = rulesFor(acl, { id: 'c3' });
  assert.equal(topicAllowed(anon, 'pub/a', READ), true);
  assert.equal(topicAllowed(anon, 'dev/%u/1', READ), false, '%u patterns skip anonymous clients');
  // A "+" or "#" in a client id or username would widen a pattern: mosquitto refuses such clients there.
  assert.equal(topicAllowed(rulesFor(acl, { id: 'a/#' }), 'x/p/a/#', READ), false);
  // $SYS is never writable; "#" does not reach "$" topics; "$share/..." is not a topic.
  const all = rulesFor(parseAclFile('topic readwrite #\ntopic read $SYS/#\n', 'acl').acl, { id: 'z' });
  assert.equal(topicAllowed(all, '$SYS/broker/uptime', READ), true);
  assert.equal(topicAllowed(all, '$SYS/broker/uptime', WRITE), false);
  assert.equal(topicAllowed(rulesFor(parseAclFile('topic readwrite #\n', 'acl').acl, { id: 'z' }), '$other/x', READ), false);
  // Without any rule for the client and no patterns: denied.
  assert.equal(topicAllowed(rulesFor(parseAclFile('user a\ntopic #\n', 'acl').acl, { id: 'q', username: 'b' }), 'x', READ), false);
});

test('filter overlap and cover, the logic behind refusing a subscription up front', () => {
  assert.ok(overlaps('a/#', 'a/+/b') && overlaps('+/x', 'a/+') && overlaps('a/#', 'a') && overlaps('#', 'x/y/z'));
  assert.ok(!overlaps('a/b', 'a/c') && !overlaps('a/+', 'a/b/c') && !overlaps('#', '$SYS/x') && !overlaps('+/a', '$SYS/a'));
  assert.ok(covers('a/#', 'a/b/#') && covers('a/+', 'a/b') && covers('#', 'x/#') && covers('a/#', 'a'));
  assert.ok(!covers('a/b/#', 'a/#') && !covers('a/b', 'a/+') && !covers('a/+', 'a/b/c') && !covers('#', '$SYS/#'));
  const { acl } = parseAclFile('user u\ntopic read a/#\ntopic deny a/s/#\n', 'acl');
  const r = rulesFor(acl, { id: 'c', username: 'u' });
  assert.equal(subscriptionAllowed(r, 'a/#'), true);
  assert.equal(subscriptionAllowed(r, 'a/s/x'), false);
  assert.equal(subscriptionAllowed(r, '$share/g/a/x'), true, 'a shared subscription is checked by its filter');
  assert.equal(subscriptionAllowed(r, 'b/#'), false);
});

test('password_file lines: mosquitto hash formats, plain lines, and bad entries with their line', () => {
  const salt = Buffer.alloc(12, 1).toString('base64');
  const hash = Buffer.alloc(64, 2).toString('base64');
  const r = parsePasswordFile([
    '# users',
    `a:$6$${salt}$${hash}`,
    `b:$7$101$${salt}$${hash}`,
    'c:plain',
    `d:$5$${salt}$${hash}`,
    `e:$7$0$${salt}$${hash}`,
    `f:$6$${Buffer.alloc(8).toString('base64')}$${hash}`,
    'g:',
    'no-colon-line',
  ].join('\n'), 'pw');
  assert.deepEqual([...r.users.keys()], ['a', 'b', 'c']);
  assert.deepEqual(r.warnings, [
    'pw:4: user "c" has a plain-text password; MQScope accepts it, mosquitto would drop this entry (hash it with mosquitto_passwd -U)',
    'pw:5: user "d": unknown hash type "$5$" (mosquitto uses $6$ and $7$); entry ignored',
    'pw:6: user "e": invalid PBKDF2 iteration count; entry ignored',
    'pw:7: user "f": salt must be 12 bytes, got 8; entry ignored',
    'pw:8: no password for user "g"; entry ignored',
  ]);
});
