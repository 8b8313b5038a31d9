import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addRemoteTrack,
  createRemoteStream,
  MediaStream,
  MediaStreamTrackEvent,
  removeRemoteTrack,
} from '../../src/webrtc/MediaStream.js';
import {
  createRemoteTrack,
  endTrack,
  MediaStreamTrack,
  setTrackMuted,
} from '../../src/webrtc/MediaStreamTrack.js';

test('a track without a source: kind, id, label, enabled, muted, readyState, stop()', async () => {
  assert.throws(() => new MediaStreamTrack({ kind: 'text' as never }), TypeError);
  const track = new MediaStreamTrack({ kind: 'video', label: 'cam' });
  assert.equal(track.kind, 'video');
  assert.match(track.id, /^[0-9a-f-]{36}$/);
  assert.equal(track.label, 'cam');
  assert.equal(track.enabled, true);
  assert.equal(track.muted, false);
  assert.equal(track.readyState, 'live');
  let ended = false;
  track.onended = () => (ended = true);
  track.stop();
  assert.equal(track.readyState, 'ended');
  await new Promise((r) => setImmediate(r));
  assert.equal(ended, false, 'stop() fires no ended event');
  const clone = new MediaStreamTrack({ kind: 'audio' }).clone();
  assert.equal(clone.kind, 'audio');
});

test('remote tracks: muted, "remote <kind>", mute/unmute and ended fired by the user agent', async () => {
  const track = createRemoteTrack('audio');
  assert.equal(track.label, 'remote audio');
  assert.equal(track.muted, true);
  const events: string[] = [];
  for (const type of ['mute', 'unmute', 'ended'])
    track.addEventListener(type, () => events.push(type));
  setTrackMuted(track, true);
  setTrackMuted(track, false);
  setTrackMuted(track, true);
  endTrack(track);
  endTrack(track);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(events, ['unmute', 'mute', 'ended']);
});

test('MediaStream: constructors, track lists, and addtrack/removetrack only for the user agent', () => {
  const a = new MediaStreamTrack({ kind: 'audio' });
  const v = new MediaStreamTrack({ kind: 'video' });
  const stream = new MediaStream([a, v]);
  assert.deepEqual(stream.getAudioTracks(), [a]);
  assert.deepEqual(stream.getVideoTracks(), [v]);
  assert.equal(stream.getTrackById(v.id), v);
  assert.equal(stream.active, true);
  assert.deepEqual(new MediaStream(stream).getTracks(), [a, v]);
  assert.notEqual(new MediaStream().id, stream.id);
  assert.throws(() => new MediaStream([{}] as never), TypeError);
  const events: string[] = [];
  stream.onaddtrack = (e) => events.push(`add:${(e as MediaStreamTrackEvent).track.kind}`);
  stream.onremovetrack = () => events.push('remove');
  stream.removeTrack(a);
  stream.addTrack(a);
  assert.equal(events.length, 0);
  const remote = createRemoteStream('msid-stream');
  assert.equal(remote.id, 'msid-stream');
  remote.addEventListener('addtrack', () => events.push('remote-add'));
  addRemoteTrack(remote, a);
  addRemoteTrack(remote, a);
  removeRemoteTrack(remote, a);
  assert.deepEqual(events, ['remote-add']);
  assert.throws(() => new MediaStreamTrackEvent('addtrack', {} as never), TypeError);
});
