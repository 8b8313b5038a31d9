/**
 * The DTLS buffers a peer can fill (RFC 6347): handshake fragments held for reassembly,
 * records of an epoch whose keys do not exist yet, records of epochs that never will, and,
 * once connected, records that fail authentication or replay old ones. Each flood leaves
 * memory flat, and the handshake or the session it was thrown at goes on.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { type DtlsCertificates, DtlsLink, dtlsCertificates } from '../../fuzz/targets/dtls.js';
import { ContentType } from '../../src/dtls/constants.js';
import { plaintextRecord } from '../../src/dtls/record.js';
import { prng } from '../support/simnet.js';
import { growth, MB } from './memory.js';

let certs: DtlsCertificates;
before(async () => {
  certs = await dtlsCertificates();
});

/** A link whose server has answered the ClientHello and waits for the client's second flight. */
function midHandshake(cookies = true): DtlsLink {
  const link = new DtlsLink(certs, prng(1), { cookies, rsa: false, mtu: 1200 });
  link.start();
  // ClientHello, (HelloVerifyRequest, ClientHello again,) the server's flight.
  for (let i = 0; i < (cookies ? 3 : 1); i++) link.pump(1 + (i % 2));
  assert.equal(link.server.connection.state, 'connecting');
  return link;
}

/** A handshake fragment in an epoch 0 record. */
function fragmentRecord(
  seq: number,
  msgType: number,
  length: number,
  messageSeq: number,
  offset: number,
  body: Buffer,
): Buffer {
  const h = Buffer.alloc(12 + body.length);
  h[0] = msgType;
  h.writeUIntBE(length, 1, 3);
  h.writeUInt16BE(messageSeq, 4);
  h.writeUIntBE(offset, 6, 3);
  h.writeUIntBE(body.length, 9, 3);
  body.copy(h, 12);
  return plaintextRecord(ContentType.handshake, 0, seq, h);
}

test('fragments held for reassembly stay within its budget however many arrive', () => {
  const link = midHandshake();
  const server = link.server.connection;
  const random = prng(2);
  let seq = 1000;
  const piece = Buffer.alloc(100, 0xaa);
  // Parts of large messages inside the window (message_seq 2 to 9), at random offsets.
  const flood = (n: number) => {
    for (let i = 0; i < n; i++) {
      const records = Array.from({ length: 8 }, (_, k) =>
        fragmentRecord(seq++, 16, 32_000, 2 + k, Math.floor(random() * 31_900), piece),
      );
      server.handleDatagram(Buffer.concat(records), link.now);
    }
  };
  const grew = growth(flood, 500);
  assert.ok(grew < 2 * MB, `memory grew ${(grew / MB).toFixed(2)} MB over 5000 more datagrams`);
  assert.equal(server.state, 'connecting');
});

test('fragments out of the window, too long, or past their end are dropped; the handshake completes', () => {
  const link = midHandshake();
  const server = link.server.connection;
  let seq = 1000;
  const piece = Buffer.alloc(100, 0xaa);
  const flood = (n: number) => {
    for (let i = 0; i < n; i++) {
      const records = [
        fragmentRecord(seq++, 16, 30_000, 10 + (i % 1000), 0, piece), // beyond the window
        fragmentRecord(seq++, 16, 0xffffff, 3 + (i % 4), 0, piece), // longer than any message
        fragmentRecord(seq++, 16, 200, 3, 150, piece), // past the message's end
        fragmentRecord(seq++, 1, 60, 0, 0, Buffer.alloc(60)), // a message already handled
      ];
      server.handleDatagram(Buffer.concat(records), link.now);
    }
  };
  const grew = growth(flood, 500);
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB`);
  assert.ok(link.complete(), 'the real handshake completes');
});

test('records of epoch 1 before its keys, and of later epochs, are dropped without growing anything', () => {
  const link = midHandshake();
  const server = link.server.connection;
  let seq = 0;
  const body = Buffer.alloc(200, 1);
  const flood = (n: number) => {
    for (let i = 0; i < n; i++) {
      const records = [1, 2, 7, 0xffff].map((epoch) => {
        const r = plaintextRecord(ContentType.application_data, 0, seq++, body);
        r.writeUInt16BE(epoch, 3);
        return r;
      });
      server.handleDatagram(Buffer.concat(records), link.now);
    }
  };
  const grew = growth(flood, 500);
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB`);
  assert.ok(link.complete(), 'the handshake completes');
});

test('a server with cookies keeps no state for ClientHellos without a valid cookie', () => {
  const link = new DtlsLink(certs, prng(3), { cookies: true, rsa: false, mtu: 1200 });
  link.start();
  const hello = link.server.inbox[0]!; // the client's first ClientHello
  const server = link.server.connection;
  let answers = 0;
  link.onDatagram = (to) => {
    if (to === 'client') answers++;
  };
  const flood = (n: number) => {
    for (let i = 0; i < n; i++) {
      const h = Buffer.from(hello);
      h.writeUIntBE(i, 5, 6); // another record sequence number
      h[27 + (i % 28)]! ^= 1 + (i % 255); // and another client random
      server.handleDatagram(h, link.now);
    }
    link.client.inbox.length = 0;
  };
  const grew = growth(flood, 1000);
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB over 10000 more ClientHellos`);
  assert.equal(answers, 12_000, 'one HelloVerifyRequest for each, nothing more');
});

test('once connected: forged, replayed and unprotected records are dropped; data still flows', () => {
  const link = new DtlsLink(certs, prng(4), { cookies: true, rsa: false, mtu: 1200 });
  link.start();
  assert.ok(link.complete());
  const { client, server } = link;
  const got: string[] = [];
  link.onData = (at, d) => {
    if (at === 'server') got.push(d.toString());
  };
  client.connection.send(Buffer.from('first'));
  const real = server.inbox[0]!;
  link.pump(2);
  assert.deepEqual(got, ['first']);
  const flood = (n: number) => {
    for (let i = 0; i < n; i++) {
      const forged = Buffer.from(real);
      forged[forged.length - 1 - (i % 16)]! ^= 1; // a bad tag
      const moved = Buffer.from(real);
      moved.writeUIntBE(1000 + i, 5, 6); // a sequence number the tag does not cover
      const unprotected = plaintextRecord(ContentType.alert, 0, i, Buffer.of(2, 40)); // a fatal alert in epoch 0
      server.connection.handleDatagram(Buffer.concat([forged, real, moved, unprotected]), link.now);
    }
  };
  const grew = growth(flood, 500);
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB`);
  assert.equal(server.connection.state, 'connected');
  assert.deepEqual(got, ['first'], 'the replays were not delivered');
  client.connection.send(Buffer.from('after the flood'));
  server.connection.send(Buffer.from('and back'));
  link.pump(4);
  assert.deepEqual(got, ['first', 'after the flood']);
  assert.equal(client.connection.state, 'connected');
});

test('the cost of a handshake fragment does not grow with the fragments already held', () => {
  const link = midHandshake();
  const server = link.server.connection;
  const one = Buffer.of(0);
  let seq = 1000;
  /** Datagrams of 40 one-byte fragments each, at every other offset of message 9 (inside the window). */
  const flood = (from: number, fragments: number): number => {
    const t0 = performance.now();
    for (let k = from; k < from + fragments; k += 40) {
      const records = Array.from({ length: 40 }, (_, j) =>
        fragmentRecord(seq++, 16, 32_000, 9, 2 * (k + j), one),
      );
      server.handleDatagram(Buffer.concat(records), link.now);
    }
    return performance.now() - t0;
  };
  flood(0, 1000); // warm-up
  const first = flood(1000, 1000);
  flood(2000, 8000);
  const last = flood(10_000, 1000);
  assert.ok(
    last < 4 * first + 20,
    `with 8000 fragments held the last 1000 took ${last.toFixed(0)} ms, the first 1000 ${first.toFixed(0)} ms`,
  );
});
