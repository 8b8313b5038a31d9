// Priorities, pair priorities and the checklist, on their own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CandidateBase } from '../../src/ice/base.js';
import { type Candidate, candidatePriority, TYPE_PREFERENCE } from '../../src/ice/candidate.js';
import { Checklist } from '../../src/ice/checklist.js';
import { generateIceParameters, validIceParameters } from '../../src/ice/credentials.js';
import { Foundations } from '../../src/ice/foundation.js';
import { CandidatePair, type LocalCandidate } from '../../src/ice/pair.js';
import { pairPriority } from '../../src/ice/priority.js';

test('candidate priority formula (RFC 8445 §5.1.2.1) and type preferences', () => {
  assert.deepEqual(TYPE_PREFERENCE, { host: 126, prflx: 110, srflx: 100, relay: 0 });
  assert.equal(candidatePriority('host', 65535, 1), 2130706431); // 0x7EFFFFFF, the RFC 5245 example value
  assert.equal(candidatePriority('srflx', 65535, 1), 1694498815);
  assert.equal(candidatePriority('prflx', 0, 1), 110 * 2 ** 24 + 255);
  assert.equal(candidatePriority('relay', 1, 2), 256 + 254);
  assert.equal(candidatePriority('host', 65535, 256), 0x7effff00);
});

test('pair priority formula (RFC 8445 §6.1.2.3)', () => {
  const g = 2130706431;
  const d = 1694498815;
  assert.equal(pairPriority(g, d), 2n ** 32n * BigInt(d) + 2n * BigInt(g) + 1n);
  assert.equal(pairPriority(d, g), 2n ** 32n * BigInt(d) + 2n * BigInt(g));
  assert.equal(pairPriority(5, 5), 2n ** 32n * 5n + 10n);
  // Exact above 2^53, where a float would round.
  assert.equal(
    pairPriority(0x7effffff, 0x7efffffe),
    0x7efffffen * 2n ** 32n + 2n * 0x7effffffn + 1n,
  );
  // Both agents compute the same value for the same pair.
  const controlling = 1234567;
  const controlled = 7654321;
  assert.equal(pairPriority(controlling, controlled), pairPriority(controlling, controlled));
});

test('foundations (RFC 8445 §5.1.1.3)', () => {
  const f = new Foundations();
  const host = f.get('host', '10.0.0.1', 'udp');
  assert.equal(f.get('host', '10.0.0.1', 'udp'), host);
  assert.notEqual(f.get('host', '10.0.0.2', 'udp'), host);
  assert.notEqual(f.get('host', '10.0.0.1', 'tcp'), host);
  assert.notEqual(f.get('srflx', '10.0.0.1', 'udp', '203.0.113.1'), host);
  assert.equal(
    f.get('srflx', '10.0.0.1', 'udp', '203.0.113.1'),
    f.get('srflx', '10.0.0.1', 'udp', '203.0.113.1'),
  );
  assert.notEqual(
    f.get('srflx', '10.0.0.1', 'udp', '203.0.113.1'),
    f.get('srflx', '10.0.0.1', 'udp', '203.0.113.2'),
  );
});

test('ICE credentials: ice-chars, long enough, random', () => {
  const p = generateIceParameters();
  assert.ok(validIceParameters(p));
  assert.notDeepEqual(generateIceParameters(), p);
  assert.ok(!validIceParameters({ usernameFragment: 'abc', password: p.password }));
  assert.ok(!validIceParameters({ usernameFragment: 'abcd', password: 'short' }));
  assert.ok(!validIceParameters({ usernameFragment: 'ab:d', password: p.password }));
});

const base = (address: string): CandidateBase => ({ address, port: 1, protocol: 'udp', send() {} });
const local = (address: string, localPreference: number, foundation = address): LocalCandidate => ({
  base: base(address),
  localPreference,
  candidate: {
    foundation,
    component: 1,
    protocol: 'udp',
    priority: candidatePriority('host', localPreference),
    address,
    port: 1,
    type: 'host',
  },
});
const remote = (address: string, priority: number, foundation = address): Candidate => ({
  foundation,
  component: 1,
  protocol: 'udp',
  priority,
  address,
  port: 2,
  type: 'host',
});

test('checklist: ordered by pair priority, redundant pairs pruned, bounded', () => {
  const list = new Checklist(3);
  const l1 = local('10.0.0.1', 65535);
  const l2 = local('10.0.0.2', 65534);
  const r1 = remote('10.1.0.1', 2130706431);
  const r2 = remote('10.1.0.2', 1694498815);
  const pairs = [
    new CandidatePair(l2, r2, true),
    new CandidatePair(l1, r1, true),
    new CandidatePair(l1, r2, true),
    new CandidatePair(l2, r1, true),
  ];
  assert.equal(list.add(pairs[0]!), pairs[0]);
  assert.equal(list.add(pairs[1]!), pairs[1]);
  assert.equal(list.add(pairs[2]!), pairs[2]);
  // Full: the fourth outranks the lowest, which is dropped.
  assert.equal(list.add(pairs[3]!), pairs[3]);
  assert.deepEqual(list.pairs, [pairs[1], pairs[3], pairs[2]]);
  // A pair with the same base and remote as one listed is redundant (§6.1.2.4).
  const again = new CandidatePair(l1, { ...r1 }, true);
  assert.equal(list.add(again), pairs[1]);
  // Lower than everything in a full list: refused.
  assert.equal(
    list.add(new CandidatePair(local('10.0.0.3', 1), remote('10.1.0.3', 1), true)),
    undefined,
  );
  for (let i = 1; i < list.pairs.length; i++)
    assert.ok(list.pairs[i - 1]!.priority >= list.pairs[i]!.priority);
});

test('checklist: triggered checks first, then Waiting by priority; frozen pairs thaw by foundation', () => {
  const list = new Checklist(100);
  const l1 = local('10.0.0.1', 65535, 'L');
  const l2 = local('10.0.0.2', 65534, 'L');
  const r = remote('10.1.0.1', 2130706431, 'R');
  const high = new CandidatePair(l1, r, true);
  const low = new CandidatePair(l2, r, true);
  list.add(high);
  list.add(low);
  // Same foundation "L:R": the second waits behind the first.
  assert.equal(high.state, 'waiting');
  assert.equal(low.state, 'frozen');
  assert.ok(list.hasNext(true));
  const first = list.next(true)!;
  assert.equal(first, high);
  first.state = 'in-progress';
  assert.equal(list.next(true), undefined); // the frozen pair's foundation is being checked
  assert.ok(!list.hasNext(true));
  // A success thaws the foundation (§7.2.5.3.3).
  high.state = 'succeeded';
  list.unfreeze(high.foundation);
  assert.equal(low.state, 'waiting');
  // A triggered check jumps the queue, once, even when ordinary checks are over.
  list.enqueue(high);
  list.enqueue(high);
  assert.equal(list.triggered.length, 1);
  assert.equal(list.next(false), high);
  high.state = 'in-progress';
  assert.equal(list.next(false), undefined);
  assert.equal(list.next(true), low);
});

test('checklist: without a Waiting pair, one Frozen pair per foundation thaws (§6.1.4.2 step 2)', () => {
  const list = new Checklist(100);
  const r = remote('10.1.0.1', 100, 'R');
  const a = new CandidatePair(local('10.0.0.1', 3, 'A'), r, true);
  const a2 = new CandidatePair(local('10.0.0.2', 2, 'A'), r, true);
  list.add(a);
  list.add(a2);
  a.state = 'failed';
  assert.equal(a2.state, 'frozen');
  assert.equal(list.next(true), a2);
  assert.equal(a2.state, 'waiting');
});

test('role switch reorders pairs', () => {
  const list = new Checklist(100);
  const l = local('10.0.0.1', 100);
  const p1 = new CandidatePair(l, remote('10.1.0.1', candidatePriority('host', 10)), true);
  const p2 = new CandidatePair(
    local('10.0.0.2', 50),
    remote('10.1.0.2', candidatePriority('host', 60000)),
    true,
  );
  list.add(p1);
  list.add(p2);
  const before = list.pairs.map((p) => p.priority);
  list.reorder(false);
  assert.notDeepEqual(
    list.pairs.map((p) => p.priority),
    before,
  );
  assert.equal(p1.priority, pairPriority(p1.remote.priority, p1.local.candidate.priority));
});
