import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeadlineTimer, now } from '../../src/net/timer.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('a due deadline fires without the 1 ms floor of setTimeout', async () => {
  // Each cycle arms a deadline already due: 100 cycles on setTimeout take at least 100 ms.
  const cycles = 100;
  let fired = 0;
  const started = now();
  await new Promise<void>((resolve) => {
    const timer = new DeadlineTimer(() => {
      if (++fired === cycles) resolve();
      else timer.arm(now());
    });
    timer.arm(now());
  });
  const elapsed = now() - started;
  assert.ok(elapsed < cycles / 2, `${cycles} due deadlines took ${elapsed.toFixed(1)} ms`);
});

test('an earlier deadline replaces a later one; close() cancels both kinds', async () => {
  const fired: number[] = [];
  const timer = new DeadlineTimer((at) => fired.push(at));
  timer.arm(now() + 10_000);
  timer.arm(now());
  await tick();
  assert.equal(fired.length, 1, 'the due deadline fired at once');
  const armed = now() + 20;
  timer.arm(armed);
  timer.arm(armed + 10); // a little later: the armed timer stays, an early wake-up is harmless
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(fired.length, 2);

  timer.arm(now());
  timer.close();
  timer.arm(now());
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(fired.length, 2, 'nothing fires after close()');
});

test('a deadline moved seconds later re-arms: an idle owner is not woken for nothing', async () => {
  const fired: number[] = [];
  const timer = new DeadlineTimer((at) => fired.push(at));
  timer.arm(now() + 20); // a retransmission, say
  timer.arm(now() + 5000); // answered: the next request is due in 5 s
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(fired, []);
  timer.close();
});
