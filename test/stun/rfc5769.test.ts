// RFC 5769 test vectors, read and rebuilt byte for byte.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeStunMessage,
  IceControlled,
  longTermKey,
  Method,
  Nonce,
  Priority,
  Realm,
  Software,
  StunMessage,
  StunWriter,
  shortTermKey,
  Username,
  XorMappedAddress,
} from '../../src/stun/index.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const password = shortTermKey('VOkJxbRl1RmTxUk/WvJxBt');
const transactionId = hex('b7 e7 a7 01 bc 34 d6 86 fa 87 df ae');

// §2.1 Sample Request
const request = hex(`
  00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
  00 24 00 04 6e 00 01 ff
  80 29 00 08 93 2f f9 b1 51 26 3b 36
  00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
  00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
  80 28 00 04 e5 7a 3b cf`);

// §2.2 Sample IPv4 Response
const ipv4Response = hex(`
  01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 08 00 01 a1 47 e1 12 a6 43
  00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
  80 28 00 04 c0 7d 4c 96`);

// §2.3 Sample IPv6 Response
const ipv6Response = hex(`
  01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
  80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
  00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
  00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
  80 28 00 04 c8 fb 0b 4c`);

// §2.4 Sample Request with Long-Term Authentication
const longTermRequest = hex(`
  00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
  00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
  00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
  00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
  00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66`);

const username = '\u30de\u30c8\u30ea\u30c3\u30af\u30b9';
const longTermPassword = 'The\u00adM\u00aatr\u2168';

function decode(bytes: Buffer): StunMessage {
  const message = decodeStunMessage(bytes);
  assert.ok(message instanceof StunMessage, `decodes (${JSON.stringify(message)})`);
  return message;
}

test('§2.1 request: parsed, integrity and fingerprint verified', () => {
  const m = decode(request);
  assert.equal(m.method, Method.Binding);
  assert.equal(m.messageClass, 'request');
  assert.deepEqual(m.transactionId, transactionId);
  assert.equal(m.get(Software), 'STUN test client');
  assert.equal(m.get(Priority), 0x6e0001ff);
  assert.equal(m.get(IceControlled), 0x932ff9b151263b36n);
  assert.equal(m.get(Username), 'evtj:h6vY');
  assert.equal(m.checkIntegrity(password), 'ok');
  assert.equal(m.checkIntegrity(shortTermKey('wrong')), 'bad');
  assert.ok(m.fingerprintOffset > 0);
});

test('§2.1 request: built byte for byte (the vector pads with spaces)', () => {
  const built = new StunWriter(Method.Binding, 'request', transactionId, { padding: 0x20 })
    .add(Software, 'STUN test client')
    .add(Priority, 0x6e0001ff)
    .add(IceControlled, 0x932ff9b151263b36n)
    .add(Username, 'evtj:h6vY')
    .addMessageIntegrity(password)
    .addFingerprint()
    .finish();
  assert.deepEqual(built, request);
});

test('§2.2 IPv4 response: parsed and built', () => {
  const m = decode(ipv4Response);
  assert.equal(m.messageClass, 'success');
  assert.equal(m.get(Software), 'test vector');
  assert.deepEqual(m.get(XorMappedAddress), { address: '192.0.2.1', port: 32853 });
  assert.equal(m.checkIntegrity(password), 'ok');
  const built = new StunWriter(Method.Binding, 'success', transactionId, { padding: 0x20 })
    .add(Software, 'test vector')
    .add(XorMappedAddress, { address: '192.0.2.1', port: 32853 })
    .addMessageIntegrity(password)
    .addFingerprint()
    .finish();
  assert.deepEqual(built, ipv4Response);
});

test('§2.3 IPv6 response: parsed and built', () => {
  const m = decode(ipv6Response);
  const mapped = { address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 };
  assert.deepEqual(m.get(XorMappedAddress), mapped);
  assert.equal(m.checkIntegrity(password), 'ok');
  const built = new StunWriter(Method.Binding, 'success', transactionId, { padding: 0x20 })
    .add(Software, 'test vector')
    .add(XorMappedAddress, mapped)
    .addMessageIntegrity(password)
    .addFingerprint()
    .finish();
  assert.deepEqual(built, ipv6Response);
});

test('§2.4 long-term request: SASLprep key, parsed and built', () => {
  const key = longTermKey(username, 'example.org', longTermPassword, { preparation: 'saslprep' });
  assert.deepEqual(
    key,
    longTermKey(username, 'example.org', 'TheMatrIX', { preparation: 'saslprep' }),
  );
  const m = decode(longTermRequest);
  assert.equal(m.get(Username), username);
  assert.equal(m.get(Nonce), 'f//499k954d6OL34oL9FSTvy64sA');
  assert.equal(m.get(Realm), 'example.org');
  assert.equal(m.checkIntegrity(key), 'ok');
  assert.equal(m.fingerprintOffset, -1);
  const built = new StunWriter(
    Method.Binding,
    'request',
    hex('78 ad 34 33 c6 ad 72 c0 29 da 41 2e'),
  )
    .add(Username, username)
    .add(Nonce, 'f//499k954d6OL34oL9FSTvy64sA')
    .add(Realm, 'example.org')
    .addMessageIntegrity(key)
    .finish();
  assert.deepEqual(built, longTermRequest);
});

test('a flipped bit anywhere before FINGERPRINT is caught', () => {
  for (let i = 20; i < request.length - 8; i++) {
    const copy = Buffer.from(request);
    copy[i]! ^= 0x01;
    const m = decodeStunMessage(copy);
    assert.ok(!(m instanceof StunMessage) || m.checkIntegrity(password) !== 'ok', `byte ${i}`);
  }
});
