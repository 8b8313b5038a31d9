import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  RTCPeerConnectionIceErrorEvent,
  RTCPeerConnectionIceEvent,
  RTCTrackEvent,
} from '../../src/webrtc/events.js';
import { MediaStream } from '../../src/webrtc/MediaStream.js';
import { RTCIceCandidate } from '../../src/webrtc/RTCIceCandidate.js';
import { pc } from './pc-helpers.js';

test('RTCPeerConnectionIceEvent: optional init, candidate an RTCIceCandidate or null', () => {
  assert.throws(() => new (RTCPeerConnectionIceEvent as never as new () => Event)(), TypeError);
  const plain = new RTCPeerConnectionIceEvent('icecandidate');
  assert.equal(plain.candidate, null);
  assert.equal(plain.url, null);
  assert.equal(plain.bubbles, false);
  assert.equal(plain.cancelable, false);
  assert.equal(new RTCPeerConnectionIceEvent('x', { candidate: undefined }).candidate, null);
  const candidate = new RTCIceCandidate({ candidate: '', sdpMid: '0' });
  const event = new RTCPeerConnectionIceEvent('x', {
    candidate,
    url: 'stun:example.org',
    bubbles: true,
  });
  assert.equal(event.candidate, candidate);
  assert.equal(event.url, 'stun:example.org');
  assert.equal(event.bubbles, true);
  assert.throws(
    () =>
      new RTCPeerConnectionIceEvent('x', { candidate: { candidate: '', sdpMid: '0' } as never }),
    TypeError,
  );
});

test('RTCPeerConnectionIceErrorEvent: errorCode required, unsigned short members', () => {
  assert.throws(
    () => new (RTCPeerConnectionIceErrorEvent as never as new (t: string) => Event)('x'),
    TypeError,
  );
  assert.throws(() => new RTCPeerConnectionIceErrorEvent('x', {} as never), TypeError);
  const e = new RTCPeerConnectionIceErrorEvent('icecandidateerror', {
    address: '168.3.4.5',
    port: 4711,
    url: 'turn:turn.example.org',
    errorCode: 703,
    errorText: 'Test error',
  });
  assert.deepEqual(
    [e.type, e.address, e.port, e.url, e.errorCode, e.errorText],
    ['icecandidateerror', '168.3.4.5', 4711, 'turn:turn.example.org', 703, 'Test error'],
  );
  const minimal = new RTCPeerConnectionIceErrorEvent('x', { errorCode: 65537 });
  assert.equal(minimal.errorCode, 1);
  assert.equal(minimal.address, null);
  assert.equal(minimal.port, null);
  assert.equal(minimal.url, '');
  assert.equal(minimal.errorText, '');
});

test('RTCTrackEvent: receiver, track and transceiver required and typed; streams frozen', (t) => {
  const p = pc(t);
  const transceiver = p.addTransceiver('audio');
  const { receiver } = transceiver;
  const { track } = receiver;
  const event = new RTCTrackEvent('track', { receiver, track, transceiver });
  assert.deepEqual(event.streams, []);
  assert.equal(event.streams, event.streams);
  assert.ok(Object.isFrozen(event.streams));
  const stream = new MediaStream([track]);
  assert.deepEqual(
    new RTCTrackEvent('track', { receiver, track, transceiver, streams: [stream] }).streams,
    [stream],
  );
  assert.throws(() => new RTCTrackEvent('track', { receiver, track } as never), TypeError);
  assert.throws(() => new RTCTrackEvent('track', { receiver, transceiver } as never), TypeError);
  assert.throws(() => new RTCTrackEvent('track', { track, transceiver } as never), TypeError);
  assert.throws(
    () => new RTCTrackEvent('track', { receiver: {}, track, transceiver } as never),
    TypeError,
  );
  assert.throws(
    () => new RTCTrackEvent('track', { receiver, track, transceiver, streams: [{}] } as never),
    TypeError,
  );
});
