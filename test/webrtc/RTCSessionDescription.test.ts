import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSdp } from '../../src/sdp/validate.js';
import { RTCError } from '../../src/webrtc/RTCError.js';
import {
  RTCSessionDescription,
  sdpErrorToException,
} from '../../src/webrtc/RTCSessionDescription.js';

test('type is required and must be an RTCSdpType; sdp defaults to ""', () => {
  for (const type of ['offer', 'pranswer', 'answer', 'rollback'] as const) {
    const d = new RTCSessionDescription({ type });
    assert.equal(d.type, type);
    assert.equal(d.sdp, '');
  }
  assert.throws(() => new (RTCSessionDescription as new () => unknown)(), TypeError);
  for (const init of [
    undefined,
    null,
    {},
    { sdp: 'v=0' },
    { type: 'bogus' },
    { type: null },
    { type: 'Offer' },
    5,
  ]) {
    assert.throws(() => new RTCSessionDescription(init as never), TypeError, JSON.stringify(init));
  }
  assert.equal(new RTCSessionDescription({ type: 'offer', sdp: null as never }).sdp, 'null');
  assert.throws(
    () => new RTCSessionDescription({ type: 'offer', sdp: Symbol() as never }),
    TypeError,
  );
});

test('toJSON serializes type and sdp only (WPT toJSON.html)', () => {
  const desc = new RTCSessionDescription({ type: 'offer', sdp: 'bogus sdp' });
  const json = desc.toJSON();
  assert.equal(json.type, desc.type);
  assert.equal(json.sdp, desc.sdp);
  assert.equal(Object.keys(json).length, 2);
  assert.equal(JSON.stringify(desc), '{"type":"offer","sdp":"bogus sdp"}');
});

test('a description is readonly and can be made from another one or from its JSON', () => {
  const a = new RTCSessionDescription({ type: 'answer', sdp: 'x' });
  assert.throws(() => {
    (a as { sdp: string }).sdp = 'y';
  }, TypeError);
  const b = new RTCSessionDescription(a);
  assert.deepEqual(b.toJSON(), { type: 'answer', sdp: 'x' });
  assert.deepEqual(new RTCSessionDescription(JSON.parse(JSON.stringify(a))).toJSON(), a.toJSON());
});

test('SDP errors become RTCError sdp-syntax-error with the line, or InvalidAccessError', () => {
  const syntax = checkSdp(
    'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=setup:actpass\r\nm=x',
  );
  assert.ok(!syntax.ok);
  const e = sdpErrorToException(syntax.errors[0]!);
  assert.ok(e instanceof RTCError);
  assert.equal((e as RTCError).errorDetail, 'sdp-syntax-error');
  assert.equal((e as RTCError).sdpLineNumber, 6);
  assert.equal(e.name, 'OperationError');

  const noLine = sdpErrorToException({ kind: 'syntax', code: 'missing-line', message: 'm' });
  assert.equal((noLine as RTCError).sdpLineNumber, null);

  const invalid = sdpErrorToException({
    kind: 'invalid',
    code: 'missing-ice-ufrag',
    message: 'no ufrag',
    line: 8,
  });
  assert.ok(!(invalid instanceof RTCError));
  assert.equal(invalid.name, 'InvalidAccessError');
  assert.equal(invalid.message, 'no ufrag');
});
