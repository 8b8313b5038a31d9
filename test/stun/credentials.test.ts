import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  longTermKey,
  opaqueString,
  PASSWORD_ALGORITHM_SHA256,
  saslprep,
  shortTermKey,
  userhash,
} from '../../src/stun/index.js';

test('SASLprep (RFC 4013 §3 examples)', () => {
  assert.equal(saslprep('I\u00adX'), 'IX');
  assert.equal(saslprep('user'), 'user');
  assert.equal(saslprep('USER'), 'USER');
  assert.equal(saslprep('\u00aa'), 'a');
  assert.equal(saslprep('\u2168'), 'IX');
  assert.equal(saslprep('a\u00a0b'), 'a b');
  assert.throws(() => saslprep('\u0007'), TypeError);
  assert.throws(() => saslprep('\u0627\u0031'), TypeError); // RandAL not at both ends
  assert.equal(saslprep('\u0627\u0031\u0628'), '\u0627\u0031\u0628');
  assert.throws(() => saslprep('\u0627a\u0628'), TypeError); // R/AL mixed with L
});

test('OpaqueString maps spaces, normalizes to NFC, refuses controls and the empty string', () => {
  assert.equal(opaqueString('a\u3000b'), 'a b');
  assert.equal(opaqueString('e\u0301'), '\u00e9');
  assert.equal(opaqueString('The\u00adM\u00aatr\u2168'), 'The\u00adM\u00aatr\u2168');
  assert.throws(() => opaqueString(''), TypeError);
  assert.throws(() => opaqueString('a\nb'), TypeError);
});

test('short-term key is the password; long-term keys are MD5 or SHA-256 of user:realm:password', () => {
  assert.deepEqual(shortTermKey('VOkJxbRl1RmTxUk/WvJxBt'), Buffer.from('VOkJxbRl1RmTxUk/WvJxBt'));
  const md5 = longTermKey('user', 'realm', 'pass');
  assert.deepEqual(md5, createHash('md5').update('user:realm:pass').digest());
  assert.equal(md5.length, 16);
  const sha = longTermKey('user', 'realm', 'pass', { algorithm: PASSWORD_ALGORITHM_SHA256 });
  assert.deepEqual(sha, createHash('sha256').update('user:realm:pass').digest());
  assert.throws(() => longTermKey('u', 'r', 'p', { algorithm: 9 }), RangeError);
});

test('USERHASH is SHA-256 of username:realm', () => {
  assert.deepEqual(userhash('user', 'realm'), createHash('sha256').update('user:realm').digest());
});
