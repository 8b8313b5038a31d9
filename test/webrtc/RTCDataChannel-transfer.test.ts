/**
 * RTCDataChannel between two ends over two associations linked in memory, driven by real
 * timers as RTCPeerConnection drives them: open, messages, bufferedAmount, closing, errors.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  announceDataChannelOpen,
  connectDataChannel,
  createDataChannel,
  createRemoteDataChannel,
  type DataChannelHost,
  dataChannelCounters,
  type RTCDataChannel,
  type RTCDataChannelInit,
} from '../../src/webrtc/RTCDataChannel.js';
import { RTCErrorEvent } from '../../src/webrtc/RTCError.js';
import { type LinkedEndpoint, linkedEndpoints } from '../datachannel/link.js';

const MAX_MESSAGE = 262144;

interface Pair {
  dc1: RTCDataChannel;
  dc2: RTCDataChannel;
  a: LinkedEndpoint;
  b: LinkedEndpoint;
  /** RTCDataChannelEvents at B, for channels A opens later. */
  incoming: RTCDataChannel[];
  close(): void;
}

/** The peer connection's part for B: incoming DCEP channels become RTCDataChannels. */
function acceptChannels(
  b: LinkedEndpoint,
  host: DataChannelHost,
  incoming: RTCDataChannel[],
  onChannel?: (dc: RTCDataChannel) => void,
): void {
  b.onChannel = (dcep) => {
    const channel = createRemoteDataChannel(dcep, host);
    setImmediate(() => {
      incoming.push(channel);
      onChannel?.(channel);
      announceDataChannelOpen(channel);
    });
  };
}

/** Like the WPT createDataChannelPair: two channels, both open. */
async function channelPair(
  init: RTCDataChannelInit = {},
  host: DataChannelHost = { maxMessageSize: MAX_MESSAGE, maxBufferSize: 16 * 1024 * 1024 },
  onRemoteChannel?: (dc: RTCDataChannel, local: RTCDataChannel) => void,
): Promise<Pair> {
  const { a, b, connected } = linkedEndpoints({ remoteMaxMessageSize: MAX_MESSAGE });
  const incoming: RTCDataChannel[] = [];
  const dc1 = createDataChannel('', init);
  acceptChannels(b, host, incoming, onRemoteChannel && ((dc) => onRemoteChannel(dc, dc1)));
  const open1 = once(dc1, 'open');
  let dc2: RTCDataChannel;
  if (init.negotiated) {
    dc2 = createDataChannel('', init);
    await connected;
    connectDataChannel(dc1, a.endpoint, host);
    connectDataChannel(dc2, b.endpoint, host);
    await Promise.all([open1, once(dc2, 'open')]);
  } else {
    await connected;
    connectDataChannel(dc1, a.endpoint, host);
    await open1;
    while (incoming.length === 0) await tick();
    dc2 = incoming.shift()!;
    if (dc2.readyState !== 'open') await once(dc2, 'open');
    await tick();
  }
  return {
    dc1,
    dc2,
    a,
    b,
    incoming,
    close: () => {
      a.endpoint.association.abort(0);
      b.endpoint.association.abort(0);
      a.stop();
      b.stop();
    },
  };
}

function once(target: EventTarget, type: string): Promise<Event> {
  return new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));
}

function message(channel: RTCDataChannel): Promise<unknown> {
  return once(channel, 'message').then((e) => (e as MessageEvent).data);
}

const tick = () => new Promise((r) => setImmediate(r));

function bytes(data: unknown): number[] {
  assert.ok(data instanceof ArrayBuffer, 'an ArrayBuffer');
  return [...new Uint8Array(data)];
}

for (const options of [{}, { negotiated: true, id: 0 }] as RTCDataChannelInit[]) {
  const mode = options.negotiated ? 'negotiated' : 'in-band';

  test(`${mode}: strings, unicode, empty and binary messages arrive as the right types`, async () => {
    const p = await channelPair(options);
    try {
      const got: unknown[] = [];
      p.dc2.onmessage = (e) => got.push(e.data);
      p.dc1.send('hello');
      p.dc1.send('世界你好');
      p.dc1.send('');
      p.dc1.send(Uint8Array.of(0x68, 0x65));
      p.dc1.send(new ArrayBuffer(0));
      const view = new Uint8Array([9, 8, 7, 6, 5]);
      p.dc1.send(view.subarray(1, 3)); // byteOffset and byteLength respected
      p.dc1.send(new DataView(view.buffer, 3, 2));
      p.dc1.send(new Blob(['blob!']));
      p.dc1.send(new Uint16Array([0x0102]));
      view[1] = 0; // changes after send() do not reach the peer
      while (got.length < 9) await tick();
      assert.equal(got[0], 'hello');
      assert.equal(got[1], '世界你好');
      assert.equal(got[2], '');
      assert.deepEqual(bytes(got[3]), [0x68, 0x65]);
      assert.deepEqual(bytes(got[4]), []);
      assert.deepEqual(bytes(got[5]), [8, 7]);
      assert.deepEqual(bytes(got[6]), [6, 5]);
      assert.deepEqual(bytes(got[7]), [...Buffer.from('blob!')]);
      assert.deepEqual(bytes(got[8]), [...new Uint8Array(new Uint16Array([0x0102]).buffer)]);
    } finally {
      p.close();
    }
  });

  test(`${mode}: each channel counts its messages and payload bytes, sent and received`, async () => {
    let opened = 0;
    let closed = 0;
    const host: DataChannelHost = {
      maxMessageSize: 1000,
      channelOpened: () => opened++,
      channelClosed: () => closed++,
    };
    const p = await channelPair(options, host);
    try {
      assert.equal(opened, 2, 'both ends announced open');
      const got: unknown[] = [];
      p.dc2.onmessage = (e) => got.push(e.data);
      p.dc1.send('héllo'); // 6 bytes of UTF-8
      p.dc1.send('');
      p.dc1.send(new Blob(['blob!']));
      p.dc1.send(new Uint8Array(1000));
      assert.throws(() => p.dc1.send(new Uint8Array(1001)), TypeError);
      while (got.length < 4) await tick();
      const sent = { messagesSent: 4, bytesSent: 1011, messagesReceived: 0, bytesReceived: 0 };
      assert.deepEqual(dataChannelCounters(p.dc1), sent);
      assert.deepEqual(dataChannelCounters(p.dc2), {
        messagesSent: 0,
        bytesSent: 0,
        messagesReceived: 4,
        bytesReceived: 1011,
      });
      p.dc2.close();
      while (p.dc1.readyState !== 'closed' || p.dc2.readyState !== 'closed') await tick();
      await tick();
      assert.equal(closed, 2, 'both ends announced closed');
      assert.deepEqual(dataChannelCounters(p.dc1), sent, 'kept once closed');
    } finally {
      p.close();
    }
  });

  test(`${mode}: binaryType "blob" gives Blobs; strings stay strings; the origin is ''`, async () => {
    const p = await channelPair(options);
    try {
      p.dc2.binaryType = 'blob';
      p.dc1.send(Uint8Array.of(1, 2, 3));
      const e = (await once(p.dc2, 'message')) as MessageEvent;
      assert.ok(e.data instanceof Blob);
      assert.deepEqual([...new Uint8Array(await (e.data as Blob).arrayBuffer())], [1, 2, 3]);
      assert.equal(e.origin, '');
      assert.ok(e instanceof MessageEvent);
      p.dc1.send('text');
      assert.equal(await message(p.dc2), 'text');
    } finally {
      p.close();
    }
  });

  test(`${mode}: a Blob keeps its place among the sends after it`, async () => {
    const p = await channelPair(options);
    try {
      const got: unknown[] = [];
      p.dc2.onmessage = (e) => got.push(e.data);
      p.dc1.send(new Blob(['blob']));
      p.dc1.send(new ArrayBuffer(8));
      p.dc1.send('after');
      p.dc1.send(new Blob([new Uint8Array(3)]));
      p.dc1.send('last');
      assert.equal(p.dc1.bufferedAmount, 4 + 8 + 5 + 3 + 4);
      while (got.length < 5) await tick();
      assert.deepEqual(bytes(got[0]), [...Buffer.from('blob')]);
      assert.equal((got[1] as ArrayBuffer).byteLength, 8);
      assert.equal(got[2], 'after');
      assert.equal((got[3] as ArrayBuffer).byteLength, 3);
      assert.equal(got[4], 'last');
    } finally {
      p.close();
    }
  });

  test(`${mode}: bufferedAmount rises at send(), falls as data leaves, bufferedamountlow fires`, async () => {
    const p = await channelPair(options);
    try {
      const { dc1, dc2 } = p;
      assert.equal(dc1.bufferedAmount, 0);
      assert.equal(dc2.bufferedAmount, 0);
      let lows = 0;
      dc1.onbufferedamountlow = () => {
        assert.ok(dc1.bufferedAmount <= dc1.bufferedAmountLowThreshold);
        lows++;
      };
      dc1.send('世界你好');
      assert.equal(dc1.bufferedAmount, 12);
      dc1.send('');
      assert.equal(dc1.bufferedAmount, 12, 'empty messages add nothing');
      dc1.send(new Blob(['hello']));
      assert.equal(dc1.bufferedAmount, 17, 'a Blob counts at once');
      assert.equal(dc1.bufferedAmount, 17, 'and stays so within the task');
      const got: unknown[] = [];
      dc2.onmessage = (e) => got.push(e.data);
      while (got.length < 3) await tick();
      assert.equal(dc1.bufferedAmount, 0);
      assert.equal(lows, 1, 'once after several sends');
      dc1.send('x');
      await once(dc1, 'bufferedamountlow');
      assert.equal(lows, 2, 'again after each drop to the threshold');
      // A large message falls in steps; with a threshold, the event fires when crossing it.
      dc1.bufferedAmountLowThreshold = 100_000;
      dc1.send(new Uint8Array(200_000));
      assert.equal(dc1.bufferedAmount, 200_000);
      await once(dc1, 'bufferedamountlow');
      assert.ok(dc1.bufferedAmount <= 100_000 && dc1.bufferedAmount >= 0);
      assert.equal(lows, 3);
    } finally {
      p.close();
    }
  });

  test(`${mode}: messages too large for maxMessageSize are a TypeError, too much buffered an OperationError`, async () => {
    const host = { maxMessageSize: 1000, maxBufferSize: 2500 };
    const p = await channelPair(options, host);
    try {
      assert.throws(() => p.dc1.send(new Uint8Array(1001)), TypeError);
      assert.throws(() => p.dc1.send('é'.repeat(501)), TypeError);
      assert.throws(() => p.dc1.send(new Blob([new Uint8Array(1001)])), TypeError);
      p.dc1.send(new Uint8Array(1000));
      p.dc1.send(new Uint8Array(1000));
      assert.throws(
        () => p.dc1.send(new Uint8Array(1000)),
        (e: unknown) => e instanceof DOMException && e.name === 'OperationError',
      );
      assert.equal(p.dc1.bufferedAmount, 2000);
    } finally {
      p.close();
    }
  });

  test(`${mode}: close() — closing at once, the peer sees closing then close, no errors`, async () => {
    const p = await channelPair(options);
    try {
      const seen1: string[] = [];
      const seen2: string[] = [];
      for (const t of ['closing', 'close', 'error']) {
        p.dc1.addEventListener(t, () => seen1.push(t));
        p.dc2.addEventListener(t, () => seen2.push(`${t}:${p.dc2.readyState}`));
      }
      p.dc1.send('hello');
      assert.equal(p.dc1.bufferedAmount, 5);
      p.dc1.close();
      assert.equal(p.dc1.readyState, 'closing');
      assert.equal(p.dc1.bufferedAmount, 5, 'not decreased by closing');
      assert.throws(
        () => p.dc1.send('x'),
        (e: unknown) => (e as DOMException).name === 'InvalidStateError',
      );
      p.dc1.close();
      const closed1 = once(p.dc1, 'close');
      await once(p.dc2, 'close');
      await closed1;
      assert.deepEqual(seen2, ['closing:closing', 'close:closed']);
      assert.deepEqual(seen1, ['close']);
      assert.equal(p.dc1.readyState, 'closed');
      assert.equal(p.dc2.readyState, 'closed');
    } finally {
      p.close();
    }
  });

  test(`${mode}: everything sent before close() arrives before the close`, async () => {
    const p = await channelPair(options);
    try {
      let received = 0;
      p.dc2.binaryType = 'arraybuffer';
      p.dc2.onmessage = (e) => {
        received += typeof e.data === 'string' ? e.data.length : (e.data as ArrayBuffer).byteLength;
      };
      let sent = 0;
      for (let i = 0; i < 40; i++) {
        const data =
          i % 3 === 0
            ? 'x'.repeat(20_000)
            : i % 3 === 1
              ? new Uint8Array(64 * 1024)
              : new Blob([new Uint8Array(30_000)]);
        p.dc1.send(data);
        sent +=
          typeof data === 'string' ? data.length : 'size' in data ? data.size : data.byteLength;
      }
      p.dc1.close();
      await once(p.dc2, 'close');
      assert.equal(received, sent);
    } finally {
      p.close();
    }
  });

  test(`${mode}: the association aborted by the peer: error (sctp-failure) then close`, async () => {
    const p = await channelPair(options);
    const events: string[] = [];
    let error: RTCErrorEvent | undefined;
    p.dc2.addEventListener('error', (e) => {
      events.push('error');
      error = e as RTCErrorEvent;
    });
    p.dc2.addEventListener('close', () => events.push('close'));
    p.a.endpoint.association.abort(0);
    await once(p.dc2, 'close');
    assert.deepEqual(events, ['error', 'close']);
    assert.ok(error instanceof RTCErrorEvent);
    assert.equal(error.error.name, 'OperationError');
    assert.equal(error.error.errorDetail, 'sctp-failure');
    assert.equal(error.error.sctpCauseCode, 12);
    p.close();
  });
}

test('ids: the DTLS client opens even ids, the server odd ones', async () => {
  const p = await channelPair();
  try {
    assert.equal(p.dc1.id, 0);
    assert.equal(p.dc2.id, 0);
    const host = { maxMessageSize: MAX_MESSAGE };
    const more = [createDataChannel('a'), createDataChannel('b')];
    for (const c of more) connectDataChannel(c, p.a.endpoint, host);
    assert.deepEqual(
      more.map((c) => c.id),
      [2, 4],
    );
    const fromB = createDataChannel('c');
    connectDataChannel(fromB, p.b.endpoint, host);
    assert.equal(fromB.id, 1);
    const neg = createDataChannel('n', { negotiated: true, id: 6 });
    connectDataChannel(neg, p.a.endpoint, host);
    assert.equal(neg.id, 6);
  } finally {
    p.close();
  }
});

test('a channel whose id is taken or beyond the streams fails with data-channel-failure', async () => {
  const p = await channelPair();
  try {
    const host = { maxMessageSize: MAX_MESSAGE };
    const taken = createDataChannel('t', { negotiated: true, id: 0 });
    const errors: string[] = [];
    taken.onerror = (e) => errors.push(e.error.errorDetail);
    connectDataChannel(taken, p.a.endpoint, host);
    await once(taken, 'close');
    assert.deepEqual(errors, ['data-channel-failure']);
    assert.equal(taken.readyState, 'closed');
  } finally {
    p.close();
  }
});

test('the remote side may send from its datachannel handler, before its open event', async () => {
  const sends: string[] = [];
  let heard: Promise<unknown> | undefined;
  const p = await channelPair({}, undefined, (dc, local) => {
    assert.equal(dc.readyState, 'open');
    // Listening from now: the message may arrive before channelPair returns.
    heard = message(local);
    dc.send('from the handler');
    sends.push('sent');
  });
  try {
    assert.deepEqual(sends, ['sent']);
    assert.equal(await heard, 'from the handler');
  } finally {
    p.close();
  }
});

test('events come from tasks: a promise awaited in one handler resolves before the next event', async () => {
  const p = await channelPair();
  try {
    const toSend = Array.from({ length: 100 }, (_, i) => `So anyway I started blastin' ${i}`);
    const received: unknown[] = [];
    const receiving = (async () => {
      while (received.length < toSend.length) {
        const { data } = await new Promise<MessageEvent>((r) => {
          p.dc2.onmessage = r;
        });
        received.push(data);
      }
    })();
    for (const m of toSend) p.dc1.send(m);
    await receiving;
    assert.deepEqual(received, toSend);
  } finally {
    p.close();
  }
});

test('unordered and partially reliable channels carry messages too', async () => {
  for (const init of [
    { ordered: false },
    { maxRetransmits: 0 },
    { maxPacketLifeTime: 500, ordered: false },
  ]) {
    const p = await channelPair(init);
    try {
      assert.equal(p.dc2.ordered, init.ordered ?? true);
      assert.equal(p.dc2.maxRetransmits, init.maxRetransmits ?? null);
      assert.equal(p.dc2.maxPacketLifeTime, init.maxPacketLifeTime ?? null);
      const got: unknown[] = [];
      p.dc2.onmessage = (e) => got.push(e.data);
      for (let i = 0; i < 20; i++) p.dc1.send(`m${i}`);
      while (got.length < 20) await tick();
      assert.deepEqual(new Set(got).size, 20);
    } finally {
      p.close();
    }
  }
});
