/**
 * Time from `new RTCPeerConnection()` to an open channel against headless Chromium, over 20
 * connections each way (trickle, loopback), and Chromium with itself for scale. The median and the slowest are diagnostics; the
 * bound only catches a connection that waits on a timer it should not (a retransmission, a
 * consent or gathering timeout).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsPeer } from '../support/peers.js';
import { ChromiumPeer, openChannelPair, type Side } from './chromium-peer.js';

const RUNS = 20;
const BOUND_MS = 1500;

test('Chromium: time to an open channel', needsPeer('chromium', 'chromium'), async (t) => {
  const peer = await ChromiumPeer.open();
  t.after(() => peer.close());
  // One connection first: Chromium's first one pays for starting its network service.
  await t.test('warm-up', async (t) => {
    await openChannelPair(t, peer);
  });

  for (const offerer of ['node', 'chromium'] as const satisfies Side[]) {
    await t.test(`${offerer} offers: median of ${RUNS}`, async (t) => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const { link } = await openChannelPair(t, peer, { offerer });
        times.push(performance.now() - started);
        link.close();
      }
      const sorted = [...times].sort((a, b) => a - b);
      const median = (sorted[RUNS / 2 - 1]! + sorted[RUNS / 2]!) / 2;
      t.diagnostic(summary(times));
      assert.ok(median < BOUND_MS, `median ${median.toFixed(0)} ms`);
    });
  }

  await t.test(`for reference: Chromium with itself, median of ${RUNS}`, async (t) => {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await peer.call<number>('referenceSetupTime'));
    t.diagnostic(summary(times));
  });
});

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const median = (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return `median ${median.toFixed(1)} ms, fastest ${sorted[0]!.toFixed(1)} ms, slowest ${sorted.at(-1)!.toFixed(1)} ms`;
}
