import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { DtlsCertificate } from '../../src/dtls/credentials.js';
import type { LinkOptions } from '../support/simnet.js';
import { ecdsaCertificate, handshake, rsaCertificate, simPair } from './helpers.js';

let ec: [DtlsCertificate, DtlsCertificate];
let rsa: [DtlsCertificate, DtlsCertificate];
before(async () => {
  ec = [await ecdsaCertificate(), await ecdsaCertificate()];
  rsa = [await rsaCertificate(), await rsaCertificate()];
});

/**
 * Runs one seeded handshake and a data exchange over a bad link; returns the handshake's
 * simulated duration. Fails on anything but both sides connected.
 */
function run(
  seed: number,
  link: LinkOptions,
  certs: [DtlsCertificate, DtlsCertificate],
  mtu: number,
): number {
  const side = { mtu };
  const p = simPair(
    { client: certs[0], server: certs[1] },
    { ...link, seed },
    { client: side, server: side },
  );
  handshake(p);
  const c = p.client.connection;
  const s = p.server.connection;
  // The server may connect first; the client gets there once flight 6 gets through.
  p.net.run({ until: () => c.state !== 'connecting', timeout: 120_000 });
  const took = p.net.now;
  assert.equal(c.state, 'connected', `seed ${seed}: client ${c.state} ${c.failure?.message}`);
  assert.equal(s.state, 'connected', `seed ${seed}: server ${s.state} ${s.failure?.message}`);
  assert.equal(p.net.stats.tooBig, 0, 'a datagram exceeded the MTU');
  const sent = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const m = `message ${i}`;
    sent.add(m);
    c.send(Buffer.from(m));
    s.send(Buffer.from(m));
  }
  p.net.run();
  for (const got of [p.server.data, p.client.data]) {
    const texts = got.map(String);
    assert.equal(new Set(texts).size, texts.length, `seed ${seed}: a record was delivered twice`);
    for (const t of texts) assert.ok(sent.has(t));
  }
  return took;
}

function sweep(
  name: string,
  seeds: number,
  link: LinkOptions,
  certs: () => [DtlsCertificate, DtlsCertificate],
  mtu: number,
) {
  test(name, () => {
    const times: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) times.push(run(seed, link, certs(), mtu));
    times.sort((a, b) => a - b);
    // Loss costs retransmission timeouts, but the backoff keeps the tail in bounds.
    assert.ok(
      times[Math.floor(times.length / 2)]! < 5_000,
      `median ${times[Math.floor(times.length / 2)]} ms`,
    );
  });
}

const harsh: LinkOptions = { delay: 20, jitter: 40, loss: 0.2, duplicate: 0.1, mtu: 300 };
sweep(
  'ECDSA: 100 seeds with 20% loss, reordering, duplication and a 300-byte MTU',
  100,
  harsh,
  () => ec,
  300,
);
sweep(
  'RSA: 50 seeds with 20% loss, reordering, duplication and a 300-byte MTU',
  50,
  harsh,
  () => rsa,
  300,
);
sweep(
  'ECDSA: 100 seeds with 25% loss and 30% duplication',
  100,
  { delay: 30, jitter: 60, loss: 0.25, duplicate: 0.3 },
  () => ec,
  1200,
);
sweep(
  'ECDSA: 30 seeds with heavy reordering and no loss',
  30,
  { delay: 5, jitter: 200, duplicate: 0.5, mtu: 200 },
  () => ec,
  200,
);
