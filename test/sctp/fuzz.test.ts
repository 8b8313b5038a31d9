/**
 * Hostile input: random and mutated packets, with valid checksums and tags so that they get
 * past the first checks, must never throw, hang, or make the receiver hold more than its
 * bounds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c } from '../../src/sctp/crc32c.js';
import { prng } from '../support/simnet.js';
import { A, B, connectedPair, type Peer } from './harness.js';

const BUFFER = 200_000;

function packetFor(tag: number, chunks: Buffer[]): Buffer {
  const p = Buffer.concat([Buffer.alloc(12), ...chunks]);
  p.writeUInt16BE(5000, 0);
  p.writeUInt16BE(5000, 2);
  p.writeUInt32BE(tag, 4);
  p.writeUInt32LE(crc32c(p), 8);
  return p;
}

function chunk(type: number, flags: number, value: Buffer): Buffer {
  const b = Buffer.alloc((4 + value.length + 3) & ~3);
  b[0] = type;
  b[1] = flags;
  b.writeUInt16BE(4 + value.length, 2);
  value.copy(b, 4);
  return b;
}

function bounded(p: Peer): void {
  const r = p.assoc.receiveBuffer;
  assert.ok(r.queuedBytes <= 2 * BUFFER + 65536, `held ${r.queuedBytes} bytes`);
  assert.ok(r.heldChunks <= 32768, `held ${r.heldChunks} chunks`);
  assert.ok(r.queuedBytes >= 0 && r.heldChunks >= 0);
}

/** A plausible chunk of a random type with random fields near the live TSNs. */
function randomChunk(rnd: () => number, tsnBase: number): Buffer {
  const int = (n: number) => Math.floor(rnd() * n);
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v >>> 0);
    return b;
  };
  const near = () => (tsnBase + int(4000) - 500) >>> 0;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  switch (int(12)) {
    case 0:
    case 1:
    case 2: {
      // DATA: any flags, stream, SSN, size; TSNs near the window edge.
      const v = Buffer.alloc(12 + int(1200));
      v.writeUInt32BE(near(), 0);
      v.writeUInt16BE(int(8), 4);
      v.writeUInt16BE(int(6), 6);
      v.writeUInt32BE(int(60), 8);
      return chunk(0, int(16), v);
    }
    case 3: {
      const gaps = int(6);
      const dups = int(3);
      const v = Buffer.alloc(12 + 4 * gaps + 4 * dups);
      v.writeUInt32BE(near(), 0);
      v.writeUInt32BE(int(1 << 24), 4);
      v.writeUInt16BE(gaps + (rnd() < 0.1 ? 5 : 0), 8);
      v.writeUInt16BE(dups, 10);
      for (let i = 0; i < gaps; i++) {
        v.writeUInt16BE(int(3000), 12 + 4 * i);
        v.writeUInt16BE(int(3000), 14 + 4 * i);
      }
      return chunk(3, 0, v);
    }
    case 4: {
      // FORWARD TSN with stream entries.
      const n = int(5);
      const v = Buffer.alloc(4 + 4 * n);
      v.writeUInt32BE(near(), 0);
      for (let i = 0; i < n; i++) {
        v.writeUInt16BE(int(8), 4 + 4 * i);
        v.writeUInt16BE(int(70000) & 0xffff, 6 + 4 * i);
      }
      return chunk(192, 0, v);
    }
    case 5: {
      // RE-CONFIG with a request or response of any type.
      const type = 13 + int(6);
      const body = Buffer.concat([u32(near()), u32(near()), u32(near()), bytes(2 * int(4))]);
      const p = Buffer.alloc(4 + body.length);
      p.writeUInt16BE(type, 0);
      p.writeUInt16BE(4 + body.length, 2);
      body.copy(p, 4);
      return chunk(130, 0, p);
    }
    case 6:
      return chunk(4, 0, Buffer.concat([Buffer.from([0, 1, 0, 8]), bytes(4)])); // HEARTBEAT
    case 7:
      return chunk([1, 2, 10, 11, 7, 8, 9][int(7)]!, int(2), bytes(int(40))); // setup, shutdown, error
    case 8:
      return chunk(int(256), int(256), bytes(int(64))); // anything
    default: {
      const raw = bytes(4 + int(60));
      raw.writeUInt16BE(Math.min(raw.length, 4 + int(80)), 2);
      return raw; // lengths that lie
    }
  }
}

test('random and mutated packets never throw and never exceed the bounds', () => {
  for (let seed = 1; seed <= 3; seed++) {
    const { net, a, b } = connectedPair(
      { delay: 2, seed },
      { receiveBufferSize: BUFFER, maxMessageSize: 65536, remoteMaxMessageSize: 0 },
    );
    const rnd = prng(seed * 101);
    // Real traffic to learn the tags and TSNs, and to mutate.
    const captured: Buffer[] = [];
    net.filter = (d) => {
      if (captured.length < 200) captured.push(Buffer.from(d.data));
      return true;
    };
    for (let i = 0; i < 30; i++)
      a.assoc.sendMessage(i % 4, 53, Buffer.alloc(100 + i * 300, i), net.now);
    net.run({ until: () => b.received.length === 30 });
    // The tag B expects and a TSN of A's DATA (a packet from A whose first chunk is DATA).
    const fromA = captured.find((p) => p.length > 28 && p[12] === 0)!;
    const tagToB = fromA.readUInt32BE(4);
    const firstTsn = fromA.readUInt32BE(16);
    let probe = 0;
    for (let i = 0; i < 4000; i++) {
      let packet: Buffer;
      const kind = rnd();
      if (kind < 0.3) {
        // A captured packet with a few bytes flipped, checksum fixed.
        packet = Buffer.from(captured[Math.floor(rnd() * captured.length)]!);
        for (let k = 1 + Math.floor(rnd() * 4); k > 0; k--)
          packet[12 + Math.floor(rnd() * (packet.length - 12))] = Math.floor(rnd() * 256);
        packet.writeUInt32LE(0, 8);
        packet.writeUInt32LE(crc32c(packet), 8);
      } else if (kind < 0.35) {
        packet = Buffer.from(
          Array.from({ length: Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256)),
        );
      } else {
        const base = (firstTsn + 30 + probe++) >>> 0;
        const chunks = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () =>
          randomChunk(rnd, base),
        );
        packet = packetFor(tagToB, chunks);
      }
      b.assoc.handlePacket(packet, net.now);
      a.assoc.handlePacket(Buffer.from(packet), net.now);
      if (i % 50 === 0) net.run({ timeout: 20 });
      bounded(a);
      bounded(b);
    }
    net.run({ timeout: 5000 });
    bounded(b);
    assert.ok(b.assoc.nextDeadline() === undefined || Number.isFinite(b.assoc.nextDeadline()!));
  }
});

test('DATA far beyond the window, tiny fragments and huge gaps stay within bounds', () => {
  const { net, a, b } = connectedPair(
    { delay: 2 },
    { receiveBufferSize: BUFFER, maxMessageSize: 65536, remoteMaxMessageSize: 0 },
  );
  let tag = 0;
  let tsn = 0;
  net.filter = (d) => {
    if (d.from.address === A.address && d.data.length > 16 && d.data[12] === 0) {
      tag = d.data.readUInt32BE(4);
      tsn = d.data.readUInt32BE(16);
    }
    return true;
  };
  a.assoc.sendMessage(0, 53, Buffer.from('learn the tag'), net.now);
  net.run({ until: () => b.received.length === 1 });
  // 60000 one-byte middle fragments (no B or E bit) at scattered TSNs: none can complete.
  for (let i = 0; i < 60000; i++) {
    const v = Buffer.alloc(13);
    v.writeUInt32BE((tsn + 2 + i * 3) >>> 0, 0);
    v.writeUInt16BE(i % 100, 4);
    v[12] = i & 0xff;
    b.assoc.handlePacket(packetFor(tag, [chunk(0, 0, v)]), net.now);
  }
  bounded(b);
  assert.ok(b.assoc.receiveBuffer.heldChunks <= 32768);
  // A TSN half the number space away is not taken.
  const far = Buffer.alloc(13);
  far.writeUInt32BE((tsn + 0x7fffffff) >>> 0, 0);
  b.assoc.handlePacket(packetFor(tag, [chunk(0, 3, far)]), net.now);
  bounded(b);
  // A SACK acknowledging TSNs never sent is a protocol violation: ABORT.
  const sack = Buffer.alloc(12);
  sack.writeUInt32BE((tsn + 1000) >>> 0, 0);
  const tagToA = (() => {
    let t = 0;
    net.filter = (d) => {
      if (d.from.address === B.address) t = d.data.readUInt32BE(4);
      return true;
    };
    b.assoc.sendMessage(0, 51, Buffer.from('x'), net.now);
    net.run({ until: () => t !== 0 });
    return t;
  })();
  a.assoc.handlePacket(packetFor(tagToA, [chunk(3, 0, sack)]), net.now);
  assert.equal(a.closed?.kind, 'failure');
  net.run({ until: () => b.closed !== undefined, timeout: 1000 });
  assert.equal(b.closed?.kind, 'abort');
});
