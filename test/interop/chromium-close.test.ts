/**
 * Closing against headless Chromium: a channel closed by either side closes on the other
 * promptly, after the data sent before it, with the events in the spec's order; a whole
 * connection closed by either side closes the other side's channels within a second or two
 * (SCTP ABORT and DTLS close_notify), not after a consent timeout.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RTCDataChannel } from '../../src/webrtc/RTCDataChannel.js';
import { needsPeer } from '../support/peers.js';
import { ChromiumPeer, once, openChannelPair, received } from './chromium-peer.js';

/** Prompt: well under ICE consent's 30 s, with room for a loaded CI machine. */
const PROMPT_MS = 2000;

/** Records the channel's events with its readyState at each. */
function recordEvents(channel: RTCDataChannel): string[] {
  const log: string[] = [];
  for (const type of ['open', 'closing', 'close', 'error']) {
    channel.addEventListener(type, (e) => {
      const detail = (e as Event & { error?: { errorDetail?: string } }).error?.errorDetail;
      log.push(`${type}${detail ? `(${detail})` : ''}:${channel.readyState}`);
    });
  }
  return log;
}

/** The page's events of channel `ch`, as "type:readyState". */
function pageEvents(peer: ChromiumPeer, ch: number): string[] {
  return peer.events
    .filter((e) => e.ch === ch && ['closing', 'close', 'error'].includes(e.event))
    .map((e) => `${e.event}${e.detail ? `(${e.detail})` : ''}:${e.readyState ?? ''}`);
}

test('Chromium: closing', needsPeer('chromium', 'chromium'), async (t) => {
  const peer = await ChromiumPeer.open();
  t.after(() => peer.close());

  await t.test(
    'we close a channel: Chromium sees closing then close, after the data',
    async (t) => {
      const { channel, ch } = await openChannelPair(t, peer);
      const log = recordEvents(channel);
      for (let i = 0; i < 20; i++) channel.send(`m${i}`);
      channel.send(new Uint8Array(100_000));
      const started = performance.now();
      channel.close();
      assert.equal(channel.readyState, 'closing');
      assert.throws(() => channel.send('late'), { name: 'InvalidStateError' });
      await peer.channelEvent(ch, 'close', PROMPT_MS);
      const elapsed = performance.now() - started;
      if ((channel.readyState as string) !== 'closed') await once(channel, 'close', PROMPT_MS);
      const messages = await peer.messages(ch, 21);
      assert.deepEqual(
        messages.slice(0, 20).map((m) => m.text),
        Array.from({ length: 20 }, (_, i) => `m${i}`),
      );
      assert.equal(messages[20]!.size, 100_000);
      assert.deepEqual(pageEvents(peer, ch), ['closing:closing', 'close:closed']);
      // The side that called close() fires no 'closing' (the spec's closing procedure).
      assert.deepEqual(log, ['close:closed']);
      assert.ok(elapsed < PROMPT_MS, `closed in ${elapsed.toFixed(0)} ms`);
    },
  );

  await t.test(
    'Chromium closes a channel: we see closing then close, after the data',
    async (t) => {
      const { channel, ch } = await openChannelPair(t, peer, { offerer: 'chromium' });
      const log = recordEvents(channel);
      const got = received<string | ArrayBuffer>(channel, 21);
      for (let i = 0; i < 20; i++) await peer.call('send', ch, `m${i}`);
      await peer.call('sendPattern', ch, 100_000, 9);
      const started = performance.now();
      await peer.call('closeChannel', ch);
      const closed =
        channel.readyState === 'closed' ? undefined : once(channel, 'close', PROMPT_MS);
      const messages = await got;
      await closed;
      const elapsed = performance.now() - started;
      assert.deepEqual(
        messages.slice(0, 20),
        Array.from({ length: 20 }, (_, i) => `m${i}`),
      );
      assert.equal((messages[20] as ArrayBuffer).byteLength, 100_000);
      assert.deepEqual(log, ['closing:closing', 'close:closed']);
      await peer.channelEvent(ch, 'close', PROMPT_MS);
      // Chromium, having called close(), fires only 'close': the same as we do.
      assert.deepEqual(pageEvents(peer, ch), ['close:closed']);
      assert.ok(elapsed < PROMPT_MS, `closed in ${elapsed.toFixed(0)} ms`);
    },
  );

  await t.test("we close the connection: Chromium's channels close promptly", async (t) => {
    const { link, channel, ch } = await openChannelPair(t, peer);
    const second = link.node.createDataChannel('second');
    const announced = peer.waitFor(
      (e) => e.pc === link.page && e.event === 'datachannel' && e.ch !== ch,
      'the second channel',
    );
    await once(second, 'open');
    const ch2 = (await announced).ch as number;
    await peer.channelEvent(ch2, 'open');
    const log = recordEvents(channel);
    const started = performance.now();
    link.node.close();
    assert.equal(channel.readyState, 'closed', 'closed at once');
    assert.equal(second.readyState, 'closed');
    await Promise.all([
      peer.channelEvent(ch, 'close', PROMPT_MS),
      peer.channelEvent(ch2, 'close', PROMPT_MS),
    ]);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < PROMPT_MS, `Chromium's channels closed in ${elapsed.toFixed(0)} ms`);
    assert.deepEqual(log, [], 'RTCPeerConnection.close() fires no channel events');
    t.diagnostic(`Chromium's channel events: ${pageEvents(peer, ch).join(', ')}`);
    assert.equal(pageEvents(peer, ch).at(-1), 'close:closed');
  });

  await t.test('Chromium closes the connection: our channels close promptly', async (t) => {
    const { link, channel, ch } = await openChannelPair(t, peer, { offerer: 'chromium' });
    const second = link.node.createDataChannel('second');
    await once(second, 'open');
    const logs = [recordEvents(channel), recordEvents(second)];
    const started = performance.now();
    const closed = Promise.all([
      once(channel, 'close', PROMPT_MS),
      once(second, 'close', PROMPT_MS),
    ]);
    await peer.call('closePc', link.page);
    await closed;
    const elapsed = performance.now() - started;
    assert.ok(elapsed < PROMPT_MS, `our channels closed in ${elapsed.toFixed(0)} ms`);
    t.diagnostic(`our channel events: ${logs[0]!.join(', ')}`);
    assert.equal(peer.events.filter((e) => e.ch === ch && e.event === 'close').length, 0);
    // The spec's "announce the data channel as closed" with an error: no 'closing' (Chromium
    // fires one first).
    for (const log of logs) assert.deepEqual(log, ['error(sctp-failure):closed', 'close:closed']);
    assert.equal(link.node.sctp!.state, 'closed');
  });

  await t.test(
    'either side closes in the middle of a transfer: the other closes promptly',
    async (t) => {
      // Chromium goes away while we have megabytes queued.
      const first = await openChannelPair(t, peer);
      for (let i = 0; i < 64; i++) first.channel.send(new Uint8Array(65536));
      assert.ok(first.channel.bufferedAmount > 0);
      const closed = once(first.channel, 'close', PROMPT_MS);
      await peer.call('closePc', first.link.page);
      await closed;
      assert.equal(first.channel.bufferedAmount > 0, true, 'what was never sent stays counted');

      // We go away while Chromium sends.
      const second = await openChannelPair(t, peer, { offerer: 'chromium' });
      const sending = peer.call('sendBulk', second.ch, 8 * 1024 * 1024, 65536, 5);
      await once(second.channel, 'message');
      second.link.node.close();
      await peer.channelEvent(second.ch, 'close', PROMPT_MS);
      await assert.rejects(sending, /the channel closed after \d+ bytes/);
      assert.equal(second.channel.readyState, 'closed');
    },
  );
});
