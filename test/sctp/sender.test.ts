/** Unit tests of the sender's parts: RTO, congestion control, outstanding chunks, send queue. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataFlags } from '../../src/sctp/chunks/data.js';
import { CongestionControl } from '../../src/sctp/congestion.js';
import { Outstanding, SentChunk } from '../../src/sctp/outstanding.js';
import { RetransmissionTimeout } from '../../src/sctp/rto.js';
import { OutgoingMessage, SendQueue } from '../../src/sctp/send-queue.js';

test('RTO: the first sample, smoothing, clamping and backing off (RFC 9260 §6.3.1)', () => {
  const r = new RetransmissionTimeout(500, 300, 10_000);
  assert.equal(r.rto, 500);
  assert.equal(r.srtt, undefined);
  r.measure(100); // SRTT 100, RTTVAR 50: 100 + 200
  assert.equal(r.srtt, 100);
  assert.equal(r.rto, 300);
  r.measure(1000); // RTTVAR 0.75*50 + 0.25*900 = 262.5; SRTT 0.875*100 + 125 = 212.5
  assert.equal(r.srtt, 212.5);
  assert.equal(r.rto, 212.5 + 4 * 262.5);
  r.backOff();
  assert.equal(r.rto, 2 * (212.5 + 4 * 262.5));
  for (let i = 0; i < 10; i++) r.backOff();
  assert.equal(r.rto, 10_000);
  const low = new RetransmissionTimeout(500, 300, 10_000);
  low.measure(1);
  assert.equal(low.rto, 300, 'never under RTO.Min');
});

function message(
  size: number,
  options: Partial<{ stream: number; unordered: boolean; maxRetransmits: number }> = {},
): OutgoingMessage {
  return new OutgoingMessage(
    options.stream ?? 0,
    53,
    Buffer.alloc(size),
    options.unordered ?? false,
    options.maxRetransmits,
    undefined,
    true,
  );
}

function sent(out: Outstanding, m: OutgoingMessage, now = 0): SentChunk {
  const flags = DataFlags.BEGINNING | DataFlags.END | (m.unordered ? DataFlags.UNORDERED : 0);
  const c = new SentChunk(out.nextTsn, m.streamId, m.ssn, m.ppid, m.data, flags, m);
  c.sentAt = now;
  m.firstTsn = m.firstTsn || c.tsn;
  m.lastTsn = c.tsn;
  out.push(c);
  return c;
}

test("Karn's rule: no round-trip sample from a retransmitted chunk", () => {
  const out = new Outstanding(100);
  sent(out, message(10), 0);
  const r1 = out.handleSack(100, [], 40, false);
  assert.ok(r1 && r1 !== 'violation');
  assert.equal(r1.rttSample, 40);
  const twice = sent(out, message(10), 50);
  out.markForRetransmission(twice);
  out.retransmitted(twice, 150);
  const r2 = out.handleSack(101, [], 200, false);
  assert.ok(r2 && r2 !== 'violation');
  assert.equal(r2.rttSample, undefined);
  assert.equal(r2.bytesAcked, twice.size);
});

test('SACK processing: gap blocks, HTNA miss indications, the third marks a fast retransmit', () => {
  const out = new Outstanding(1);
  const chunks = Array.from({ length: 6 }, () => sent(out, message(100)));
  const flight = out.flightSize;
  assert.equal(flight, 6 * chunks[0]!.size);
  // TSN 1 acked, 2 missing, 3 acked by a gap: one miss indication for 2.
  let r = out.handleSack(1, [2, 2], 1, false);
  assert.ok(r && r !== 'violation');
  assert.equal(chunks[1]!.missIndications, 1);
  assert.ok(!r.fastRetransmit);
  // The same SACK again acknowledges nothing new: no miss indication (HTNA).
  r = out.handleSack(1, [2, 2], 1, false);
  assert.ok(r && r !== 'violation');
  assert.equal(chunks[1]!.missIndications, 1);
  r = out.handleSack(1, [2, 3], 1, false);
  assert.ok(r && r !== 'violation');
  r = out.handleSack(1, [2, 4], 1, false);
  assert.ok(r && r !== 'violation');
  assert.ok(r.fastRetransmit);
  assert.ok(chunks[1]!.retransmit && chunks[1]!.fastRetransmitted);
  assert.ok(!chunks[1]!.inFlight, 'a chunk deemed lost leaves the flight');
  assert.equal(out.flightSize, chunks[5]!.size);
  // Stale SACKs are ignored; acknowledging what was never sent is a violation.
  assert.equal(out.handleSack(0, [], 1, false), undefined);
  assert.equal(out.handleSack(7, [], 1, false), 'violation');
});

test('reneged chunks (gap-acked, then not) count as in flight again', () => {
  const out = new Outstanding(1);
  const chunks = Array.from({ length: 3 }, () => sent(out, message(100)));
  let r = out.handleSack(0, [2, 3], 1, false);
  assert.ok(r && r !== 'violation');
  assert.ok(chunks[1]!.acked && chunks[2]!.acked);
  r = out.handleSack(0, [3, 3], 1, false);
  assert.ok(r && r !== 'violation');
  assert.ok(r.reneged);
  assert.ok(!chunks[1]!.acked && chunks[1]!.inFlight);
  assert.equal(out.flightSize, 2 * chunks[0]!.size);
});

test('abandoning a message and the Advanced.Peer.Ack.Point with its skipped SSNs', () => {
  const out = new Outstanding(10);
  const m1 = message(5, { stream: 3 });
  m1.ssn = 7;
  const m2 = message(5, { stream: 4, unordered: true });
  const m3 = message(5, { stream: 3 });
  m3.ssn = 8;
  sent(out, m1);
  sent(out, m2);
  const c3 = sent(out, m3);
  out.abandon(m1);
  out.abandon(m2);
  const skipped: { streamId: number; ssn: number }[] = [];
  assert.equal(out.advancedPeerAckPoint(skipped), 11);
  assert.deepEqual(skipped, [{ streamId: 3, ssn: 7 }], 'unordered messages need no entry');
  assert.ok(!c3.abandoned);
  assert.equal(out.flightSize, c3.size);
});

test('congestion control: slow start, avoidance, one cut per fast recovery, timeouts', () => {
  const mtu = 1000;
  const cc = new CongestionControl(mtu, 100_000);
  assert.equal(cc.cwnd, 4000);
  // Slow start: + min(acked, MTU) per SACK, only while the window is used up.
  cc.onAck(1, true, 3000, 4000, false);
  assert.equal(cc.cwnd, 5000);
  cc.onAck(2, true, 3000, 1000, false);
  assert.equal(cc.cwnd, 5000, 'an unused window does not grow');
  cc.onFastRetransmit(50);
  assert.equal(cc.ssthresh, 4000);
  assert.equal(cc.cwnd, 4000);
  cc.onFastRetransmit(60);
  assert.equal(cc.cwnd, 4000, 'once per fast recovery');
  cc.onAck(40, true, 1000, 4000, false);
  assert.equal(cc.cwnd, 4000, 'no growth in fast recovery');
  cc.onAck(50, true, 1000, 4000, false); // the exit point is acknowledged
  assert.ok(!cc.inFastRecovery);
  assert.equal(cc.cwnd, 5000, 'cwnd = ssthresh: slow start again');
  // Congestion avoidance (cwnd > ssthresh): one MTU per cwnd of bytes acknowledged.
  for (let i = 0; i < 4; i++) cc.onAck(51 + i, true, 1000, 5000, false);
  assert.equal(cc.cwnd, 5000);
  cc.onAck(55, true, 1000, 5000, false);
  assert.equal(cc.cwnd, 6000);
  assert.equal(cc.partialBytesAcked, 0);
  cc.onAck(56, true, 1000, 5000, true);
  assert.equal(cc.partialBytesAcked, 0, 'reset when all data is acknowledged');
  cc.onRetransmissionTimeout();
  assert.equal(cc.cwnd, mtu);
  assert.equal(cc.ssthresh, 4000);
  const idle = new CongestionControl(mtu, 1e6);
  idle.cwnd = 64_000;
  idle.onIdle(3000, 1000);
  assert.equal(idle.cwnd, 16_000);
});

test('the send queue: round robin by message, lazy fragments, SSNs at the first fragment', () => {
  const stats = { abandonedMessages: 0 };
  const q = new SendQueue(stats);
  q.add(message(2500, { stream: 1 }));
  q.add(message(10, { stream: 1 }));
  q.add(message(10, { stream: 2 }));
  assert.equal(q.bufferedAmount(1), 2510);
  const order: string[] = [];
  let tsn = 0;
  for (let m = q.peek(0); m; m = q.peek(0)) {
    const payload = q.take(1000, tsn++);
    order.push(`${m.streamId}:${payload.length}:${m.ssn}`);
  }
  assert.deepEqual(order, ['1:1000:0', '1:1000:0', '1:500:0', '2:10:0', '1:10:1']);
  assert.equal(q.bufferedAmount(1), 0);
  const released: [number, number][] = [];
  q.drainReleased((id, n) => released.push([id, n]));
  assert.deepEqual(released.sort(), [
    [1, 2510],
    [2, 10],
  ]);
});

test('the send queue: expired messages are dropped unsent; a reset holds later messages', () => {
  const stats = { abandonedMessages: 0 };
  const q = new SendQueue(stats);
  q.add(new OutgoingMessage(1, 53, Buffer.alloc(10), false, undefined, 100, true));
  q.add(message(10, { stream: 1 }));
  q.markReset(1);
  q.add(message(20, { stream: 1 }));
  assert.equal(q.peek(200)!.data.length, 10);
  assert.equal(stats.abandonedMessages, 1);
  q.take(1000, 1);
  assert.ok(q.readyForReset(1));
  assert.equal(q.peek(200), undefined, 'held until the reset is done');
  q.resetDone(1, true);
  const m = q.peek(200)!;
  assert.equal(m.data.length, 20);
  q.take(1000, 2);
  assert.equal(m.ssn, 0, 'sequence numbers restart after the reset');
});
