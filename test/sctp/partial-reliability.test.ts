import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SendOptions } from '../../src/sctp/association.js';
import { ChunkType } from '../../src/sctp/chunk.js';
import { A, chunkTypes, connectedPair, dataTsns, type Peer } from './harness.js';

/** Sends messages 0..count-1 (4-byte ids) and returns the TSN each first went out with. */
function idsOf(p: Peer): number[] {
  return p.received.map((m) => m.data.readUInt32BE(0));
}

function message(id: number, size = 100): Buffer {
  const b = Buffer.alloc(size, id);
  b.writeUInt32BE(id, 0);
  return b;
}

/**
 * Runs `count` messages with `options`, dropping every packet that carries `victimTsn`
 * for its first `drops` transmissions. Returns the times that TSN was seen on the wire.
 */
function withVictim(
  options: SendOptions,
  victimIndex: number,
  drops: number,
  count = 10,
  size = 100,
): { a: Peer; b: Peer; sends: number[]; forwardTsns: number } {
  const { net, a, b } = connectedPair({ delay: 10 }, { remoteMaxMessageSize: 0 });
  const sends: number[] = [];
  let forwardTsns = 0;
  let victimTsn: number | undefined;
  let firstTsn: number | undefined;
  net.filter = (d) => {
    if (d.from.address !== A.address) return true;
    if (chunkTypes(d.data).includes(ChunkType.FORWARD_TSN)) forwardTsns++;
    const tsns = dataTsns(d.data);
    if (tsns.length === 0) return true;
    firstTsn ??= tsns[0]!;
    victimTsn ??= (firstTsn + victimIndex) >>> 0;
    if (!tsns.includes(victimTsn)) return true;
    sends.push(net.now);
    return sends.length > drops;
  };
  // One message per packet, so that losing the victim's packet loses nothing else.
  for (let id = 0; id < count; id++) {
    a.assoc.sendMessage(0, 53, message(id, size), net.now, options);
    net.run({ timeout: 1 });
  }
  net.run({ timeout: 30_000 });
  return { a, b, sends, forwardTsns };
}

test('maxRetransmits: sent 1 + n times, then abandoned; the rest still arrives in order', () => {
  for (const unordered of [false, true]) {
    for (const n of [0, 1, 3]) {
      const { a, b, sends, forwardTsns } = withVictim(
        { maxRetransmits: n, unordered },
        4,
        Infinity,
      );
      assert.equal(sends.length, 1 + n, `maxRetransmits ${n}: transmissions`);
      assert.equal(a.assoc.stats.abandonedMessages, 1);
      assert.ok(forwardTsns >= 1);
      const got = idsOf(b);
      assert.deepEqual(
        unordered ? [...got].sort((x, y) => x - y) : got,
        [0, 1, 2, 3, 5, 6, 7, 8, 9],
        `maxRetransmits ${n} unordered ${unordered}`,
      );
      assert.equal(a.assoc.congestion.flightSize, 0);
    }
  }
});

test('maxRetransmits: a message lost n times is still delivered by its last retransmission', () => {
  const { a, b, sends } = withVictim({ maxRetransmits: 2 }, 4, 2);
  assert.equal(sends.length, 3);
  assert.equal(a.assoc.stats.abandonedMessages, 0);
  assert.deepEqual(idsOf(b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('maxPacketLifeTime: no transmission after the lifetime, measured from sendMessage', () => {
  const lifetime = 1500;
  const { a, b, sends } = withVictim({ lifetime }, 4, Infinity);
  // The victim was queued at t≈4 (one message per ms): every transmission before t+1500.
  assert.ok(sends.length >= 2, `${sends.length} transmissions`);
  for (const t of sends) assert.ok(t <= sends[0]! + lifetime, `sent at ${t}`);
  assert.equal(a.assoc.stats.abandonedMessages, 1);
  assert.deepEqual(idsOf(b), [0, 1, 2, 3, 5, 6, 7, 8, 9]);
});

test('a partly received fragmented message is dropped and later messages delivered', () => {
  // 5000-byte messages: 5 fragments each. The middle fragment of message 2 never arrives.
  const { a, b } = withVictim({ maxRetransmits: 0 }, 2 * 5 + 2, Infinity, 6, 5000);
  assert.deepEqual(idsOf(b), [0, 1, 3, 4, 5]);
  assert.ok(b.received.every((m) => m.data.equals(message(m.data.readUInt32BE(0), 5000))));
  // The receiver let go of the fragments it held: its window is whole again.
  assert.equal(a.assoc.congestion.peerRwnd, 4 * 1024 * 1024);
});

test('messages whose lifetime ends while queued are never sent', () => {
  const { net, a, b } = connectedPair({ delay: 10, rate: 100 }, { remoteMaxMessageSize: 0 });
  let sentChunks = 0;
  net.filter = (d) => {
    if (d.from.address === A.address) sentChunks += dataTsns(d.data).length;
    return true;
  };
  // 100 KB through a 100 bytes/ms link takes a second; the lifetime is 200 ms.
  for (let id = 0; id < 100; id++)
    a.assoc.sendMessage(1, 53, message(id, 1000), net.now, { lifetime: 200 });
  assert.equal(a.assoc.bufferedAmount(1), 100_000);
  net.run({ timeout: 5000 });
  const got = idsOf(b);
  assert.ok(got.length > 5 && got.length < 60, `${got.length} delivered`);
  assert.deepEqual(
    got,
    [...got].sort((x, y) => x - y),
  );
  assert.ok(sentChunks < 100, `${sentChunks} chunks sent`);
  assert.equal(a.assoc.bufferedAmount(1), 0, 'expired messages leave the buffered amount');
  assert.equal(a.released.get(1), 100_000);
});

test('reliable and partially reliable streams side by side under 20% loss', () => {
  for (let seed = 1; seed <= 4; seed++) {
    const { net, a, b } = connectedPair(
      { delay: 10, loss: 0.2, seed },
      { remoteMaxMessageSize: 0 },
    );
    for (let id = 0; id < 60; id++) {
      a.assoc.sendMessage(1, 53, message(id, 700), net.now);
      a.assoc.sendMessage(2, 53, message(id, 700), net.now, { maxRetransmits: 1 });
      a.assoc.sendMessage(3, 53, message(id, 700), net.now, { unordered: true, lifetime: 300 });
    }
    net.run({
      until: () => b.received.filter((m) => m.streamId === 1).length === 60,
      timeout: 120_000,
    });
    net.run({ timeout: 10_000 });
    const on = (s: number) =>
      b.received.filter((m) => m.streamId === s).map((m) => m.data.readUInt32BE(0));
    assert.deepEqual(
      on(1),
      Array.from({ length: 60 }, (_, i) => i),
    );
    const two = on(2);
    assert.deepEqual(
      two,
      [...two].sort((x, y) => x - y),
      'ordered, gaps allowed',
    );
    assert.equal(new Set(on(3)).size, on(3).length, 'no duplicates');
    // Every message missing was given up (one delivered may be given up too, when only
    // its acknowledgement was lost).
    const missing = 120 - two.length - on(3).length;
    assert.ok(missing <= a.assoc.stats.abandonedMessages, `seed ${seed}`);
    assert.ok(missing > 0, 'the policies gave something up');
    assert.equal(a.assoc.congestion.flightSize, 0);
  }
});
