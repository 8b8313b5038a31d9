/** The WebIDL conversions the W3C objects share (https://webidl.spec.whatwg.org/). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDataChannel } from '../../src/webrtc/RTCDataChannel.js';
import { RTCError } from '../../src/webrtc/RTCError.js';
import {
  requireArguments,
  toDictionary,
  toDOMString,
  toEnforcedUnsigned,
  toEnum,
  toEnumAttribute,
  toLong,
  toNullable,
  toOptional,
  toRequiredInterface,
  toRestrictedDouble,
  toSequence,
  toUnsignedLong,
  toUnsignedShort,
  toUSVString,
} from '../../src/webrtc/webidl.js';

test('dictionaries: undefined and null are empty, primitives a TypeError', () => {
  assert.deepEqual(toDictionary(undefined, 'D'), {});
  assert.deepEqual(toDictionary(null, 'D'), {});
  const f = () => {};
  assert.equal(toDictionary(f, 'D'), f);
  for (const v of [1, 'x', true, Symbol('s'), 1n])
    assert.throws(() => toDictionary(v, 'D'), TypeError);
});

test('strings: ToString, a TypeError for a Symbol; USVString replaces lone surrogates', () => {
  assert.equal(toDOMString(12), '12');
  assert.equal(toDOMString(null), 'null');
  assert.equal(toDOMString({ toString: () => 'obj' }), 'obj');
  assert.throws(() => toDOMString(Symbol('s')), TypeError);
  assert.equal(toUSVString('a\uD800b\uDC00c'), 'a\uFFFDb\uFFFDc');
  assert.equal(toUSVString('\uD83D\uDE00'), '\uD83D\uDE00', 'a pair stays');
});

test('integers: modulo 2^n without [EnforceRange], a TypeError outside it with', () => {
  assert.equal(toUnsignedShort(65537), 1);
  assert.equal(toUnsignedShort(-1), 65535);
  assert.equal(toUnsignedShort(Number.NaN), 0);
  assert.equal(toUnsignedShort('7.9'), 7);
  assert.equal(toUnsignedLong(-1), 0xffffffff);
  assert.equal(toLong(0x80000000), -0x80000000);
  assert.equal(toLong(-1.5), -1);
  assert.throws(() => toUnsignedShort(1n), TypeError);
  assert.equal(toEnforcedUnsigned(255.9, 255, 'n'), 255);
  assert.ok(Object.is(toEnforcedUnsigned(-0.5, 255, 'n'), 0), 'no -0');
  for (const v of [256, -1, Number.POSITIVE_INFINITY, Number.NaN, Symbol('s')])
    assert.throws(() => toEnforcedUnsigned(v, 255, 'n'), TypeError);
  assert.equal(toRestrictedDouble('1.5', 'd'), 1.5);
  assert.throws(() => toRestrictedDouble(Number.NaN, 'd'), TypeError);
});

test('enumerations: a TypeError in arguments, ignored by attribute setters', () => {
  const values = ['a', 'b'] as const;
  assert.equal(toEnum({ toString: () => 'b' }, values, 'E'), 'b');
  assert.throws(() => toEnum('c', values, 'E'), TypeError);
  assert.equal(toEnumAttribute('c', values), undefined);
  assert.throws(() => toEnumAttribute(Symbol('s'), values), TypeError);
});

test('sequences, optional, nullable and required members, interface types, argument counts', () => {
  assert.deepEqual(toSequence(new Set([1, 2]), 's'), [1, 2]);
  for (const v of ['ab', null, 3, {}]) assert.throws(() => toSequence(v, 's'), TypeError);
  assert.equal(toOptional(undefined, 5, Number), 5);
  assert.equal(toOptional<unknown>(null, 5, String), 'null');
  assert.equal(toNullable(undefined, Number), null);
  assert.equal(toNullable(null, Number), null);
  assert.equal(toNullable('2', Number), 2);
  const error = new RTCError({ errorDetail: 'dtls-failure' });
  assert.equal(toRequiredInterface(error, RTCError, 'error'), error);
  assert.throws(() => toRequiredInterface(undefined, RTCError, 'error'), /required member error/);
  assert.throws(() => toRequiredInterface({}, RTCError, 'error'), /not of type 'RTCError'/);
  assert.throws(() => requireArguments(1, 2, 'f'), /f: 2 arguments required, but only 1 present/);
  requireArguments(2, 2, 'f');
});

test('a dictionary is read member by member, once each, in lexicographic order', () => {
  const read: string[] = [];
  const init = new Proxy(
    { ordered: false, id: 3, negotiated: true, protocol: 'p' },
    {
      get(target, key: string) {
        read.push(key);
        return target[key as keyof typeof target];
      },
    },
  );
  createDataChannel('x', init);
  assert.deepEqual(read, [
    'id',
    'maxPacketLifeTime',
    'maxRetransmits',
    'negotiated',
    'ordered',
    'protocol',
  ]);
  read.length = 0;
  new RTCError(
    new Proxy(
      { errorDetail: 'sctp-failure', sctpCauseCode: 2 },
      {
        get(target, key: string) {
          read.push(key);
          return target[key as keyof typeof target];
        },
      },
    ) as never,
  );
  assert.deepEqual(read, [
    'errorDetail',
    'receivedAlert',
    'sctpCauseCode',
    'sdpLineNumber',
    'sentAlert',
  ]);
});
