import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ssnLt, ssnLte, ssnNext, tsnAdd, tsnDiff, tsnLt, tsnLte } from '../../src/sctp/serial.js';

test('TSN comparisons follow RFC 1982 across the wrap', () => {
  assert.ok(tsnLt(1, 2));
  assert.ok(!tsnLt(2, 1));
  assert.ok(!tsnLt(5, 5));
  assert.ok(tsnLte(5, 5));
  assert.ok(tsnLt(0xffffffff, 0));
  assert.ok(tsnLt(0xfffffff0, 0x10));
  assert.ok(!tsnLt(0x10, 0xfffffff0));
  assert.ok(tsnLt(0, 0x7fffffff));
  assert.ok(!tsnLt(0, 0x80000001));
  assert.equal(tsnAdd(0xffffffff, 1), 0);
  assert.equal(tsnAdd(0, -1), 0xffffffff);
  assert.equal(tsnDiff(2, 0xfffffffe), 4);
});

test('SSN comparisons are 16-bit', () => {
  assert.ok(ssnLt(0xffff, 0));
  assert.ok(ssnLt(65000, 100));
  assert.ok(!ssnLt(100, 65000));
  assert.ok(ssnLte(7, 7));
  assert.equal(ssnNext(0xffff), 0);
  assert.equal(ssnNext(41), 42);
});
