import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { CipherSuite, cipherSuiteParameters } from '../../src/dtls/cipherSuites.js';
import { DtlsConnection } from '../../src/dtls/connection.js';
import { NamedGroup } from '../../src/dtls/constants.js';
import type { DtlsCertificate } from '../../src/dtls/credentials.js';
import { SRTP_EXPORTER_LABEL, SrtpProtectionProfile } from '../../src/dtls/srtp.js';
import {
  ecdsaCertificate,
  fingerprints,
  handshake,
  rsaCertificate,
  simPair,
  start,
} from './helpers.js';

let ec1: DtlsCertificate;
let ec2: DtlsCertificate;
let rsa1: DtlsCertificate;
let rsa2: DtlsCertificate;
before(async () => {
  [ec1, ec2, rsa1, rsa2] = await Promise.all([
    ecdsaCertificate(),
    ecdsaCertificate(),
    rsaCertificate(),
    rsaCertificate(),
  ]);
});

test('a handshake takes three round trips with a cookie exchange and two without', () => {
  const p = simPair({ client: ec1, server: ec2 }, { delay: 10 });
  assert.ok(handshake(p));
  assert.equal(p.net.now, 60);
  assert.deepEqual(p.client.states, ['connecting', 'connected']);
  assert.deepEqual(p.server.states, ['connecting', 'connected']);
  const q = simPair(
    { client: ec1, server: ec2 },
    { delay: 10 },
    { server: { helloVerifyRequest: false } },
  );
  assert.ok(handshake(q));
  assert.equal(q.net.now, 40);
  // the defaults: ChaCha20-Poly1305 (our cheapest records), X25519, the first SRTP profile,
  // the peer's certificate known
  assert.equal(
    p.client.connection.cipherSuite?.name,
    'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  );
  assert.equal(p.client.connection.srtpProfile, SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM);
  assert.deepEqual(p.client.connection.remoteCertificate, ec2.der);
  assert.deepEqual(p.server.connection.remoteCertificate, ec1.der);
});

test('every cipher suite, with the certificate type it authenticates with', () => {
  for (const id of Object.values(CipherSuite)) {
    const suite = cipherSuiteParameters(id)!;
    const server = suite.authentication === 'ECDSA' ? ec2 : rsa2;
    for (const client of [ec1, rsa1]) {
      const p = simPair({ client, server }, { delay: 5 }, { client: { cipherSuites: [id] } });
      assert.ok(handshake(p), `${suite.name}: ${p.client.connection.failure?.message}`);
      assert.equal(p.server.connection.cipherSuite?.id, id);
      p.client.connection.send(Buffer.from(`to server over ${suite.name}`));
      p.server.connection.send(Buffer.from(`to client over ${suite.name}`));
      p.net.run();
      assert.deepEqual(p.server.data.map(String), [`to server over ${suite.name}`]);
      assert.deepEqual(p.client.data.map(String), [`to client over ${suite.name}`]);
      assert.deepEqual(
        p.client.connection.exportKeyingMaterial('EXPERIMENTAL-test', 32),
        p.server.connection.exportKeyingMaterial('EXPERIMENTAL-test', 32),
      );
    }
  }
});

test('the server picks its preferred suite that fits its certificate', () => {
  const p = simPair({ client: ec1, server: rsa2 });
  assert.ok(handshake(p));
  assert.equal(
    p.client.connection.cipherSuite?.name,
    'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  );
  const q = simPair(
    { client: ec1, server: ec2 },
    {},
    {
      server: {
        cipherSuites: [
          CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
          CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ],
      },
    },
  );
  assert.ok(handshake(q));
  assert.equal(q.client.connection.cipherSuite?.name, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
});

test('no suite in common fails with handshake_failure on both sides', () => {
  const p = simPair(
    { client: ec1, server: rsa2 },
    {},
    { client: { cipherSuites: [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256] } },
  );
  assert.ok(handshake(p));
  p.net.run();
  assert.equal(p.server.connection.state, 'failed');
  assert.equal(p.server.connection.failure?.sentAlert, 40);
  assert.equal(p.client.connection.state, 'failed');
  assert.equal(p.client.connection.failure?.receivedAlert, 40);
});

test('every group: X25519, P-256, P-384', () => {
  for (const group of [NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1]) {
    const p = simPair({ client: ec1, server: ec2 }, {}, { server: { groups: [group] } });
    assert.ok(handshake(p));
    assert.equal(p.client.connection.state, 'connected', `group ${group}`);
  }
  const p = simPair(
    { client: ec1, server: ec2 },
    {},
    { client: { groups: [NamedGroup.secp384r1] }, server: { groups: [NamedGroup.x25519] } },
  );
  assert.ok(handshake(p));
  assert.equal(p.server.connection.failure?.sentAlert, 40);
});

test('SRTP: each profile, the same keys on both sides, MKI echoed, no profile in common leaves SRTP out', () => {
  for (const profile of Object.values(SrtpProtectionProfile)) {
    const p = simPair(
      { client: ec1, server: ec2 },
      {},
      { client: { srtpProfiles: [profile], srtpMki: Buffer.from('mki') } },
    );
    assert.ok(handshake(p));
    const c = p.client.connection.srtpKeyingMaterial()!;
    const s = p.server.connection.srtpKeyingMaterial()!;
    assert.equal(c.profile, profile);
    assert.deepEqual(c, s);
    assert.deepEqual(c.mki, Buffer.from('mki'));
    const all = p.client.connection.exportKeyingMaterial(
      SRTP_EXPORTER_LABEL,
      2 * (c.clientWriteMasterKey.length + c.clientWriteMasterSalt.length),
    );
    assert.deepEqual(
      Buffer.concat([
        c.clientWriteMasterKey,
        c.serverWriteMasterKey,
        c.clientWriteMasterSalt,
        c.serverWriteMasterSalt,
      ]),
      all,
    );
  }
  const none = simPair(
    { client: ec1, server: ec2 },
    {},
    {
      client: { srtpProfiles: [SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32] },
      server: { srtpProfiles: [SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM] },
    },
  );
  assert.ok(handshake(none));
  assert.equal(none.client.connection.state, 'connected');
  assert.equal(none.client.connection.srtpKeyingMaterial(), undefined);
  const off = simPair({ client: ec1, server: ec2 }, {}, { client: { srtpProfiles: [] } });
  assert.ok(handshake(off));
  assert.equal(off.server.connection.srtpProfile, undefined);
});

test('application data: both ways, up to the MTU, in order on a clean link', () => {
  const p = simPair({ client: ec1, server: ec2 }, {}, { client: { mtu: 500 } });
  assert.ok(handshake(p));
  const c = p.client.connection;
  // ChaCha20-Poly1305 adds a 16-byte tag to the 13-byte header (no explicit nonce).
  assert.equal(c.maxDataSize, 500 - 13 - 16);
  assert.equal(p.server.connection.maxDataSize, 1200 - 13 - 16);
  const sent: Buffer[] = [];
  for (let i = 0; i < 100; i++) {
    const d = Buffer.alloc(1 + ((i * 37) % c.maxDataSize), i);
    sent.push(d);
    c.send(d);
  }
  assert.throws(() => c.send(Buffer.alloc(c.maxDataSize + 1)), RangeError);
  p.net.run();
  assert.deepEqual(p.server.data, sent);
});

test('send before the handshake completes is an InvalidStateError', () => {
  const c = new DtlsConnection({ role: 'client', certificate: ec1, send: () => {} });
  assert.throws(() => c.send(Buffer.from('x')), { name: 'InvalidStateError' });
  assert.throws(() => c.exportKeyingMaterial('x', 1), { name: 'InvalidStateError' });
});

test('close() sends close_notify; the peer answers and both end closed without a failure', () => {
  const p = simPair({ client: ec1, server: ec2 });
  assert.ok(handshake(p));
  p.server.connection.send(Buffer.from('last words'));
  p.server.connection.close();
  assert.equal(p.server.connection.state, 'closed');
  p.net.run();
  assert.equal(p.client.connection.state, 'closed');
  assert.equal(p.client.connection.failure, undefined);
  assert.deepEqual(p.client.data.map(String), ['last words']);
  assert.throws(() => p.client.connection.send(Buffer.from('x')), { name: 'InvalidStateError' });
  assert.deepEqual(p.client.states, ['connecting', 'connected', 'closed']);
  // closing twice, or a closed connection fed more datagrams, changes nothing
  p.server.connection.close();
  p.server.connection.handleDatagram(Buffer.alloc(40), p.net.now);
  assert.deepEqual(p.server.states, ['connecting', 'connected', 'closed']);
});

test('close() during the handshake stops retransmissions', () => {
  const p = simPair({ client: ec1, server: ec2 }, { loss: 1 });
  p.client.connection.start(0);
  p.client.connection.close();
  assert.equal(p.client.connection.nextDeadline(), undefined);
  assert.equal(p.client.connection.state, 'closed');
});

test('bad options are refused at construction', () => {
  const base = { role: 'client' as const, certificate: ec1, send: () => {} };
  assert.throws(() => new DtlsConnection({ ...base, role: 'peer' as 'client' }), TypeError);
  assert.throws(
    () => new DtlsConnection({ ...base, certificate: { der: ec1.der } as DtlsCertificate }),
    TypeError,
  );
  assert.throws(() => new DtlsConnection({ ...base, cipherSuites: [] }), RangeError);
  assert.throws(
    () => new DtlsConnection({ ...base, cipherSuites: [0x002f as CipherSuite] }),
    RangeError,
  );
  assert.throws(() => new DtlsConnection({ ...base, groups: [25] }), RangeError);
  assert.throws(
    () => new DtlsConnection({ ...base, srtpProfiles: [5 as SrtpProtectionProfile] }),
    RangeError,
  );
  assert.throws(() => new DtlsConnection({ ...base, mtu: 50 }), RangeError);
  assert.throws(() => new DtlsConnection({ ...base, srtpMki: Buffer.alloc(256) }), RangeError);
  assert.throws(
    () => new DtlsConnection({ ...base, remoteFingerprints: [{ algorithm: 'sha-256' }] as never }),
    TypeError,
  );
  assert.ok(new DtlsConnection({ ...base, remoteFingerprints: fingerprints(ec2) }));
});

test('the caller may reuse a datagram buffer as soon as handleDatagram returns', () => {
  for (let seed = 1; seed <= 10; seed++) {
    const p = simPair(
      { client: ec1, server: rsa2 },
      { seed, delay: 5, jitter: 20, loss: 0.1, mtu: 300 },
      {
        client: { mtu: 300 },
        server: { mtu: 300, remoteFingerprints: undefined },
      },
    );
    const scratch = Buffer.alloc(2048);
    for (const e of [p.client, p.server]) {
      const c = e.connection;
      const handle = c.handleDatagram.bind(c);
      c.handleDatagram = (d, now) => {
        d.copy(scratch);
        handle(scratch.subarray(0, d.length), now);
        scratch.fill(0xa5); // whatever was kept as a view is now garbage
      };
    }
    start(p);
    p.net.advance(300);
    p.server.connection.setRemoteFingerprints(fingerprints(ec1), p.net.now); // late: held state must survive
    p.net.run({ until: () => p.client.connection.state !== 'connecting' });
    assert.equal(p.client.connection.state, 'connected', `seed ${seed}`);
    p.net.link = { delay: 5 };
    p.client.connection.send(Buffer.from('intact'));
    p.net.run();
    assert.deepEqual(p.server.data.map(String), ['intact']);
  }
});

test('data that arrives before the handshake ends is held (as a copy) and delivered after it', () => {
  const p = simPair({ client: ec1, server: ec2 }, { delay: 10 });
  let dropped = false;
  p.net.filter = (d) => {
    const flight6 = d.from.address !== '10.0.0.1' && d.data[0] === 20;
    if (!flight6 || dropped) return true;
    dropped = true;
    return false;
  };
  const scratch = Buffer.alloc(2048);
  const c = p.client.connection;
  const handle = c.handleDatagram.bind(c);
  c.handleDatagram = (d, now) => {
    d.copy(scratch);
    handle(scratch.subarray(0, d.length), now);
    scratch.fill(0xa5);
  };
  start(p);
  p.net.run({ until: () => p.server.connection.state === 'connected' });
  p.server.connection.send(Buffer.from('early'));
  p.net.advance(20);
  assert.equal(c.state, 'connecting');
  assert.deepEqual(p.client.data, []);
  p.net.run({ until: () => c.state === 'connected' });
  p.net.run();
  assert.deepEqual(p.client.data.map(String), ['early']);
});
