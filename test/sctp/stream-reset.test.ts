import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkType } from '../../src/sctp/chunk.js';
import { ChunkReader } from '../../src/sctp/packet.js';
import { readTlvs } from '../../src/sctp/tlv.js';
import { A, B, chunkTypes, connectedPair, dataTsns } from './harness.js';

/** The results of the Re-configuration Responses in a packet. */
function responseResults(packet: Buffer): number[] {
  const r = new ChunkReader().reset(packet);
  const results: number[] = [];
  while (r.next())
    if (r.type === ChunkType.RE_CONFIG)
      for (const p of readTlvs(r.value) ?? [])
        if (p.type === 16) results.push(p.value.readUInt32BE(4));
  return results;
}

test('a reset arrives after the data sent before it; both directions reset; SSNs restart', () => {
  const { net, a, b } = connectedPair({ delay: 10 });
  b.onIncomingReset = (streams) => b.assoc.resetStreams(streams, net.now);
  for (let i = 0; i < 5; i++) a.assoc.sendMessage(3, 51, Buffer.from(`m${i}`), net.now);
  a.assoc.sendMessage(4, 51, Buffer.from('other stream'), net.now);
  a.assoc.resetStreams([3], net.now);
  net.run({ until: () => a.incomingResets.length === 1 && a.outgoingResets.length === 1 });
  assert.deepEqual(
    b.log.filter((e) => !e.startsWith('4:')),
    ['3:m0', '3:m1', '3:m2', '3:m3', '3:m4', 'reset 3'],
  );
  assert.deepEqual(b.incomingResets, [[3]]);
  assert.deepEqual(a.outgoingResets, [{ streams: [3], ok: true }]);
  assert.deepEqual(a.incomingResets, [[3]]);
  net.run({ until: () => b.outgoingResets.length === 1 });
  assert.deepEqual(b.outgoingResets, [{ streams: [3], ok: true }]);
  // Both sides start stream 3 over at SSN 0: a new message gets through in order.
  a.assoc.sendMessage(3, 51, Buffer.from('again'), net.now);
  b.assoc.sendMessage(3, 51, Buffer.from('back'), net.now);
  net.run({ until: () => b.received.length === 7 && a.received.length === 1 });
  assert.equal(b.received[6]!.data.toString(), 'again');
  assert.equal(a.received[0]!.data.toString(), 'back');
});

test('the reset waits for messages still queued on the stream', () => {
  const { net, a, b } = connectedPair({ delay: 10, rate: 100 }, { remoteMaxMessageSize: 0 });
  for (let i = 0; i < 10; i++) a.assoc.sendMessage(1, 53, Buffer.alloc(5000, i), net.now);
  a.assoc.resetStreams([1], net.now);
  net.run({ until: () => b.incomingResets.length === 1, timeout: 60_000 });
  assert.equal(b.received.length, 10);
  assert.ok(b.received.every((m, i) => m.data.equals(Buffer.alloc(5000, i))));
});

test('a request overtaking its data is answered "in progress" and done once the data is in', () => {
  const { net, a, b } = connectedPair({ delay: 10 });
  // The data packet's first transmission is lost; the RE-CONFIG gets there first.
  let dropped = false;
  let reconfigs = 0;
  const results: number[] = [];
  net.filter = (d) => {
    if (d.from.address !== A.address) {
      results.push(...responseResults(d.data));
      return true;
    }
    if (chunkTypes(d.data).includes(ChunkType.RE_CONFIG)) reconfigs++;
    if (!dropped && dataTsns(d.data).length > 0) {
      dropped = true;
      return false;
    }
    return true;
  };
  a.assoc.sendMessage(2, 51, Buffer.from('before the reset'), net.now);
  net.run({ timeout: 1 });
  a.assoc.resetStreams([2], net.now);
  a.assoc.sendMessage(2, 51, Buffer.from('after the reset'), net.now); // waits for the reset
  net.run({ until: () => b.received.length === 2, timeout: 10_000 });
  assert.deepEqual(b.log, ['2:before the reset', 'reset 2', '2:after the reset']);
  assert.deepEqual(a.outgoingResets, [{ streams: [2], ok: true }]);
  assert.deepEqual(results, [6, 1], '"In progress", then "Success - Performed"');
  assert.equal(reconfigs, 1);
});

test('a lost RE-CONFIG is sent again', () => {
  const { net, a, b } = connectedPair({ delay: 10 });
  const reconfigTimes: number[] = [];
  net.filter = (d) => {
    if (d.from.address !== A.address || !chunkTypes(d.data).includes(ChunkType.RE_CONFIG))
      return true;
    reconfigTimes.push(net.now);
    return reconfigTimes.length > 2;
  };
  a.assoc.resetStreams([7, 9], net.now);
  net.run({ until: () => a.outgoingResets.length === 1, timeout: 20_000 });
  assert.equal(reconfigTimes.length, 3);
  assert.deepEqual(b.incomingResets, [[7, 9]]);
  assert.ok(
    reconfigTimes[2]! - reconfigTimes[1]! > reconfigTimes[1]! - reconfigTimes[0]!,
    'backed off',
  );
});

test('a retransmitted request gets the same answer, not a second reset', () => {
  const { net, a, b } = connectedPair({ delay: 10 });
  // B's response is lost once: A sends the same request again.
  let lost = false;
  net.filter = (d) => {
    if (d.from.address === B.address && chunkTypes(d.data).includes(ChunkType.RE_CONFIG) && !lost) {
      lost = true;
      return false;
    }
    return true;
  };
  a.assoc.resetStreams([5], net.now);
  net.run({ until: () => a.outgoingResets.length === 1, timeout: 20_000 });
  assert.deepEqual(b.incomingResets, [[5]]);
  assert.deepEqual(a.outgoingResets, [{ streams: [5], ok: true }]);
});
