import assert from 'node:assert/strict';
import { sign, verify, X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import {
  type AlgorithmIdentifier,
  connectionCertificate,
  dtlsCertificateOf,
  generateCertificate,
  RTCCertificate,
} from '../../src/webrtc/RTCCertificate.js';

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' };
const rsa = (
  modulusLength: number,
  hash = 'SHA-256',
  publicExponent = new Uint8Array([1, 0, 1]),
) => ({
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength,
  publicExponent,
  hash,
});
const DAY = 86_400_000;

async function rejectsWith(p: Promise<unknown>, name: string) {
  await assert.rejects(p, (e: Error) => {
    assert.equal(e.name, name, e.message);
    if (name !== 'TypeError') assert.ok(e instanceof DOMException);
    return true;
  });
}

test('ECDSA P-256 (the default the spec requires) makes a certificate that expires in 30 days', async () => {
  const start = Date.now();
  const cert = await generateCertificate(ecdsa);
  assert.ok(cert instanceof RTCCertificate);
  assert.ok(Math.abs(cert.expires - (start + 30 * DAY)) < 1000);
  assert.equal(Object.prototype.toString.call(cert), '[object RTCCertificate]');
});

test('RSASSA-PKCS1-v1_5 with 1024 and 2048 bits, exponent 65537, SHA-256', async () => {
  for (const bits of [1024, 2048]) {
    const cert = await generateCertificate(rsa(bits));
    const x = new X509Certificate(dtlsCertificateOf(cert).der);
    assert.equal(x.publicKey.asymmetricKeyDetails?.modulusLength, bits);
    assert.equal(x.publicKey.asymmetricKeyDetails?.publicExponent, 65537n);
    assert.ok(x.verify(x.publicKey));
  }
  // a leading zero byte on the exponent is still 65537
  await generateCertificate(rsa(1024, 'SHA-256', new Uint8Array([0, 1, 0, 1])));
});

test('algorithm names match case-insensitively', async () => {
  await generateCertificate({ name: 'ecdsa', namedCurve: 'P-256' });
  await generateCertificate({ ...rsa(1024), name: 'rsassa-pkcs1-V1_5', hash: { name: 'sha-256' } });
});

test('unsupported algorithms reject with NotSupportedError', async () => {
  await rejectsWith(generateCertificate('invalid-algo'), 'NotSupportedError');
  await rejectsWith(generateCertificate({ name: 'invalid-algo' }), 'NotSupportedError');
  await rejectsWith(generateCertificate(rsa(2048, 'SHA-1')), 'NotSupportedError');
  await rejectsWith(generateCertificate(rsa(2048, 'SHA-384')), 'NotSupportedError');
  await rejectsWith(generateCertificate(rsa(2048, 'SHA-7')), 'NotSupportedError'); // unknown hash
  await rejectsWith(generateCertificate(rsa(512)), 'NotSupportedError');
  await rejectsWith(
    generateCertificate(rsa(2048, 'SHA-256', new Uint8Array([3]))),
    'NotSupportedError',
  );
  await rejectsWith(
    generateCertificate({ name: 'ECDSA', namedCurve: 'P-384' }),
    'NotSupportedError',
  );
  await rejectsWith(
    generateCertificate({ name: 'ECDSA', namedCurve: 'p-256' }),
    'NotSupportedError',
  );
  await rejectsWith(generateCertificate('Ed25519'), 'NotSupportedError');
  await rejectsWith(generateCertificate({ name: 'AES-GCM', length: 128 }), 'NotSupportedError');
  await rejectsWith(generateCertificate({ ...rsa(1024), name: 'RSA-PSS' }), 'NotSupportedError');
});

test('a string means { name: string }, so "ECDSA" lacks namedCurve: TypeError (WebCrypto normalization)', async () => {
  await rejectsWith(generateCertificate('ECDSA'), 'TypeError');
  await rejectsWith(generateCertificate('RSASSA-PKCS1-v1_5'), 'TypeError');
  await rejectsWith(generateCertificate({ name: 'AES-GCM' }), 'TypeError');
  await rejectsWith(
    generateCertificate({ namedCurve: 'P-256' } as unknown as AlgorithmIdentifier),
    'TypeError',
  );
  await rejectsWith(
    generateCertificate({
      ...rsa(2048),
      publicExponent: [1, 0, 1],
    } as unknown as AlgorithmIdentifier),
    'TypeError',
  );
  await rejectsWith(generateCertificate({ ...rsa(2048), modulusLength: -1 }), 'TypeError');
  await rejectsWith(
    generateCertificate({ ...rsa(2048), hash: undefined } as unknown as AlgorithmIdentifier),
    'TypeError',
  );
});

test('errors are rejected promises, never synchronous throws', () => {
  const p = generateCertificate('invalid-algo');
  assert.ok(p instanceof Promise);
  p.catch(() => {});
  const q = (generateCertificate as (...a: unknown[]) => Promise<unknown>)();
  assert.ok(q instanceof Promise);
  return rejectsWith(q, 'TypeError');
});

test('expires: default 30 days, given value, 0, capped at 365 days, [EnforceRange] errors first', async () => {
  let start = Date.now();
  let cert = await generateCertificate({ ...ecdsa, expires: 2000 });
  assert.ok(Math.abs(cert.expires - (start + 2000)) < 1000);
  cert = await generateCertificate({ ...ecdsa, expires: 0 });
  assert.ok(cert.expires <= Date.now());
  start = Date.now();
  cert = await generateCertificate({ ...ecdsa, expires: 1000 * 365 * DAY });
  assert.ok(Math.abs(cert.expires - (start + 365 * DAY)) < 1000);
  cert = await generateCertificate({ ...ecdsa, expires: 2500.9 });
  await rejectsWith(generateCertificate({ ...ecdsa, expires: -1 }), 'TypeError');
  await rejectsWith(generateCertificate({ ...ecdsa, expires: 'invalid' }), 'TypeError');
  await rejectsWith(
    generateCertificate({ ...ecdsa, expires: Number.POSITIVE_INFINITY }),
    'TypeError',
  );
  await rejectsWith(generateCertificate({ ...ecdsa, expires: 2 ** 53 }), 'TypeError');
  // the expiration is converted before the algorithm is looked at
  await rejectsWith(generateCertificate({ name: 'invalid-algo', expires: -1 }), 'TypeError');
});

test('getFingerprints: a fresh list with the sha-256 fingerprint in lowercase colon-separated hex', async () => {
  const cert = await generateCertificate(ecdsa);
  const fps = cert.getFingerprints();
  assert.ok(Array.isArray(fps));
  assert.equal(fps.length, 1);
  assert.equal(fps[0]!.algorithm, 'sha-256');
  assert.match(fps[0]!.value!, /^([0-9a-f]{2}:)+[0-9a-f]{2}$/);
  const x = new X509Certificate(dtlsCertificateOf(cert).der);
  assert.equal(fps[0]!.value, x.fingerprint256.toLowerCase());
  assert.notEqual(cert.getFingerprints(), fps);
  assert.deepEqual(cert.getFingerprints(), fps);
});

test('the certificate is self-signed, carries nothing identifying, and its key signs', async () => {
  const a = dtlsCertificateOf(await generateCertificate(ecdsa));
  const b = dtlsCertificateOf(await generateCertificate(ecdsa));
  const xa = new X509Certificate(a.der);
  const xb = new X509Certificate(b.der);
  assert.ok(xa.checkIssued(xa));
  assert.ok(xa.verify(xa.publicKey));
  assert.equal(xa.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.notEqual(xa.subject, xb.subject);
  assert.notEqual(xa.serialNumber, xb.serialNumber);
  assert.ok(new Date(xa.validTo).getTime() > Date.now() + 29 * DAY);
  const data = Buffer.from('proof');
  assert.ok(verify('sha256', data, xa.publicKey, sign('sha256', data, a.privateKey)));
});

test('RTCCertificate has no constructor', () => {
  assert.throws(() => new (RTCCertificate as unknown as new () => unknown)(), TypeError);
});

test('connections without certificates each get a fresh ECDSA certificate of their own', async () => {
  const start = Date.now();
  const certificates = await Promise.all(Array.from({ length: 5 }, () => connectionCertificate()));
  const fingerprints = certificates.map((c) => c.getFingerprints()[0]!.value);
  assert.equal(new Set(fingerprints).size, 5, 'five different keys');
  for (const c of certificates) {
    assert.equal(new X509Certificate(dtlsCertificateOf(c).der).publicKey.asymmetricKeyType, 'ec');
    // Generated within the last minute (in advance, at most), valid for 30 days from then.
    const days = (c.expires - start) / 86_400_000;
    assert.ok(days > 30 - 1 / 1440 && days <= 30 + 1 / 1440, `expires in ${days} days`);
  }
});
