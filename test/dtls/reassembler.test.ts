import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ContentType } from '../../src/dtls/constants.js';
import { type FlightEntry, packFlight, type RecordWriter } from '../../src/dtls/flight.js';
import { encodeHandshake } from '../../src/dtls/handshake/header.js';
import { type HandshakeFragment, HandshakeReassembler } from '../../src/dtls/reassembler.js';
import { RECORD_HEADER_LENGTH } from '../../src/dtls/record.js';
import { prng } from '../support/simnet.js';

/** A record writer with plaintext records and a fixed overhead for epoch 1. */
function writer(): RecordWriter & { seqs: number[] } {
  const seqs = [0, 0];
  return {
    seqs,
    overhead: (epoch) => (epoch === 1 ? 24 : 0),
    record: (type, epoch, fragment) => {
      const r = Buffer.alloc(RECORD_HEADER_LENGTH + fragment.length + (epoch === 1 ? 24 : 0));
      r[0] = type;
      r.writeUInt16BE(0xfefd, 1);
      r.writeUInt16BE(epoch, 3);
      r.writeUIntBE(seqs[epoch]!++, 5, 6);
      r.writeUInt16BE(r.length - RECORD_HEADER_LENGTH, 11);
      fragment.copy(r, RECORD_HEADER_LENGTH + (epoch === 1 ? 8 : 0));
      return r;
    },
  };
}

/** Splits datagrams into the handshake fragments they carry. */
function fragmentsOf(datagrams: Buffer[]): HandshakeFragment[] {
  const out: HandshakeFragment[] = [];
  for (const d of datagrams) {
    for (let at = 0; at < d.length; ) {
      const type = d[at]!;
      const epoch = d.readUInt16BE(at + 3);
      const length = d.readUInt16BE(at + 11);
      const body = d.subarray(
        at + 13 + (epoch === 1 ? 8 : 0),
        at + 13 + length - (epoch === 1 ? 16 : 0),
      );
      if (type === ContentType.handshake) {
        out.push({
          msgType: body[0]!,
          length: body.readUIntBE(1, 3),
          messageSeq: body.readUInt16BE(4),
          fragmentOffset: body.readUIntBE(6, 3),
          fragment: body.subarray(12, 12 + body.readUIntBE(9, 3)),
          epoch,
          recordSequence: d.readUIntBE(at + 5, 6),
        });
      }
      at += 13 + length;
    }
  }
  return out;
}

const messages = [
  encodeHandshake(2, 0, randomBytes(90)),
  encodeHandshake(11, 1, randomBytes(1500)),
  encodeHandshake(12, 2, randomBytes(150)),
  encodeHandshake(13, 3, randomBytes(40)),
  encodeHandshake(14, 4, Buffer.alloc(0)),
];
const finished = encodeHandshake(20, 5, randomBytes(12));
const flight: FlightEntry[] = [
  ...messages.map(
    (message) => ({ contentType: ContentType.handshake, epoch: 0, message }) as const,
  ),
  { contentType: ContentType.change_cipher_spec, epoch: 0 },
  { contentType: ContentType.handshake, epoch: 1, message: finished },
];

test('packFlight fits every datagram into the MTU and packs several records per datagram', () => {
  for (const mtu of [100, 150, 300, 576, 1200, 1500]) {
    const datagrams = packFlight(flight, mtu, writer());
    for (const d of datagrams) assert.ok(d.length <= mtu, `${d.length} > ${mtu}`);
    if (mtu >= 1200) assert.ok(datagrams.length <= 3, `${datagrams.length} datagrams at ${mtu}`);
    // every byte of every message is carried
    const r = new HandshakeReassembler();
    for (const f of fragmentsOf(datagrams)) assert.equal(r.add(f), 'accepted');
    const got = [];
    for (let m = r.pop(); m; m = r.pop()) got.push(m.raw);
    assert.deepEqual(got, [...messages, finished]);
  }
});

test('retransmissions use fresh record sequence numbers', () => {
  const w = writer();
  const first = packFlight(flight, 1200, w);
  const again = packFlight(flight, 1200, w);
  assert.notEqual(first[0]!.readUIntBE(5, 6), again[0]!.readUIntBE(5, 6));
});

test('reassembly in any order, with duplicates and overlaps, delivers each message once and in order', () => {
  const random = prng(42);
  const all = fragmentsOf(packFlight(flight, 120, writer()));
  for (let round = 0; round < 50; round++) {
    const r = new HandshakeReassembler();
    const input = [...all, ...all.filter(() => random() < 0.3)];
    for (let i = input.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [input[i], input[j]] = [input[j]!, input[i]!];
    }
    const got: number[] = [];
    for (const f of input) {
      r.add(f);
      for (let m = r.pop(); m; m = r.pop()) got.push(m.messageSeq);
    }
    assert.deepEqual(got, [0, 1, 2, 3, 4, 5]);
  }
});

test('overlapping fragments of different sizes complete a message', () => {
  const m = encodeHandshake(11, 0, Buffer.from('abcdefghijklmnopqrstuvwxyz'));
  const r = new HandshakeReassembler();
  const frag = (offset: number, len: number): HandshakeFragment => ({
    msgType: 11,
    length: 26,
    messageSeq: 0,
    fragmentOffset: offset,
    fragment: m.subarray(12 + offset, 12 + offset + len),
    epoch: 0,
    recordSequence: 0,
  });
  r.add(frag(10, 10));
  r.add(frag(0, 5));
  assert.equal(r.pop(), undefined);
  r.add(frag(3, 9));
  assert.equal(r.pop(), undefined);
  r.add(frag(18, 8));
  const got = r.pop();
  assert.deepEqual(got?.body.toString(), 'abcdefghijklmnopqrstuvwxyz');
  assert.deepEqual(got?.raw, m);
});

test('bounds: old, too far ahead, too long, past its own length, inconsistent, and too much buffered', () => {
  const r = new HandshakeReassembler({ window: 4, maxMessageLength: 1000, maxBufferedBytes: 1500 });
  const f = (
    messageSeq: number,
    length: number,
    fragmentOffset = 0,
    n = 1,
    msgType = 1,
    epoch = 0,
  ): HandshakeFragment => ({
    msgType,
    length,
    messageSeq,
    fragmentOffset,
    fragment: Buffer.alloc(n),
    epoch,
    recordSequence: 0,
  });
  assert.equal(r.add(f(4, 10)), 'dropped'); // outside the window
  assert.equal(r.add(f(0, 1001)), 'dropped'); // too long
  assert.equal(r.add(f(0, 10, 9, 2)), 'dropped'); // runs past the length
  assert.equal(r.add(f(0, 900)), 'accepted');
  assert.equal(r.add(f(0, 800)), 'dropped'); // length differs from the first fragment
  assert.equal(r.add(f(0, 900, 1, 1, 2)), 'dropped'); // type differs
  assert.equal(r.add(f(0, 900, 1, 1, 1, 1)), 'dropped'); // epoch differs
  assert.equal(r.add(f(1, 700)), 'dropped'); // 900 + 700 > 1500 buffered
  assert.equal(r.add(f(1, 600)), 'accepted');
  assert.equal(r.add(f(0, 900, 0, 900)), 'accepted');
  assert.equal(r.pop()?.messageSeq, 0);
  assert.equal(r.add(f(0, 10)), 'old');
  r.reset(7);
  assert.equal(r.next, 7);
  assert.equal(r.add(f(6, 10)), 'old');
  assert.equal(r.add(f(7, 0, 0, 0)), 'accepted');
  assert.equal(r.pop()?.body.length, 0);
});

test('huge claimed lengths allocate nothing', () => {
  const r = new HandshakeReassembler();
  const before = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 1000; i++) {
    r.add({
      msgType: 11,
      length: 0xffffff,
      messageSeq: i % 8,
      fragmentOffset: 0xfffff0,
      fragment: Buffer.alloc(15),
      epoch: 0,
      recordSequence: 0,
    });
  }
  assert.ok(process.memoryUsage().arrayBuffers - before < 1 << 20);
});
