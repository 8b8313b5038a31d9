import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCandidate } from '../../src/sdp/candidate.js';
import {
  candidateOf,
  createIceCandidate,
  iceCandidateFrom,
  RTCIceCandidate,
} from '../../src/webrtc/RTCIceCandidate.js';

// The cases of WPT webrtc/RTCIceCandidate-constructor.html and toJSON.html.
const candidateString =
  'candidate:1905690388 1 udp 2113937151 192.168.0.1 58041 typ host generation 0 ufrag thC8 network-cost 50';
const candidateString2 =
  'candidate:435653019 2 tcp 1845501695 192.168.0.196 4444 typ srflx raddr www.example.com rport 22222 tcptype active';
const arbitraryString = '<arbitrary string[0] content>;';

const derived = [
  'foundation',
  'component',
  'priority',
  'address',
  'protocol',
  'port',
  'type',
  'tcpType',
  'relatedAddress',
  'relatedPort',
] as const;

function assertFields(
  c: RTCIceCandidate,
  expected: Partial<Record<keyof RTCIceCandidate, unknown>>,
) {
  for (const [k, v] of Object.entries(expected)) assert.equal(c[k as keyof RTCIceCandidate], v, k);
}

test('both sdpMid and sdpMLineIndex null is a TypeError', () => {
  const inits: unknown[] = [
    undefined,
    {},
    { candidate: '', sdpMid: null, sdpMLineIndex: null, usernameFragment: undefined },
    { sdpMid: null, sdpMLineIndex: null },
    { candidate: '' },
    { candidate: null },
    { candidate: candidateString },
  ];
  for (const init of inits) {
    assert.throws(() => new RTCIceCandidate(init as never), TypeError, JSON.stringify(init));
  }
  assert.throws(() => new RTCIceCandidate(5 as never), TypeError);
});

test('sdpMid or sdpMLineIndex alone', () => {
  assertFields(new RTCIceCandidate({ sdpMid: 'audio' }), {
    candidate: '',
    sdpMid: 'audio',
    sdpMLineIndex: null,
    usernameFragment: null,
  });
  assertFields(new RTCIceCandidate({ sdpMLineIndex: 0 }), {
    candidate: '',
    sdpMid: null,
    sdpMLineIndex: 0,
    usernameFragment: null,
  });
  assertFields(new RTCIceCandidate({ sdpMid: 'audio', sdpMLineIndex: 0 }), {
    sdpMid: 'audio',
    sdpMLineIndex: 0,
  });
  assertFields(new RTCIceCandidate({ candidate: '', sdpMid: 'audio' }), {
    candidate: '',
    sdpMLineIndex: null,
  });
  assertFields(new RTCIceCandidate({ candidate: null as never, sdpMLineIndex: 0 }), {
    candidate: 'null',
    sdpMid: null,
    sdpMLineIndex: 0,
    usernameFragment: null,
  });
});

test('a valid candidate string and sdpMid: usernameFragment stays null despite the ufrag extension', () => {
  const c = new RTCIceCandidate({ candidate: candidateString, sdpMid: 'audio' });
  assertFields(c, {
    candidate: candidateString,
    sdpMid: 'audio',
    sdpMLineIndex: null,
    usernameFragment: null,
  });
  assert.equal(c.foundation, '1905690388');
});

test('an arbitrary candidate string is kept, and every derived attribute is null', () => {
  const c = new RTCIceCandidate({ candidate: arbitraryString, sdpMid: 'audio' });
  assertFields(c, {
    candidate: arbitraryString,
    sdpMid: 'audio',
    sdpMLineIndex: null,
    usernameFragment: null,
  });
  for (const k of derived) assert.equal(c[k], null, k);
  assert.equal(candidateOf(c), null);
});

test('all fields, udp host candidate', () => {
  const c = new RTCIceCandidate({
    candidate: candidateString,
    sdpMid: 'video',
    sdpMLineIndex: 1,
    usernameFragment: 'test',
    relayProtocol: 'udp',
    url: 'stun:stun.example.org',
  });
  assertFields(c, {
    candidate: candidateString,
    sdpMid: 'video',
    sdpMLineIndex: 1,
    usernameFragment: 'test',
    foundation: '1905690388',
    component: 'rtp',
    priority: 2113937151,
    address: '192.168.0.1',
    protocol: 'udp',
    port: 58041,
    type: 'host',
    tcpType: null,
    relatedAddress: null,
    relatedPort: null,
    relayProtocol: 'udp',
    url: 'stun:stun.example.org',
  });
});

test('all fields, tcp srflx candidate with a related FQDN', () => {
  const c = new RTCIceCandidate({
    candidate: candidateString2,
    sdpMid: 'video',
    sdpMLineIndex: 1,
    usernameFragment: 'user1',
    relayProtocol: 'tcp',
    url: 'turn:turn.example.net',
  });
  assertFields(c, {
    usernameFragment: 'user1',
    foundation: '435653019',
    component: 'rtcp',
    priority: 1845501695,
    address: '192.168.0.196',
    protocol: 'tcp',
    port: 4444,
    type: 'srflx',
    tcpType: 'active',
    relatedAddress: 'www.example.com',
    relatedPort: 22222,
    relayProtocol: 'tcp',
    url: 'turn:turn.example.net',
  });
});

test('relayProtocol and url are cloned from a candidate but not signaled through JSON', () => {
  let c = new RTCIceCandidate(
    new RTCIceCandidate({ sdpMid: 'video', relayProtocol: 'tls', url: 'turn:turn.example.net' }),
  );
  assert.equal(c.relayProtocol, 'tls');
  assert.equal(c.url, 'turn:turn.example.net');
  c = new RTCIceCandidate(JSON.parse(JSON.stringify(c)));
  assert.equal(c.relayProtocol, null);
  assert.equal(c.url, null);
  assert.throws(
    () => new RTCIceCandidate({ sdpMid: '0', relayProtocol: 'sctp' as never }),
    TypeError,
  );
});

test('sdpMid and sdpMLineIndex are not validated', () => {
  assertFields(new RTCIceCandidate({ sdpMid: arbitraryString }), {
    sdpMid: arbitraryString,
    sdpMLineIndex: null,
  });
  assertFields(new RTCIceCandidate({ sdpMLineIndex: 65535 }), {
    sdpMid: null,
    sdpMLineIndex: 65535,
  });
  // unsigned short conversion, without [EnforceRange].
  assert.equal(new RTCIceCandidate({ sdpMLineIndex: 65536 }).sdpMLineIndex, 0);
  assert.equal(new RTCIceCandidate({ sdpMLineIndex: -1 }).sdpMLineIndex, 65535);
  assert.equal(new RTCIceCandidate({ sdpMLineIndex: '2' as never }).sdpMLineIndex, 2);
  assert.equal(new RTCIceCandidate({ sdpMid: 7 as never }).sdpMid, '7');
});

test('toJSON serializes candidate, sdpMid, sdpMLineIndex and usernameFragment only', () => {
  const c = new RTCIceCandidate({
    sdpMLineIndex: 0,
    sdpMid: '0',
    candidate: 'candidate:1905690388 1 udp 2113937151 192.168.0.1 58041 typ host',
    usernameFragment: 'test',
  });
  assert.deepEqual(c.toJSON(), {
    candidate: 'candidate:1905690388 1 udp 2113937151 192.168.0.1 58041 typ host',
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: 'test',
  });
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(c))).sort(), [
    'candidate',
    'sdpMLineIndex',
    'sdpMid',
    'usernameFragment',
  ]);
});

test('a component outside rtp/rtcp, or an unsupported transport, leaves the derived attributes null', () => {
  for (const candidate of [
    'candidate:1 3 udp 1 192.0.2.1 1 typ host',
    'candidate:1 1 ssltcp 1 192.0.2.1 443 typ host',
    'candidate:1 1 udp 1 192.0.2.1 1 typ nat',
  ]) {
    const c = new RTCIceCandidate({ candidate, sdpMid: '0' });
    assert.equal(c.candidate, candidate);
    for (const k of derived) assert.equal(c[k], null, `${candidate}: ${k}`);
  }
});

test('tcpType is null for a udp candidate even if the line has one', () => {
  const c = new RTCIceCandidate({
    candidate: 'candidate:1 1 udp 1 192.0.2.1 1 typ host tcptype active',
    sdpMid: '0',
  });
  assert.equal(c.protocol, 'udp');
  assert.equal(c.tcpType, null);
});

test('the attributes are read-only accessors on the prototype', () => {
  const c = new RTCIceCandidate({ candidate: candidateString, sdpMid: '0' });
  assert.throws(() => {
    (c as { port: number | null }).port = 1;
  }, TypeError);
  assert.equal(Object.keys(c).length, 0);
  assert.ok(Object.getOwnPropertyDescriptor(RTCIceCandidate.prototype, 'candidate')?.get);
});

test('for the peer connection: create without sdpMid, from an ICE candidate, and back to the model', () => {
  const end = createIceCandidate({ candidate: '' });
  assert.equal(end.sdpMid, null);
  assert.equal(end.sdpMLineIndex, null);
  const r = parseCandidate(candidateString);
  assert.ok(r.ok);
  const c = iceCandidateFrom(r.candidate, {
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: 'thC8',
  });
  assert.equal(c.candidate, candidateString);
  assert.equal(c.usernameFragment, 'thC8');
  assert.deepEqual(candidateOf(c), r.candidate);
  assert.equal(candidateOf(new RTCIceCandidate({ sdpMid: '0' })), null);
});
