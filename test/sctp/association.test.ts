import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkType } from '../../src/sctp/chunk.js';
import { InitAckChunk } from '../../src/sctp/chunks/init-ack.js';
import { crc32c as crc } from '../../src/sctp/crc32c.js';
import { CauseCode } from '../../src/sctp/error-cause.js';
import { ChunkReader } from '../../src/sctp/packet.js';
import type { RawTlv } from '../../src/sctp/tlv.js';
import { SimNetwork } from '../support/simnet.js';
import { A, B, chunkTypes, connectedPair, makePeer } from './harness.js';

test('both ends connect at once (the WebRTC INIT collision) and establish', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const { a, b } = connectedPair({ delay: 5 + seed, jitter: seed % 3, seed });
    assert.equal(a.assoc.state, 'established', `seed ${seed}`);
    assert.equal(b.assoc.state, 'established', `seed ${seed}`);
    assert.equal(a.assoc.maxStreams, 65535);
  }
});

test('one end connects; the other keeps no state until the COOKIE ECHO', () => {
  const net = new SimNetwork({ delay: 10 });
  const a = makePeer(net, A, B, { streams: 300 });
  const b = makePeer(net, B, A, { streams: 1000 });
  let echoes = 0;
  net.filter = (d) => {
    if (chunkTypes(d.data)[0] !== ChunkType.COOKIE_ECHO) return true;
    return echoes++ > 0; // the first COOKIE ECHO is lost
  };
  a.assoc.connect(net.now);
  net.run({ until: () => echoes === 1 });
  // B answered the INIT and forgot about it.
  assert.equal(b.assoc.state, 'closed');
  net.run({ until: () => a.established && b.established });
  assert.equal(echoes, 2);
  assert.equal(a.assoc.outboundStreams, 300);
  assert.equal(b.assoc.inboundStreams, 300);
  assert.equal(b.assoc.outboundStreams, 300);
  assert.equal(a.assoc.maxStreams, 300);
});

test('a lost INIT is sent again with the RTO doubling each time', () => {
  const net = new SimNetwork({ delay: 1 });
  const a = makePeer(net, A, B, { rtoInitial: 500 });
  const b = makePeer(net, B, A);
  const inits: number[] = [];
  net.filter = (d) => {
    if (chunkTypes(d.data)[0] === ChunkType.INIT) inits.push(net.now);
    return inits.length > 3;
  };
  a.assoc.connect(net.now);
  net.run({ until: () => a.established && b.established });
  assert.deepEqual(inits, [0, 500, 1500, 3500]);
});

test('INIT unanswered past Max.Init.Retransmits fails the association', () => {
  const net = new SimNetwork({ delay: 1 });
  const a = makePeer(net, A, B, { maxInitRetransmits: 3, rtoInitial: 100, rtoMax: 1000 });
  a.assoc.connect(net.now);
  net.run({ until: () => a.closed !== undefined });
  assert.equal(a.closed?.kind, 'failure');
  assert.equal(net.now, 100 + 200 + 400 + 800);
  assert.equal(a.assoc.nextDeadline(), undefined);
});

test('packets for another SCTP port are ignored', () => {
  const net = new SimNetwork({ delay: 1 });
  const a = makePeer(net, A, B, { remotePort: 5001 });
  const b = makePeer(net, B, A);
  a.assoc.connect(net.now);
  b.assoc.connect(net.now);
  net.run({ timeout: 3000 });
  assert.ok(!a.established && !b.established);
});

test('a wrong verification tag or checksum gets the packet dropped', () => {
  const { net, a, b } = connectedPair({ delay: 1 });
  let mode: 'tag' | 'checksum' | 'none' = 'tag';
  net.filter = (d) => {
    if (d.from.address !== A.address || mode === 'none') return true;
    if (mode === 'tag') {
      d.data.writeUInt32BE((d.data.readUInt32BE(4) ^ 1) >>> 0, 4);
      d.data.writeUInt32LE(0, 8);
      d.data.writeUInt32LE(crc(d.data), 8);
    } else {
      d.data[d.data.length - 1]! ^= 1;
    }
    return true;
  };
  a.assoc.sendMessage(0, 51, Buffer.from('x'), net.now);
  net.run({ timeout: 100 });
  assert.equal(b.received.length, 0);
  assert.equal(b.assoc.stats.badChecksums, 0);
  mode = 'checksum';
  net.run({ timeout: 1000 });
  assert.equal(b.received.length, 0);
  assert.ok(b.assoc.stats.badChecksums > 0);
  mode = 'none';
  net.run({ until: () => b.received.length === 1, timeout: 10_000 });
  assert.equal(b.received[0]!.data.toString(), 'x');
});

test('ABORT ends both sides; the peer learns the cause (User-Initiated Abort)', () => {
  const { net, a, b } = connectedPair({ delay: 5 });
  a.assoc.abort(net.now, 'closing the connection');
  net.run({ until: () => b.closed !== undefined });
  assert.deepEqual(a.closed, {
    kind: 'abort',
    remote: false,
    causeCode: CauseCode.USER_INITIATED_ABORT,
    message: 'closing the connection',
  });
  assert.equal(b.closed?.kind, 'abort');
  assert.equal(b.closed?.remote, true);
  assert.equal(b.closed?.causeCode, CauseCode.USER_INITIATED_ABORT);
  assert.match(b.closed!.message, /closing the connection/);
  assert.equal(b.assoc.state, 'closed');
  assert.throws(() => a.assoc.sendMessage(0, 51, Buffer.from('x'), net.now), /closed/);
});

test('SHUTDOWN after queued data: everything arrives, then both close gracefully', () => {
  const { net, a, b } = connectedPair(
    { delay: 5, loss: 0.1, seed: 3 },
    { remoteMaxMessageSize: 0 },
  );
  for (let i = 0; i < 20; i++) a.assoc.sendMessage(1, 53, Buffer.alloc(3000, i), net.now);
  a.assoc.shutdown(net.now);
  assert.equal(a.assoc.state, 'shutdown-pending');
  assert.throws(() => a.assoc.sendMessage(1, 53, Buffer.alloc(1), net.now));
  net.run({ until: () => a.closed !== undefined && b.closed !== undefined, timeout: 60_000 });
  assert.equal(b.received.length, 20);
  assert.ok(b.received.every((m, i) => m.data.equals(Buffer.alloc(3000, i))));
  assert.equal(a.closed?.kind, 'shutdown');
  assert.equal(b.closed?.kind, 'shutdown');
  assert.equal(b.closed?.remote, true);
});

test('the peer vanishing fails the association after Association.Max.Retrans timeouts', () => {
  const { net, a, b } = connectedPair({ delay: 5 }, { maxRetransmits: 4, rtoMax: 2000 });
  const start = net.now;
  net.link = { loss: 1 };
  a.assoc.sendMessage(0, 51, Buffer.from('anyone there?'), net.now);
  net.run({ until: () => a.closed !== undefined, timeout: 120_000 });
  assert.equal(a.closed?.kind, 'failure');
  assert.match(a.closed!.message, /unreachable/);
  // 5 timeouts: RTO 500 (no sample yet), 1000, 2000, 2000, 2000.
  assert.equal(net.now - start, 7500);
  assert.equal(a.assoc.stats.t3Expirations, 4);
  assert.equal(b.closed, undefined);
});

test('an idle association sends heartbeats, and fails when they go unanswered', () => {
  const { net, a, b } = connectedPair(
    { delay: 20 },
    { heartbeatInterval: 1000, maxRetransmits: 3, rtoMax: 1000 },
  );
  let heartbeats = 0;
  net.filter = (d) => {
    if (chunkTypes(d.data).includes(ChunkType.HEARTBEAT)) heartbeats++;
    return true;
  };
  net.run({ timeout: 5500 });
  assert.ok(heartbeats >= 8, `${heartbeats} heartbeats`);
  assert.ok(a.assoc.congestion.srtt! >= 40 && a.assoc.congestion.srtt! < 50);
  assert.equal(a.assoc.closeReason, undefined);
  net.link = { loss: 1 };
  net.run({ until: () => a.closed !== undefined && b.closed !== undefined, timeout: 60_000 });
  assert.equal(a.closed?.kind, 'failure');
});

test('unknown chunk types are skipped or stop the packet by their upper bits, and reported', () => {
  const { net, a, b } = connectedPair({ delay: 1 });
  const errors: Buffer[] = [];
  net.filter = (d) => {
    if (chunkTypes(d.data).includes(ChunkType.ERROR)) errors.push(d.data);
    return true;
  };
  // Inject raw packets from A to B built with A's own writer: reuse its tag via a sent packet.
  let template: Buffer | undefined;
  const grab = net.filter;
  net.filter = (d) => {
    if (d.from.address === A.address) template ??= Buffer.from(d.data);
    return grab(d);
  };
  a.assoc.sendMessage(0, 51, Buffer.from('first'), net.now);
  net.run({ until: () => b.received.length === 1 });
  assert.ok(template);
  const tag = template!.readUInt32BE(4);
  const send = (chunks: Buffer[]) => {
    const p = Buffer.concat([Buffer.alloc(12), ...chunks]);
    p.writeUInt16BE(5000, 0);
    p.writeUInt16BE(5000, 2);
    p.writeUInt32BE(tag, 4);
    p.writeUInt32LE(crc(p), 8);
    b.assoc.handlePacket(p, net.now);
  };
  const heartbeat = Buffer.from([4, 0, 0, 12, 0, 1, 0, 8, 1, 2, 3, 4]);
  const unknown = (type: number) => Buffer.from([type, 0, 0, 8, 9, 9, 9, 9]);
  const acks = () => b.assoc.stats.packetsSent;
  // 0x3e (00): stop, no report. The HEARTBEAT after it is not answered.
  let before = acks();
  send([unknown(0x3e), heartbeat]);
  assert.equal(acks(), before);
  // 0x7e (01): stop and report.
  errors.length = 0;
  send([unknown(0x7e), heartbeat]);
  net.run({ timeout: 50 });
  assert.equal(errors.length, 1);
  // 0xbe (10): skip; the HEARTBEAT is answered.
  before = acks();
  send([unknown(0xbe), heartbeat]);
  assert.equal(acks(), before + 1);
  // 0xfe (11): skip and report.
  errors.length = 0;
  send([unknown(0xfe), heartbeat]);
  net.run({ timeout: 50 });
  assert.equal(errors.length, 1);
});

test('INIT: tag 0 only, alone in its packet; unknown parameters by their upper bits', () => {
  const net = new SimNetwork({ delay: 1 });
  const b = makePeer(net, B, A);
  const replies: Buffer[] = [];
  net.bind(A, (d) => replies.push(d));
  const param = (type: number) => Buffer.from([type >> 8, type & 0xff, 0, 6, 0xab, 0xcd, 0, 0]);
  const init = (tag: number, params: Buffer[], extra: Buffer[] = []) => {
    const body = Buffer.concat(params);
    const chunk = Buffer.alloc(20 + body.length);
    chunk[0] = ChunkType.INIT;
    chunk.writeUInt16BE(20 + body.length - (params.length > 0 ? 2 : 0), 2);
    chunk.writeUInt32BE(0x11223344, 4); // Initiate Tag
    chunk.writeUInt32BE(65536, 8);
    chunk.writeUInt16BE(10, 12);
    chunk.writeUInt16BE(10, 14);
    chunk.writeUInt32BE(1, 16);
    body.copy(chunk, 20);
    const p = Buffer.concat([Buffer.alloc(12), chunk, ...extra]);
    p.writeUInt16BE(5000, 0);
    p.writeUInt16BE(5000, 2);
    p.writeUInt32BE(tag, 4);
    p.writeUInt32LE(crc(p), 8);
    net.send(A, B, p);
    net.run({ timeout: 10 });
  };
  init(5, []);
  assert.equal(replies.length, 0, 'an INIT must carry tag 0');
  init(0, [], [Buffer.from([11, 0, 0, 4])]);
  assert.equal(replies.length, 0, 'an INIT must be alone in its packet');
  // 0xc123: skip and report; 0x8123: skip silently; 0x4123: report and stop; then 0xc124 unseen.
  init(0, [param(0xc123), param(0x8123), param(0x4123), param(0xc124)]);
  assert.equal(replies.length, 1);
  const reply = replies[0]!;
  assert.equal(reply.readUInt32BE(4), 0x11223344, 'the INIT ACK carries the Initiate Tag');
  const r = new ChunkReader().reset(reply);
  assert.ok(r.next());
  assert.equal(r.type, ChunkType.INIT_ACK);
  const reported = (InitAckChunk.decode(0, r.value)!.params as RawTlv[])
    .filter((p) => p.type === 8)
    .map((p) => p.value.readUInt16BE(0));
  assert.deepEqual(reported, [0xc123, 0x4123]);
  assert.equal(b.assoc.state, 'closed', 'still no state kept');
});
