import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { selfSignedCertificate } from '../../src/dtls/certificate.js';
import { openssl } from './opensslPeer.js';

const DAY = 86_400_000;
const keys = {
  ec: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
  rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
};

/** `openssl x509 -text` of the certificate, after `openssl verify` accepted it as its own issuer. */
function opensslView(der: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'purertc-x509-'));
  try {
    const pem = join(dir, 'cert.pem');
    writeFileSync(pem, new X509Certificate(der).toString());
    const verified = execFileSync(openssl(), ['verify', '-CAfile', pem, pem], { encoding: 'utf8' });
    assert.match(verified, /cert\.pem: OK/);
    return execFileSync(openssl(), ['x509', '-in', pem, '-noout', '-text'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const [type, { privateKey, publicKey }] of Object.entries(keys)) {
  test(`a self-signed ${type} certificate that OpenSSL verifies and reads back`, async () => {
    const notBefore = Date.UTC(2026, 10, 20, 5, 41, 18);
    const der = await selfSignedCertificate({
      privateKey,
      publicKey,
      commonName: 'f9a1b61d7fd0cd3a',
      notBefore,
      notAfter: notBefore + 30 * DAY,
    });
    const text = opensslView(der);
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Issuer: CN ?= ?f9a1b61d7fd0cd3a/);
    assert.match(text, /Subject: CN ?= ?f9a1b61d7fd0cd3a/);
    assert.match(text, /Not Before: Nov 20 05:41:18 2026 GMT/);
    assert.match(text, /Not After : Dec 20 05:41:18 2026 GMT/);
    assert.match(text, type === 'ec' ? /ecdsa-with-SHA256/ : /sha256WithRSAEncryption/);
    const x = new X509Certificate(der);
    assert.ok(x.publicKey.equals(publicKey));
    assert.ok(x.verify(publicKey));
  });
}

test('validity from 2050 on is a GeneralizedTime; serial numbers are positive and random', async () => {
  const { privateKey, publicKey } = keys.ec;
  const make = (notAfter: number) =>
    selfSignedCertificate({ privateKey, publicKey, commonName: 'x', notBefore: 0, notAfter });
  const der = await make(Date.UTC(2051, 0, 2, 3, 4, 5));
  assert.ok(der.includes(Buffer.from('20510102030405Z')), 'GeneralizedTime');
  assert.ok(der.includes(Buffer.from('700101000000Z')), 'UTCTime before 2050');
  assert.match(opensslView(der), /Not After : Jan {2}2 03:04:05 2051 GMT/);
  const serials = await Promise.all(
    [1, 2, 3].map(async () => new X509Certificate(await make(1)).serialNumber),
  );
  assert.equal(new Set(serials).size, 3);
  for (const s of serials) assert.ok(Number.parseInt(s[0]!, 16) < 8, `serial ${s} is positive`);
});
