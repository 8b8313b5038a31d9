import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { DtlsCertificate } from '../../src/dtls/credentials.js';
import type { Datagram } from '../support/simnet.js';
import { ecdsaCertificate, handshake, simPair, start } from './helpers.js';

let a: DtlsCertificate;
let b: DtlsCertificate;
before(async () => {
  [a, b] = [await ecdsaCertificate(), await ecdsaCertificate()];
});

const CLIENT = '10.0.0.1';

/** The handshake message types in a datagram of epoch 0 records, in order (20 for ChangeCipherSpec, -1 for epoch 1). */
function kinds(d: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at + 13 <= d.length; at += 13 + d.readUInt16BE(at + 11)) {
    if (d.readUInt16BE(at + 3) !== 0) out.push(-1);
    else out.push(d[at] === 22 ? d[at + 13]! : d[at]!);
  }
  return out;
}

test('the client backs off 200, 400, 800 ms ... and fails after 7 retransmissions', () => {
  const p = simPair({ client: a, server: b }, { loss: 1 });
  p.client.connection.start(0);
  p.net.run({ timeout: 200_000 });
  assert.deepEqual(p.client.sentAt, [0, 200, 600, 1400, 3000, 6200, 12600, 25400]);
  assert.equal(p.client.connection.state, 'failed');
  assert.equal(p.net.now, 51000);
  assert.deepEqual(p.client.connection.failure, {
    errorDetail: 'dtls-failure',
    message: 'handshake timed out',
  });
  assert.equal(p.client.connection.nextDeadline(), undefined);
});

test('the initial timeout and the retransmission bound are options; the backoff stops doubling at 60 s', () => {
  const p = simPair(
    { client: a, server: b },
    { loss: 1 },
    { client: { initialRetransmitTimeout: 100, maxRetransmits: 3 } },
  );
  p.client.connection.start(0);
  p.net.run({ timeout: 200_000 });
  assert.deepEqual(p.client.sentAt, [0, 100, 300, 700]);
  assert.equal(p.net.now, 1500);
  const q = simPair(
    { client: a, server: b },
    { loss: 1 },
    { client: { initialRetransmitTimeout: 10_000, maxRetransmits: 6 } },
  );
  q.client.connection.start(0);
  q.net.run({ timeout: 1_000_000 });
  assert.deepEqual(q.client.sentAt, [0, 10_000, 30_000, 70_000, 130_000, 190_000, 250_000]);
  assert.equal(q.net.now, 310_000);
});

test('the server retransmits flight 4 on its own timer and fails when the client goes silent', () => {
  const p = simPair({ client: a, server: b }, { delay: 10 });
  let clientHellos = 0;
  p.net.filter = (d: Datagram) =>
    d.from.address !== CLIENT || (kinds(d.data)[0] === 1 && ++clientHellos <= 2);
  handshake(p);
  p.net.run({ timeout: 200_000 });
  // HelloVerifyRequest at 10, flight 4 at 30, then the backoff
  assert.deepEqual(p.server.sentAt, [10, 30, 230, 630, 1430, 3030, 6230, 12630, 25430]);
  assert.equal(p.server.connection.state, 'failed');
  assert.equal(p.server.connection.failure?.message, 'handshake timed out');
});

test("a lost final flight is resent when the client's flight 5 comes again", () => {
  const p = simPair({ client: a, server: b }, { delay: 10 });
  let dropped = false;
  p.net.filter = (d) => {
    if (d.from.address === CLIENT || kinds(d.data)[0] !== 20 || dropped) return true;
    dropped = true;
    return false;
  };
  handshake(p);
  p.net.run({ until: () => p.client.connection.state === 'connected' });
  assert.equal(p.server.connection.state, 'connected');
  assert.ok(dropped);
  // flight 5 at 40, its retransmission at 240; flight 6 again at 250, received at 260
  assert.equal(p.net.now, 260);
  assert.deepEqual(p.server.sentAt.slice(-2), [50, 250]);
  assert.equal(p.client.connection.nextDeadline(), undefined);
  assert.equal(p.server.connection.nextDeadline(), undefined);
});

test('a lost fragment of flight 4 is recovered: the client retransmits flight 3 and the server answers at once', () => {
  const p = simPair(
    { client: a, server: b },
    { delay: 10 },
    {
      client: { mtu: 300 },
      server: { mtu: 300, initialRetransmitTimeout: 1000 },
    },
  );
  let serverDatagrams = 0;
  p.net.filter = (d) => d.from.address === CLIENT || ++serverDatagrams !== 3; // the second datagram of flight 4
  assert.ok(handshake(p));
  p.net.run({ until: () => p.client.connection.state === 'connected' });
  assert.equal(p.client.connection.state, 'connected');
  // Flight 4 went out at 30; the client's timer resent flight 3 at 220, and the server answered
  // it at 230, long before its own timer (1030).
  const flight4 = [...new Set(p.server.sentAt.filter((t) => t >= 30))];
  assert.deepEqual(flight4.slice(0, 2), [30, 230]);
  assert.equal(p.net.now, 260);
});

test('duplicated datagrams do not multiply replies', () => {
  const p = simPair({ client: a, server: b }, { delay: 10, duplicate: 1 });
  assert.ok(handshake(p));
  p.net.run();
  // client: ClientHello, ClientHello with the cookie, flight 5. Server: a HelloVerifyRequest
  // per ClientHello copy (it keeps no state before the cookie), flight 4, flight 6.
  assert.equal(p.client.sentAt.length, 3);
  assert.equal(p.server.sentAt.length, 4);
});

test('resendFlight: a flight waiting for its answer goes again at once, its timer unchanged', () => {
  const p = simPair({ client: a, server: b }, { delay: 5 });
  let serverUp = false;
  p.net.filter = () => serverUp; // the peer drops everything until its path is up
  start(p);
  p.net.run({ timeout: 30 });
  assert.deepEqual(p.client.sentAt, [0]);
  serverUp = true;
  p.client.connection.resendFlight(p.net.now); // e.g. ICE nominated a pair
  assert.deepEqual(p.client.sentAt, [0, 30]);
  assert.equal(p.client.connection.nextDeadline(), 200, 'the timer is the one armed at 0');
  p.net.run({ until: () => p.client.connection.state === 'connected', timeout: 1000 });
  assert.equal(p.client.connection.state, 'connected');
  assert.ok(p.net.now < 100, `connected at ${p.net.now} ms, before the timer`);
  const sent = p.client.sentAt.length;
  p.client.connection.resendFlight(p.net.now); // nothing waits for an answer any more
  p.server.connection.resendFlight(p.net.now);
  assert.equal(p.client.sentAt.length, sent);
});
