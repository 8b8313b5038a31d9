/** RTCDTMFSender (W3C webrtc-pc "Peer-to-peer DTMF"): the sender's dtmf, insertDTMF, playout. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MediaStreamTrack } from '../../src/webrtc/MediaStreamTrack.js';
import { RTCDTMFSender, RTCDTMFToneChangeEvent } from '../../src/webrtc/RTCDTMFSender.js';
import { negotiate, pc, trickle, until } from './pc-helpers.js';

test('an audio sender has an RTCDTMFSender, a video sender none', (t) => {
  const p = pc(t);
  const audio = p.addTransceiver('audio').sender;
  assert.ok(audio.dtmf instanceof RTCDTMFSender);
  assert.equal(audio.dtmf, audio.dtmf, '[SameObject]');
  assert.equal(p.addTransceiver('video').sender.dtmf, null);
  assert.throws(() => new (RTCDTMFSender as unknown as new () => object)(), TypeError);
  const dtmf = audio.dtmf!;
  assert.equal(dtmf.toneBuffer, '');
  assert.equal(dtmf.ontonechange, null);
  // Nothing is negotiated nor connected: DTMF cannot be sent.
  assert.equal(dtmf.canInsertDTMF, false);
  assert.throws(() => dtmf.insertDTMF('1'), { name: 'InvalidStateError' });
  assert.throws(() => (dtmf.insertDTMF as () => void)(), TypeError);
});

test('RTCDTMFToneChangeEvent: tone defaults to ""', () => {
  assert.equal(new RTCDTMFToneChangeEvent('tonechange').tone, '');
  assert.equal(new RTCDTMFToneChangeEvent('tonechange', { tone: '5' }).tone, '5');
  assert.throws(() => new (RTCDTMFToneChangeEvent as unknown as new () => Event)(), TypeError);
});

test('once connected with telephone-event, tones play out in order, then ""', async (t) => {
  const a = pc(t);
  const b = pc(t);
  trickle(a, b);
  const sender = a.addTrack(new MediaStreamTrack({ kind: 'audio' }));
  await negotiate(a, b);
  await until(a, 'connectionstatechange', () => a.connectionState, 'connected');
  const dtmf = sender.dtmf!;
  assert.equal(dtmf.canInsertDTMF, true);
  assert.throws(() => dtmf.insertDTMF('1x'), { name: 'InvalidCharacterError' });
  assert.equal(dtmf.toneBuffer, '', 'an unrecognized character changes nothing');
  const tones: [string, number][] = [];
  const start = performance.now();
  const done = new Promise<void>((resolve) => {
    dtmf.ontonechange = (e) => {
      const { tone } = e as RTCDTMFToneChangeEvent;
      tones.push([tone, performance.now() - start]);
      if (tone === '') resolve();
    };
  });
  // Below the minimum duration and gap: 40 ms and 30 ms apply.
  dtmf.insertDTMF('1b#', 1, 1);
  assert.equal(dtmf.toneBuffer, '1B#', 'a to d in uppercase');
  await done;
  assert.deepEqual(
    tones.map(([tone]) => tone),
    ['1', 'B', '#', ''],
  );
  for (let i = 1; i < tones.length; i++) {
    const gap = tones[i]![1] - tones[i - 1]![1];
    assert.ok(gap >= 69 && gap < 2000, `tone ${i} came ${gap} ms after the one before`);
  }
  // Replacing the buffer with "" cancels what was left.
  dtmf.insertDTMF('123', 6000, 6000);
  dtmf.insertDTMF('');
  assert.equal(dtmf.toneBuffer, '');
  a.close();
  assert.equal(dtmf.canInsertDTMF, false);
});
