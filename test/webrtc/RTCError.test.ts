import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RTCError, RTCErrorEvent } from '../../src/webrtc/RTCError.js';

test('RTCError is an OperationError DOMException with its init members or null', () => {
  const e = new RTCError({ errorDetail: 'sctp-failure', sctpCauseCode: 12 }, 'boom');
  assert.ok(e instanceof DOMException);
  assert.equal(e.name, 'OperationError');
  assert.equal(e.code, 0);
  assert.equal(e.message, 'boom');
  assert.equal(e.errorDetail, 'sctp-failure');
  assert.equal(e.sctpCauseCode, 12);
  assert.equal(e.sdpLineNumber, null);
  assert.equal(e.receivedAlert, null);
  assert.equal(e.sentAlert, null);
});

test('RTCError rejects an unknown errorDetail with TypeError', () => {
  assert.throws(() => new RTCError({ errorDetail: 'nope' as never }), TypeError);
});

test('RTCErrorEvent requires an RTCError', () => {
  const error = new RTCError({ errorDetail: 'data-channel-failure' });
  const ev = new RTCErrorEvent('error', { error });
  assert.equal(ev.error, error);
  assert.equal(ev.type, 'error');
  assert.throws(() => new RTCErrorEvent('error', {} as never), TypeError);
});
