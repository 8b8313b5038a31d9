import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COOKIE_LENGTH, decodeCookie, encodeCookie } from '../../src/sctp/cookie.js';
import { ParameterType } from '../../src/sctp/parameter.js';
import { AddStreamsRequest } from '../../src/sctp/params/add-streams-request.js';
import { ForwardTsnSupported } from '../../src/sctp/params/forward-tsn-supported.js';
import { HeartbeatInfo } from '../../src/sctp/params/heartbeat-info.js';
import { IncomingSsnResetRequest } from '../../src/sctp/params/incoming-ssn-reset-request.js';
import { OutgoingSsnResetRequest } from '../../src/sctp/params/outgoing-ssn-reset-request.js';
import {
  ReconfigurationResponse,
  ReconfigurationResult,
} from '../../src/sctp/params/reconfiguration-response.js';
import { SsnTsnResetRequest } from '../../src/sctp/params/ssn-tsn-reset-request.js';
import { StateCookie } from '../../src/sctp/params/state-cookie.js';
import { SupportedExtensions } from '../../src/sctp/params/supported-extensions.js';
import { UnrecognizedParameter } from '../../src/sctp/params/unrecognized-parameter.js';
import {
  padded,
  RawTlv,
  readTlvs,
  type Tlv,
  tlvsLength,
  unrecognizedParameterAction,
  writeTlvs,
} from '../../src/sctp/tlv.js';

/** Encodes one TLV and reads it back: its type and value. */
function roundTrip(t: Tlv): RawTlv {
  const buf = Buffer.alloc(padded(tlvsLength([t])));
  writeTlvs(buf, 0, [t]);
  assert.equal(buf.readUInt16BE(2), 4 + t.valueLength());
  const [back, ...rest] = readTlvs(buf)!;
  assert.equal(rest.length, 0);
  assert.equal(back!.type, t.type);
  return back!;
}

test('Supported Extensions and Forward-TSN-Supported', () => {
  const se = roundTrip(new SupportedExtensions([0xc0, 0x82, 0x0f]));
  assert.equal(se.type, ParameterType.SUPPORTED_EXTENSIONS);
  assert.deepEqual(SupportedExtensions.decode(se.value).chunkTypes, [0xc0, 0x82, 0x0f]);
  const f = roundTrip(new ForwardTsnSupported());
  assert.equal(f.type, 0xc000);
  assert.equal(f.value.length, 0);
});

test('State Cookie, Heartbeat Info and Unrecognized Parameter keep their bytes', () => {
  assert.deepEqual(roundTrip(new StateCookie(Buffer.from('cookie!'))).value.toString(), 'cookie!');
  assert.equal(roundTrip(new HeartbeatInfo(Buffer.alloc(16, 1))).type, 1);
  const inner = new RawTlv(0xc123, Buffer.from([1, 2, 3]));
  const u = roundTrip(new UnrecognizedParameter(inner));
  assert.equal(u.type, ParameterType.UNRECOGNIZED_PARAMETER);
  assert.deepEqual([...u.value], [0xc1, 0x23, 0, 7, 1, 2, 3]);
});

test('Outgoing and Incoming SSN Reset Requests; odd lengths are malformed', () => {
  const o = roundTrip(new OutgoingSsnResetRequest(1, 2, 0xfffffffe, [0, 65535]));
  const ob = OutgoingSsnResetRequest.decode(o.value)!;
  assert.deepEqual(
    [ob.requestSequenceNumber, ob.responseSequenceNumber, ob.sendersLastAssignedTsn, ob.streams],
    [1, 2, 0xfffffffe, [0, 65535]],
  );
  assert.deepEqual(OutgoingSsnResetRequest.decode(Buffer.alloc(12))!.streams, []);
  assert.equal(OutgoingSsnResetRequest.decode(Buffer.alloc(13)), undefined);
  assert.equal(OutgoingSsnResetRequest.decode(Buffer.alloc(8)), undefined);
  const i = roundTrip(new IncomingSsnResetRequest(42, [3]));
  const ib = IncomingSsnResetRequest.decode(i.value)!;
  assert.deepEqual([ib.requestSequenceNumber, ib.streams], [42, [3]]);
  assert.equal(IncomingSsnResetRequest.decode(Buffer.alloc(5)), undefined);
});

test('SSN/TSN Reset, Add Streams and Re-configuration Response', () => {
  const st = roundTrip(new SsnTsnResetRequest(7));
  assert.equal(SsnTsnResetRequest.decode(st.value)!.requestSequenceNumber, 7);
  assert.equal(SsnTsnResetRequest.decode(Buffer.alloc(8)), undefined);
  const add = roundTrip(new AddStreamsRequest(ParameterType.ADD_INCOMING_STREAMS_REQUEST, 8, 100));
  const ab = AddStreamsRequest.decode(add.type, add.value)!;
  assert.deepEqual([ab.type, ab.requestSequenceNumber, ab.numberOfNewStreams], [18, 8, 100]);
  assert.equal(AddStreamsRequest.decode(13, add.value), undefined);
  const r8 = roundTrip(new ReconfigurationResponse(5, ReconfigurationResult.IN_PROGRESS));
  assert.equal(r8.value.length, 8);
  assert.equal(ReconfigurationResponse.decode(r8.value)!.result, 6);
  const r16 = roundTrip(new ReconfigurationResponse(5, 1, 100, 200));
  const rb = ReconfigurationResponse.decode(r16.value)!;
  assert.deepEqual([rb.sendersNextTsn, rb.receiversNextTsn], [100, 200]);
  assert.equal(ReconfigurationResponse.decode(Buffer.alloc(12)), undefined);
});

test('unrecognized parameters: the upper two bits', () => {
  assert.deepEqual(unrecognizedParameterAction(0x0001), { stop: true, report: false });
  assert.deepEqual(unrecognizedParameterAction(0x4001), { stop: true, report: true });
  assert.deepEqual(unrecognizedParameterAction(0x8001), { stop: false, report: false });
  assert.deepEqual(unrecognizedParameterAction(0xc001), { stop: false, report: true });
});

test('the State Cookie is signed: any change or another secret refuses it', () => {
  const secret = Buffer.alloc(32, 1);
  const contents = {
    created: 1234.5,
    lifespan: 60000,
    localTag: 1,
    peerTag: 0xffffffff,
    localInitialTsn: 3,
    peerInitialTsn: 4,
    peerReceiverWindow: 5,
    outboundStreams: 65535,
    inboundStreams: 1024,
    peerForwardTsn: true,
    peerReconfig: false,
    peerZeroChecksum: true,
    localTieTag: 6,
    peerTieTag: 7,
  };
  const c = encodeCookie(contents, secret);
  assert.equal(c.length, COOKIE_LENGTH);
  assert.deepEqual(decodeCookie(c, secret), contents);
  assert.equal(decodeCookie(c, Buffer.alloc(32, 2)), undefined);
  for (const i of [0, 20, COOKIE_LENGTH - 1]) {
    const t = Buffer.from(c);
    t[i]! ^= 0x80;
    assert.equal(decodeCookie(t, secret), undefined);
  }
  assert.equal(decodeCookie(c.subarray(1), secret), undefined);
});
