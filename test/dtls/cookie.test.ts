import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DtlsConnection } from '../../src/dtls/connection.js';
import type { DtlsCertificate } from '../../src/dtls/credentials.js';
import { ecdsaCertificate, fingerprints } from './helpers.js';

let a: DtlsCertificate;
let b: DtlsCertificate;
before(async () => {
  [a, b] = [await ecdsaCertificate(), await ecdsaCertificate()];
});

interface Peer {
  c: DtlsConnection;
  out: Buffer[];
}

function peer(role: 'client' | 'server', extra: { cookieSecret?: Buffer } = {}): Peer {
  const out: Buffer[] = [];
  const c = new DtlsConnection({
    role,
    certificate: role === 'client' ? a : b,
    remoteFingerprints: fingerprints(role === 'client' ? b : a),
    send: (d) => out.push(d),
    ...extra,
  });
  c.start(0);
  return { c, out };
}

/** Delivers everything queued both ways until both are quiet. */
function pump(x: Peer, y: Peer): void {
  while (x.out.length > 0 || y.out.length > 0) {
    for (const d of x.out.splice(0)) y.c.handleDatagram(d, 0);
    for (const d of y.out.splice(0)) x.c.handleDatagram(d, 0);
  }
}

const recordSeq = (d: Buffer) => d.readUIntBE(5, 6);
const cookieOfHello = (d: Buffer) => {
  const body = d.subarray(25);
  const sessionIdLength = body[34]!;
  return body.subarray(36 + sessionIdLength, 36 + sessionIdLength + body[35 + sessionIdLength]!);
};

test('the HelloVerifyRequest: DTLS 1.0, message_seq 0, the ClientHello record sequence number, a 32-byte cookie', () => {
  const client = peer('client');
  const server = peer('server');
  client.c.handleTimeout(200); // a retransmission: record sequence number 1
  const hello = client.out[1]!;
  assert.equal(recordSeq(hello), 1);
  server.c.handleDatagram(hello, 0);
  const hvr = server.out[0]!;
  assert.equal(hvr[0], 22);
  assert.equal(recordSeq(hvr), 1);
  assert.equal(hvr[13], 3); // hello_verify_request
  assert.equal(hvr.readUInt16BE(17), 0); // message_seq
  assert.equal(hvr.readUInt16BE(25), 0xfeff);
  assert.equal(hvr[27], 32);
});

test('the server keeps no state before the cookie: any number of ClientHellos, each answered alike', () => {
  const server = peer('server');
  const clients = Array.from({ length: 200 }, () => peer('client'));
  for (const cl of clients) server.c.handleDatagram(cl.out[0]!, 0);
  assert.equal(server.out.length, 200);
  assert.equal(server.c.nextDeadline(), undefined, 'no timer for clients without a cookie');
  // Any of them can still complete the handshake with its cookie.
  const chosen = clients[137]!;
  chosen.c.handleDatagram(server.out[137]!, 0);
  server.out.length = 0;
  pump(chosen, server);
  assert.equal(chosen.c.state, 'connected');
  assert.equal(server.c.state, 'connected');
});

test("a cookie is bound to the ClientHello's parameters", () => {
  const server = peer('server');
  const one = peer('client');
  const two = peer('client');
  server.c.handleDatagram(one.out[0]!, 0);
  one.c.handleDatagram(server.out[0]!, 0);
  const helloWithCookie = one.out[1]!;
  const cookie = cookieOfHello(helloWithCookie);
  assert.equal(cookie.length, 32);
  // graft one's cookie into two's ClientHello: refused with a fresh HelloVerifyRequest
  server.c.handleDatagram(two.out[0]!, 0);
  two.c.handleDatagram(server.out[1]!, 0);
  const forged = Buffer.from(two.out[1]!);
  cookie.copy(cookieOfHello(forged));
  server.out.length = 0;
  server.c.handleDatagram(forged, 0);
  assert.equal(server.out.length, 1);
  assert.equal(server.out[0]![13], 3);
});

test('a server that refuses our cookie is answered with its new one', () => {
  const client = peer('client');
  const first = peer('server');
  const second = peer('server'); // another cookie secret
  first.c.handleDatagram(client.out.shift()!, 0);
  client.c.handleDatagram(first.out.shift()!, 0);
  const hello2 = client.out.shift()!;
  second.c.handleDatagram(hello2, 0);
  const refusal = second.out.shift()!;
  assert.equal(recordSeq(refusal), recordSeq(hello2));
  // A copy of the first HelloVerifyRequest with another cookie changes nothing...
  const copy = Buffer.from(refusal);
  copy.writeUIntBE(0, 5, 6);
  client.c.handleDatagram(copy, 0);
  assert.equal(client.out.length, 0);
  // ...but the refusal, which answers the ClientHello we sent with the cookie, does.
  client.c.handleDatagram(refusal, 0);
  const hello3 = client.out[0]!;
  assert.equal(hello3.readUInt16BE(17), 1, 'the same message_seq');
  assert.notDeepEqual(cookieOfHello(hello3), cookieOfHello(hello2));
  pump(client, second);
  assert.equal(client.c.state, 'connected');
  assert.equal(second.c.state, 'connected');
});
