/**
 * One-way transfer on one channel, reliable, ordered or not: `bytes` in messages of
 * `size`, the sender keeping `bufferedAmount` under a high-water mark and refilling on
 * `bufferedamountlow`, as applications do. Each message carries its sequence number and a
 * window of a fixed pattern that depends on it; the receiver checks both, so loss,
 * duplication, reordering (when ordered) and corruption all fail the run. The clock runs
 * on the sender from the first send() until the receiver's reply after the last message.
 * A stack that never fires bufferedamountlow is refilled by a poll every POLL_MS.
 *
 * The same workload counts 100-byte messages per second (`size` 100). A sender that has
 * not sent everything after `maxSeconds` stops there, and the figures are those of what
 * arrived (a slow stack would otherwise hold the run up for many minutes; a stalled one,
 * werift with small messages, forever).
 */
import { answer, hangUp, offer, opened, type Side } from '../lib/session.js';
import { bytesOf, type Channel } from '../lib/stacks.js';
import type { Figures, PairWorkload, Params } from '../lib/workload.js';

const MIB = 2 ** 20;
const POLL_MS = 2;
/** How long the receiver waits for the rest of what a stopped sender sent. */
const STALL_MS = 10_000;
/** The pattern repeats with this period, a prime, so that neighbouring messages differ. */
const PERIOD = 251;

function pattern(size: number): Buffer {
  const p = Buffer.allocUnsafe(size + PERIOD);
  for (let i = 0; i < p.length; i++) p[i] = (i * 7 + (i >> 8)) & 0xff;
  return p;
}

function message(p: Buffer, size: number, seq: number): Buffer {
  const m = Buffer.allocUnsafe(size);
  const at = seq % PERIOD;
  p.copy(m, 0, at, at + size);
  if (size >= 4) m.writeUInt32BE(seq, 0);
  return m;
}

interface Transfer {
  size: number;
  count: number;
  /** The sender stops sending new messages after this long. */
  maxSeconds: number;
  ordered: boolean;
  highWater: number;
  lowWater: number;
}

function transferOf(params: Params): Transfer {
  const size = Number(params.size);
  const count = Math.ceil(Number(params.bytes) / size);
  return {
    size,
    count,
    ordered: params.ordered !== false,
    maxSeconds: Number(params.maxSeconds ?? 60),
    highWater: Number(params.highWater ?? 4 * MIB),
    lowWater: Number(params.lowWater ?? MIB),
  };
}

export const transfer: PairWorkload = {
  kind: 'pair',
  async offerer(side, params) {
    const t = transferOf(params);
    const p = pattern(t.size);
    let finished!: () => void;
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const { pc, channel } = await offer(side, { ordered: t.ordered }, (c) =>
      c.addEventListener('message', () => finished()),
    );
    await side.signal.next(`${side.session}:ready`);
    let seq = 0;
    let count = t.count;
    const fill = (): void => {
      while (seq < count && channel.bufferedAmount < t.highWater) {
        channel.send(message(p, t.size, seq++));
      }
    };
    // A slow stack stops early: the receiver expects what was sent by then.
    const cap = setTimeout(() => {
      count = seq;
      side.signal.send({ type: `${side.session}:count`, count });
    }, t.maxSeconds * 1000);
    channel.bufferedAmountLowThreshold = t.lowWater;
    channel.addEventListener('bufferedamountlow', fill);
    // wrtc 0.10 never fires bufferedamountlow: a slow poll keeps it going.
    const poll = setInterval(fill, POLL_MS);
    const start = performance.now();
    fill();
    // The receiver's reply on the channel ends the clock, or its report when it gave up
    // waiting for a stalled stack.
    const reported = side.signal.next(`${side.session}:report`);
    await Promise.race([done, reported]);
    clearInterval(poll);
    clearTimeout(cap);
    const seconds = (performance.now() - start) / 1000;
    const report = await reported;
    await hangUp(side, pc);
    if (report.error) throw new Error(`receiver: ${report.error}`);
    const received = report.received as number;
    const figures: Figures = {
      'MiB/s': (received * t.size) / MIB / seconds,
      'messages/s': received / seconds,
    };
    if (received < t.count) figures['stopped at MiB'] = (received * t.size) / MIB;
    return figures;
  },
  async answerer(side, params) {
    const t = transferOf(params);
    const p = pattern(t.size);
    const { pc, channel } = await answer(side);
    const { error, received } = await receive(channel, t, p, side);
    side.signal.send({ type: `${side.session}:report`, error, received });
    await hangUp(side, pc);
  },
};

/**
 * Checks every message; resolves with the first error (or null) and the number of
 * messages received: all of them, or what arrived within STALL_MS of a stopped sender.
 */
async function receive(
  channel: Channel,
  t: Transfer,
  p: Buffer,
  side: Side,
): Promise<{ error: string | null; received: number }> {
  await opened(channel);
  const seen = t.ordered ? undefined : new Uint8Array(t.count);
  let next = 0;
  let count = t.count;
  let error: string | null = null;
  let stall: NodeJS.Timeout | undefined;
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(stall);
      count = next;
      channel.send('done');
      resolve({ error, received: next });
    };
    side.signal.on(`${side.session}:count`, (m) => {
      count = m.count as number;
      if (next >= count) finish();
      else stall = setTimeout(finish, STALL_MS);
    });
    channel.addEventListener('message', (e) => {
      if (next >= count) return;
      const m = bytesOf(e.data);
      const seq = t.size >= 4 && m.length >= 4 ? m.readUInt32BE(0) : next;
      const at = seq % PERIOD;
      if (m.length !== t.size) error ??= `message ${next} has ${m.length} bytes`;
      else if (seq >= t.count) error ??= `sequence number ${seq} out of range`;
      else if (seen ? seen[seq]++ !== 0 : seq !== next) error ??= `message ${seq} at ${next}`;
      else if (!m.subarray(4).equals(p.subarray(at + 4, at + t.size)))
        error ??= `message ${seq} is corrupt`;
      if (++next === count) finish();
    });
    side.signal.send({ type: `${side.session}:ready` });
  });
}
