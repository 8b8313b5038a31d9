/**
 * Regression: a message gathered from fragments is kept as at most 32 disjoint ranges, so
 * that each fragment costs the same however many came before. Found by
 * test/robustness/bounds-dtls.test.ts: one-byte fragments at every other offset of a 32 KB
 * message made the range list grow with each one and rebuilt it whole every time, 16000 of
 * them (about 360 datagrams) taking seconds of CPU.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type HandshakeFragment, HandshakeReassembler } from '../../src/dtls/reassembler.js';
import { prng } from '../support/simnet.js';

function piece(
  body: Buffer,
  offset: number,
  length: number,
  recordSequence = 0,
): HandshakeFragment {
  return {
    msgType: 11,
    length: body.length,
    messageSeq: 0,
    fragmentOffset: offset,
    fragment: body.subarray(offset, offset + length),
    epoch: 0,
    recordSequence,
  };
}

test('tiny fragments with gaps between them: the 33rd gap is dropped, and each costs the same', () => {
  const body = Buffer.alloc(32_000, 1);
  const r = new HandshakeReassembler();
  const results: string[] = [];
  const t0 = performance.now();
  for (let k = 0; k < 16_000; k++) results.push(r.add(piece(body, 2 * k, 1, k)));
  const ms = performance.now() - t0;
  assert.deepEqual(results.slice(0, 32), Array(32).fill('accepted'));
  assert.ok(results.slice(32).every((x) => x === 'dropped'));
  assert.ok(ms < 500, `16000 fragments took ${ms.toFixed(0)} ms`);
  // A fragment that joins held ranges together is still taken.
  assert.equal(r.add(piece(body, 1, 2)), 'accepted');
});

test('a message in 64 pieces arriving in any order is gathered, at worst after a retransmission', () => {
  const body = Buffer.from(Array.from({ length: 6400 }, (_, i) => i & 0xff));
  const random = prng(3);
  const order = Array.from({ length: 64 }, (_, i) => i).sort(() => random() - 0.5);
  const r = new HandshakeReassembler();
  for (const i of order) r.add(piece(body, i * 100, 100));
  let message = r.pop();
  if (!message) {
    // Pieces refused while 32 gaps were open come again with the peer's retransmitted flight.
    for (const i of order) r.add(piece(body, i * 100, 100, 1));
    message = r.pop();
  }
  assert.ok(message);
  assert.deepEqual(message.body, body);
});
