/**
 * 50 connect / transfer / close cycles of two peer connections in one process (the soak
 * version does 1000): memory returns to what it was after the first cycles, nothing (no
 * socket, no timer) is left running after the last close(), and the process exits on its
 * own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCycles } from './cycles.js';

test('50 cycles: memory back to its baseline, nothing left running, the process exits by itself', async (t) => {
  const r = await runCycles(50, 60_000);
  t.diagnostic(
    `${r.cycles} cycles in ${r.seconds.toFixed(1)} s; memory ${r.baselineMb.toFixed(1)} → ${r.finalMb.toFixed(1)} MB; exit ${r.exitMs.toFixed(0)} ms after the last cycle`,
  );
  assert.equal(r.code, 0);
  assert.deepEqual(r.resources, [], 'active resources after the last close()');
  assert.ok(
    r.finalMb - r.baselineMb < 4,
    `memory grew ${(r.finalMb - r.baselineMb).toFixed(1)} MB`,
  );
  assert.ok(r.exitMs < 3000, `exited ${r.exitMs.toFixed(0)} ms after its last cycle`);
});
