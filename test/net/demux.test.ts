import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demultiplex } from '../../src/net/demux.js';

test('RFC 7983 first-byte ranges', () => {
  const expect = (from: number, to: number, kind: string) => {
    for (let b = from; b <= to; b++) assert.equal(demultiplex(b), kind, `byte ${b}`);
  };
  expect(0, 3, 'stun');
  expect(4, 15, 'unknown');
  expect(16, 19, 'zrtp');
  expect(20, 63, 'dtls');
  expect(64, 79, 'turn-channel');
  expect(80, 127, 'unknown');
  expect(128, 191, 'rtp');
  expect(192, 255, 'unknown');
});
