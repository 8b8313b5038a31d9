import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AdditionalAddressFamily,
  AddressErrorCode,
  AlternateDomain,
  AlternateServer,
  type AttributeCodec,
  attributeCodecs,
  attributeName,
  ChannelNumber,
  ConnectionId,
  crc32,
  Data,
  DontFragment,
  decodeStunMessage,
  ErrorCode,
  EvenPort,
  encodeMessageType,
  Fingerprint,
  IceControlled,
  IceControlling,
  Icmp,
  Lifetime,
  looksLikeStun,
  MappedAddress,
  MessageIntegrity,
  MessageIntegritySha256,
  Method,
  messageClass,
  messageMethod,
  Nonce,
  PASSWORD_ALGORITHM_MD5,
  PASSWORD_ALGORITHM_SHA256,
  PasswordAlgorithm,
  PasswordAlgorithms,
  Priority,
  Realm,
  RequestedAddressFamily,
  RequestedTransport,
  ReservationToken,
  randomTransactionId,
  Software,
  StunDecodeError,
  StunMessage,
  StunWriter,
  shortTermKey,
  TRANSPORT_UDP,
  UnknownAttributes,
  UseCandidate,
  Userhash,
  Username,
  unknownAttributesResponse,
  XorMappedAddress,
  XorPeerAddress,
  XorRelayedAddress,
} from '../../src/stun/index.js';

function decode(bytes: Buffer): StunMessage {
  const m = decodeStunMessage(bytes);
  if (!(m instanceof StunMessage)) assert.fail(`rejected: ${m.reason}`);
  return m;
}

function reason(bytes: Buffer): string | undefined {
  const m = decodeStunMessage(bytes);
  return m instanceof StunDecodeError ? m.reason : undefined;
}

test('message type interleaves method and class bits (RFC 8489 §5)', () => {
  assert.equal(encodeMessageType(Method.Binding, 'request'), 0x0001);
  assert.equal(encodeMessageType(Method.Binding, 'indication'), 0x0011);
  assert.equal(encodeMessageType(Method.Binding, 'success'), 0x0101);
  assert.equal(encodeMessageType(Method.Binding, 'error'), 0x0111);
  assert.equal(encodeMessageType(Method.Allocate, 'request'), 0x0003);
  assert.equal(encodeMessageType(Method.Send, 'indication'), 0x0016);
  assert.equal(encodeMessageType(Method.Data, 'indication'), 0x0017);
  assert.equal(encodeMessageType(Method.ChannelBind, 'error'), 0x0119);
  for (const method of [...Object.values(Method), 0xfff])
    for (const cls of ['request', 'indication', 'success', 'error'] as const) {
      const type = encodeMessageType(method, cls);
      assert.equal(type & 0xc000, 0);
      assert.equal(messageMethod(type), method);
      assert.equal(messageClass(type), cls);
    }
});

// One value per attribute in the table: each must survive a round trip.
const samples: [AttributeCodec<unknown>, unknown][] = [
  [MappedAddress, { address: '192.0.2.7', port: 3478 }],
  [Username, 'alice:bob'],
  [ErrorCode, { code: 438, reason: 'Stale Nonce' }],
  [UnknownAttributes, [0x0031, 0x7fff, 0x0001]],
  [Realm, 'example.org'],
  [Nonce, 'obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA'],
  [PasswordAlgorithm, { algorithm: PASSWORD_ALGORITHM_SHA256, parameters: Buffer.alloc(0) }],
  [Userhash, Buffer.alloc(32, 7)],
  [XorMappedAddress, { address: '2001:db8::1', port: 1 }],
  [
    PasswordAlgorithms,
    [
      { algorithm: PASSWORD_ALGORITHM_SHA256, parameters: Buffer.alloc(0) },
      { algorithm: PASSWORD_ALGORITHM_MD5, parameters: Buffer.from([1, 2, 3]) },
    ],
  ],
  [AlternateDomain, 'turn.example.org'],
  [Software, 'purertc'],
  [AlternateServer, { address: '::ffff:192.0.2.1', port: 65535 }],
  [Priority, 0x6e7f1eff],
  [UseCandidate, true],
  [IceControlled, 0xffffffffffffffffn],
  [IceControlling, 1n],
  [ChannelNumber, 0x4001],
  [Lifetime, 600],
  [XorPeerAddress, { address: '198.51.100.2', port: 40000 }],
  [Data, Buffer.from('hello')],
  [XorRelayedAddress, { address: '203.0.113.9', port: 50000 }],
  [RequestedAddressFamily, 0x02],
  [EvenPort, true],
  [RequestedTransport, TRANSPORT_UDP],
  [DontFragment, true],
  [ReservationToken, Buffer.from('01234567')],
  [AdditionalAddressFamily, 0x02],
  [AddressErrorCode, { family: 0x02, code: 440, reason: 'Address Family not Supported' }],
  [Icmp, { type: 3, code: 4, data: 1400 }],
  [ConnectionId, 0xdeadbeef],
];

test('every attribute in the table survives a round trip', () => {
  const covered = new Set(samples.map(([codec]) => codec.type));
  for (const codec of attributeCodecs.values())
    if (codec !== MessageIntegrity && codec !== MessageIntegritySha256 && codec !== Fingerprint)
      assert.ok(covered.has(codec.type), `${codec.name} has a sample`);
  for (const [codec, value] of samples) {
    const bytes = new StunWriter(Method.Allocate, 'request').add(codec, value).finish();
    assert.equal(bytes.length % 4, 0, codec.name);
    const m = decode(bytes);
    assert.deepEqual(m.types, [codec.type], codec.name);
    assert.deepEqual(m.get(codec), value, codec.name);
  }
});

test('attribute names and comprehension ranges', () => {
  assert.equal(attributeName(0x0020), 'XOR-MAPPED-ADDRESS');
  assert.equal(attributeName(0x8029), 'ICE-CONTROLLED');
  assert.equal(attributeName(0x1234), '0x1234');
});

test('malformed values decode as undefined, not as a throw', () => {
  const bad: [number, Buffer][] = [
    [XorMappedAddress.type, Buffer.from([0, 1, 0, 0, 1, 2, 3])], // IPv4 too short
    [XorMappedAddress.type, Buffer.from([0, 3, 0, 0, 1, 2, 3, 4])], // unknown family
    [Priority.type, Buffer.from([1, 2, 3])],
    [IceControlling.type, Buffer.alloc(4)],
    [ErrorCode.type, Buffer.from([0, 0, 7, 0])], // class 7
    [ErrorCode.type, Buffer.from([0, 0, 4, 100])], // number 100
    [UnknownAttributes.type, Buffer.from([0, 1, 0])],
    [UseCandidate.type, Buffer.from([1])],
    [Userhash.type, Buffer.alloc(31)],
    [Username.type, Buffer.alloc(600, 0x61)],
    [PasswordAlgorithms.type, Buffer.from([0, 1, 0, 8, 1, 2])],
  ];
  for (const [type, value] of bad) {
    const m = decode(new StunWriter(Method.Binding, 'request').addRaw(type, value).finish());
    const codec = attributeCodecs.get(type)!;
    assert.equal(m.get(codec), undefined, codec.name);
    assert.ok(m.has(type));
  }
});

test('encoding rejects values an attribute cannot carry', () => {
  const w = new StunWriter(Method.Binding, 'request');
  assert.throws(() => w.add(XorMappedAddress, { address: 'example.org', port: 1 }), RangeError);
  assert.throws(() => w.add(ErrorCode, { code: 200, reason: '' }), RangeError);
  assert.throws(() => w.add(Software, 'x'.repeat(800)), RangeError);
  assert.throws(() => w.addMessageIntegritySha256(Buffer.alloc(4), 18), RangeError);
});

const key = shortTermKey('password');
const sample = () =>
  new StunWriter(Method.Binding, 'request')
    .add(Username, 'a:b')
    .add(Priority, 1)
    .addMessageIntegrity(key)
    .addFingerprint()
    .finish();

test('malformed framing is a typed result', () => {
  const good = sample();
  assert.equal(reason(good), undefined);
  assert.equal(reason(good.subarray(0, 19)), 'truncated');
  assert.equal(reason(good.subarray(0, good.length - 4)), 'bad-length');
  const notStun = Buffer.from(good);
  notStun[0] = 0x80;
  assert.equal(reason(notStun), 'not-stun');
  const cookie = Buffer.from(good);
  cookie[5] = 0;
  assert.equal(reason(cookie), 'bad-cookie');
  const odd = Buffer.concat([good, Buffer.alloc(2)]);
  odd.writeUInt16BE(odd.length - 20, 2);
  assert.equal(reason(odd), 'bad-length');
  // An attribute claiming more bytes than the message has.
  const overrun = Buffer.from(good);
  overrun.writeUInt16BE(200, 22);
  assert.equal(reason(overrun), 'attribute-overrun');
  // A value that fits but whose padding does not.
  const padding = new StunWriter(Method.Binding, 'request')
    .addRaw(0x8022, Buffer.alloc(4))
    .finish();
  padding.writeUInt16BE(5, 22);
  assert.equal(reason(padding), 'attribute-overrun');
  const fingerprint = Buffer.from(good);
  fingerprint[fingerprint.length - 1]! ^= 1;
  assert.equal(reason(fingerprint), 'bad-fingerprint');
  const repeated = new StunWriter(Method.Binding, 'request')
    .add(Username, 'a:b')
    .add(Username, 'c:d');
  assert.equal(reason(repeated.finish()), 'duplicate-attribute');
  const notLast = new StunWriter(Method.Binding, 'request')
    .addFingerprint()
    .add(Priority, 1)
    .finish();
  assert.equal(reason(notLast), 'fingerprint-not-last');
});

test('repeatable attributes may repeat and are all returned', () => {
  const m = decode(
    new StunWriter(Method.CreatePermission, 'request')
      .add(XorPeerAddress, { address: '192.0.2.1', port: 1 })
      .add(XorPeerAddress, { address: '192.0.2.2', port: 2 })
      .finish(),
  );
  assert.deepEqual(m.getAll(XorPeerAddress), [
    { address: '192.0.2.1', port: 1 },
    { address: '192.0.2.2', port: 2 },
  ]);
});

test('integrity: ok, bad, missing; attributes after MESSAGE-INTEGRITY are ignored', () => {
  assert.equal(decode(sample()).checkIntegrity(key), 'ok');
  assert.equal(decode(sample()).checkIntegrity(shortTermKey('other')), 'bad');
  assert.equal(
    decode(new StunWriter(Method.Binding, 'request').finish()).checkIntegrity(key),
    'missing',
  );
  const tampered = sample();
  tampered[26]! ^= 1; // inside USERNAME
  assert.equal(decode(refingerprint(tampered)).checkIntegrity(key), 'bad');
  const after = new StunWriter(Method.Binding, 'request')
    .add(Username, 'a:b')
    .addMessageIntegrity(key)
    .add(Software, 'ignored')
    .finish();
  const m = decode(after);
  assert.equal(m.has(Software.type), false);
  assert.equal(m.checkIntegrity(key), 'ok');
});

test('MESSAGE-INTEGRITY-SHA256, full and truncated, is preferred when present', () => {
  for (const length of [32, 16, 20]) {
    const bytes = new StunWriter(Method.Binding, 'request')
      .add(Username, 'a:b')
      .addMessageIntegrity(shortTermKey('sha1-key'))
      .addMessageIntegritySha256(key, length)
      .addFingerprint()
      .finish();
    const m = decode(bytes);
    assert.equal(m.checkIntegrity(key), 'ok', `length ${length}`);
    assert.equal(m.checkIntegrity(shortTermKey('sha1-key')), 'bad');
  }
});

test('unknown comprehension-required attributes get a 420 listing them; optional ones are ignored', () => {
  const request = decode(
    new StunWriter(Method.Binding, 'request')
      .addRaw(0x0031, Buffer.alloc(4))
      .addRaw(0xc057, Buffer.alloc(4)) // comprehension-optional (a browser's network info)
      .addRaw(0x7fff, Buffer.alloc(0))
      .add(Priority, 5)
      .finish(),
  );
  assert.deepEqual(request.unknownComprehensionRequired(), [0x0031, 0x7fff]);
  const response = decode(unknownAttributesResponse(request)!.finish());
  assert.equal(response.messageClass, 'error');
  assert.deepEqual(response.transactionId, request.transactionId);
  assert.deepEqual(response.get(ErrorCode), { code: 420, reason: 'Unknown Attribute' });
  assert.deepEqual(response.get(UnknownAttributes), [0x0031, 0x7fff]);
  const fine = decode(
    new StunWriter(Method.Binding, 'request').addRaw(0xc057, Buffer.alloc(4)).finish(),
  );
  assert.equal(unknownAttributesResponse(fine), undefined);
});

test('looksLikeStun is the cheap pre-check', () => {
  assert.ok(looksLikeStun(sample()));
  assert.ok(
    !looksLikeStun(Buffer.from([22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])),
  );
  assert.ok(!looksLikeStun(Buffer.alloc(10)));
});

test('random and mutated input never throws', () => {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const base = sample();
  for (let i = 0; i < 20000; i++) {
    let bytes: Buffer;
    if (i % 2 === 0) {
      bytes = Buffer.from(base);
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++)
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      if (random() < 0.2) bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
    } else {
      bytes = Buffer.alloc(20 + 4 * Math.floor(random() * 20));
      for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(random() * 256);
      bytes.writeUInt32BE(0x2112a442, 4);
      bytes[0]! &= 0x3f;
      bytes.writeUInt16BE(bytes.length - 20, 2);
    }
    const m = decodeStunMessage(bytes);
    if (m instanceof StunMessage) {
      for (const codec of attributeCodecs.values()) m.get(codec);
      m.checkIntegrity(key);
      m.unknownComprehensionRequired();
    }
  }
});

/** Recomputes FINGERPRINT over tampered bytes, so that only the integrity check can catch them. */
function refingerprint(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  const at = out.length - 8;
  out.writeUInt32BE((crc32(out, 0, at) ^ 0x5354554e) >>> 0, at + 4);
  return out;
}

test('transaction ids are 12 fresh random bytes each, buffers of their own', () => {
  const first = randomTransactionId();
  const saved = Buffer.from(first);
  const ids = Array.from({ length: 1000 }, () => randomTransactionId());
  assert.deepEqual(first, saved, 'later ids do not overwrite an earlier one');
  assert.ok(ids.every((id) => id.length === 12));
  assert.equal(new Set([first, ...ids].map((id) => id.toString('hex'))).size, ids.length + 1);
  // 12,000 bytes of random output cover all 256 byte values.
  assert.equal(new Set(Buffer.concat(ids)).size, 256);
});
