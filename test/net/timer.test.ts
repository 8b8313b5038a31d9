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
  timer.arm(now() + 20);
  timer.arm(now() + 60_000); // later: does not re-arm
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(fired.length, 2);

  timer.arm(now());
  timer.close();
  timer.arm(now());
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(fired.length, 2, 'nothing fires after close()');
});
