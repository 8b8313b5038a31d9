/**
 * Zero checksums (RFC 9653) between associations that run over DTLS: announced in INIT and
 * INIT ACK, used only towards a peer that announced it, never on INIT or COOKIE ECHO.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkType } from '../../src/sctp/chunk.js';
import { verifyChecksum } from '../../src/sctp/packet.js';
import { ParameterType } from '../../src/sctp/parameter.js';
import { SimNetwork } from '../support/simnet.js';
import { A, B, chunkTypes, connectedPair, makePeer } from './harness.js';

const checksumOf = (packet: Buffer) => packet.readUInt32LE(8);

/** The INIT or INIT ACK parameters of a packet (type → value). */
function initParameters(packet: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let offset = 12 + 4 + 16;
  while (offset + 4 <= packet.length) {
    const type = packet.readUInt16BE(offset);
    const length = packet.readUInt16BE(offset + 2);
    if (length < 4) break;
    out.set(type, packet.subarray(offset + 4, offset + length));
    offset += (length + 3) & ~3;
  }
  return out;
}

function watch(net: SimNetwork) {
  const seen: { from: string; types: number[]; checksum: number; valid: boolean; data: Buffer }[] =
    [];
  net.filter = (d) => {
    const data = Buffer.from(d.data);
    seen.push({
      from: d.from.address,
      types: chunkTypes(data),
      checksum: checksumOf(data),
      valid: verifyChecksum(Buffer.from(data)),
      data,
    });
    return true;
  };
  return seen;
}

test('both over DTLS: INIT and INIT ACK announce EDMID 1, then data flows with zero checksums', () => {
  const net = new SimNetwork({ delay: 5 });
  const seen = watch(net);
  const a = makePeer(net, A, B, { zeroChecksum: true });
  const b = makePeer(net, B, A, { zeroChecksum: true });
  a.assoc.connect(net.now);
  net.run({ until: () => a.established && b.established });
  a.assoc.sendMessage(1, 51, Buffer.alloc(5000, 7), net.now);
  b.assoc.sendMessage(1, 51, Buffer.from('back'), net.now);
  net.run({ until: () => b.received.length === 1 && a.received.length === 1, timeout: 5000 });
  assert.equal(b.received[0]!.data.length, 5000);

  for (const type of [ChunkType.INIT, ChunkType.INIT_ACK]) {
    const packet = seen.find((s) => s.types[0] === type)!;
    assert.ok(packet.valid && packet.checksum !== 0, `${type} carries a real checksum`);
    const edmid = initParameters(packet.data).get(ParameterType.ZERO_CHECKSUM_ACCEPTABLE);
    assert.deepEqual(edmid, Buffer.from([0, 0, 0, 1]));
  }
  const echo = seen.find((s) => s.types.includes(ChunkType.COOKIE_ECHO))!;
  assert.ok(echo.valid && echo.checksum !== 0, 'COOKIE ECHO carries a real checksum');
  const data = seen.filter(
    (s) => s.types.includes(ChunkType.DATA) && !s.types.includes(ChunkType.COOKIE_ECHO),
  );
  assert.ok(data.length >= 4);
  for (const s of data) assert.equal(s.checksum, 0);
  const sacks = seen.filter((s) => s.types[0] === ChunkType.SACK);
  assert.ok(sacks.length > 0 && sacks.every((s) => s.checksum === 0));
  assert.equal(a.assoc.stats.badChecksums + b.assoc.stats.badChecksums, 0);
});

test('a peer that does not announce it gets real checksums; zero checksums it sends are dropped', () => {
  const { net, a, b } = connectedPair({ delay: 2 }, { zeroChecksum: true }, {});
  const seen = watch(net);
  a.assoc.sendMessage(1, 51, Buffer.from('to b'), net.now);
  b.assoc.sendMessage(1, 51, Buffer.from('to a'), net.now);
  net.run({ until: () => a.received.length === 1 && b.received.length === 1, timeout: 5000 });
  assert.ok(seen.length > 0);
  for (const s of seen) assert.ok(s.valid && s.checksum !== 0, 'every packet has its CRC32c');

  // b never announced acceptance: a zeroed checksum is a bad one there. a announced it:
  // the same packet with a zero checksum is taken.
  net.filter = (d) => {
    d.data.writeUInt32LE(0, 8);
    return true;
  };
  a.assoc.sendMessage(1, 51, Buffer.from('zeroed to b'), net.now);
  b.assoc.sendMessage(1, 51, Buffer.from('zeroed to a'), net.now);
  net.run({ until: () => a.received.length === 2, timeout: 1000 });
  assert.equal(a.received[1]!.data.toString(), 'zeroed to a');
  assert.equal(b.received.length, 1);
  assert.ok(b.assoc.stats.badChecksums > 0);
  assert.equal(a.assoc.stats.badChecksums, 0);
});

test('a corrupted nonzero checksum is still refused by an end that accepts zero', () => {
  const { net, a, b } = connectedPair({ delay: 1 }, { zeroChecksum: true });
  net.filter = (d) => {
    d.data.writeUInt32LE(0xdeadbeef, 8);
    return true;
  };
  a.assoc.sendMessage(1, 51, Buffer.from('x'), net.now);
  net.run({ timeout: 500 });
  assert.equal(b.received.length, 0);
  assert.ok(b.assoc.stats.badChecksums > 0);
});

test('an INIT with a zero checksum is never taken', () => {
  const net = new SimNetwork({ delay: 1 });
  const a = makePeer(net, A, B, { zeroChecksum: true });
  const b = makePeer(net, B, A, { zeroChecksum: true });
  net.filter = (d) => {
    if (chunkTypes(d.data)[0] === ChunkType.INIT) d.data.writeUInt32LE(0, 8);
    return true;
  };
  a.assoc.connect(net.now);
  net.run({ timeout: 300 });
  assert.equal(b.assoc.state, 'closed');
  assert.ok(b.assoc.stats.badChecksums > 0);
});
