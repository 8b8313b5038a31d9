import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type SimAddress, SimNetwork } from './simnet.js';

const A: SimAddress = { address: '10.0.0.1', port: 1000 };
const B: SimAddress = { address: '10.0.0.2', port: 2000 };

test('delivers in order after the link delay', () => {
  const net = new SimNetwork({ delay: 10 });
  const got: [number, string][] = [];
  const a = net.bind(A, () => {});
  net.bind(B, (d) => got.push([net.now, d.toString()]));
  a.send(Buffer.from('x'), B);
  a.send(Buffer.from('y'), B);
  net.run();
  assert.deepEqual(got, [
    [10, 'x'],
    [10, 'y'],
  ]);
});

test('loss, duplication and the MTU are applied', () => {
  const net = new SimNetwork({ seed: 7, loss: 0.5, duplicate: 0.5 });
  let n = 0;
  const a = net.bind(A, () => {});
  net.bind(B, () => n++);
  for (let i = 0; i < 1000; i++) a.send(Buffer.alloc(10), B);
  net.run();
  assert.ok(n > 600 && n < 900, `delivered ${n}`);
  net.link = { mtu: 100 };
  a.send(Buffer.alloc(101), B);
  net.run();
  assert.equal(net.stats.tooBig, 1);
});

test('jitter reorders', () => {
  const net = new SimNetwork({ seed: 3, jitter: 5 });
  const got: number[] = [];
  const a = net.bind(A, () => {});
  net.bind(B, (d) => got.push(d[0]!));
  for (let i = 0; i < 50; i++) a.send(Buffer.of(i), B);
  net.run();
  assert.equal(got.length, 50);
  assert.notDeepEqual(
    got,
    [...got].sort((x, y) => x - y),
  );
});

test('a bottleneck rate spaces datagrams and its queue drops', () => {
  const net = new SimNetwork({ rate: 1, queue: 3000 }); // 1 byte/ms
  const times: number[] = [];
  const a = net.bind(A, () => {});
  net.bind(B, () => times.push(net.now));
  for (let i = 0; i < 5; i++) a.send(Buffer.alloc(1000), B);
  net.run();
  assert.deepEqual(times, [1000, 2000, 3000]);
  assert.equal(net.stats.queueDrops, 2);
});

test('timers are woken at their deadlines and the clock jumps', () => {
  const net = new SimNetwork();
  const fired: number[] = [];
  let deadline: number | undefined = 500;
  net.addTimed({
    nextDeadline: () => deadline,
    handleTimeout(now) {
      fired.push(now);
      deadline = now < 2000 ? now + 500 : undefined;
    },
  });
  net.run();
  assert.deepEqual(fired, [500, 1000, 1500, 2000]);
});

test('a NAT maps the inside address and filters unsolicited packets', () => {
  const net = new SimNetwork();
  net.addNat({ external: '203.0.113.1', inside: (ip) => ip.startsWith('10.') });
  const server: SimAddress = { address: '198.51.100.9', port: 3478 };
  let seenFrom: SimAddress | undefined;
  let replies = 0;
  const inside = net.bind(A, () => replies++);
  const s = net.bind(server, (_d, from) => {
    seenFrom = from;
    s.send(Buffer.from('reply'), from);
  });
  inside.send(Buffer.from('hi'), server);
  net.run();
  assert.deepEqual(seenFrom, { address: '203.0.113.1', port: 40000 });
  assert.equal(replies, 1);
  // a stranger is filtered (address-and-port-dependent by default)
  const stranger = net.bind({ address: '198.51.100.10', port: 9 }, () => {});
  stranger.send(Buffer.from('x'), seenFrom!);
  net.run();
  assert.equal(replies, 1);
});

test('a busy loop is reported instead of hanging', () => {
  const net = new SimNetwork();
  net.addTimed({ nextDeadline: () => 0, handleTimeout() {} });
  assert.throws(() => net.run({ maxSteps: 100 }), /did not settle/);
});
