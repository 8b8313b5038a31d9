/** Our DTLS server against `openssl s_client -dtls1_2`. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DtlsCertificate } from '../../src/dtls/credentials.js';
import { DtlsSocket, type DtlsSocketOptions } from '../../src/dtls/socket.js';
import { SRTP_EXPORTER_LABEL } from '../../src/dtls/srtp.js';
import { needsPeer } from '../support/peers.js';
import { ecdsaCertificate, rsaCertificate } from './helpers.js';
import {
  cipherSuites,
  type OpensslCertificate,
  type OpensslProcess,
  opensslFiles,
  sClient,
  srtpProfiles,
  until,
} from './opensslPeer.js';

const peer = needsPeer('openssl', 'openssl');
let files: ReturnType<typeof opensslFiles>;
let ec: DtlsCertificate;
let rsa: DtlsCertificate;
before(async () => {
  if (peer.skip) return;
  files = opensslFiles();
  [ec, rsa] = await Promise.all([ecdsaCertificate(), rsaCertificate()]);
});
after(() => files?.remove());

/** Starts our server and an s_client with `args` presenting `clientCert`; runs `body`, then cleans up. */
async function withClient(
  clientCert: OpensslCertificate | undefined,
  args: string[],
  ours: Partial<DtlsSocketOptions>,
  body: (s: { socket: DtlsSocket; client: OpensslProcess; data: Buffer[] }) => Promise<void>,
): Promise<void> {
  const data: Buffer[] = [];
  const socket = await DtlsSocket.open({
    role: 'server',
    certificate: ec,
    remoteFingerprints: clientCert?.fingerprints ?? files.ec.fingerprints,
    onData: (d) => data.push(d),
    ...ours,
  });
  const certArgs = clientCert ? ['-cert', clientCert.cert, '-key', clientCert.key] : [];
  const client = sClient(socket.localPort, [...certArgs, ...args]);
  try {
    await body({ socket, client, data });
  } finally {
    socket.close();
    await client.kill();
  }
}

async function exchange(socket: DtlsSocket, client: OpensslProcess, data: Buffer[]): Promise<void> {
  socket.send(Buffer.from('hello openssl\n'));
  await client.waitFor(/hello openssl/);
  client.write('hello purertc\n');
  await until(() => data.map(String).join('').includes('hello purertc'), 'data from openssl');
}

test(
  'every suite OpenSSL offers, each SRTP profile, the client certificate checked, keys equal to OpenSSL',
  peer,
  async () => {
    for (const [i, suite] of cipherSuites.entries()) {
      const profile = srtpProfiles[i % srtpProfiles.length]!;
      const args = ['-cipher', suite.openssl, '-use_srtp', profile.openssl];
      args.push('-keymatexport', SRTP_EXPORTER_LABEL, '-keymatexportlen', String(profile.length));
      const clientCert = i % 2 === 0 ? files.ec : files.rsa;
      await withClient(
        clientCert,
        args,
        { certificate: suite.rsa ? rsa : ec },
        async ({ socket, client, data }) => {
          await socket.connected();
          const c = socket.connection;
          assert.equal(c.cipherSuite?.id, suite.id);
          assert.equal(c.srtpProfile, profile.id);
          const keys = c.srtpKeyingMaterial()!;
          const ours = Buffer.concat([
            keys.clientWriteMasterKey,
            keys.serverWriteMasterKey,
            keys.clientWriteMasterSalt,
            keys.serverWriteMasterSalt,
          ]);
          assert.deepEqual(ours, await client.keyingMaterial(), suite.openssl);
          await client.waitFor(/Extended master secret: yes/);
          await exchange(socket, client, data);
        },
      );
    }
  },
);

test('each group the client may offer alone: X25519, P-256, P-384', peer, async () => {
  for (const [name, printed] of [
    ['X25519', 'X25519'],
    ['P-256', 'ECDH, prime256v1'],
    ['P-384', 'ECDH, secp384r1'],
  ]) {
    // An RSA certificate: with ECDSA the client must also list the certificate's curve.
    await withClient(
      files.ec,
      ['-groups', name!],
      { certificate: rsa },
      async ({ socket, client, data }) => {
        await socket.connected();
        await client.waitFor(new RegExp(`Server Temp Key: ${printed}`));
        await exchange(socket, client, data);
      },
    );
  }
});

test(
  'an ECDSA certificate on a curve the client does not list is not offered (RFC 8422 §5.1)',
  peer,
  async () => {
    await withClient(files.ec, ['-groups', 'X25519'], {}, async ({ socket }) => {
      await assert.rejects(socket.connected());
      assert.equal(socket.connection.failure?.sentAlert, 40);
    });
    await withClient(
      files.ec,
      ['-groups', 'X25519:P-256'],
      {},
      async ({ socket, client, data }) => {
        await socket.connected();
        await client.waitFor(/Server Temp Key: X25519/);
        await exchange(socket, client, data);
      },
    );
  },
);

test(
  'a client without a certificate is refused: WebRTC authenticates both ends',
  peer,
  async () => {
    await withClient(undefined, [], {}, async ({ socket }) => {
      await assert.rejects(socket.connected());
      assert.equal(socket.connection.failure?.sentAlert, 40);
    });
  },
);

test(
  'a client certificate that does not match the fingerprint fails with bad_certificate',
  peer,
  async () => {
    await withClient(
      files.ec,
      [],
      { remoteFingerprints: files.rsa.fingerprints },
      async ({ socket, client }) => {
        await assert.rejects(socket.connected());
        assert.equal(socket.connection.failure?.errorDetail, 'fingerprint-failure');
        assert.equal(socket.connection.failure?.sentAlert, 42);
        await client.waitFor(/bad certificate/i);
      },
    );
  },
);

test(
  'small MTU on both sides: fragmented flights each way, with the cookie exchange',
  peer,
  async () => {
    await withClient(
      files.rsa,
      ['-mtu', '300'],
      { mtu: 300, certificate: rsa },
      async ({ socket, client, data }) => {
        await socket.connected();
        await exchange(socket, client, data);
      },
    );
  },
);

test('a renegotiating ClientHello is refused with no_renegotiation', peer, async () => {
  await withClient(files.ec, [], {}, async ({ socket, client }) => {
    await socket.connected();
    await client.waitFor(/Extended master secret/);
    client.write('R\n'); // s_client: renegotiate
    // OpenSSL treats the refusal as fatal and says so with a handshake_failure alert.
    await client.waitFor(/no renegotiation/i);
    await until(() => socket.connection.state === 'failed', 'the alert from OpenSSL');
    assert.equal(socket.connection.failure?.receivedAlert, 40);
  });
});

test("OpenSSL's close_notify closes us cleanly", peer, async () => {
  await withClient(files.ec, [], {}, async ({ socket, client }) => {
    await socket.connected();
    client.write('Q\n'); // s_client: end the session
    await until(() => socket.connection.state !== 'connected', 'close_notify');
    assert.equal(socket.connection.state, 'closed');
    assert.equal(socket.connection.failure, undefined);
  });
});
