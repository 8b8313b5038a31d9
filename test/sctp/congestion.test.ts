import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChunkType } from '../../src/sctp/chunk.js';
import { CongestionControl } from '../../src/sctp/congestion.js';
import { crc32c } from '../../src/sctp/crc32c.js';
import { DEFAULT_MTU } from '../../src/sctp/options.js';
import { A, B, chunkTypes, connectedPair, dataTsns } from './harness.js';

interface Sample {
  t: number;
  cwnd: number;
  ssthresh: number;
  fastRetransmits: number;
  timeouts: number;
}

test('through a bottleneck: slow start, halving on loss once per recovery, linear growth after', () => {
  const rate = 1000; // bytes per ms
  const { net, a, b } = connectedPair(
    { delay: 20, rate, queue: 30_000, seed: 1 },
    { remoteMaxMessageSize: 0 },
  );
  const samples: Sample[] = [];
  net.filter = (d) => {
    if (d.from.address === A.address) {
      const c = a.assoc.congestion;
      samples.push({
        t: net.now,
        cwnd: c.cwnd,
        ssthresh: c.ssthresh,
        fastRetransmits: a.assoc.stats.fastRetransmits,
        timeouts: a.assoc.stats.t3Expirations,
      });
    }
    return true;
  };
  const count = 40;
  for (let i = 0; i < count; i++) a.assoc.sendMessage(0, 53, Buffer.alloc(65536, i), net.now);
  const start = net.now;
  net.run({ until: () => b.received.length === count, timeout: 60_000 });
  const goodput = (count * 65536) / (net.now - start);
  assert.ok(goodput > 0.8 * rate, `goodput ${goodput} bytes/ms`);
  assert.ok(b.received.every((m, i) => m.data.equals(Buffer.alloc(65536, i))));

  // Slow start: from the initial 4404 bytes, well past ten times that before the first loss,
  // and at least doubling over the first 3 round trips (~45 ms each here).
  const initial = Math.min(4 * DEFAULT_MTU, Math.max(2 * DEFAULT_MTU, 4404));
  assert.equal(samples[0]!.cwnd, initial);
  const firstLoss = samples.findIndex((s) => s.fastRetransmits > 0);
  assert.ok(firstLoss > 0, 'the queue overflowed');
  const peak = samples[firstLoss - 1]!.cwnd;
  assert.ok(peak > 10 * initial, `peak ${peak}`);
  const at150 = samples.findLast((s) => s.t <= samples[0]!.t + 150)!.cwnd;
  assert.ok(at150 >= 2 * initial, `cwnd ${at150} after 150 ms`);

  // The loss halves cwnd (§7.2.3): ssthresh = cwnd / 2 and cwnd = ssthresh.
  const cut = samples[firstLoss]!;
  assert.equal(cut.ssthresh, Math.max(peak / 2, 4 * DEFAULT_MTU));
  assert.equal(cut.cwnd, cut.ssthresh);
  // Several fast retransmits, but the window is cut once per fast recovery.
  const cuts = samples.filter((s, i) => i > 0 && s.ssthresh < samples[i - 1]!.ssthresh);
  assert.ok(cuts.length < a.assoc.stats.fastRetransmits, `${cuts.length} cuts`);
  assert.equal(a.assoc.stats.t3Expirations, 0);

  // Congestion avoidance after it: one MTU at a time, at most one per round trip.
  const after = samples.slice(firstLoss + 1).filter((s) => s.ssthresh === cut.ssthresh);
  const steps = after.filter((s, i) => i > 0 && s.cwnd !== after[i - 1]!.cwnd);
  assert.ok(steps.length >= 5, `${steps.length} steps`);
  for (let i = 1; i < steps.length; i++) {
    assert.equal(steps[i]!.cwnd - steps[i - 1]!.cwnd, DEFAULT_MTU);
    assert.ok(steps[i]!.t - steps[i - 1]!.t >= 40, 'one MTU per round trip at most');
  }
});

test('a retransmission timeout drops cwnd to one MTU and backs the RTO off', () => {
  const { net, a, b } = connectedPair({ delay: 10 }, { remoteMaxMessageSize: 0 });
  for (let i = 0; i < 10; i++) a.assoc.sendMessage(0, 53, Buffer.alloc(20_000, i), net.now);
  net.run({ until: () => b.received.length === 5 });
  net.link = { delay: 10, loss: 1 };
  let before = a.assoc.congestion;
  const handleTimeout = a.assoc.handleTimeout.bind(a.assoc);
  a.assoc.handleTimeout = (now) => {
    if (a.assoc.stats.t3Expirations === 0) before = a.assoc.congestion;
    handleTimeout(now);
  };
  net.run({ until: () => a.assoc.stats.t3Expirations === 1 });
  const after = a.assoc.congestion;
  assert.equal(after.cwnd, DEFAULT_MTU);
  assert.equal(after.ssthresh, Math.max(before.cwnd / 2, 4 * DEFAULT_MTU));
  assert.equal(after.rto, Math.min(2 * before.rto, 10_000));
  net.link = { delay: 10 };
  net.run({ until: () => b.received.length === 10 });
  assert.ok(b.received.every((m, i) => m.data.equals(Buffer.alloc(20_000, i))));
});

test('a closed receiver window: one probe at a time, backing off, without failing', () => {
  const { net, a, b } = connectedPair(
    { delay: 10 },
    { remoteMaxMessageSize: 0, maxRetransmits: 3 },
  );
  // While `closed`, B drops every DATA packet and answers it with a SACK advertising a zero
  // window, as a receiver with a full buffer does (§6.2).
  let closed = false;
  let sack: Buffer | undefined;
  const probes: { t: number; chunks: number }[] = [];
  net.filter = (d) => {
    if (d.from.address === B.address && chunkTypes(d.data)[0] === ChunkType.SACK) {
      sack = Buffer.from(d.data);
      sack.writeUInt32BE(0, 12 + 8); // a_rwnd
      sack.writeUInt32LE(0, 8);
      sack.writeUInt32LE(crc32c(sack), 8);
    }
    if (!closed || d.from.address !== A.address) return true;
    const tsns = dataTsns(d.data);
    if (tsns.length === 0) return true;
    probes.push({ t: net.now, chunks: tsns.length });
    net.send(B, A, sack!);
    return false;
  };
  a.assoc.sendMessage(0, 53, Buffer.from('first'), net.now);
  net.run({ until: () => b.received.length === 1 && sack !== undefined });
  net.run({ timeout: 500 });
  closed = true;
  for (let i = 0; i < 5; i++) a.assoc.sendMessage(0, 53, Buffer.alloc(10_000, i), net.now);
  net.run({ timeout: 20_000 });
  // The first flight goes out on the open window it believed in; then probes alone.
  const lone = probes.slice(1);
  assert.ok(lone.length >= 4, `${probes.length} probes`);
  assert.ok(
    lone.every((p) => p.chunks === 1),
    'each probe is one chunk',
  );
  for (let i = 2; i < lone.length; i++)
    assert.ok(lone[i]!.t - lone[i - 1]!.t >= lone[i - 1]!.t - lone[i - 2]!.t - 1, 'backing off');
  assert.equal(a.closed, undefined, 'probing is not a failure while the peer answers');
  closed = false;
  net.run({ until: () => b.received.length === 6, timeout: 60_000 });
  assert.ok(b.received.slice(1).every((m, i) => m.data.equals(Buffer.alloc(10_000, i))));
});

test('the sender never overruns the receiver window', () => {
  // A receiver buffer just over one message: the window closes while a message is held
  // for reassembly behind a lost fragment.
  const { net, a, b } = connectedPair(
    { delay: 10, seed: 2 },
    { remoteMaxMessageSize: 0 },
    { receiveBufferSize: 40_000, maxMessageSize: 30_000 },
  );
  let maxInFlight = 0;
  net.filter = (d) => {
    if (d.from.address === A.address) {
      maxInFlight = Math.max(maxInFlight, a.assoc.congestion.flightSize);
    }
    return true;
  };
  for (let i = 0; i < 30; i++) a.assoc.sendMessage(0, 53, Buffer.alloc(30_000, i), net.now);
  net.run({ until: () => b.received.length === 30, timeout: 120_000 });
  assert.ok(b.received.every((m, i) => m.data.equals(Buffer.alloc(30_000, i))));
  // The flight never exceeded the peer's buffer by more than a packet (DATA headers count
  // in the flight size, not in the window).
  assert.ok(maxInFlight <= 40_000 * 1.05 + DEFAULT_MTU, `${maxInFlight}`);
});

test('HyStart++: slow start ends when the round trip grows, before a deep queue overflows', () => {
  // 400 ms of queue at 1 MB/s behind a 40 ms round trip: plain slow start fills it to the
  // brim (and loses a window's worth) before it ever sees a loss.
  const rate = 1000;
  const { net, a, b } = connectedPair(
    { delay: 20, rate, queue: 400_000, seed: 3 },
    { remoteMaxMessageSize: 0 },
  );
  const count = 40;
  for (let i = 0; i < count; i++) a.assoc.sendMessage(0, 53, Buffer.alloc(65536, i), net.now);
  let peakDelay = 0;
  const start = net.now;
  net.run({
    until: () => {
      peakDelay = Math.max(peakDelay, a.assoc.congestion.srtt ?? 0);
      return b.received.length === count;
    },
    timeout: 60_000,
  });
  assert.ok(b.received.every((m, i) => m.data.equals(Buffer.alloc(65536, i))));
  const s = a.assoc.stats;
  assert.equal(s.retransmissions, 0, 'no loss');
  assert.equal(s.t3Expirations, 0);
  assert.equal(net.stats.queueDrops, 0);
  // Slow start ended on the delay (ssthresh set from cwnd), with the queue kept short.
  assert.ok(
    a.assoc.congestion.ssthresh < 4 * 1024 * 1024,
    `ssthresh ${a.assoc.congestion.ssthresh}`,
  );
  assert.ok(peakDelay < 250, `smoothed round trip up to ${peakDelay} ms`);
  const goodput = (count * 65536) / (net.now - start);
  assert.ok(goodput > 0.8 * rate, `goodput ${goodput} bytes/ms`);
});

test('HyStart++ rounds: a delay increase moves to conservative slow start, then to avoidance', () => {
  const mtu = 1000;
  const cc = new CongestionControl(mtu, 10_000_000);
  // A round: eight SACKs with an RTT sample each, the first acknowledging the end of the
  // round before, while 100 more TSNs have been sent.
  let end = 0;
  const round = (rtt: number): void => {
    const from = end;
    end += 100;
    for (let i = 0; i < 8; i++) cc.onAck(from + i, true, 2 * mtu, cc.cwnd, false, rtt, end);
  };
  round(10);
  round(10);
  assert.equal(cc.hystart, 'slow-start');
  const before = cc.cwnd;
  round(10);
  assert.equal(cc.cwnd - before, 8 * mtu, 'one MTU per SACK in slow start');
  round(16); // 10 ms + max(4, 10/8) ms: a queue is building
  assert.equal(cc.hystart, 'css');
  const css = cc.cwnd;
  round(16);
  assert.equal(cc.cwnd - css, (8 * mtu) / 4, 'a quarter of that in CSS');
  for (let i = 0; i < 4; i++) round(16);
  // Five rounds of CSS: ssthresh = cwnd, and congestion avoidance after the next SACK.
  assert.equal(cc.hystart, 'done');
  assert.ok(cc.cwnd > cc.ssthresh && cc.cwnd - cc.ssthresh <= mtu);
  const avoiding = cc.cwnd;
  round(16);
  assert.equal(cc.cwnd, avoiding, 'one MTU per cwnd of data acknowledged only');
});

test('HyStart++: a delay that falls back during CSS resumes slow start', () => {
  const cc = new CongestionControl(1000, 10_000_000);
  let end = 0;
  const round = (rtt: number): void => {
    const from = end;
    end += 100;
    for (let i = 0; i < 8; i++) cc.onAck(from + i, true, 2000, cc.cwnd, false, rtt, end);
  };
  round(10);
  round(10);
  round(20);
  assert.equal(cc.hystart, 'css');
  round(12);
  assert.equal(cc.hystart, 'slow-start');
});
