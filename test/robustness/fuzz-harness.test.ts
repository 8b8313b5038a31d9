/** The fuzzing harness itself: each kind of fault is caught, saved, and replays; a seed replays a run. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readCrashFile } from '../../fuzz/crash-file.js';
import { replay, runTarget } from '../../fuzz/engine.js';
import { fuzzTargets } from '../../fuzz/pool.js';
import { loadTarget, recorded } from './fixtures/faulty-targets.js';

const MODULE = new URL('./fixtures/faulty-targets.ts', import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), 'purertc-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('an exception is reported once per place, saved, and the saved session replays it', async () => {
  const [outcome] = await fuzzTargets(
    ['throws'],
    { seed: 1, iterations: 3000, coverage: false },
    { module: MODULE, crashDir: dir },
  );
  assert.equal(outcome!.report?.iterations, 3000);
  assert.equal(outcome!.findings.length, 1);
  const f = outcome!.findings[0]!;
  assert.equal(f.kind, 'exception');
  assert.match(f.message, /planted: first byte 0x42/);
  assert.equal(f.inputs.at(-1)![0], 0x42);
  const saved = readdirSync(dir).find(
    (n) => n.startsWith('throws-exception') && n.endsWith('.bin'),
  )!;
  const crash = readCrashFile(join(dir, saved));
  assert.equal(crash.target, 'throws');
  await assert.rejects(
    replay(await loadTarget('throws'), crash.inputs, crash.sessionSeed),
    /planted/,
  );
});

test('a hang is caught by the watchdog and its session saved', async () => {
  const [outcome] = await fuzzTargets(
    ['hangs'],
    { seed: 1, iterations: 100_000, coverage: false },
    { module: MODULE, crashDir: dir, hangMs: 1000 },
  );
  assert.equal(outcome!.report, undefined, 'the worker was terminated');
  assert.equal(outcome!.findings.length, 1);
  assert.equal(outcome!.findings[0]!.kind, 'hang');
  assert.equal(outcome!.findings[0]!.inputs.at(-1)!.length, 3);
  assert.ok(readdirSync(dir).some((n) => n.startsWith('hangs-hang')));
});

test('memory that grows over the run is a finding', async () => {
  const [outcome] = await fuzzTargets(
    ['leaks'],
    { seed: 1, iterations: 400, coverage: false, heapGrowthMb: 32 },
    { module: MODULE },
  );
  assert.deepEqual(
    outcome!.findings.map((f) => f.kind),
    ['memory'],
  );
  assert.ok(outcome!.report!.heapMb.last - outcome!.report!.heapMb.first > 32);
});

test('an input slower than the limit is a finding', async () => {
  const [outcome] = await fuzzTargets(
    ['slow'],
    { seed: 1, iterations: 300, coverage: false, slowMs: 20 },
    { module: MODULE },
  );
  assert.deepEqual(
    outcome!.findings.map((f) => f.kind),
    ['slow'],
  );
});

test('the same seed gives the same inputs; another seed others', async () => {
  const recorder = await loadTarget('recorder');
  const run = async (seed: number) => {
    await runTarget(recorder, { seed, iterations: 500, coverage: false });
    return recorded().map((b) => b.toString('hex'));
  };
  const a = await run(7);
  assert.deepEqual(await run(7), a);
  assert.notDeepEqual(await run(8), a);
  assert.ok(new Set(a).size > 100, 'the mutants differ from one another');
});
