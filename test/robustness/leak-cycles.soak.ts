/** leak-cycles.test.ts, 1000 cycles. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCycles } from './cycles.js';

test('1000 cycles: memory back to its baseline, nothing left running, the process exits by itself', {
  timeout: 900_000,
}, async (t) => {
  const r = await runCycles(1000, 850_000);
  t.diagnostic(
    `${r.cycles} cycles in ${r.seconds.toFixed(1)} s; memory ${r.baselineMb.toFixed(1)} → ${r.finalMb.toFixed(1)} MB; exit ${r.exitMs.toFixed(0)} ms after the last cycle`,
  );
  assert.equal(r.code, 0);
  assert.deepEqual(r.resources, []);
  assert.ok(
    r.finalMb - r.baselineMb < 4,
    `memory grew ${(r.finalMb - r.baselineMb).toFixed(1)} MB`,
  );
  assert.ok(r.exitMs < 3000);
});
