import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, test } from 'node:test';
import type { DtlsCertificate } from '../../src/dtls/credentials.js';
import { certificateFingerprint, matchesFingerprint } from '../../src/dtls/fingerprint.js';
import { ecdsaCertificate, fingerprints, handshake, simPair, start } from './helpers.js';

let a: DtlsCertificate;
let b: DtlsCertificate;
let other: DtlsCertificate;
before(async () => {
  [a, b, other] = [await ecdsaCertificate(), await ecdsaCertificate(), await ecdsaCertificate()];
});

const colonHex = (buf: Buffer) => buf.toString('hex').match(/../g)!.join(':');

test('fingerprints in every supported hash, either case, and lists where one entry matches', () => {
  for (const [algorithm, hash] of [
    ['sha-1', 'sha1'],
    ['sha-224', 'sha224'],
    ['sha-256', 'sha256'],
    ['sha-384', 'sha384'],
    ['sha-512', 'sha512'],
  ]) {
    const value = colonHex(createHash(hash!).update(a.der).digest());
    assert.deepEqual(certificateFingerprint(a.der, algorithm), { algorithm, value });
    assert.ok(matchesFingerprint(a.der, [{ algorithm: algorithm!, value: value.toUpperCase() }]));
    assert.ok(matchesFingerprint(a.der, [{ algorithm: algorithm!.toUpperCase(), value }]));
    assert.ok(!matchesFingerprint(b.der, [{ algorithm: algorithm!, value }]));
  }
  const right = certificateFingerprint(a.der);
  const wrong = certificateFingerprint(b.der);
  assert.ok(matchesFingerprint(a.der, [wrong, right]));
  assert.ok(!matchesFingerprint(a.der, []));
  // hash functions we do not take (md5) never match, whatever the value
  const md5 = colonHex(createHash('md5').update(a.der).digest());
  assert.ok(!matchesFingerprint(a.der, [{ algorithm: 'md5', value: md5 }]));
  assert.ok(!matchesFingerprint(a.der, [{ algorithm: 'sha-256', value: 'zz' }]));
  assert.throws(() => certificateFingerprint(a.der, 'md5'), RangeError);
});

test('a wrong server fingerprint: the client sends bad_certificate and both fail', () => {
  const p = simPair(
    { client: a, server: b },
    { delay: 5 },
    { client: { remoteFingerprints: fingerprints(other) } },
  );
  handshake(p);
  p.net.run();
  const c = p.client.connection;
  const s = p.server.connection;
  assert.equal(c.state, 'failed');
  assert.equal(c.failure?.errorDetail, 'fingerprint-failure');
  assert.equal(c.failure?.sentAlert, 42);
  assert.equal(s.state, 'failed');
  assert.equal(s.failure?.errorDetail, 'dtls-failure');
  assert.equal(s.failure?.receivedAlert, 42);
});

test('a wrong client fingerprint: the server sends bad_certificate and both fail', () => {
  const p = simPair(
    { client: a, server: b },
    { delay: 5 },
    { server: { remoteFingerprints: fingerprints(other) } },
  );
  handshake(p);
  p.net.run();
  assert.equal(p.server.connection.failure?.errorDetail, 'fingerprint-failure');
  assert.equal(p.server.connection.failure?.sentAlert, 42);
  assert.equal(p.client.connection.failure?.receivedAlert, 42);
  assert.equal(p.client.connection.state, 'failed');
});

test('the server holds its last flight until the remote fingerprints arrive', () => {
  const p = simPair(
    { client: a, server: b },
    { delay: 10 },
    { server: { remoteFingerprints: undefined } },
  );
  start(p);
  p.net.advance(3000);
  assert.equal(p.client.connection.state, 'connecting');
  assert.equal(p.server.connection.state, 'connecting');
  assert.equal(p.server.connection.nextDeadline(), undefined);
  const heldSince = Math.max(...p.server.sentAt);
  assert.ok(heldSince < 100, 'the server sent nothing while it held the flight');
  assert.ok(p.client.sentAt.length > 3, 'the client kept retransmitting flight 5');
  p.server.connection.setRemoteFingerprints(fingerprints(a), p.net.now);
  assert.equal(p.server.connection.state, 'connected');
  p.net.run({ until: () => p.client.connection.state === 'connected', timeout: 1000 });
  assert.equal(p.client.connection.state, 'connected');
});

test('the client holds flight 5 until the remote fingerprints arrive; the server keeps retransmitting', () => {
  const p = simPair(
    { client: a, server: b },
    { delay: 10 },
    { client: { remoteFingerprints: undefined } },
  );
  start(p);
  p.net.advance(1500);
  assert.equal(p.client.connection.state, 'connecting');
  assert.equal(p.client.connection.nextDeadline(), undefined);
  assert.equal(p.client.sentAt.length, 2, 'the client sent only its two ClientHellos');
  p.client.connection.setRemoteFingerprints(fingerprints(b), p.net.now);
  assert.ok(p.net.run({ until: () => p.client.connection.state === 'connected', timeout: 1000 }));
  assert.equal(p.server.connection.state, 'connected');
});

test('an empty list of fingerprints means they are not known yet', () => {
  const p = simPair(
    { client: a, server: b },
    { delay: 10 },
    { server: { remoteFingerprints: [] } },
  );
  start(p);
  p.net.advance(500);
  p.server.connection.setRemoteFingerprints([], p.net.now);
  assert.equal(p.server.connection.state, 'connecting');
  assert.equal(p.client.connection.state, 'connecting');
  p.server.connection.setRemoteFingerprints(fingerprints(a), p.net.now);
  assert.ok(p.net.run({ until: () => p.client.connection.state === 'connected', timeout: 1000 }));
});

test('late fingerprints that do not match fail the handshake', () => {
  const p = simPair(
    { client: a, server: b },
    { delay: 10 },
    { server: { remoteFingerprints: undefined } },
  );
  start(p);
  p.net.advance(100);
  p.server.connection.setRemoteFingerprints(fingerprints(other), p.net.now);
  assert.equal(p.server.connection.state, 'failed');
  assert.equal(p.server.connection.failure?.errorDetail, 'fingerprint-failure');
  p.net.run();
  assert.equal(p.client.connection.failure?.receivedAlert, 42);
});

test('fingerprints given before start, or checked again after the handshake', () => {
  const p = simPair({ client: a, server: b }, {}, { client: { remoteFingerprints: undefined } });
  p.client.connection.setRemoteFingerprints(fingerprints(b), 0);
  assert.ok(handshake(p));
  assert.equal(p.client.connection.state, 'connected');
  p.client.connection.setRemoteFingerprints(
    [...fingerprints(other), ...fingerprints(b)],
    p.net.now,
  );
  assert.equal(p.client.connection.state, 'connected');
  p.client.connection.setRemoteFingerprints(fingerprints(other), p.net.now);
  assert.equal(p.client.connection.state, 'failed');
  assert.equal(p.client.connection.failure?.errorDetail, 'fingerprint-failure');
  assert.throws(() => p.client.connection.setRemoteFingerprints('x' as never, 0), TypeError);
});
