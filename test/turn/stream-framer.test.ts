import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeChannelData, Method, Software, StunWriter } from '../../src/stun/index.js';
import {
  StreamFramer,
  TURN_FRAME_HEADER_LENGTH,
  turnFrameLength,
} from '../../src/turn/stream-framer.js';
import { prng } from '../support/simnet.js';

function messages(count: number, random: () => number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const size = Math.floor(random() * 1500);
    if (random() < 0.5) out.push(encodeChannelData(0x4000 + i, Buffer.alloc(size, i), true));
    else
      out.push(
        new StunWriter(Method.Send, 'indication').add(Software, 'x'.repeat(size % 700)).finish(),
      );
  }
  return out;
}

function framer() {
  const frames: Buffer[] = [];
  const f = new StreamFramer(TURN_FRAME_HEADER_LENGTH, turnFrameLength, (frame) =>
    frames.push(Buffer.from(frame)),
  );
  return { f, frames };
}

test('a stream cut at random places gives back every message, whole', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const random = prng(seed);
    const sent = messages(40, random);
    const stream = Buffer.concat(sent);
    const { f, frames } = framer();
    for (let offset = 0; offset < stream.length; ) {
      const n = 1 + Math.floor(random() * (random() < 0.3 ? 8 : 3000));
      assert.equal(f.push(stream.subarray(offset, offset + n)), true);
      offset += n;
    }
    assert.deepEqual(frames, sent);
    assert.equal(f.buffered, 0);
  }
});

test('byte by byte, and several messages in one read', () => {
  const sent = messages(10, prng(99));
  const stream = Buffer.concat(sent);
  const one = framer();
  for (const byte of stream) one.f.push(Buffer.of(byte));
  assert.deepEqual(one.frames, sent);
  const all = framer();
  all.f.push(stream);
  assert.deepEqual(all.frames, sent);
});

test('a whole message inside one read is a view, not a copy', () => {
  const seen: Buffer[] = [];
  const f = new StreamFramer(TURN_FRAME_HEADER_LENGTH, turnFrameLength, (frame) =>
    seen.push(frame),
  );
  const chunk = Buffer.concat(messages(3, prng(5)));
  f.push(chunk);
  assert.equal(seen.length, 3);
  for (const frame of seen) assert.equal(frame.buffer, chunk.buffer);
});

test('ChannelData padding is consumed with its message; an empty one is a frame', () => {
  const { f, frames } = framer();
  f.push(
    Buffer.concat([
      encodeChannelData(0x4001, Buffer.from('a'), true),
      encodeChannelData(0x4002, Buffer.alloc(0), true),
    ]),
  );
  assert.equal(frames.length, 2);
  assert.equal(frames[0]!.length, 8);
  assert.equal(frames[1]!.length, 4);
});

test('bytes that cannot start a message make the stream unusable', () => {
  const { f, frames } = framer();
  assert.equal(f.push(Buffer.from([0x80, 0, 0, 0])), false);
  assert.equal(f.push(encodeChannelData(0x4000, Buffer.from('x'), true)), false);
  assert.equal(frames.length, 0);
  // A STUN length that is not a multiple of 4 is not STUN.
  const g = framer();
  assert.equal(g.f.push(Buffer.from([0x00, 0x01, 0x00, 0x03])), false);
});

test('a header split across reads is reassembled before its length is read', () => {
  const { f, frames } = framer();
  const m = encodeChannelData(0x4000, Buffer.from('hello'), true);
  f.push(m.subarray(0, 1));
  f.push(m.subarray(1, 3));
  assert.equal(f.buffered, 3);
  f.push(m.subarray(3));
  assert.deepEqual(frames, [m]);
});
