/**
 * Bulk transfer with headless Chromium, each way: 16 MiB in 64 KiB messages with
 * bufferedAmountLowThreshold flow control on the sending side, checked with SHA-256 at the
 * other end; and Chromium with itself in the same run, for scale. The rates are printed as
 * diagnostics (a test is no benchmark: see bench/).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { RTCDataChannel } from '../../src/webrtc/RTCDataChannel.js';
import { needsPeer } from '../support/peers.js';
import { ChromiumPeer, once, openChannelPair, pattern, sha256 } from './chromium-peer.js';

const TOTAL = 16 * 1024 * 1024;
const CHUNK = 64 * 1024;
const HIGH_WATER = 4 * 1024 * 1024;
const LOW_WATER = 1024 * 1024;

const rate = (bytes: number, ms: number) => `${(bytes / 1048576 / (ms / 1000)).toFixed(1)} MiB/s`;

/** Sends `data` in CHUNK messages, keeping bufferedAmount under HIGH_WATER. */
async function sendWithFlowControl(channel: RTCDataChannel, data: Buffer): Promise<void> {
  channel.bufferedAmountLowThreshold = LOW_WATER;
  let peak = 0;
  for (let offset = 0; offset < data.length; offset += CHUNK) {
    if (channel.bufferedAmount >= HIGH_WATER) await once(channel, 'bufferedamountlow', 20_000);
    channel.send(data.subarray(offset, offset + CHUNK));
    peak = Math.max(peak, channel.bufferedAmount);
  }
  assert.ok(peak < HIGH_WATER + CHUNK, `bufferedAmount peaked at ${peak}`);
}

test('Chromium: throughput', needsPeer('chromium', 'chromium'), async (t) => {
  const peer = await ChromiumPeer.open();
  t.after(() => peer.close());
  const { channel, ch } = await openChannelPair(t, peer);

  await t.test('16 MiB from us to Chromium', async (t) => {
    const data = pattern(TOTAL, 7);
    await peer.call('receiveBulk', ch, TOTAL);
    const started = performance.now();
    await sendWithFlowControl(channel, data);
    const result = await peer.call<{ sha256: string; bytes: number; messages: number }>(
      'bulkResult',
      ch,
    );
    const ms = performance.now() - started;
    assert.equal(result.bytes, TOTAL);
    assert.equal(result.messages, TOTAL / CHUNK);
    assert.equal(result.sha256, sha256(data), 'the bytes arrive intact and in order');
    t.diagnostic(`us → Chromium: ${rate(TOTAL, ms)} (${ms.toFixed(0)} ms)`);
  });

  await t.test('16 MiB from Chromium to us', async (t) => {
    const hash = createHash('sha256');
    let bytes = 0;
    let messages = 0;
    const done = new Promise<void>((resolve) => {
      channel.onmessage = (e) => {
        const data = new Uint8Array((e as MessageEvent).data as ArrayBuffer);
        hash.update(data);
        bytes += data.length;
        messages++;
        if (bytes >= TOTAL) resolve();
      };
    });
    const started = performance.now();
    const sent = await peer.call<string>('sendBulk', ch, TOTAL, CHUNK, 8);
    await done;
    const ms = performance.now() - started;
    channel.onmessage = null;
    assert.equal(bytes, TOTAL);
    assert.equal(messages, TOTAL / CHUNK);
    assert.equal(hash.digest('hex'), sent, 'the bytes arrive intact and in order');
    t.diagnostic(`Chromium → us: ${rate(TOTAL, ms)} (${ms.toFixed(0)} ms)`);
  });

  await t.test('for reference: 16 MiB from Chromium to Chromium, in the same run', async (t) => {
    const a = await peer.call<number>('newPc', {}, false);
    const b = await peer.call<number>('newPc', {}, false);
    t.after(() => {
      peer.call('closePc', a).catch(() => {});
      peer.call('closePc', b).catch(() => {});
    });
    const pair = await peer.call<{ ch: number; peerCh: number }>('connectPair', a, b);
    await peer.call('receiveBulk', pair.peerCh, TOTAL);
    const started = performance.now();
    const sent = await peer.call<string>('sendBulk', pair.ch, TOTAL, CHUNK, 9);
    const result = await peer.call<{ sha256: string }>('bulkResult', pair.peerCh);
    const ms = performance.now() - started;
    assert.equal(result.sha256, sent);
    t.diagnostic(`Chromium → Chromium: ${rate(TOTAL, ms)} (${ms.toFixed(0)} ms)`);
  });
});
