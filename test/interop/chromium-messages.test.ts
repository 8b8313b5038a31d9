/**
 * Messages between our RTCPeerConnection and headless Chromium: strings and binary of every
 * size up to the negotiated maximum (empty ones too), Blob delivery, unordered and partially
 * reliable channels, pre-negotiated channels, and fifty channels on one connection.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { RTCDataChannelEvent } from '../../src/webrtc/events.js';
import type { RTCDataChannel } from '../../src/webrtc/RTCDataChannel.js';
import { needsPeer } from '../support/peers.js';
import {
  ChromiumPeer,
  Link,
  once,
  openChannelPair,
  type PageChannelInfo,
  pattern,
  patternText,
  received,
  sha256,
  summaryOf,
} from './chromium-peer.js';

/** 256 KiB: Chromium's a=max-message-size, and ours. */
const MAX = 262144;
const SIZES = [0, 1, 2, 100, 1199, 1200, 1201, 16383, 16384, 65535, 65536, 100_000, MAX];

test('Chromium: messages', needsPeer('chromium', 'chromium'), async (t) => {
  const peer = await ChromiumPeer.open();
  t.after(() => peer.close());

  await t.test('binary and strings of every size, both ways, up to max-message-size', async (t) => {
    const { link, channel, ch } = await openChannelPair(t, peer);
    assert.equal(link.node.sctp!.maxMessageSize, MAX);
    const pageState = await peer.call<{ maxMessageSize: number }>('state', link.page);
    assert.equal(pageState.maxMessageSize, MAX, "Chromium's view of our max-message-size");

    // Ours → Chromium: each size as binary, then as a string.
    const sent = [];
    for (const [i, size] of SIZES.entries()) {
      const bytes = pattern(size, i + 1);
      channel.send(bytes);
      sent.push(summaryOf(bytes));
      const text = patternText(size, i + 100);
      channel.send(text);
      sent.push(summaryOf(text));
    }
    assert.deepEqual(await peer.messages(ch, sent.length), sent);

    // Chromium → ours.
    const got = received<string | ArrayBuffer>(channel, SIZES.length * 2);
    for (const [i, size] of SIZES.entries()) {
      await peer.call('sendPattern', ch, size, i + 1);
      await peer.call('sendText', ch, size, i + 100);
    }
    const messages = await got;
    for (const [i, size] of SIZES.entries()) {
      const data = messages[2 * i];
      assert.ok(data instanceof ArrayBuffer, `binary message of ${size} bytes is an ArrayBuffer`);
      assert.ok(pattern(size, i + 1).equals(new Uint8Array(data)), `binary of ${size} bytes`);
      assert.equal(messages[2 * i + 1], patternText(size, i + 100), `string of ${size} bytes`);
    }

    // One byte over the limit is a TypeError on both sides and closes nothing.
    assert.throws(() => channel.send(new Uint8Array(MAX + 1)), TypeError);
    assert.throws(() => channel.send('x'.repeat(MAX + 1)), TypeError);
    await assert.rejects(peer.call('sendPattern', ch, MAX + 1, 1), /TypeError|max|size/i);
    channel.send('still open');
    const [last] = await peer.messages(ch, sent.length + 1).then((m) => m.slice(-1));
    assert.equal(last!.text, 'still open');
    assert.deepEqual(link.errors, []);
  });

  await t.test(
    '10,000 small messages each way, sent in one go, arrive whole and in order',
    async (t) => {
      const { channel, ch } = await openChannelPair(t, peer);
      const count = 10_000;
      const size = 100;
      const data = pattern(count * size, 21);
      await peer.call('receiveBulk', ch, data.length);
      for (let i = 0; i < count; i++) channel.send(data.subarray(i * size, (i + 1) * size));
      const there = await peer.call<{ sha256: string; messages: number }>('bulkResult', ch);
      assert.equal(there.messages, count);
      assert.equal(there.sha256, sha256(data));

      const hash = createHash('sha256');
      let messages = 0;
      const done = new Promise<void>((resolve) => {
        channel.onmessage = (e) => {
          hash.update(new Uint8Array((e as MessageEvent).data as ArrayBuffer));
          if (++messages === count) resolve();
        };
      });
      const sent = await peer.call<string>('sendBulk', ch, count * size, size, 22);
      await done;
      assert.equal(hash.digest('hex'), sent);
    },
  );

  await t.test("binaryType 'blob' on our side delivers Blobs", async (t) => {
    const { channel, ch } = await openChannelPair(t, peer, { offerer: 'chromium' });
    assert.equal(channel.binaryType, 'arraybuffer', 'the initial binaryType');
    channel.binaryType = 'blob';
    const got = received<Blob>(channel, 3);
    await peer.call('sendPattern', ch, 0, 1);
    await peer.call('sendPattern', ch, 5000, 2);
    await peer.call('sendText', ch, 10, 3);
    const [empty, blob, text] = await got;
    assert.ok(empty instanceof Blob && blob instanceof Blob);
    assert.equal(empty.size, 0);
    assert.ok(pattern(5000, 2).equals(new Uint8Array(await blob.arrayBuffer())));
    assert.equal(text, patternText(10, 3), 'strings stay strings');
    // A Blob sent from our side arrives as binary.
    channel.send(new Blob([pattern(3000, 4)]));
    channel.send('after the blob');
    const [b, s] = await peer.messages(ch, 2);
    assert.deepEqual(b, summaryOf(pattern(3000, 4)));
    assert.equal(s!.text, 'after the blob', 'order kept behind a Blob being read');
  });

  await t.test(
    'unordered and partially reliable channels: attributes on both sides, data arrives',
    async (t) => {
      const inits: Record<string, unknown>[] = [
        { ordered: false },
        { maxRetransmits: 0 },
        { maxRetransmits: 5, ordered: false },
        { maxPacketLifeTime: 150 },
        { maxPacketLifeTime: 1000, ordered: false, protocol: 'p' },
      ];
      const { link, channel: first, ch: firstCh } = await openChannelPair(t, peer);
      const expect = (init: Record<string, unknown>) => ({
        ordered: init.ordered ?? true,
        maxRetransmits: init.maxRetransmits ?? null,
        maxPacketLifeTime: init.maxPacketLifeTime ?? null,
        protocol: init.protocol ?? '',
      });
      const attributes = (c: PageChannelInfo | RTCDataChannel) => ({
        ordered: c.ordered,
        maxRetransmits: c.maxRetransmits,
        maxPacketLifeTime: c.maxPacketLifeTime,
        protocol: c.protocol,
      });
      for (const [i, init] of inits.entries()) {
        // Made by us: Chromium announces it with the same reliability.
        const ours = link.node.createDataChannel(`ours${i}`, init);
        const announced = peer.waitFor(
          (e) => e.event === 'datachannel' && (e.channel as PageChannelInfo).label === `ours${i}`,
          `datachannel ours${i}`,
        );
        await once(ours, 'open');
        const e = await announced;
        assert.deepEqual(
          attributes(e.channel as PageChannelInfo),
          expect(init),
          `ours${i} in Chromium`,
        );
        // Made by Chromium: we announce it with the same reliability.
        const theirsEvent = once<RTCDataChannelEvent>(link.node, 'datachannel');
        const made = await peer.call<{ ch: number }>(
          'createChannel',
          link.page,
          `theirs${i}`,
          init,
        );
        const theirs = (await theirsEvent).channel;
        assert.equal(theirs.label, `theirs${i}`);
        assert.deepEqual(attributes(theirs), expect(init), `theirs${i} here`);
        if (theirs.readyState !== 'open') await once(theirs, 'open');
        // Chromium's own end opens when our DCEP ACK reaches it, which may be after ours.
        await peer.channelEvent(made.ch, 'open');
        // 50 messages each way; on loopback nothing is lost, in whatever order.
        const count = 50;
        const here = received<string>(theirs, count);
        for (let m = 0; m < count; m++) ours.send(`m${m}`);
        for (let m = 0; m < count; m++) await peer.call('send', made.ch, `n${m}`);
        const there = await peer.messages(e.ch as number, count);
        const want = (p: string) => Array.from({ length: count }, (_, m) => `${p}${m}`).sort();
        assert.deepEqual(there.map((s) => s.text).sort(), want('m'));
        assert.deepEqual((await here).sort(), want('n'));
      }
      first.send('done');
      assert.equal((await peer.messages(firstCh, 1))[0]!.text, 'done');
    },
  );

  await t.test('pre-negotiated channels (negotiated: true, id) open without DCEP', async (t) => {
    const link = await Link.create(t, peer);
    let announced = false;
    link.node.addEventListener('datachannel', () => (announced = true));
    const ours = [3, 8, 1000].map((id) =>
      link.node.createDataChannel(`neg${id}`, { negotiated: true, id, ordered: id !== 8 }),
    );
    const theirs = [];
    for (const id of [3, 8, 1000]) {
      theirs.push(
        await peer.call<{ ch: number; channel: PageChannelInfo }>(
          'createChannel',
          link.page,
          `x${id}`,
          {
            negotiated: true,
            id,
            ordered: id !== 8,
          },
        ),
      );
    }
    await link.negotiate('node');
    await Promise.all(ours.map((c) => (c.readyState === 'open' ? undefined : once(c, 'open'))));
    for (const [i, c] of ours.entries()) {
      await peer.channelEvent(theirs[i]!.ch, 'open');
      assert.equal(c.negotiated, true);
      assert.equal(c.id, theirs[i]!.channel.id);
      const got = received<string>(c, 1);
      c.send(`to ${c.id}`);
      await peer.call('send', theirs[i]!.ch, `from ${c.id}`);
      assert.equal((await peer.messages(theirs[i]!.ch, 1))[0]!.text, `to ${c.id}`);
      assert.deepEqual(await got, [`from ${c.id}`]);
    }
    assert.equal(announced, false, 'no datachannel event here');
    assert.equal(
      peer.events.some((e) => e.pc === link.page && e.event === 'datachannel'),
      false,
      'none in Chromium',
    );
  });

  await t.test(
    'fifty channels on one connection, made by both sides, all carry data',
    async (t) => {
      const { link } = await openChannelPair(t, peer, { offerer: 'chromium' });
      const perSide = 25;
      const remote = new Map<string, RTCDataChannel>();
      link.node.addEventListener('datachannel', (e) => {
        const c = (e as RTCDataChannelEvent).channel;
        remote.set(c.label, c);
      });
      const ours = Array.from({ length: perSide }, (_, i) => link.node.createDataChannel(`n${i}`));
      const oursOpen = Promise.all(ours.map((c) => once(c, 'open')));
      const theirs = [];
      for (let i = 0; i < perSide; i++) {
        theirs.push(await peer.call<{ ch: number }>('createChannel', link.page, `c${i}`, {}));
      }
      await oursOpen;
      const theirsInPage = await Promise.all(
        ours.map((c) =>
          peer.waitFor(
            (e) => e.event === 'datachannel' && (e.channel as PageChannelInfo).label === c.label,
            `datachannel ${c.label}`,
          ),
        ),
      );
      for (const { ch } of theirs) await peer.channelEvent(ch, 'open');
      while (remote.size < perSide) await once(link.node, 'datachannel');
      for (const c of remote.values()) if (c.readyState !== 'open') await once(c, 'open');
      const ids = new Set([...ours, ...remote.values()].map((c) => c.id));
      assert.equal(ids.size, 2 * perSide, 'distinct stream ids');

      // Every channel carries a message each way.
      const here = [...remote.entries()].map(([label, c]) =>
        received<string>(c, 1).then(([m]) => assert.equal(m, `to ${label}`)),
      );
      for (const [i, c] of ours.entries()) c.send(`from n${i}`);
      for (const [i, { ch }] of theirs.entries()) await peer.call('send', ch, `to c${i}`);
      await Promise.all(here);
      for (const [i, e] of theirsInPage.entries()) {
        assert.equal((await peer.messages(e.ch as number, 1))[0]!.text, `from n${i}`);
      }
      assert.deepEqual(link.errors, []);
    },
  );
});
