import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { DtlsConnection } from '../../src/dtls/connection.js';
import type { DtlsCertificate } from '../../src/dtls/credentials.js';
import { encodeHandshake } from '../../src/dtls/handshake/header.js';
import { plaintextRecord } from '../../src/dtls/record.js';
import { prng } from '../support/simnet.js';
import { type Endpoint, ecdsaCertificate, fingerprints, handshake, simPair } from './helpers.js';

let a: DtlsCertificate;
let b: DtlsCertificate;
before(async () => {
  [a, b] = [await ecdsaCertificate(), await ecdsaCertificate()];
});

/** Offsets of the records in a datagram. */
function recordOffsets(d: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at + 13 <= d.length; at += 13 + d.readUInt16BE(at + 11)) out.push(at);
  return out;
}

/** Feeds `extra(d)` to the endpoint before each real datagram d. */
function inject(e: Endpoint, extra: (d: Buffer) => Buffer[]): void {
  const c = e.connection;
  const real = c.handleDatagram.bind(c);
  c.handleDatagram = (d, now) => {
    for (const x of extra(d)) real(x, now);
    real(d, now);
  };
}

/** Garbage built from a real datagram: wrong versions, epochs, lengths, fragment headers, MACs. */
function garbage(d: Buffer, random: () => number): Buffer[] {
  const out: Buffer[] = [
    randomBytes(Math.floor(random() * 1500)),
    Buffer.alloc(0),
    Buffer.alloc(12),
  ];
  for (const at of recordOffsets(d)) {
    const mutate = (f: (x: Buffer) => void) => {
      const x = Buffer.from(d);
      f(x);
      out.push(x);
    };
    mutate((x) => x.writeUInt16BE(0x0303, at + 1)); // TLS, not DTLS
    mutate((x) => x.writeUInt16BE(0xfefe, at + 1));
    mutate((x) => x.writeUInt16BE(2, at + 3)); // an epoch that does not exist
    mutate((x) => x.writeUInt16BE(0xffff, at + 3));
    mutate((x) => x.writeUInt16BE(Math.min(0xffff, x.readUInt16BE(at + 11) + 1000), at + 11));
    out.push(d.subarray(0, at + 13 + Math.floor(random() * (d.readUInt16BE(at + 11) - 1)))); // truncated inside the record
    if (d.readUInt16BE(at + 3) === 1) {
      mutate((x) => {
        x[at + 20]! ^= 1; // epoch 1: a bad tag
      });
    } else if (d[at] === 22) {
      mutate((x) => x.writeUIntBE(0xffffff, at + 14, 3)); // a huge message length
      mutate((x) => x.writeUIntBE(0xffffff, at + 22, 3)); // fragment_length past the record
      mutate((x) => x.writeUIntBE(x.readUIntBE(at + 14, 3), at + 19, 3)); // fragment_offset at the end
    }
  }
  return out;
}

test('garbage and truncated datagrams never throw and never stop the handshake', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const random = prng(seed);
    const p = simPair(
      { client: a, server: b },
      { seed, delay: 5, jitter: 10 },
      { client: { mtu: 400 }, server: { mtu: 400 } },
    );
    inject(p.client, (d) => garbage(d, random));
    inject(p.server, (d) => garbage(d, random));
    handshake(p);
    p.net.run({ until: () => p.client.connection.state !== 'connecting' });
    assert.equal(
      p.client.connection.state,
      'connected',
      `seed ${seed}: ${p.client.connection.failure?.message}`,
    );
    assert.equal(
      p.server.connection.state,
      'connected',
      `seed ${seed}: ${p.server.connection.failure?.message}`,
    );
    p.client.connection.send(Buffer.from('still fine'));
    p.net.run();
    assert.deepEqual(p.server.data.map(String), ['still fine']);
  }
});

/** Copies of a datagram with one to three bytes changed, some of them cut short. */
function mutator(random: () => number) {
  return (d: Buffer): Buffer[] => {
    const out: Buffer[] = [];
    for (let n = 0; n < 3; n++) {
      const x = Buffer.from(d);
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        x[Math.floor(random() * x.length)] = Math.floor(random() * 256);
      }
      out.push(random() < 0.5 ? x : x.subarray(0, Math.floor(random() * x.length)));
    }
    return out;
  };
}

/** Feeds mutated copies of each real datagram after it. */
function injectAfter(e: Endpoint, extra: (d: Buffer) => Buffer[]): void {
  const c = e.connection;
  const real = c.handleDatagram.bind(c);
  c.handleDatagram = (d, now) => {
    real(d, now);
    for (const x of extra(d)) real(x, now);
  };
}

test('corrupted copies after the real datagrams never stop a handshake', () => {
  for (let seed = 1; seed <= 150; seed++) {
    const random = prng(seed * 7919);
    const p = simPair({ client: a, server: b }, { seed, delay: 5 });
    injectAfter(p.client, mutator(random));
    injectAfter(p.server, mutator(random));
    handshake(p);
    p.net.run({ until: () => p.client.connection.state !== 'connecting' });
    assert.equal(
      p.client.connection.state,
      'connected',
      `seed ${seed}: ${p.client.connection.failure?.message}`,
    );
    assert.equal(
      p.server.connection.state,
      'connected',
      `seed ${seed}: ${p.server.connection.failure?.message}`,
    );
  }
});

test('forgeries ahead of the real datagrams never throw, and every run settles', () => {
  // Epoch 0 is unauthenticated: a forged message that arrives first can end the handshake
  // (as a forged alert could), but never with an exception and never with a hang.
  for (let seed = 1; seed <= 150; seed++) {
    const p = simPair({ client: a, server: b }, { seed, delay: 5 });
    inject(p.client, mutator(prng(seed * 7919)));
    inject(p.server, mutator(prng(seed * 104729)));
    handshake(p);
    p.net.run({ timeout: 200_000 });
    const [c, s] = [p.client.connection, p.server.connection];
    assert.ok(
      ['connected', 'failed'].includes(c.state),
      `seed ${seed}: client stuck in ${c.state}`,
    );
    // A server that never took a ClientHello keeps no state and no timer: it waits, it is not stuck.
    assert.ok(
      ['connected', 'failed'].includes(s.state) || s.nextDeadline() === undefined,
      `seed ${seed}: server stuck`,
    );
  }
});

test('after the handshake: replays, forgeries, plaintext alerts and handshakes are all ignored', () => {
  const p = simPair({ client: a, server: b });
  assert.ok(handshake(p));
  const captured: Buffer[] = [];
  const c = p.client.connection;
  const real = p.server.connection.handleDatagram.bind(p.server.connection);
  p.server.connection.handleDatagram = (d, now) => {
    captured.push(Buffer.from(d));
    real(d, now);
  };
  c.send(Buffer.from('once'));
  p.net.run();
  assert.deepEqual(p.server.data.map(String), ['once']);
  const s = p.server.connection;
  const record = captured.at(-1)!;
  s.handleDatagram(record, p.net.now); // a replay
  for (let i = 13; i < record.length; i++) {
    const x = Buffer.from(record);
    x[i]! ^= 0x80;
    s.handleDatagram(x, p.net.now); // a forgery
  }
  s.handleDatagram(plaintextRecord(21, 0, 99, Buffer.of(2, 40)), p.net.now); // fatal alert in the clear
  s.handleDatagram(plaintextRecord(21, 1, 99, Buffer.of(2, 40)), p.net.now); // unprotected in epoch 1
  s.handleDatagram(plaintextRecord(22, 0, 100, encodeHandshake(1, 0, randomBytes(60))), p.net.now);
  s.handleDatagram(plaintextRecord(22, 0, 101, encodeHandshake(1, 9, randomBytes(60))), p.net.now);
  s.handleDatagram(plaintextRecord(23, 0, 102, Buffer.from('plaintext data')), p.net.now);
  for (let i = 0; i < 200; i++) s.handleDatagram(randomBytes(i * 7), p.net.now);
  assert.equal(s.state, 'connected');
  assert.deepEqual(p.server.data.map(String), ['once']);
  c.send(Buffer.from('twice'));
  s.send(Buffer.from('back'));
  p.net.run();
  assert.deepEqual(p.server.data.map(String), ['once', 'twice']);
  assert.deepEqual(p.client.data.map(String), ['back']);
});

test('an unexpected handshake message is answered with a fatal unexpected_message alert', () => {
  const sent: Buffer[] = [];
  const c = new DtlsConnection({
    role: 'client',
    certificate: a,
    send: (d) => sent.push(d),
    remoteFingerprints: fingerprints(b),
  });
  c.start(0);
  c.handleDatagram(plaintextRecord(22, 0, 0, encodeHandshake(14, 0, Buffer.alloc(0))), 1); // ServerHelloDone first
  assert.equal(c.state, 'failed');
  assert.equal(c.failure?.sentAlert, 10);
  const alert = sent.at(-1)!;
  assert.deepEqual([...alert.subarray(0, 1), ...alert.subarray(13)], [21, 2, 10]);
});

test('a malformed message after the cookie exchange is a decode_error', () => {
  const c = new DtlsConnection({
    role: 'server',
    certificate: b,
    send: () => {},
    remoteFingerprints: fingerprints(a),
  });
  c.start(0);
  // a ClientHello that does not parse is dropped: nothing is owed to a client without a cookie
  c.handleDatagram(plaintextRecord(22, 0, 0, encodeHandshake(1, 0, randomBytes(20))), 0);
  assert.equal(c.state, 'connecting');
  // a Certificate that does not parse, once the handshake is under way
  const q = simPair({ client: a, server: b });
  let rewritten = false;
  q.net.filter = (d) => {
    if (d.from.address !== '10.0.0.1') return true;
    for (const at of recordOffsets(d.data)) {
      if (d.data[at] === 22 && d.data.readUInt16BE(at + 3) === 0 && d.data[at + 13] === 11) {
        d.data.writeUIntBE(0xffffff, at + 13 + 12, 3); // certificate_list length runs past the message
        rewritten = true;
      }
    }
    return true;
  };
  handshake(q);
  q.net.run();
  assert.ok(rewritten);
  assert.equal(q.server.connection.failure?.sentAlert, 50);
  assert.equal(q.client.connection.failure?.receivedAlert, 50);
});

test('a certificate that is not X.509 is a bad_certificate', () => {
  const q = simPair({ client: a, server: b });
  q.net.filter = (d) => {
    for (const at of recordOffsets(d.data)) {
      if (
        d.from.address === '10.0.0.1' &&
        d.data[at] === 22 &&
        d.data.readUInt16BE(at + 3) === 0 &&
        d.data[at + 13] === 11
      ) {
        d.data[at + 13 + 12 + 6] = 0x31; // the certificate's outer SEQUENCE tag
      }
    }
    return true;
  };
  handshake(q);
  q.net.run();
  assert.equal(q.server.connection.failure?.sentAlert, 42);
  assert.equal(q.server.connection.failure?.errorDetail, 'dtls-failure');
});

test('records of the next epoch before its keys are held, but only a few', () => {
  const c = new DtlsConnection({ role: 'server', certificate: b, send: () => {} });
  c.start(0);
  const record = plaintextRecord(23, 1, 0, randomBytes(1000));
  const before = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 10_000; i++) {
    record.writeUIntBE(i, 5, 6);
    c.handleDatagram(record, 0);
  }
  assert.ok(process.memoryUsage().arrayBuffers - before < 1 << 20);
  assert.equal(c.state, 'connecting');
});

test('a ServerKeyExchange or CertificateVerify signature that does not verify is a decrypt_error', () => {
  for (const [from, msgType] of [
    ['10.0.0.2', 12], // the server's ServerKeyExchange
    ['10.0.0.1', 15], // the client's CertificateVerify
  ] as const) {
    const p = simPair({ client: a, server: b });
    let flipped = false;
    p.net.filter = (d) => {
      if (d.from.address !== from) return true;
      for (const at of recordOffsets(d.data)) {
        if (d.data[at] === 22 && d.data.readUInt16BE(at + 3) === 0 && d.data[at + 13] === msgType) {
          const end = at + 13 + d.data.readUInt16BE(at + 11);
          d.data[end - 1]! ^= 1; // the last byte of the signature
          flipped = true;
        }
      }
      return true;
    };
    handshake(p);
    p.net.run();
    assert.ok(flipped);
    const checker = msgType === 12 ? p.client.connection : p.server.connection;
    assert.equal(checker.failure?.sentAlert, 51, `message ${msgType}: ${checker.failure?.message}`);
  }
});
