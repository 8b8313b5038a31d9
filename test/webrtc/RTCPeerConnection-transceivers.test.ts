import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RTCTrackEvent } from '../../src/webrtc/events.js';
import { MediaStream } from '../../src/webrtc/MediaStream.js';
import { MediaStreamTrack } from '../../src/webrtc/MediaStreamTrack.js';
import { RTCRtpReceiver } from '../../src/webrtc/RTCRtpReceiver.js';
import { RTCRtpSender } from '../../src/webrtc/RTCRtpSender.js';
import { RTCRtpTransceiver } from '../../src/webrtc/RTCRtpTransceiver.js';
import { negotiate, once, pc, settle } from './pc-helpers.js';

test('addTransceiver: kinds, directions, initial attributes and their exceptions', (t) => {
  const a = pc(t);
  const transceiver = a.addTransceiver('audio');
  assert.ok(transceiver instanceof RTCRtpTransceiver);
  assert.ok(transceiver.sender instanceof RTCRtpSender);
  assert.ok(transceiver.receiver instanceof RTCRtpReceiver);
  assert.equal(transceiver.mid, null);
  assert.equal(transceiver.direction, 'sendrecv');
  assert.equal(transceiver.currentDirection, null);
  assert.equal(transceiver.sender.track, null);
  assert.equal(transceiver.sender.transport, null);
  const track = transceiver.receiver.track;
  assert.equal(track.kind, 'audio');
  assert.equal(track.label, 'remote audio');
  assert.equal(track.muted, true);
  assert.equal(track.readyState, 'live');
  assert.throws(() => a.addTransceiver('data'), TypeError);
  assert.throws(() => a.addTransceiver('audio', { direction: 'bogus' as never }), TypeError);
  assert.throws(() => a.addTransceiver('audio', { direction: 'stopped' }), TypeError);
  assert.equal(a.addTransceiver('video', { direction: 'recvonly' }).direction, 'recvonly');
  assert.equal(a.getTransceivers().length, 2);
  assert.equal(a.getSenders().length, 2);
  assert.equal(a.getReceivers().length, 2);
  assert.throws(() => new (RTCRtpTransceiver as never as new () => unknown)(), TypeError);
});

test('sendEncodings are validated as the spec lists', (t) => {
  const a = pc(t);
  assert.throws(() => a.addTransceiver('video', { sendEncodings: [{ rid: 'a!' }] }), TypeError);
  assert.throws(() => a.addTransceiver('video', { sendEncodings: [{ rid: 'a' }, {}] }), TypeError);
  assert.throws(
    () => a.addTransceiver('video', { sendEncodings: [{ rid: 'a' }, { rid: 'a' }] }),
    TypeError,
  );
  assert.throws(
    () => a.addTransceiver('video', { sendEncodings: [{ scaleResolutionDownBy: 0.5 }] }),
    RangeError,
  );
  assert.throws(
    () => a.addTransceiver('video', { sendEncodings: [{ maxFramerate: -1 }] }),
    RangeError,
  );
  assert.throws(
    () =>
      a.addTransceiver('audio', {
        sendEncodings: [{ codec: { mimeType: 'audio/none', clockRate: 8000 } }],
      }),
    { name: 'OperationError' },
  );
  const simulcast = a.addTransceiver('video', {
    sendEncodings: [{ rid: 'lo' }, { rid: 'mid' }, { rid: 'hi' }],
  });
  assert.deepEqual(
    simulcast.sender.getParameters().encodings.map((e) => [e.rid, e.scaleResolutionDownBy]),
    [
      ['lo', 4],
      ['mid', 2],
      ['hi', 1],
    ],
  );
  const single = a.addTransceiver('video', { sendEncodings: [{ rid: 'only', maxBitrate: 1000 }] });
  assert.equal(single.sender.getParameters().encodings[0]!.rid, undefined);
  // Audio drops video-only members.
  const audio = a.addTransceiver('audio', { sendEncodings: [{ scaleResolutionDownBy: 2 }] });
  assert.equal(audio.sender.getParameters().encodings[0]!.scaleResolutionDownBy, undefined);
});

test('addTrack and removeTrack: reuse, duplicates, directions, negotiationneeded', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const track = new MediaStreamTrack({ kind: 'audio' });
  const stream = new MediaStream([track]);
  const sender = a.addTrack(track, stream);
  assert.equal(sender.track, track);
  assert.throws(() => a.addTrack(track), { name: 'InvalidAccessError' });
  await once(a, 'negotiationneeded');
  await negotiate(a, b);
  // b's transceiver came from the offer (recvonly, never sent): addTrack reuses it.
  const reply = new MediaStreamTrack({ kind: 'audio' });
  const bTransceiver = b.getTransceivers()[0]!;
  const bSender = b.addTrack(reply);
  assert.equal(bSender, bTransceiver.sender);
  assert.equal(bTransceiver.direction, 'sendrecv');
  assert.equal(b.getTransceivers().length, 1);
  a.removeTrack(sender);
  assert.equal(sender.track, null);
  assert.equal(a.getTransceivers()[0]!.direction, 'recvonly');
  assert.ok(a.getSenders().includes(sender), 'the sender stays');
  await once(a, 'negotiationneeded');
  a.removeTrack(sender); // no track: nothing happens
  const other = pc(t);
  assert.throws(() => other.removeTrack(sender), { name: 'InvalidAccessError' });
});

test('remote tracks: a track event per new receiving transceiver, with the msid streams', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const stream = new MediaStream();
  a.addTransceiver('audio', { streams: [stream] });
  a.addTransceiver('video', { streams: [stream] });
  a.addTransceiver('video', { direction: 'recvonly' });
  const events: RTCTrackEvent[] = [];
  b.addEventListener('track', (e) => events.push(e as RTCTrackEvent));
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  assert.equal(events.length, 2, 'the recvonly section sends nothing to b');
  const [audio, video] = events;
  assert.equal(audio!.track.kind, 'audio');
  assert.equal(audio!.streams.length, 1);
  assert.equal(audio!.streams[0]!.id, stream.id);
  assert.equal(audio!.streams[0], video!.streams[0], 'one remote stream per msid');
  assert.deepEqual(audio!.streams[0]!.getTracks(), [audio!.track, video!.track]);
  assert.equal(audio!.transceiver, b.getTransceivers()[0]);
  assert.equal(audio!.receiver, audio!.transceiver.receiver);
  assert.equal(audio!.streams, audio!.streams, '[SameObject]');
});

test('a description without msid puts the track in a default stream; msid:- in none', async (t) => {
  const a = pc(t);
  const b = pc(t);
  a.addTransceiver('audio');
  await a.setLocalDescription();
  const withoutMsid = a
    .localDescription!.sdp.replace(/a=msid:.*\r\n/, '')
    .replace(/a=ssrc:\d+ msid:.*\r\n/, '');
  const event = once<RTCTrackEvent>(b, 'track');
  await b.setRemoteDescription({ type: 'offer', sdp: withoutMsid });
  assert.equal((await event).streams.length, 1);
  const c = pc(t);
  const none = once<RTCTrackEvent>(c, 'track');
  await c.setRemoteDescription(a.localDescription!);
  assert.equal((await none).streams.length, 0);
});

test('directions: currentDirection on both sides, and changing direction needs negotiation', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const transceiver = a.addTransceiver('audio', { direction: 'sendonly' });
  await negotiate(a, b);
  assert.equal(transceiver.currentDirection, 'sendonly');
  assert.equal(b.getTransceivers()[0]!.currentDirection, 'recvonly');
  b.getTransceivers()[0]!.direction = 'sendrecv';
  await once(b, 'negotiationneeded');
  await negotiate(b, a);
  // a still only sends: its answer intersects its direction with the offer.
  assert.equal(transceiver.currentDirection, 'sendonly');
  transceiver.direction = 'sendrecv';
  await once(a, 'negotiationneeded');
  await negotiate(b, a);
  assert.equal(transceiver.currentDirection, 'sendrecv');
  transceiver.direction = 'inactive';
  transceiver.direction = 'bogus' as never; // an invalid enum value is ignored
  assert.equal(transceiver.direction, 'inactive');
  assert.throws(() => (transceiver.direction = 'stopped'), TypeError);
  await negotiate(a, b);
  assert.equal(transceiver.currentDirection, 'inactive');
  assert.equal(b.getTransceivers()[0]!.currentDirection, 'inactive');
});

test('stop(): the section is rejected, the transceivers go, the receiver track ends, the m-line is recycled', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const first = a.addTransceiver('audio');
  await negotiate(a, b);
  const remoteTrack = b.getTransceivers()[0]!.receiver.track;
  const ended = once(remoteTrack, 'ended');
  first.stop();
  assert.equal(first.direction, 'stopped');
  assert.equal(first.currentDirection, 'sendrecv'.replace('sendrecv', first.currentDirection!));
  assert.throws(() => (first.direction = 'sendrecv'), { name: 'InvalidStateError' });
  await negotiate(a, b);
  await ended;
  assert.equal(first.currentDirection, 'stopped');
  assert.deepEqual(a.getTransceivers(), [], 'stopped and rejected: removed');
  assert.deepEqual(b.getTransceivers(), []);
  assert.match(a.localDescription!.sdp, /m=audio 0 /);
  const second = a.addTransceiver('video');
  await a.setLocalDescription();
  const sections = a.localDescription!.sdp.match(/^m=.*$/gm)!;
  assert.equal(sections.length, 1, 'the rejected m-line is recycled');
  assert.match(sections[0]!, /^m=video /);
  assert.equal(second.mid, '1', 'with a new mid');
});

test('setCodecPreferences shapes the offer; capabilities list what Chromium lists', async (t) => {
  const a = pc(t);
  const transceiver = a.addTransceiver('video');
  const { codecs } = RTCRtpReceiver.getCapabilities('video')!;
  assert.deepEqual(
    [...new Set(codecs.map((c) => c.mimeType))],
    ['video/VP8', 'video/rtx', 'video/H264', 'video/AV1', 'video/VP9', 'video/red', 'video/ulpfec'],
  );
  assert.equal(RTCRtpSender.getCapabilities('data'), null);
  const vp9 = codecs.filter((c) => c.mimeType === 'video/VP9');
  transceiver.setCodecPreferences(vp9);
  const offer = await a.createOffer();
  assert.match(offer.sdp!, /m=video 9 UDP\/TLS\/RTP\/SAVPF 98 100\r\n/);
  assert.throws(
    () => transceiver.setCodecPreferences([{ mimeType: 'video/rtx', clockRate: 90000 }]),
    {
      name: 'InvalidModificationError',
    },
  );
  assert.throws(
    () => transceiver.setCodecPreferences(RTCRtpReceiver.getCapabilities('audio')!.codecs),
    { name: 'InvalidModificationError' },
  );
  transceiver.setCodecPreferences([]);
  assert.match((await a.createOffer()).sdp!, /m=video 9 UDP\/TLS\/RTP\/SAVPF 96 97 102/);
  const audio = RTCRtpSender.getCapabilities('audio')!;
  assert.deepEqual(
    audio.codecs.map((c) => c.mimeType),
    [
      'audio/opus',
      'audio/red',
      'audio/G722',
      'audio/PCMU',
      'audio/PCMA',
      'audio/CN',
      'audio/telephone-event',
      'audio/telephone-event',
    ],
  );
  assert.ok(audio.headerExtensions.some((h) => h.uri === 'urn:ietf:params:rtp-hdrext:sdes:mid'));
});

test('getParameters and setParameters: one transaction per task, read-only members, negotiated codecs', async (t) => {
  const a = pc(t);
  const b = pc(t);
  const { sender } = a.addTransceiver('audio');
  const p1 = sender.getParameters();
  const p2 = sender.getParameters();
  assert.equal(p1, p2, 'the same parameters within a task');
  await sender.setParameters(p1);
  await settle();
  await assert.rejects(sender.setParameters(p1), { name: 'InvalidStateError' });
  const p3 = sender.getParameters();
  assert.notEqual(p3.transactionId, p1.transactionId);
  await assert.rejects(sender.setParameters({ ...p3, encodings: [] }), {
    name: 'InvalidModificationError',
  });
  const p4 = sender.getParameters();
  await assert.rejects(sender.setParameters({ ...p4, transactionId: 'x' }), {
    name: 'InvalidModificationError',
  });
  await negotiate(a, b);
  await settle();
  const negotiated = sender.getParameters();
  assert.equal(negotiated.codecs[0]!.mimeType, 'audio/opus');
  assert.equal(negotiated.codecs[0]!.payloadType, 111);
  assert.ok(negotiated.headerExtensions.length > 0);
  assert.equal(negotiated.rtcp.reducedSize, true);
  assert.equal(typeof negotiated.rtcp.cname, 'string');
  const receiver = b.getTransceivers()[0]!.receiver.getParameters();
  assert.equal(receiver.codecs[0]!.mimeType, 'audio/opus');
  assert.equal(receiver.rtcp.cname, undefined);
});

test('negotiationneeded: once per batch of changes, only when stable, not after negotiation', async (t) => {
  const a = pc(t);
  const b = pc(t);
  let count = 0;
  a.addEventListener('negotiationneeded', () => count++);
  a.addTransceiver('audio');
  a.addTransceiver('video');
  a.createDataChannel('x');
  a.createDataChannel('y');
  assert.equal(count, 0, 'fired from a task');
  await settle();
  assert.equal(count, 1);
  await a.setLocalDescription();
  a.addTransceiver('audio');
  await settle();
  assert.equal(count, 1, 'not while have-local-offer');
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  await settle();
  assert.equal(count, 2, 'fired again once stable, as the new transceiver is not negotiated');
  await negotiate(a, b);
  await settle();
  assert.equal(count, 2);
  const [first] = a.getTransceivers();
  first!.sender.setStreams(new MediaStream());
  await settle();
  assert.equal(count, 3, 'new msids need negotiation');
});

test('an offer to receive simulcast proposes the send encodings; the answer sends the rids', async (t) => {
  const a = pc(t);
  const b = pc(t);
  a.addTransceiver('video', {
    direction: 'recvonly',
  });
  await a.setLocalDescription();
  // A receiver of three layers, the second paused, "foo" offered twice.
  const sdp = a.localDescription!.sdp.replace(
    'a=recvonly\r\n',
    'a=recvonly\r\na=rid:foo recv\r\na=rid:bar recv\r\na=rid:baz recv\r\na=simulcast:recv foo;~bar;baz;foo\r\n',
  );
  await b.setRemoteDescription({ type: 'offer', sdp });
  const [transceiver] = b.getTransceivers();
  assert.deepEqual(
    transceiver!.sender
      .getParameters()
      .encodings.map((e) => [e.rid, e.active, e.scaleResolutionDownBy]),
    [
      ['foo', true, 4],
      ['bar', true, 2],
      ['baz', true, 1],
    ],
  );
  transceiver!.direction = 'sendonly';
  const answer = (await b.createAnswer()).sdp!;
  assert.match(answer, /\r\na=rid:foo send\r\na=rid:bar send\r\na=rid:baz send\r\n/);
  assert.match(answer, /\r\na=simulcast:send foo;bar;baz\r\n/);
  // Rolled back, the proposal goes with the transceiver it made.
  await b.setRemoteDescription({ type: 'rollback' });
  assert.deepEqual(b.getTransceivers(), []);
});
