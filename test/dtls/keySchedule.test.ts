import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { CipherSuite, cipherSuiteParameters } from '../../src/dtls/cipherSuites.js';
import {
  exportKeyingMaterial,
  extendedMasterSecret,
  keyBlock,
  masterSecret,
  verifyData,
} from '../../src/dtls/keySchedule.js';
import { prf } from '../../src/dtls/prf.js';
import { splitSrtpKeyingMaterial, srtpKeyingMaterialLength } from '../../src/dtls/srtp.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// The TLS 1.2 PRF test vectors posted to the IETF TLS working group
// (https://www.ietf.org/mail-archive/web/tls/current/msg03416.html).
test('PRF with P_SHA256 matches the published vector', () => {
  const out = prf(
    'sha256',
    hex('9bbe436ba940f017b17652849a71db35'),
    'test label',
    hex('a0ba9f936cda311827a6f796ffd5198c'),
    100,
  );
  assert.equal(
    out.toString('hex'),
    'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af' +
      '0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701' +
      '87347b66',
  );
});

test('PRF with P_SHA384 matches the published vector', () => {
  const out = prf(
    'sha384',
    hex('b80b733d6ceefcdc71566ea48e5567df'),
    'test label',
    hex('cd665cf6a8447dd6ff8b27555edb7465'),
    148,
  );
  assert.equal(
    out.toString('hex'),
    '7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0' +
      'e534cb400fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425' +
      '9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e099070' +
      '3d73e56f',
  );
});

test('PRF output is a prefix of a longer output (P_hash is a stream)', () => {
  const s = Buffer.alloc(16, 1);
  const long = prf('sha256', s, 'x', Buffer.alloc(8), 97);
  assert.deepEqual(prf('sha256', s, 'x', Buffer.alloc(8), 33), long.subarray(0, 33));
});

/** P_hash written out once more, independently, for the key schedule checks. */
function pHash(hash: string, secret: Buffer, seed: Buffer, n: number): Buffer {
  const out: Buffer[] = [];
  let a = seed;
  while (Buffer.concat(out).length < n) {
    a = createHmac(hash, secret).update(a).digest();
    out.push(
      createHmac(hash, secret)
        .update(Buffer.concat([a, seed]))
        .digest(),
    );
  }
  return Buffer.concat(out).subarray(0, n);
}

const clientRandom = Buffer.alloc(32, 0xc1);
const serverRandom = Buffer.alloc(32, 0x5e);
const pre = Buffer.alloc(32, 0x77);

test('master secret seeds with client_random then server_random; EMS with the session hash', () => {
  const label = Buffer.from('master secret');
  assert.deepEqual(
    masterSecret('sha256', pre, clientRandom, serverRandom),
    pHash('sha256', pre, Buffer.concat([label, clientRandom, serverRandom]), 48),
  );
  const sessionHash = Buffer.alloc(48, 9);
  assert.deepEqual(
    extendedMasterSecret('sha384', pre, sessionHash),
    pHash('sha384', pre, Buffer.concat([Buffer.from('extended master secret'), sessionHash]), 48),
  );
});

test('key expansion seeds with server_random then client_random and splits keys before IVs', () => {
  const master = Buffer.alloc(48, 3);
  for (const [id, k, iv, hash] of [
    [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 16, 4, 'sha256'],
    [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, 32, 4, 'sha384'],
    [CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, 32, 12, 'sha256'],
  ] as const) {
    const block = pHash(
      hash,
      master,
      Buffer.concat([Buffer.from('key expansion'), serverRandom, clientRandom]),
      2 * (k + iv),
    );
    const keys = keyBlock(cipherSuiteParameters(id)!, master, clientRandom, serverRandom);
    assert.deepEqual(keys.clientWriteKey, block.subarray(0, k));
    assert.deepEqual(keys.serverWriteKey, block.subarray(k, 2 * k));
    assert.deepEqual(keys.clientWriteIv, block.subarray(2 * k, 2 * k + iv));
    assert.deepEqual(keys.serverWriteIv, block.subarray(2 * k + iv));
  }
});

test('verify_data is 12 bytes of PRF over the handshake hash', () => {
  const master = Buffer.alloc(48, 4);
  const h = Buffer.alloc(32, 5);
  const v = verifyData('sha256', master, 'client finished', h);
  assert.equal(v.length, 12);
  assert.deepEqual(
    v,
    pHash('sha256', master, Buffer.concat([Buffer.from('client finished'), h]), 12),
  );
  assert.notDeepEqual(v, verifyData('sha256', master, 'server finished', h));
});

test('the exporter seeds with both randoms and, when given, a length-prefixed context (RFC 5705)', () => {
  const master = Buffer.alloc(48, 6);
  const label = 'EXTRACTOR-dtls_srtp';
  assert.deepEqual(
    exportKeyingMaterial('sha256', master, clientRandom, serverRandom, label, 60),
    pHash('sha256', master, Buffer.concat([Buffer.from(label), clientRandom, serverRandom]), 60),
  );
  const context = Buffer.from('ctx');
  assert.deepEqual(
    exportKeyingMaterial('sha256', master, clientRandom, serverRandom, label, 20, context),
    pHash(
      'sha256',
      master,
      Buffer.concat([Buffer.from(label), clientRandom, serverRandom, Buffer.of(0, 3), context]),
      20,
    ),
  );
  // An empty context differs from no context.
  assert.notDeepEqual(
    exportKeyingMaterial('sha256', master, clientRandom, serverRandom, label, 20, Buffer.alloc(0)),
    exportKeyingMaterial('sha256', master, clientRandom, serverRandom, label, 20),
  );
  for (const reserved of [
    'master secret',
    'key expansion',
    'client finished',
    'server finished',
    'extended master secret',
  ]) {
    assert.throws(
      () => exportKeyingMaterial('sha256', master, clientRandom, serverRandom, reserved, 20),
      RangeError,
    );
  }
});

test('SRTP keying material splits into client key, server key, client salt, server salt (RFC 5764 §4.2)', () => {
  assert.equal(srtpKeyingMaterialLength(0x0001), 60);
  assert.equal(srtpKeyingMaterialLength(0x0002), 60);
  assert.equal(srtpKeyingMaterialLength(0x0007), 56);
  assert.equal(srtpKeyingMaterialLength(0x0008), 88);
  const m = Buffer.from(Array.from({ length: 88 }, (_, i) => i));
  const k = splitSrtpKeyingMaterial(0x0008, Buffer.alloc(0), m);
  assert.deepEqual([...k.clientWriteMasterKey], [...m.subarray(0, 32)]);
  assert.deepEqual([...k.serverWriteMasterKey], [...m.subarray(32, 64)]);
  assert.deepEqual([...k.clientWriteMasterSalt], [...m.subarray(64, 76)]);
  assert.deepEqual([...k.serverWriteMasterSalt], [...m.subarray(76, 88)]);
  assert.throws(() => splitSrtpKeyingMaterial(0x0001, Buffer.alloc(0), m), RangeError);
});
