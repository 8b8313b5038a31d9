/**
 * Ping-pong: one message of `size` bytes at a time, echoed by the answerer; the round
 * trip as the offerer's application sees it, from send() to the echo's message event.
 */
import { answer, hangUp, offer } from '../lib/session.js';
import { bytesOf } from '../lib/stacks.js';
import { quantile } from '../lib/stats.js';
import type { PairWorkload } from '../lib/workload.js';

export const pingpong: PairWorkload = {
  kind: 'pair',
  async offerer(side, params) {
    const count = Number(params.count);
    const warmup = Math.ceil(count / 10);
    const payload = Buffer.alloc(Number(params.size), 0x70);
    let echoed!: () => void;
    const { pc, channel } = await offer(side, {}, (c) =>
      c.addEventListener('message', () => echoed()),
    );
    await side.signal.next(`${side.session}:ready`);
    const rtts: number[] = [];
    for (let i = 0; i < warmup + count; i++) {
      const echo = new Promise<void>((resolve) => {
        echoed = resolve;
      });
      const start = performance.now();
      channel.send(payload);
      await echo;
      if (i >= warmup) rtts.push((performance.now() - start) * 1000);
    }
    await hangUp(side, pc);
    return { 'p50 µs': quantile(rtts, 0.5), 'p99 µs': quantile(rtts, 0.99) };
  },
  async answerer(side) {
    const { pc, channel } = await answer(side);
    channel.addEventListener('message', (e) => channel.send(bytesOf(e.data)));
    side.signal.send({ type: `${side.session}:ready` });
    await hangUp(side, pc);
  },
};
