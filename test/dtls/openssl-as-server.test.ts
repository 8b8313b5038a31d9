/** Our DTLS client against `openssl s_server -dtls1_2`. */
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
  srtpProfiles,
  sServer,
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

/** Connects our client to an s_server started with `args`; runs `body`, then cleans up. */
async function withServer(
  serverCert: OpensslCertificate,
  args: string[],
  ours: Partial<DtlsSocketOptions>,
  body: (s: { socket: DtlsSocket; server: OpensslProcess; data: Buffer[] }) => Promise<void>,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  const { server, port } = await sServer(
    ['-cert', serverCert.cert, '-key', serverCert.key, ...args],
    env,
  );
  const data: Buffer[] = [];
  let socket: DtlsSocket | undefined;
  try {
    socket = await DtlsSocket.open({
      role: 'client',
      certificate: ec,
      remote: { address: '127.0.0.1', port },
      remoteFingerprints: serverCert.fingerprints,
      onData: (d) => data.push(d),
      ...ours,
    });
    await body({ socket, server, data });
  } finally {
    socket?.close();
    await server.kill();
  }
}

/** Application data both ways over an established connection. */
async function exchange(socket: DtlsSocket, server: OpensslProcess, data: Buffer[]): Promise<void> {
  socket.send(Buffer.from('hello openssl\n'));
  await server.waitFor(/hello openssl/);
  server.write('hello purertc\n');
  await until(() => data.map(String).join('').includes('hello purertc'), 'data from openssl');
}

test(
  'every suite OpenSSL offers, each SRTP profile, client authentication, keys equal to OpenSSL',
  peer,
  async () => {
    for (const [i, suite] of cipherSuites.entries()) {
      // Paired differently from the other direction's test, for more combinations.
      const profile = srtpProfiles[(i + 2) % srtpProfiles.length]!;
      const args = ['-cipher', suite.openssl, '-Verify', '1', '-use_srtp', profile.openssl];
      args.push('-keymatexport', SRTP_EXPORTER_LABEL, '-keymatexportlen', String(profile.length));
      const certificate = i % 2 === 0 ? ec : rsa;
      await withServer(
        suite.rsa ? files.rsa : files.ec,
        args,
        { certificate },
        async ({ socket, server, data }) => {
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
          assert.deepEqual(ours, await server.keyingMaterial(), suite.openssl);
          await server.waitFor(/Client certificate/); // s_server saw and printed ours
          await exchange(socket, server, data);
        },
      );
    }
  },
);

test('each group: X25519, P-256, P-384', peer, async () => {
  for (const [name, shared] of [
    ['X25519', 'x25519'],
    ['P-256', 'secp256r1'],
    ['P-384', 'secp384r1'],
  ]) {
    // The server offers one group, so the shared one is the one used.
    await withServer(files.ec, ['-groups', name!], {}, async ({ socket, server, data }) => {
      await socket.connected();
      await server.waitFor(new RegExp(`Shared groups: ${shared}\\s`));
      await exchange(socket, server, data);
    });
  }
});

test(
  'RSA-PSS when the server insists on it, both for its signature and for ours',
  peer,
  async () => {
    const args = [
      '-sigalgs',
      'RSA-PSS+SHA256',
      '-client_sigalgs',
      'RSA-PSS+SHA256',
      '-Verify',
      '1',
    ];
    await withServer(files.rsa, args, { certificate: rsa }, async ({ socket, server, data }) => {
      await socket.connected();
      await server.waitFor(/Peer signature type: RSA-PSS/);
      await exchange(socket, server, data);
    });
  },
);

test("a wrong fingerprint for OpenSSL's certificate fails with bad_certificate", peer, async () => {
  await withServer(
    files.ec,
    [],
    { remoteFingerprints: files.rsa.fingerprints },
    async ({ socket, server }) => {
      await assert.rejects(socket.connected());
      const f = socket.connection.failure!;
      assert.equal(f.errorDetail, 'fingerprint-failure');
      assert.equal(f.sentAlert, 42);
      await server.waitFor(/bad certificate/i);
    },
  );
});

test(
  'a server without extended_master_secret is refused, or accepted when we allow it',
  peer,
  async () => {
    const env = { OPENSSL_CONF: files.noEms };
    await withServer(
      files.ec,
      [],
      {},
      async ({ socket }) => {
        await assert.rejects(socket.connected());
        assert.equal(socket.connection.failure?.sentAlert, 40);
      },
      env,
    );
    const args = ['-keymatexport', 'EXPERIMENTAL-purertc', '-keymatexportlen', '32'];
    await withServer(
      files.ec,
      args,
      { requireExtendedMasterSecret: false },
      async ({ socket, server, data }) => {
        await socket.connected();
        // the classic master secret then: the keys still agree
        assert.deepEqual(
          socket.connection.exportKeyingMaterial('EXPERIMENTAL-purertc', 32),
          await server.keyingMaterial(),
        );
        await exchange(socket, server, data);
      },
      env,
    );
  },
);

test('small MTU on both sides: fragmented flights each way', peer, async () => {
  await withServer(
    files.rsa,
    ['-mtu', '300', '-Verify', '1'],
    { mtu: 300, certificate: rsa },
    async ({ socket, server, data }) => {
      await socket.connected();
      await exchange(socket, server, data);
    },
  );
});

test('a HelloRequest is ignored and the session carries on', peer, async () => {
  await withServer(files.ec, [], {}, async ({ socket, server, data }) => {
    await socket.connected();
    let received = 0;
    const c = socket.connection;
    const handle = c.handleDatagram.bind(c);
    c.handleDatagram = (d, now) => {
      received++;
      handle(d, now);
    };
    server.write('r\n'); // s_server: renegotiate, which starts with a HelloRequest
    await until(() => received > 0, 'the HelloRequest');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(c.state, 'connected');
    await exchange(socket, server, data);
  });
});

test('close() sends close_notify and OpenSSL ends the session', peer, async () => {
  await withServer(files.ec, [], {}, async ({ socket, server }) => {
    await socket.connected();
    socket.close();
    await server.waitFor(/DONE|shutting down/);
    assert.equal(socket.connection.state, 'closed');
  });
});
