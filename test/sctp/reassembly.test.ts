import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataChunk, DataFlags } from '../../src/sctp/chunks/data.js';
import { DataTracker, MAX_GAP_BLOCKS } from '../../src/sctp/data-tracker.js';
import { Reassembly } from '../../src/sctp/reassembly.js';
import { prng } from '../support/simnet.js';

const { BEGINNING: B, END: E, UNORDERED: U } = DataFlags;

function collect(max = 1 << 20): { re: Reassembly; got: string[] } {
  const got: string[] = [];
  const re = new Reassembly(max, (sid, _ppid, data) => got.push(`${sid}:${data}`));
  return { re, got };
}

function chunk(tsn: number, sid: number, ssn: number, text: string, flags: number): DataChunk {
  return new DataChunk(tsn, sid, ssn, 51, Buffer.from(text), flags);
}

test('the tracker keeps the cumulative TSN, gap blocks and duplicates, across the wrap', () => {
  const t = new DataTracker(0xfffffffe);
  assert.equal(t.cumulativeTsn, 0xfffffffd);
  t.record(0xfffffffe);
  t.record(1);
  t.record(3);
  t.record(2);
  t.record(6);
  assert.equal(t.cumulativeTsn, 0xfffffffe);
  assert.ok(t.isDuplicate(2));
  assert.ok(t.isDuplicate(0xfffffffe));
  assert.ok(!t.isDuplicate(0xffffffff));
  assert.ok(!t.isDuplicate(4));
  t.noteDuplicate(2);
  const sack = t.sack(1000, 10);
  assert.equal(sack.cumulativeTsnAck, 0xfffffffe);
  // 1..3 and 6 relative to 0xfffffffe.
  assert.deepEqual(sack.gapAckBlocks, [3, 5, 8, 8]);
  assert.deepEqual(sack.duplicateTsns, [2]);
  assert.deepEqual(t.sack(1000, 10).duplicateTsns, []);
  t.record(0xffffffff);
  assert.equal(t.cumulativeTsn, 0xffffffff);
  t.record(0);
  assert.equal(t.cumulativeTsn, 3);
  assert.ok(t.isDuplicate(0));
  assert.deepEqual(t.sack(0, 10).gapAckBlocks, [3, 3]);
});

test('the tracker refuses a TSN that would open a gap block beyond its limit', () => {
  const t = new DataTracker(0);
  for (let i = 0; i < MAX_GAP_BLOCKS; i++) assert.ok(t.record(2 + 2 * i));
  assert.equal(t.record(10_000), false, 'a new block');
  assert.ok(!t.isDuplicate(10_000), 'nothing recorded');
  assert.ok(t.record(3), 'joining two blocks is fine');
  assert.ok(t.record(0), 'so is advancing the cumulative TSN');
});

test('the tracker agrees with a plain set under random arrival orders', () => {
  const rnd = prng(5);
  for (let run = 0; run < 50; run++) {
    const t = new DataTracker(1000);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const tsn = 1000 + Math.floor(rnd() * 120);
      assert.equal(t.isDuplicate(tsn), seen.has(tsn), `tsn ${tsn}`);
      if (!seen.has(tsn)) {
        t.record(tsn);
        seen.add(tsn);
      }
      let cum = 999;
      while (seen.has(cum + 1)) cum++;
      assert.equal(t.cumulativeTsn, cum);
      const sack = t.sack(0, 1000);
      const fromSack = new Set<number>();
      for (let k = 0; k < sack.gapAckBlocks.length; k += 2)
        for (let o = sack.gapAckBlocks[k]!; o <= sack.gapAckBlocks[k + 1]!; o++)
          fromSack.add(cum + o);
      assert.deepEqual([...fromSack].sort(), [...seen].filter((x) => x > cum).sort());
    }
  }
});

test('FORWARD TSN moves the cumulative TSN and swallows adjacent blocks', () => {
  const t = new DataTracker(10);
  t.record(10);
  t.record(14);
  t.record(15);
  t.record(18);
  t.forwardTo(13);
  assert.equal(t.cumulativeTsn, 15);
  assert.deepEqual(t.sack(0, 10).gapAckBlocks, [3, 3]);
  t.forwardTo(12); // older: ignored
  assert.equal(t.cumulativeTsn, 15);
});

test('fragments arriving in any order make one message; ordered delivery waits for SSNs', () => {
  const { re, got } = collect();
  re.add(chunk(12, 1, 1, 'late', B | E)); // SSN 1 before SSN 0
  assert.deepEqual(got, []);
  re.add(chunk(11, 1, 0, 'c', E));
  re.add(chunk(9, 1, 0, 'a', B));
  assert.deepEqual(got, []);
  assert.equal(re.heldChunks, 2);
  re.add(chunk(10, 1, 0, 'b', 0));
  assert.deepEqual(got, ['1:abc', '1:late']);
  assert.equal(re.queuedBytes, 0);
  assert.equal(re.heldChunks, 0);
});

test('unordered messages are delivered as soon as whole, even around ordered ones', () => {
  const { re, got } = collect();
  re.add(chunk(5, 2, 7, 'ordered-later', B | E));
  re.add(chunk(7, 3, 0, 'y', U | E));
  re.add(chunk(6, 3, 0, 'x', U | B));
  assert.deepEqual(got, ['3:xy']);
});

test('fragments of different streams at adjacent TSNs are not joined', () => {
  const { re, got } = collect();
  re.add(chunk(1, 1, 0, 'a', B));
  re.add(chunk(2, 2, 0, 'b', E));
  assert.deepEqual(got, []);
  assert.equal(re.heldChunks, 2);
});

test('a message growing past the maximum is refused', () => {
  const { re } = collect(5);
  assert.ok(re.add(chunk(1, 0, 0, 'abc', B)));
  assert.ok(!re.add(chunk(2, 0, 0, 'def', 0)));
  assert.ok(!collect(2).re.add(chunk(1, 0, 0, 'abc', B | E)));
});

test('FORWARD TSN drops partial messages and delivers what the skipped SSN held back', () => {
  const { re, got } = collect();
  re.add(chunk(1, 1, 0, 'p', B)); // SSN 0, never finished
  re.add(chunk(4, 1, 2, 'two', B | E)); // waits for SSN 1
  re.add(chunk(3, 1, 1, 'one-', B)); // SSN 1 partial too
  assert.deepEqual(got, []);
  re.skip(3, [{ streamId: 1, ssn: 1 }]);
  assert.deepEqual(got, ['1:two']);
  assert.equal(re.heldChunks, 0);
  assert.equal(re.queuedBytes, 0);
  re.add(chunk(5, 1, 3, 'three', B | E));
  assert.deepEqual(got, ['1:two', '1:three']);
});

test('FORWARD TSN keeps a partial message that can still complete above the new cumulative TSN', () => {
  const { re, got } = collect();
  re.add(chunk(2, 1, 0, 'be', B)); // its next fragment, TSN 3, is above the point
  re.skip(2, []);
  re.add(chunk(3, 1, 0, 'gun', E));
  assert.deepEqual(got, ['1:begun']);
});

test('a deferred reset holds later data until the reset, then sequence numbers restart', () => {
  const { re, got } = collect();
  re.add(chunk(1, 4, 0, 'zero', B | E));
  re.deferReset(3, [4]);
  re.add(chunk(4, 4, 0, 'new-0', B | E)); // after the reset: waits
  re.add(chunk(5, 5, 0, 'other', B | E)); // another stream: not held
  re.add(chunk(3, 4, 2, 'two', B | E));
  re.add(chunk(2, 4, 1, 'one', B | E));
  assert.deepEqual(got, ['4:zero', '5:other', '4:one', '4:two']);
  re.resetStreams([4]);
  assert.deepEqual(got, ['4:zero', '5:other', '4:one', '4:two', '4:new-0']);
  assert.equal(re.queuedBytes, 0);
});
