import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  answerCodecs,
  codecCapabilities,
  codecDictionaryMatch,
  hasMediaCodec,
  offerCodecs,
  sameMediaFormat,
} from '../../src/sdp/jsep-codecs.js';

test('capabilities list every codec once, with a single rtx entry for video', () => {
  const video = codecCapabilities('video');
  assert.equal(video.filter((c) => c.mimeType === 'video/rtx').length, 1);
  assert.deepEqual(video[1], { mimeType: 'video/rtx', clockRate: 90000 });
  const audio = codecCapabilities('audio');
  assert.deepEqual(audio[0], {
    mimeType: 'audio/opus',
    clockRate: 48000,
    channels: 2,
    sdpFmtpLine: 'minptime=10;useinbandfec=1',
  });
  // RED's fmtp names payload types, which a capability does not have.
  assert.deepEqual(audio[1], { mimeType: 'audio/red', clockRate: 48000, channels: 2 });
});

test('codec dictionary match: case-insensitive mime type, channels and fmtp presence', () => {
  const opus = {
    mimeType: 'audio/opus',
    clockRate: 48000,
    channels: 2,
    sdpFmtpLine: 'minptime=10;useinbandfec=1',
  };
  assert.ok(codecDictionaryMatch({ ...opus, mimeType: 'AUDIO/OPUS' }, opus));
  assert.ok(!codecDictionaryMatch({ ...opus, channels: 1 }, opus));
  assert.ok(!codecDictionaryMatch({ ...opus, clockRate: 24000 }, opus));
  assert.ok(!codecDictionaryMatch({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 }, opus));
  assert.ok(!codecDictionaryMatch({ ...opus, sdpFmtpLine: 'modifiedparameter=1' }, opus));
  // Parameter order does not matter.
  assert.ok(codecDictionaryMatch({ ...opus, sdpFmtpLine: 'useinbandfec=1;minptime=10' }, opus));
  const h264 = {
    mimeType: 'video/H264',
    clockRate: 90000,
    sdpFmtpLine: 'packetization-mode=1;profile-level-id=42e01f',
  };
  // The H.264 level is asymmetrical; the profile is not.
  const otherLevel = { ...h264, sdpFmtpLine: 'packetization-mode=1;profile-level-id=42e034' };
  assert.ok(codecDictionaryMatch(otherLevel, h264, true));
  assert.ok(!codecDictionaryMatch(otherLevel, h264, false));
  assert.ok(
    !codecDictionaryMatch(
      { ...h264, sdpFmtpLine: 'packetization-mode=0;profile-level-id=42e01f' },
      h264,
      true,
    ),
  );
});

test('negotiation ignores receiver parameters such as max-fs', () => {
  assert.ok(
    sameMediaFormat(
      { mimeType: 'video/VP8', clockRate: 90000, sdpFmtpLine: 'max-fr=30;max-fs=3600' },
      { mimeType: 'video/VP8', clockRate: 90000 },
    ),
  );
  assert.ok(
    !sameMediaFormat(
      { mimeType: 'video/VP9', clockRate: 90000, sdpFmtpLine: 'profile-id=1' },
      { mimeType: 'video/VP9', clockRate: 90000 },
    ),
  );
  assert.ok(
    sameMediaFormat(
      { mimeType: 'audio/PCMU', clockRate: 8000 },
      { mimeType: 'audio/PCMU', clockRate: 8000, channels: 1 },
    ),
  );
});

test('offers keep negotiated payload types and move ours out of their way', () => {
  const previous = [
    { mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 109, rtcpFeedback: [] },
    { mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 111, rtcpFeedback: [] },
  ];
  const codecs = offerCodecs('audio', [], previous);
  assert.deepEqual(
    codecs.slice(0, 3).map((c) => [c.mimeType, c.payloadType]),
    [
      ['audio/opus', 109],
      ['audio/PCMU', 111],
      ['audio/red', 63],
    ],
  );
  assert.equal(codecs[2]!.sdpFmtpLine, '109/109', 'RED names the opus payload type in use');
  assert.equal(
    new Set(codecs.map((c) => c.payloadType)).size,
    codecs.length,
    'no payload type twice',
  );
});

test('answers use the offered payload types, common feedback, and rtx only when offered', () => {
  const offered = [
    {
      mimeType: 'video/VP8',
      clockRate: 90000,
      payloadType: 120,
      rtxPayloadType: 121,
      rtcpFeedback: ['nack', 'nack pli', 'goog-lntf'],
    },
    {
      mimeType: 'video/H264',
      clockRate: 90000,
      payloadType: 126,
      sdpFmtpLine: 'profile-level-id=42e01f;packetization-mode=1',
      rtcpFeedback: [],
    },
    { mimeType: 'video/rtx', clockRate: 90000, payloadType: 99, rtcpFeedback: [] },
  ];
  const answered = answerCodecs('video', offered, []);
  assert.deepEqual(
    answered.map((c) => [c.mimeType, c.payloadType, c.rtxPayloadType, c.rtcpFeedback]),
    [
      ['video/VP8', 120, 121, ['nack', 'nack pli']],
      ['video/H264', 126, undefined, []],
    ],
  );
  assert.ok(hasMediaCodec(answered));
  assert.ok(!hasMediaCodec([{ mimeType: 'video/red', clockRate: 90000 }]));
  // Preferences reorder and filter.
  const preferred = answerCodecs('video', offered, [{ mimeType: 'video/VP8', clockRate: 90000 }]);
  assert.deepEqual(
    preferred.map((c) => [c.mimeType, c.rtxPayloadType]),
    [['video/VP8', undefined]],
  );
});
