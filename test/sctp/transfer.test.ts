import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type LinkOptions, prng } from '../support/simnet.js';
import { connectedPair, type Peer, pattern } from './harness.js';

const MAX = 262144;

interface Sent {
  id: number;
  streamId: number;
  size: number;
}

/** Sends `count` messages of random sizes over `streams` streams, queued at once. */
function sendMany(a: Peer, now: number, seed: number, count: number, streams: number): Sent[] {
  const rnd = prng(seed);
  const sent: Sent[] = [];
  for (let id = 0; id < count; id++) {
    const r = rnd();
    // Mostly small, some up to the maximum, and the edge sizes.
    const size =
      id === 0
        ? 1
        : id === 1
          ? MAX
          : r < 0.6
            ? 1 + Math.floor(rnd() * 200)
            : r < 0.9
              ? 1 + Math.floor(rnd() * 5000)
              : 1 + Math.floor(rnd() * MAX);
    const streamId = Math.floor(rnd() * streams);
    a.assoc.sendMessage(streamId, 53, withId(id, size), now);
    sent.push({ id, streamId, size });
  }
  return sent;
}

/** The message content: its id in the first 4 bytes (when it fits), then a pattern. */
function withId(id: number, size: number): Buffer {
  const b = pattern(id, size);
  if (size >= 4) b.writeUInt32BE(id, 0);
  return b;
}

/** Every message arrived once, whole, and in order within its stream. */
function checkOrdered(sent: Sent[], b: Peer): void {
  assert.equal(b.received.length, sent.length);
  const byStream = new Map<number, Sent[]>();
  for (const s of sent) byStream.set(s.streamId, [...(byStream.get(s.streamId) ?? []), s]);
  const next = new Map<number, number>();
  for (const m of b.received) {
    const list = byStream.get(m.streamId)!;
    const i = next.get(m.streamId) ?? 0;
    next.set(m.streamId, i + 1);
    const want = list[i]!;
    assert.ok(m.data.equals(withId(want.id, want.size)), `stream ${m.streamId} message ${i}`);
  }
}

function transfer(link: LinkOptions & { seed: number }, count: number): void {
  const { net, a, b } = connectedPair(link, { remoteMaxMessageSize: MAX });
  const sent = sendMany(a, net.now, link.seed * 7 + 1, count, 3);
  net.run({ until: () => b.received.length >= sent.length, timeout: 600_000 });
  checkOrdered(sent, b);
  // Nothing left over: all acknowledged (when the last SACKs are lost, after a T3-rtx
  // timeout, which heavy loss backs off to seconds), nothing held.
  net.run({ until: () => a.assoc.congestion.flightSize === 0, timeout: 30_000 });
  assert.equal(a.assoc.congestion.flightSize, 0);
  assert.equal(b.assoc.stats.messagesDelivered, sent.length);
}

test('clean network: every byte once and in order', () => {
  for (let seed = 1; seed <= 5; seed++) transfer({ delay: 10, seed }, 40);
});

test('5% loss', () => {
  for (let seed = 1; seed <= 6; seed++) transfer({ delay: 10, loss: 0.05, seed }, 40);
});

test('20% loss', () => {
  for (let seed = 1; seed <= 4; seed++) transfer({ delay: 10, loss: 0.2, seed }, 25);
});

test('reordering and duplication', () => {
  for (let seed = 1; seed <= 5; seed++)
    transfer({ delay: 10, jitter: 15, duplicate: 0.1, seed }, 40);
});

test('everything at once: loss, reordering, duplication', () => {
  for (let seed = 1; seed <= 4; seed++)
    transfer({ delay: 5, jitter: 10, loss: 0.1, duplicate: 0.05, seed }, 30);
});

test('unordered messages all arrive, whatever the order', () => {
  for (let seed = 1; seed <= 4; seed++) {
    const { net, a, b } = connectedPair(
      { delay: 10, jitter: 20, loss: 0.1, seed },
      { remoteMaxMessageSize: MAX },
    );
    const count = 60;
    for (let id = 0; id < count; id++)
      a.assoc.sendMessage(2, 53, withId(id, id % 5 === 0 ? 4000 : 100), net.now, {
        unordered: true,
      });
    net.run({ until: () => b.received.length >= count, timeout: 600_000 });
    const ids = b.received.map((m) => m.data.readUInt32BE(0));
    assert.deepEqual(
      [...ids].sort((x, y) => x - y),
      Array.from({ length: count }, (_, i) => i),
    );
    for (const m of b.received) {
      const id = m.data.readUInt32BE(0);
      assert.ok(m.data.equals(withId(id, id % 5 === 0 ? 4000 : 100)));
    }
    if (seed === 1)
      assert.notDeepEqual(
        ids,
        [...ids].sort((x, y) => x - y),
        'some reordering',
      );
  }
});

test('small messages share packets (bundling)', () => {
  const { net, a, b } = connectedPair({ delay: 10 });
  const before = a.assoc.stats.packetsSent;
  for (let i = 0; i < 100; i++) a.assoc.sendMessage(0, 51, Buffer.from(`message ${i}`), net.now);
  net.run({ until: () => b.received.length === 100 });
  // 100 messages of ~26 bytes on the wire each: a few packets, not a hundred.
  assert.ok(
    a.assoc.stats.packetsSent - before <= 5,
    `${a.assoc.stats.packetsSent - before} packets`,
  );
  assert.deepEqual(
    b.received.map((m) => m.data.toString()),
    Array.from({ length: 100 }, (_, i) => `message ${i}`),
  );
});

test('streams take turns: a long queue on one does not hold another back', () => {
  const { net, a, b } = connectedPair({ delay: 10 }, { remoteMaxMessageSize: MAX });
  for (let i = 0; i < 50; i++) a.assoc.sendMessage(1, 53, Buffer.alloc(20000, 1), net.now);
  for (let i = 0; i < 5; i++) a.assoc.sendMessage(2, 53, Buffer.alloc(10, 2), net.now);
  net.run({ until: () => b.received.filter((m) => m.streamId === 2).length === 5 });
  // Round-robin by message: stream 2's five messages come within the first dozen.
  const lastOf2 = b.received.findLastIndex((m) => m.streamId === 2);
  assert.ok(lastOf2 < 12, `stream 2 finished at position ${lastOf2}`);
});

test('the buffered amount counts bytes not yet sent and reports each decrease', () => {
  const { net, a, b } = connectedPair({ delay: 50 }, { remoteMaxMessageSize: 0 });
  a.assoc.sendMessage(4, 53, Buffer.alloc(100_000), net.now);
  a.assoc.sendMessage(4, 53, Buffer.alloc(5), net.now, { countsAsBuffered: false });
  assert.equal(a.assoc.bufferedAmount(4), 100_000);
  net.run({ timeout: 1 }); // the first window goes out
  const first = a.assoc.bufferedAmount(4);
  assert.ok(first < 100_000 && first > 80_000, `${first}`);
  assert.equal(a.released.get(4), 100_000 - first);
  net.run({ until: () => b.received.length === 2 });
  assert.equal(a.assoc.bufferedAmount(4), 0);
  assert.equal(a.released.get(4), 100_000);
});
