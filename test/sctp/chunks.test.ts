import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type Chunk,
  ChunkType,
  chunkSize,
  unrecognizedChunkAction,
  writeChunk,
} from '../../src/sctp/chunk.js';
import { AbortChunk } from '../../src/sctp/chunks/abort.js';
import { CookieAckChunk } from '../../src/sctp/chunks/cookie-ack.js';
import { CookieEchoChunk } from '../../src/sctp/chunks/cookie-echo.js';
import { DataChunk, DataFlags } from '../../src/sctp/chunks/data.js';
import { OperationErrorChunk } from '../../src/sctp/chunks/error.js';
import { ForwardTsnChunk } from '../../src/sctp/chunks/forward-tsn.js';
import { HeartbeatRequestChunk } from '../../src/sctp/chunks/heartbeat.js';
import { HeartbeatAckChunk } from '../../src/sctp/chunks/heartbeat-ack.js';
import { InitChunk } from '../../src/sctp/chunks/init.js';
import { InitAckChunk } from '../../src/sctp/chunks/init-ack.js';
import { ReConfigChunk } from '../../src/sctp/chunks/re-config.js';
import { SackChunk } from '../../src/sctp/chunks/sack.js';
import { ShutdownChunk } from '../../src/sctp/chunks/shutdown.js';
import { ShutdownAckChunk } from '../../src/sctp/chunks/shutdown-ack.js';
import { ShutdownCompleteChunk } from '../../src/sctp/chunks/shutdown-complete.js';
import {
  CauseCode,
  invalidStreamIdentifier,
  readErrorCauses,
  staleCookie,
  textCause,
} from '../../src/sctp/error-cause.js';
import { ChunkReader, PacketWriter } from '../../src/sctp/packet.js';
import { ParameterType } from '../../src/sctp/parameter.js';
import { ForwardTsnSupported } from '../../src/sctp/params/forward-tsn-supported.js';
import { OutgoingSsnResetRequest } from '../../src/sctp/params/outgoing-ssn-reset-request.js';
import { ReconfigurationResponse } from '../../src/sctp/params/reconfiguration-response.js';
import { StateCookie } from '../../src/sctp/params/state-cookie.js';
import { SupportedExtensions } from '../../src/sctp/params/supported-extensions.js';
import { readTlvs } from '../../src/sctp/tlv.js';

/** Writes a chunk and reads it back through the packet reader: [type, flags, value]. */
function wire(chunk: Chunk): { type: number; flags: number; value: Buffer; bytes: Buffer } {
  const buf = Buffer.alloc(12 + chunkSize(chunk));
  const end = writeChunk(buf, 12, chunk);
  assert.equal(end, buf.length);
  assert.equal(end % 4, 0);
  const r = new ChunkReader().reset(buf);
  assert.ok(r.next());
  const out = {
    type: r.type,
    flags: r.flags,
    value: Buffer.from(r.value),
    bytes: buf.subarray(12),
  };
  assert.ok(!r.next());
  assert.ok(!r.malformed);
  return out;
}

test('DATA: fields, flags, padding; too short is malformed; empty payload decodes as such', () => {
  const flags = DataFlags.BEGINNING | DataFlags.END | DataFlags.UNORDERED;
  const w = wire(new DataChunk(0xfffffffe, 7, 65535, 51, Buffer.from('hello'), flags));
  assert.equal(w.type, ChunkType.DATA);
  assert.equal(w.bytes.readUInt16BE(2), 16 + 5); // length excludes padding
  assert.equal(w.bytes.length, 24);
  const d = DataChunk.decode(w.flags, w.value)!;
  assert.deepEqual(
    [d.tsn, d.streamId, d.ssn, d.ppid, d.payload.toString(), d.unordered, d.beginning, d.end],
    [0xfffffffe, 7, 65535, 51, 'hello', true, true, true],
  );
  assert.equal(DataChunk.decode(0, Buffer.alloc(11)), undefined);
  assert.equal(DataChunk.decode(0, Buffer.alloc(12))!.payload.length, 0);
});

test('INIT and INIT ACK: fixed fields and parameters; malformed parameters are refused', () => {
  const init = new InitChunk(0x01020304, 131072, 65535, 65535, 99, [
    new SupportedExtensions([ChunkType.FORWARD_TSN, ChunkType.RE_CONFIG]),
    new ForwardTsnSupported(),
  ]);
  const w = wire(init);
  assert.equal(w.type, ChunkType.INIT);
  const back = InitChunk.decode(0, w.value)!;
  assert.deepEqual(
    [
      back.initiateTag,
      back.advertisedReceiverWindowCredit,
      back.outboundStreams,
      back.inboundStreams,
      back.initialTsn,
    ],
    [0x01020304, 131072, 65535, 65535, 99],
  );
  assert.deepEqual(
    back.params.map((p) => p.type),
    [ParameterType.SUPPORTED_EXTENSIONS, ParameterType.FORWARD_TSN_SUPPORTED],
  );
  // Supported Extensions is 6 bytes: padded inside the chunk, the chunk length includes it.
  assert.equal(w.bytes.readUInt16BE(2), 4 + 16 + 8 + 4);
  const ack = new InitAckChunk(5, 1500, 1, 2, 3, [new StateCookie(Buffer.alloc(77, 9))]);
  const wa = wire(ack);
  assert.equal(wa.type, ChunkType.INIT_ACK);
  const backAck = InitAckChunk.decode(0, wa.value)!;
  assert.equal(backAck.params[0]!.type, ParameterType.STATE_COOKIE);
  assert.equal(InitChunk.decode(0, Buffer.alloc(15)), undefined);
  const bad = Buffer.from(w.value);
  bad.writeUInt16BE(200, 16 + 2); // first parameter claims more than there is
  assert.equal(InitChunk.decode(0, bad), undefined);
  bad.writeUInt16BE(3, 16 + 2); // shorter than its own header
  assert.equal(InitChunk.decode(0, bad), undefined);
});

test('SACK: gap blocks and duplicates; counts beyond the value are malformed', () => {
  const w = wire(new SackChunk(1000, 65536, [2, 3, 7, 9], [998, 999]));
  assert.equal(w.type, ChunkType.SACK);
  const s = SackChunk.decode(0, w.value)!;
  assert.equal(s.cumulativeTsnAck, 1000);
  assert.equal(s.advertisedReceiverWindowCredit, 65536);
  assert.deepEqual(s.gapAckBlocks, [2, 3, 7, 9]);
  assert.deepEqual(s.duplicateTsns, [998, 999]);
  const bad = Buffer.from(w.value);
  bad.writeUInt16BE(3, 8);
  assert.equal(SackChunk.decode(0, bad), undefined);
  assert.equal(SackChunk.decode(0, Buffer.alloc(11)), undefined);
});

test('HEARTBEAT and HEARTBEAT ACK carry the Heartbeat Info; without it they are malformed', () => {
  const info = Buffer.from('0123456789abcdef0');
  const hb = wire(new HeartbeatRequestChunk(info));
  assert.equal(hb.type, ChunkType.HEARTBEAT);
  assert.deepEqual(HeartbeatRequestChunk.decode(0, hb.value)!.info, info);
  const ack = wire(new HeartbeatAckChunk(info));
  assert.equal(ack.type, ChunkType.HEARTBEAT_ACK);
  assert.deepEqual(HeartbeatAckChunk.decode(0, ack.value)!.info, info);
  assert.equal(HeartbeatRequestChunk.decode(0, Buffer.alloc(0)), undefined);
  assert.equal(HeartbeatAckChunk.decode(0, Buffer.from([0, 2, 0, 4])), undefined);
});

test('ABORT and ERROR: error causes; the T bit; SHUTDOWN COMPLETE has it too', () => {
  const causes = [
    textCause(CauseCode.USER_INITIATED_ABORT, 'bye'),
    invalidStreamIdentifier(9),
    staleCookie(1500),
  ];
  const a = wire(new AbortChunk(causes, true));
  assert.equal(a.type, ChunkType.ABORT);
  assert.equal(a.flags, 1);
  const back = AbortChunk.decode(a.flags, a.value)!;
  assert.ok(back.reflected);
  assert.deepEqual(
    back.causes.map((c) => c.code),
    [
      CauseCode.USER_INITIATED_ABORT,
      CauseCode.INVALID_STREAM_IDENTIFIER,
      CauseCode.STALE_COOKIE_ERROR,
    ],
  );
  assert.equal(back.causes[0]!.info.toString(), 'bye');
  assert.equal(back.causes[1]!.info.readUInt16BE(0), 9);
  assert.equal(back.causes[2]!.info.readUInt32BE(0), 1500);
  const e = wire(new OperationErrorChunk(causes));
  assert.equal(e.type, ChunkType.ERROR);
  assert.equal(OperationErrorChunk.decode(0, e.value)!.causes.length, 3);
  assert.equal(readErrorCauses(Buffer.from([0, 1, 0, 9, 0])), undefined);
  const sc = wire(new ShutdownCompleteChunk(true));
  assert.deepEqual([sc.type, sc.flags, sc.value.length], [ChunkType.SHUTDOWN_COMPLETE, 1, 0]);
  assert.equal(wire(new ShutdownCompleteChunk()).flags, 0);
});

test('SHUTDOWN, SHUTDOWN ACK, COOKIE ECHO, COOKIE ACK', () => {
  const s = wire(new ShutdownChunk(0xdeadbeef));
  assert.equal(s.type, ChunkType.SHUTDOWN);
  assert.equal(ShutdownChunk.decode(0, s.value)!.cumulativeTsnAck, 0xdeadbeef);
  assert.equal(ShutdownChunk.decode(0, Buffer.alloc(3)), undefined);
  const sa = wire(new ShutdownAckChunk());
  assert.deepEqual([sa.type, sa.value.length], [ChunkType.SHUTDOWN_ACK, 0]);
  const cookie = Buffer.from('a cookie of odd length');
  const ce = wire(new CookieEchoChunk(cookie));
  assert.equal(ce.type, ChunkType.COOKIE_ECHO);
  assert.deepEqual(CookieEchoChunk.decode(0, ce.value).cookie, cookie);
  const ca = wire(new CookieAckChunk());
  assert.deepEqual([ca.type, ca.value.length], [ChunkType.COOKIE_ACK, 0]);
});

test('FORWARD TSN: new cumulative TSN and stream/SSN pairs', () => {
  const f = wire(
    new ForwardTsnChunk(77, [
      { streamId: 1, ssn: 5 },
      { streamId: 65534, ssn: 65535 },
    ]),
  );
  assert.equal(f.type, ChunkType.FORWARD_TSN);
  const back = ForwardTsnChunk.decode(0, f.value)!;
  assert.equal(back.newCumulativeTsn, 77);
  assert.deepEqual(back.streams, [
    { streamId: 1, ssn: 5 },
    { streamId: 65534, ssn: 65535 },
  ]);
  assert.equal(ForwardTsnChunk.decode(0, Buffer.alloc(6)), undefined);
});

test('RE-CONFIG: one or two parameters, no more, no fewer', () => {
  const req = new OutgoingSsnResetRequest(10, 20, 30, [1, 3, 5]);
  const res = new ReconfigurationResponse(9, 1);
  const w = wire(new ReConfigChunk([req, res]));
  assert.equal(w.type, ChunkType.RE_CONFIG);
  const back = ReConfigChunk.decode(0, w.value)!;
  assert.deepEqual(
    back.params.map((p) => p.type),
    [ParameterType.OUTGOING_SSN_RESET_REQUEST, ParameterType.RECONFIGURATION_RESPONSE],
  );
  assert.equal(ReConfigChunk.decode(0, Buffer.alloc(0)), undefined);
  const three = wire(new ReConfigChunk([res, res, res]));
  assert.equal(ReConfigChunk.decode(0, three.value), undefined);
});

test('unrecognized chunk types: the upper two bits', () => {
  assert.deepEqual(unrecognizedChunkAction(0x3f), { skip: false, report: false });
  assert.deepEqual(unrecognizedChunkAction(0x40), { skip: false, report: true });
  assert.deepEqual(unrecognizedChunkAction(0x84), { skip: true, report: false });
  assert.deepEqual(unrecognizedChunkAction(0xc1), { skip: true, report: true });
});

test('the chunk reader stops at malformed lengths and tolerates a missing final padding', () => {
  const r = new ChunkReader();
  const pkt = Buffer.alloc(12 + 8);
  pkt[12] = 11; // COOKIE ACK, length 4
  pkt.writeUInt16BE(4, 14);
  pkt[16] = 7;
  pkt.writeUInt16BE(2, 18); // length 2 < 4
  r.reset(pkt);
  assert.ok(r.next());
  assert.ok(!r.next());
  assert.ok(r.malformed);
  const unpadded = Buffer.concat([Buffer.alloc(12), Buffer.from([0, 3, 0, 17]), Buffer.alloc(13)]);
  r.reset(unpadded);
  assert.ok(r.next());
  assert.equal(r.value.length, 13);
  assert.ok(!r.next());
  assert.ok(!r.malformed);
  const overlong = Buffer.concat([Buffer.alloc(12), Buffer.from([0, 3, 0, 40]), Buffer.alloc(13)]);
  r.reset(overlong);
  assert.ok(!r.next());
  assert.ok(r.malformed);
});

test('the packet writer fills to the MTU and no further', () => {
  const w = new PacketWriter(64);
  w.begin(5000, 5001, 0xabcdef01);
  assert.ok(w.empty);
  assert.ok(w.add(new DataChunk(1, 0, 0, 53, Buffer.alloc(20), 3)));
  assert.equal(w.remaining, 64 - 12 - 36);
  assert.ok(!w.add(new DataChunk(2, 0, 0, 53, Buffer.alloc(1), 3))); // 20 bytes padded
  assert.ok(w.add(new DataChunk(2, 0, 0, 53, Buffer.alloc(0), 3)));
  assert.equal(w.remaining, 0);
  const p = w.finish();
  assert.equal(p.length, 64);
  assert.equal(p.readUInt32BE(4), 0xabcdef01);
});

test('TLV lists: padding between values; odd leftovers are refused', () => {
  const list = readTlvs(Buffer.from([0x80, 0x08, 0, 5, 0xc0, 0, 0, 0, 0xc0, 0, 0, 4]))!;
  assert.deepEqual(
    list.map((t) => [t.type, t.value.length]),
    [
      [0x8008, 1],
      [0xc000, 0],
    ],
  );
  assert.equal(readTlvs(Buffer.from([0, 1, 0, 4, 9, 9, 9, 9, 9])), undefined);
});
