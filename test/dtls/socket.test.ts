import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { before, test } from 'node:test';
import type { DtlsCertificate } from '../../src/dtls/credentials.js';
import { DtlsSocket } from '../../src/dtls/socket.js';
import { ecdsaCertificate, fingerprints } from './helpers.js';

let a: DtlsCertificate;
let b: DtlsCertificate;
before(async () => {
  [a, b] = [await ecdsaCertificate(), await ecdsaCertificate()];
});

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('two DtlsSockets on loopback: handshake, data both ways, close_notify', async () => {
  const got: { server: string[]; client: string[] } = { server: [], client: [] };
  const server = await DtlsSocket.open({
    role: 'server',
    certificate: b,
    remoteFingerprints: fingerprints(a),
    onData: (d) => got.server.push(String(d)),
  });
  const client = await DtlsSocket.open({
    role: 'client',
    certificate: a,
    remote: { address: '127.0.0.1', port: server.localPort },
    remoteFingerprints: fingerprints(b),
    onData: (d) => got.client.push(String(d)),
  });
  await Promise.all([client.connected(), server.connected()]);
  for (let i = 0; i < 50; i++) client.send(Buffer.from(`c${i}`));
  for (let i = 0; i < 50; i++) server.send(Buffer.from(`s${i}`));
  await until(() => got.server.length === 50 && got.client.length === 50);
  assert.deepEqual(
    got.server,
    Array.from({ length: 50 }, (_, i) => `c${i}`),
  );
  assert.deepEqual(
    got.client,
    Array.from({ length: 50 }, (_, i) => `s${i}`),
  );
  client.close();
  await until(() => server.connection.state === 'closed');
  assert.equal(client.connection.state, 'closed');
});

test('a server socket serves only the first address that reaches it', async () => {
  // The server waits for fingerprints, so its handshake stays open while an intruder speaks.
  const server = await DtlsSocket.open({ role: 'server', certificate: b });
  const client = await DtlsSocket.open({
    role: 'client',
    certificate: a,
    remote: { address: '127.0.0.1', port: server.localPort },
    remoteFingerprints: fingerprints(b),
  });
  await until(() => server.connection.remoteCertificate !== undefined);
  const intruder = createSocket('udp4');
  await new Promise<void>((r) => intruder.bind(0, '127.0.0.1', r));
  const fatalAlert = Buffer.from('15fefd00000000000000000002022a', 'hex'); // bad_certificate
  await new Promise((r) => intruder.send(fatalAlert, server.localPort, '127.0.0.1', r));
  await new Promise((r) => setTimeout(r, 50));
  intruder.close();
  assert.equal(server.connection.state, 'connecting');
  server.setRemoteFingerprints(fingerprints(a));
  await Promise.all([client.connected(), server.connected()]);
  client.close();
  await until(() => server.connection.state === 'closed');
});

test('connected() rejects when the handshake fails', async () => {
  const server = await DtlsSocket.open({
    role: 'server',
    certificate: b,
    remoteFingerprints: fingerprints(b),
  });
  const client = await DtlsSocket.open({
    role: 'client',
    certificate: a,
    remote: { address: '127.0.0.1', port: server.localPort },
    remoteFingerprints: fingerprints(b),
  });
  await assert.rejects(server.connected(), /fingerprint/);
  await assert.rejects(client.connected(), /bad_certificate/);
});
