import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataChannelOpen } from '../../src/datachannel/data-channel-open.js';
import { Ppid } from '../../src/datachannel/ppid.js';
import { ChunkType } from '../../src/sctp/chunk.js';
import { ChunkReader } from '../../src/sctp/packet.js';
import { endpointPair, record, reliable } from './harness.js';

/** The DATA chunks in a packet: [stream, ppid, unordered]. */
function dataChunks(packet: Buffer): [number, number, boolean][] {
  const r = new ChunkReader().reset(packet);
  const out: [number, number, boolean][] = [];
  while (r.next())
    if (r.type === ChunkType.DATA)
      out.push([r.value.readUInt16BE(4), r.value.readUInt32BE(8), (r.flags & 4) !== 0]);
  return out;
}

test('an in-band channel: OPEN announces it to the peer with its settings, ACK comes back', () => {
  const { net, a, b } = endpointPair();
  const ch = a.endpoint.openChannel(
    { ...reliable, label: 'ünïcode', protocol: 'p', ordered: false, maxRetransmits: 3 },
    net.now,
  );
  assert.equal(ch.id, 0, 'the DTLS client takes even ids');
  const seen: [number, number, boolean][] = [];
  net.filter = (d) => {
    seen.push(...dataChunks(d.data));
    return true;
  };
  net.run({ until: () => b.incoming.length === 1 });
  const remote = b.incoming[0]!;
  assert.deepEqual(
    [
      remote.id,
      remote.label,
      remote.protocol,
      remote.ordered,
      remote.maxRetransmits,
      remote.maxPacketLifeTime,
      remote.negotiated,
      remote.priority,
    ],
    [0, 'ünïcode', 'p', false, 3, null, false, 256],
  );
  net.run({ timeout: 500 });
  // OPEN from A, ACK from B, both PPID 50 and ordered.
  assert.deepEqual(seen, [
    [0, Ppid.DCEP, false],
    [0, Ppid.DCEP, false],
  ]);
  // B's first channel takes the lowest odd id.
  assert.equal(b.endpoint.openChannel(reliable, net.now).id, 1);
});

test('messages sent before the ACK go ordered even on an unordered channel, after it unordered', () => {
  const { net, a, b } = endpointPair({ delay: 20 });
  const ch = a.endpoint.openChannel({ ...reliable, ordered: false }, net.now);
  ch.send(Buffer.from('early'), false, net.now);
  const fromA: [number, number, boolean][] = [];
  net.filter = (d) => {
    if (d.from.address === '10.0.0.1') fromA.push(...dataChunks(d.data));
    return true;
  };
  net.run({ until: () => b.incoming.length === 1 });
  const log = b.incomingLogs[0]!;
  assert.deepEqual(log, ['early']);
  net.run({ timeout: 200 }); // the ACK arrives
  ch.send(Buffer.from('late'), false, net.now);
  net.run({ until: () => log.length === 2 });
  assert.deepEqual(fromA, [
    [0, Ppid.DCEP, false],
    [0, Ppid.STRING, false],
    [0, Ppid.STRING, true],
  ]);
});

test('text, binary and empty messages with their PPIDs; the deprecated partial ones are dropped', () => {
  const { net, a, b } = endpointPair();
  const ch = a.endpoint.openChannel(reliable, net.now);
  net.run({ until: () => b.incoming.length === 1 });
  const log = record(b.incoming[0]!);
  ch.send(Buffer.from('text'), false, net.now);
  ch.send(Buffer.from([1, 2]), true, net.now);
  ch.send(Buffer.alloc(0), false, net.now);
  ch.send(Buffer.alloc(0), true, net.now);
  a.endpoint.association.sendMessage(0, Ppid.STRING_PARTIAL, Buffer.from('partial'), net.now);
  a.endpoint.association.sendMessage(0, Ppid.BINARY_PARTIAL, Buffer.from('partial'), net.now);
  ch.send(Buffer.from('last'), false, net.now);
  net.run({ until: () => log.length === 5 });
  assert.deepEqual(log, ['text', 'bin:0102', '', 'bin:', 'last']);
  assert.equal(ch.bufferedAmount, 0);
});

test('negotiated channels: same id on both sides, no DCEP at all', () => {
  const { net, a, b } = endpointPair();
  let dcep = 0;
  net.filter = (d) => {
    dcep += dataChunks(d.data).filter(([, ppid]) => ppid === Ppid.DCEP).length;
    return true;
  };
  const ca = a.endpoint.openChannel({ ...reliable, negotiated: true, id: 7 }, net.now);
  const cb = b.endpoint.openChannel({ ...reliable, negotiated: true, id: 7 }, net.now);
  const la = record(ca);
  const lb = record(cb);
  ca.send(Buffer.from('to b'), false, net.now);
  cb.send(Buffer.from('to a'), false, net.now);
  net.run({ until: () => la.length === 1 && lb.length === 1 });
  assert.deepEqual([la, lb], [['to a'], ['to b']]);
  assert.equal(dcep, 0);
  assert.equal(b.incoming.length, 0);
  assert.throws(() => a.endpoint.openChannel({ ...reliable, id: 7 }, net.now), /in use/);
  assert.throws(() => a.endpoint.openChannel({ ...reliable, id: 65535 }, net.now), /out of range/);
});

test('closing: data in flight arrives first, then both sides close through stream resets', () => {
  const { net, a, b } = endpointPair({ delay: 10, loss: 0.1, seed: 4 });
  const ch = a.endpoint.openChannel(reliable, net.now);
  net.run({ until: () => b.incoming.length === 1 });
  const lb = b.incomingLogs[0]!;
  const la = record(ch);
  for (let i = 0; i < 20; i++) ch.send(Buffer.alloc(2000, i), true, net.now);
  ch.close(net.now);
  assert.equal(ch.state, 'closing');
  assert.throws(() => ch.send(Buffer.from('x'), false, net.now));
  net.run({ until: () => la.includes('close') && lb.includes('close'), timeout: 60_000 });
  assert.equal(lb.length, 22);
  assert.ok(lb.slice(0, 20).every((m, i) => m === `bin:${Buffer.alloc(2000, i).toString('hex')}`));
  assert.deepEqual(lb.slice(20), ['closing', 'close']);
  assert.deepEqual(la, ['close']);
  assert.equal(a.endpoint.channel(0), undefined);
  assert.equal(b.endpoint.channel(0), undefined);
  // The id is free again, and a new channel on it works.
  const again = a.endpoint.openChannel(reliable, net.now);
  assert.equal(again.id, 0);
  again.send(Buffer.from('new channel'), false, net.now);
  net.run({ until: () => b.incomingLogs[1]?.length === 1 });
  assert.deepEqual(b.incomingLogs[1], ['new channel']);
});

test('an OPEN of the wrong parity, on a used stream, or malformed is refused by a stream reset', () => {
  const { net, a, b } = endpointPair();
  const refused: number[] = [];
  const original = b.endpoint.association.resetStreams.bind(b.endpoint.association);
  b.endpoint.association.resetStreams = (ids, now) => {
    refused.push(...ids);
    original(ids, now);
  };
  let acks = 0;
  net.filter = (d) => {
    if (d.from.address === '10.0.0.2')
      acks += dataChunks(d.data).filter(([, p]) => p === Ppid.DCEP).length;
    return true;
  };
  const send = (id: number, data: Buffer) =>
    a.endpoint.association.sendMessage(id, Ppid.DCEP, data, net.now);
  // A is the DTLS client: its channels must be even. 3 is odd.
  send(3, new DataChannelOpen(0, 256, 0, 'odd', '').encode());
  // Malformed OPEN on 4.
  send(4, Buffer.from([3, 0, 1, 0, 0, 0, 0, 0, 0, 9, 0, 0]));
  // Unknown channel type on 6.
  send(6, new DataChannelOpen(0x05, 256, 0, 'x', '').encode());
  net.run({ timeout: 500 });
  assert.equal(b.incoming.length, 0);
  assert.equal(acks, 0, 'no ACK for a refused OPEN');
  assert.deepEqual(refused, [3, 4, 6]);
  // A second OPEN on a stream already in use closes the channel there, on both sides.
  const first = a.endpoint.openChannel(reliable, net.now); // id 0
  const la = record(first);
  net.run({ until: () => b.incoming.length === 1 });
  send(0, new DataChannelOpen(0, 256, 0, 'again', '').encode());
  net.run({ timeout: 500 });
  assert.equal(b.incoming.length, 1);
  assert.ok(refused.includes(0));
  assert.deepEqual(b.incomingLogs[0], ['close']);
  assert.deepEqual(la, ['closing', 'close']);
});

test('the association ending closes every channel; an ABORT is an sctp-failure', () => {
  const { net, a, b } = endpointPair();
  const ch = a.endpoint.openChannel(reliable, net.now);
  const neg = b.endpoint.openChannel({ ...reliable, negotiated: true, id: 9 }, net.now);
  net.run({ until: () => b.incoming.length === 1 });
  const la = record(ch);
  const lb = b.incomingLogs[0]!;
  const ln = record(neg);
  a.endpoint.association.abort(net.now);
  net.run({ until: () => b.closed !== undefined });
  assert.deepEqual(la, ['close:sctp-failure:12']);
  assert.deepEqual(lb, ['close:sctp-failure:12']);
  assert.deepEqual(ln, ['close:sctp-failure:12']);
  assert.equal(ch.state, 'closed');
});

test('a graceful SHUTDOWN closes channels without an error', () => {
  const { net, a, b } = endpointPair();
  const ch = a.endpoint.openChannel(reliable, net.now);
  net.run({ until: () => b.incoming.length === 1 });
  const la = record(ch);
  const lb = b.incomingLogs[0]!;
  a.endpoint.association.shutdown(net.now);
  net.run({ until: () => a.closed !== undefined && b.closed !== undefined });
  assert.deepEqual([la, lb], [['close'], ['close']]);
});

test('partially reliable channels give up messages as the OPEN said, on both sides', () => {
  const { net, a, b } = endpointPair({ delay: 10, loss: 0.3, seed: 9 });
  const ch = a.endpoint.openChannel({ ...reliable, maxRetransmits: 0 }, net.now);
  net.run({ until: () => b.incoming.length === 1, timeout: 60_000 });
  const lb = b.incomingLogs[0]!;
  for (let i = 0; i < 50; i++) {
    ch.send(Buffer.from(`m${i}`), false, net.now);
    net.run({ timeout: 5 }); // one message per packet
  }
  net.run({ timeout: 30_000 });
  const got = lb.map((m) => Number(m.slice(1)));
  assert.ok(got.length < 50 && got.length > 10, `${got.length}`);
  assert.deepEqual(
    got,
    [...got].sort((x, y) => x - y),
  );
  // B's answering channel gives up the same way.
  assert.equal(b.incoming[0]!.maxRetransmits, 0);
});
