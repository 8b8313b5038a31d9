/**
 * The SCTP receive side under a peer that floods it (RFC 9260 §6.2: a receiver without room
 * drops DATA unacknowledged; the sender retransmits it later): the receive window, messages
 * held for order, fragments of messages that never complete, TSN gaps, duplicates, DATA on
 * streams that do not exist. For each, the bound holds, what is dropped is only what the
 * protocol lets a receiver drop, and memory stays flat however long the flood goes on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repairPacket, SCTP_OPTIONS, SctpLink } from '../../fuzz/targets/sctp.js';
import { Association } from '../../src/sctp/association.js';
import { ChunkType } from '../../src/sctp/chunk.js';
import { SackChunk } from '../../src/sctp/chunks/sack.js';
import { ChunkReader } from '../../src/sctp/packet.js';
import { growth, MB } from './memory.js';

const WINDOW = SCTP_OPTIONS.receiveBufferSize;
const B = 2;
const E = 1;
const U = 4;

interface Delivered {
  streamId: number;
  data: Buffer;
}

/** An established link; end a (the one flooded) reports its messages. */
function established(): { link: SctpLink; delivered: Delivered[] } {
  const delivered: Delivered[] = [];
  const link = new SctpLink(
    (cb) =>
      new Association(SCTP_OPTIONS, {
        ...cb,
        onMessage: (streamId, _ppid, data) => delivered.push({ streamId, data: Buffer.from(data) }),
      }),
  );
  link.a.assoc.connect(link.now);
  link.b.assoc.connect(link.now);
  link.settle(1000);
  assert.equal(link.a.assoc.state, 'established');
  return { link, delivered };
}

function dataChunk(
  flags: number,
  tsn: number,
  streamId: number,
  ssn: number,
  payload: Buffer,
): Buffer {
  const c = Buffer.alloc(16 + ((payload.length + 3) & ~3));
  c[0] = ChunkType.DATA;
  c[1] = flags;
  c.writeUInt16BE(16 + payload.length, 2);
  c.writeUInt32BE(tsn >>> 0, 4);
  c.writeUInt16BE(streamId, 8);
  c.writeUInt16BE(ssn & 0xffff, 10);
  c.writeUInt32BE(53, 12);
  payload.copy(c, 16);
  return c;
}

/** Chunks from b to a as one packet with the right tag and checksum. */
function deliver(link: SctpLink, ...chunks: Buffer[]): void {
  const packet = repairPacket(
    Buffer.concat([Buffer.alloc(12), ...chunks]),
    link.b,
    link.a,
    false,
    false,
  );
  link.a.assoc.handlePacket(packet, link.now);
}

/** The SACKs a sent to b since the last call (b does not read them). */
function sacks(link: SctpLink): SackChunk[] {
  const out: SackChunk[] = [];
  for (const p of link.b.inbox.splice(0)) {
    const r = new ChunkReader().reset(p);
    while (r.next()) if (r.type === ChunkType.SACK) out.push(SackChunk.decode(r.flags, r.value)!);
  }
  return out;
}

test('messages held for an earlier SSN fill the window, then DATA is dropped unacknowledged; memory stays flat', () => {
  const { link, delivered } = established();
  const first = link.b.tsn + 1;
  let tsn = first + 1; // TSN `first` carries SSN 0 and is held back
  let ssn = 1;
  const payload = Buffer.alloc(1000, 7);
  const flood = (n: number) => {
    for (let i = 0; i < n; i++) deliver(link, dataChunk(B | E, tsn++, 0, ssn++, payload));
    link.b.inbox.length = 0;
  };
  const grew = growth(flood, 200);
  const r = link.a.assoc.receiveBuffer;
  assert.ok(r.queuedBytes <= WINDOW, `${r.queuedBytes} bytes held`);
  assert.ok(r.queuedBytes > WINDOW - 2 * payload.length, 'the window filled');
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB over 2000 more messages`);
  assert.equal(delivered.length, 0);
  // The next SACK says the window is shut, and acknowledges nothing that was dropped.
  deliver(link, dataChunk(B | E, tsn, 0, ssn, payload));
  const [sack] = sacks(link);
  assert.ok(
    sack!.advertisedReceiverWindowCredit < payload.length,
    `a_rwnd ${sack!.advertisedReceiverWindowCredit}`,
  );
  const held = r.queuedBytes / payload.length;
  assert.equal(
    sack!.cumulativeTsnAck,
    (first - 1) >>> 0,
    'the hole at SSN 0 keeps the cumulative TSN',
  );
  // SSN 0 arrives: every held message is delivered in order and the window opens again.
  deliver(link, dataChunk(B | E, first, 0, 0, payload));
  assert.equal(delivered.length, held + 1);
  assert.equal(link.a.assoc.receiveBuffer.queuedBytes, 0);
});

test('fragments of messages that never complete are bounded by the window; memory stays flat', () => {
  const { link, delivered } = established();
  let tsn = link.b.tsn + 1;
  let ssn = 0;
  const payload = Buffer.alloc(1100, 1);
  // Each message is a first fragment whose next TSN belongs to another message's first fragment.
  const flood = (n: number) => {
    for (let i = 0; i < n; i++) deliver(link, dataChunk(B, tsn++, i % 16, ssn++, payload));
    link.b.inbox.length = 0;
  };
  const grew = growth(flood, 200);
  const r = link.a.assoc.receiveBuffer;
  assert.ok(r.queuedBytes <= WINDOW, `${r.queuedBytes} bytes held`);
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB`);
  assert.equal(delivered.length, 0);
});

test('a message larger than max-message-size ends the association instead of being buffered', () => {
  const { link } = established();
  let tsn = link.b.tsn + 1;
  const payload = Buffer.alloc(1000, 2);
  deliver(link, dataChunk(B, tsn++, 1, 0, payload));
  for (let i = 0; i < 40 && link.a.assoc.state === 'established'; i++)
    deliver(link, dataChunk(0, tsn++, 1, 0, payload));
  assert.equal(link.a.assoc.state, 'closed');
  assert.equal(link.a.assoc.closeReason?.kind, 'failure');
  assert.ok(link.a.assoc.receiveBuffer.queuedBytes <= SCTP_OPTIONS.maxMessageSize + payload.length);
});

test('duplicates are reported 32 at most per SACK, and cost nothing to keep', () => {
  const { link, delivered } = established();
  const tsn = link.b.tsn + 1;
  const chunk = dataChunk(B | E | U, tsn, 0, 0, Buffer.from('once'));
  let most = 0;
  const flood = (n: number) => {
    for (let i = 0; i < n; i++) {
      deliver(link, chunk, chunk, chunk, chunk);
      for (const sack of sacks(link)) most = Math.max(most, sack.duplicateTsns.length);
    }
  };
  const grew = growth(flood, 200);
  assert.equal(delivered.length, 1, 'delivered once');
  assert.ok(most > 0 && most <= 32, `${most} duplicates in one SACK`);
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB`);
});

test('DATA on streams that do not exist is acknowledged and dropped; memory stays flat', () => {
  const { link, delivered } = established();
  let tsn = link.b.tsn + 1;
  const payload = Buffer.alloc(16, 3);
  const flood = (n: number) => {
    for (let i = 0; i < n; i++) {
      const chunks = Array.from({ length: 32 }, () =>
        dataChunk(B | E, tsn++, 1000 + (i % 100), 0, payload),
      );
      deliver(link, ...chunks);
      link.b.inbox.splice(0, link.b.inbox.length - 1); // keep the latest SACK
    }
  };
  const grew = growth(flood, 50);
  assert.equal(delivered.length, 0);
  assert.equal(link.a.assoc.receiveBuffer.queuedBytes, 0);
  const last = sacks(link).at(-1)!;
  assert.equal(last.cumulativeTsnAck, (tsn - 1) >>> 0, 'every TSN acknowledged');
  assert.ok(grew < 1 * MB, `memory grew ${(grew / MB).toFixed(2)} MB`);
});

test('TSN gaps: the cost of one DATA chunk does not grow with the number of gaps the peer opened', () => {
  /** Every other TSN, from far to near, on a stream that does not exist (tracked, not held). */
  const flood = (link: SctpLink, from: number, count: number): number => {
    const base = link.b.tsn + 1;
    const t0 = performance.now();
    for (let k = from; k > from - count; k -= 32) {
      const chunks = Array.from({ length: 32 }, (_, j) =>
        dataChunk(B | E, base + 2 * (k - j), 1000, 0, Buffer.of(0)),
      );
      deliver(link, ...chunks);
      link.b.inbox.length = 0;
    }
    return performance.now() - t0;
  };
  flood(established().link, 2048, 2048); // warm-up
  const { link } = established();
  const total = 20_000;
  const first = flood(link, total, 2048);
  flood(link, total - 2048, total - 4096);
  const last = flood(link, 2048, 2048);
  assert.ok(
    last < 4 * first + 20,
    `with ${total / 2} gaps open the last 2048 chunks took ${last.toFixed(0)} ms, the first 2048 ${first.toFixed(0)} ms`,
  );
});
