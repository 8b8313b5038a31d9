import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkType } from '../../src/sctp/chunk.js';
import { SackChunk } from '../../src/sctp/chunks/sack.js';
import { crc32c } from '../../src/sctp/crc32c.js';
import { CauseCode } from '../../src/sctp/error-cause.js';
import { ChunkReader } from '../../src/sctp/packet.js';
import { SimNetwork } from '../support/simnet.js';
import { A, B, chunkTypes, connectedPair, dataTsns, makePeer } from './harness.js';

/** The SACK in a packet, if it has one. */
function sackOf(packet: Buffer): SackChunk | undefined {
  const r = new ChunkReader().reset(packet);
  while (r.next()) if (r.type === ChunkType.SACK) return SackChunk.decode(r.flags, r.value);
  return undefined;
}

/** Records B's SACKs with their times. */
function watchSacks(net: SimNetwork): { t: number; sack: SackChunk }[] {
  const sacks: { t: number; sack: SackChunk }[] = [];
  const previous = net.filter;
  net.filter = (d) => {
    if (d.from.address === B.address) {
      const sack = sackOf(d.data);
      if (sack) sacks.push({ t: net.now, sack });
    }
    return previous ? previous(d) : true;
  };
  return sacks;
}

test('a lone packet is acknowledged after the 200 ms delay; every second packet at once', () => {
  const { net, a } = connectedPair({ delay: 10 });
  net.run({ timeout: 1000 });
  const sacks = watchSacks(net);
  const t0 = net.now;
  a.assoc.sendMessage(0, 51, Buffer.from('one'), net.now);
  net.run({ until: () => sacks.length === 1 });
  assert.equal(sacks[0]!.t - t0, 10 + 200);
  // Two packets: the second one is acknowledged as it arrives.
  const t1 = net.now;
  a.assoc.sendMessage(0, 53, Buffer.alloc(1100), net.now);
  a.assoc.sendMessage(0, 53, Buffer.alloc(1100), net.now);
  net.run({ until: () => sacks.length === 2 });
  assert.equal(sacks[1]!.t - t1, 10);
});

test('packets that arrive together share a SACK per four; spaced ones get one per two', () => {
  // No bottleneck: the packets cwnd lets out at once arrive at the same moment, a batch.
  const burst = connectedPair({ delay: 10 });
  burst.a.assoc.sendMessage(0, 53, Buffer.alloc(60_000), burst.net.now);
  burst.net.run({ until: () => burst.b.received.length === 1 });
  burst.net.run({ timeout: 500 });
  const together = watchSacks(burst.net);
  const batches = new Map<number, number>(); // arrival time -> DATA packets
  const sacks = burst.net.filter!;
  burst.net.filter = (d) => {
    if (d.from.address === A.address && dataTsns(d.data).length > 0)
      batches.set(burst.net.now + 10, (batches.get(burst.net.now + 10) ?? 0) + 1);
    return sacks(d);
  };
  for (let i = 0; i < 12; i++)
    burst.a.assoc.sendMessage(0, 53, Buffer.alloc(1100, i), burst.net.now);
  burst.net.run({ until: () => burst.b.received.length === 13 });
  burst.net.run({ timeout: 50 });
  assert.ok(
    [...batches.values()].some((n) => n > 4),
    'a batch of more than four packets',
  );
  for (const [at, n] of batches) {
    const answers = together.filter((s) => s.t === at);
    assert.equal(answers.length, Math.ceil(n / 4), `${n} packets at ${at} ms`);
  }
  // Behind a 1 MB/s bottleneck they come one by one, 1.1 ms apart.
  const spaced = connectedPair({ delay: 10, rate: 1000 });
  const apart = watchSacks(spaced.net);
  for (let i = 0; i < 10; i++)
    spaced.a.assoc.sendMessage(0, 53, Buffer.alloc(1100, i), spaced.net.now);
  spaced.net.run({ until: () => spaced.b.received.length === 10 });
  spaced.net.run({ timeout: 50 });
  assert.equal(apart.length, 5);
});

test('out-of-order data is acknowledged at once, with gap ack blocks', () => {
  const { net, a } = connectedPair({ delay: 10 });
  let first = true;
  let tsn = 0;
  net.filter = (d) => {
    if (d.from.address !== A.address || dataTsns(d.data).length === 0 || !first) return true;
    first = false;
    tsn = dataTsns(d.data)[0]!;
    return false;
  };
  const sacks = watchSacks(net);
  a.assoc.sendMessage(0, 53, Buffer.alloc(1100), net.now); // lost
  net.run({ timeout: 1 });
  const t = net.now;
  a.assoc.sendMessage(0, 53, Buffer.alloc(1100), net.now);
  net.run({ until: () => sacks.length === 1 });
  assert.equal(sacks[0]!.t - t, 10, 'no delay');
  assert.equal(sacks[0]!.sack.cumulativeTsnAck, (tsn - 1) >>> 0);
  assert.deepEqual(sacks[0]!.sack.gapAckBlocks, [2, 2]);
});

test('duplicates are acknowledged at once and reported', () => {
  const { net, a } = connectedPair({ delay: 10 });
  let copying = false;
  net.filter = (d) => {
    if (!copying && d.from.address === A.address && dataTsns(d.data).length > 0) {
      copying = true;
      net.send(A, B, d.data); // the filter sees this copy too
      copying = false;
    }
    return true;
  };
  const sacks = watchSacks(net);
  a.assoc.sendMessage(0, 51, Buffer.from('twice'), net.now);
  net.run({ until: () => sacks.length === 1 });
  assert.equal(sacks[0]!.sack.duplicateTsns.length, 1);
  assert.equal(sacks[0]!.sack.duplicateTsns[0], sacks[0]!.sack.cumulativeTsnAck);
});

test('fast retransmit on the third miss indication, long before the T3 timer', () => {
  const { net, a, b } = connectedPair({ delay: 10 });
  let lostTsn: number | undefined;
  const sent: { t: number; tsn: number }[] = [];
  net.filter = (d) => {
    if (d.from.address !== A.address) return true;
    for (const tsn of dataTsns(d.data)) sent.push({ t: net.now, tsn });
    const tsns = dataTsns(d.data);
    if (tsns.length > 0 && lostTsn === undefined) {
      lostTsn = tsns[0];
      return false;
    }
    return true;
  };
  // Five packets, one message each, in one window.
  for (let i = 0; i < 5; i++) a.assoc.sendMessage(0, 53, Buffer.alloc(1100, i), net.now);
  net.run({ until: () => b.received.length === 5 });
  const again = sent.filter((s) => s.tsn === lostTsn);
  assert.equal(again.length, 2);
  // Three SACKs (for packets 2, 3 and 4) report it missing; it goes again after the third.
  assert.ok(again[1]!.t - again[0]!.t < 50, `resent after ${again[1]!.t - again[0]!.t} ms`);
  assert.equal(a.assoc.stats.fastRetransmits, 1);
  assert.equal(a.assoc.stats.t3Expirations, 0);
  assert.ok(b.received.every((m, i) => m.data.equals(Buffer.alloc(1100, i))));
});

test('no packet exceeds the MTU, the default or a smaller one', () => {
  for (const mtu of [undefined, 576]) {
    const limit = mtu ?? 1163;
    const { net, a, b } = connectedPair(
      { delay: 5, mtu: limit, loss: 0.05, seed: 3 },
      { mtu, remoteMaxMessageSize: 0 },
    );
    for (let i = 0; i < 60; i++) a.assoc.sendMessage(i % 2, 53, Buffer.alloc(1 + i * 997), net.now);
    net.run({ until: () => b.received.length === 60, timeout: 120_000 });
    assert.equal(b.received.length, 60);
    assert.equal(net.stats.tooBig, 0, `mtu ${limit}`);
  }
});

test('DATA on a stream beyond the negotiated ones: acknowledged, reported with an ERROR, dropped', () => {
  const { net, a, b } = connectedPair({ delay: 5 }, {}, { streams: 10 });
  assert.equal(a.assoc.outboundStreams, 10);
  assert.throws(() => a.assoc.sendMessage(10, 51, Buffer.from('x'), net.now), RangeError);
  let tag = 0;
  let tsn = 0;
  const errors: Buffer[] = [];
  net.filter = (d) => {
    if (d.from.address === A.address && d.data[12] === ChunkType.DATA && tag === 0) {
      tag = d.data.readUInt32BE(4);
      tsn = d.data.readUInt32BE(16);
    }
    if (d.from.address === B.address && chunkTypes(d.data).includes(ChunkType.ERROR))
      errors.push(d.data);
    return true;
  };
  a.assoc.sendMessage(9, 51, Buffer.from('ok'), net.now);
  net.run({ until: () => b.received.length === 1 });
  // A DATA chunk for stream 20, as a peer ignoring the stream count would send it.
  const chunk = Buffer.alloc(20);
  chunk[0] = ChunkType.DATA;
  chunk[1] = 3;
  chunk.writeUInt16BE(17, 2);
  chunk.writeUInt32BE((tsn + 1) >>> 0, 4);
  chunk.writeUInt16BE(20, 8);
  chunk.writeUInt32BE(51, 12);
  chunk[16] = 0x78;
  const packet = Buffer.concat([Buffer.alloc(12), chunk]);
  packet.writeUInt16BE(5000, 0);
  packet.writeUInt16BE(5000, 2);
  packet.writeUInt32BE(tag, 4);
  packet.writeUInt32LE(crc32c(packet), 8);
  net.send(A, B, packet);
  net.run({ until: () => errors.length === 1 });
  const r = new ChunkReader().reset(errors[0]!);
  let cause = -1;
  let acked = -1;
  while (r.next()) {
    if (r.type === ChunkType.ERROR) cause = r.value.readUInt16BE(0);
    if (r.type === ChunkType.SACK) acked = r.value.readUInt32BE(0);
  }
  assert.equal(cause, CauseCode.INVALID_STREAM_IDENTIFIER);
  assert.equal(acked, (tsn + 1) >>> 0, 'the TSN is acknowledged');
  assert.equal(b.received.length, 1, 'the data is dropped');
});

test('a stale State Cookie brings an ERROR and a new INIT; the cookie lifetime bounds setup', () => {
  const run = (cookieLifetime: number) => {
    const net = new SimNetwork({ delay: 100 });
    const a = makePeer(net, A, B, { maxInitRetransmits: 2 });
    const b = makePeer(net, B, A, { cookieLifetime });
    let stale = 0;
    net.filter = (d) => {
      if (d.from.address === B.address && chunkTypes(d.data)[0] === ChunkType.ERROR) stale++;
      return true;
    };
    a.assoc.connect(net.now);
    net.run({
      until: () => (a.established && b.established) || a.closed !== undefined,
      timeout: 60_000,
    });
    return { a, b, stale };
  };
  const late = run(150); // the cookie comes back 200 ms after it was made
  assert.ok(late.stale >= 2);
  assert.equal(late.a.closed?.kind, 'failure');
  assert.equal(late.b.assoc.state, 'closed');
  const inTime = run(250);
  assert.equal(inTime.stale, 0);
  assert.ok(inTime.a.established && inTime.b.established);
});

test('an association gone on one side answers with an ABORT (T bit) that ends the other', () => {
  const { net, a, b } = connectedPair({ delay: 5 });
  // B ends its side without A hearing of it.
  net.filter = (d) => d.from.address !== B.address;
  b.assoc.abort(net.now);
  net.filter = undefined;
  const aborts: number[] = [];
  net.filter = (d) => {
    if (d.from.address === B.address && chunkTypes(d.data)[0] === ChunkType.ABORT)
      aborts.push(d.data[13]!);
    return true;
  };
  a.assoc.sendMessage(0, 51, Buffer.from('hello?'), net.now);
  net.run({ until: () => a.closed !== undefined, timeout: 5000 });
  assert.deepEqual(aborts, [1], 'an ABORT with the T bit');
  assert.equal(a.closed?.kind, 'abort');
  assert.equal(a.closed?.remote, true);
});
