/**
 * A short run of every fuzz target (npm run fuzz runs them for longer): a fixed number of
 * inputs each, with coverage feedback, in worker threads watched for hangs. Any finding
 * fails the test with the path of the saved session (.fuzz-corpus/crashes/), which
 * `npm run fuzz -- --replay <file>` replays. FUZZ_SEED picks another seed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fuzzTargets } from '../../fuzz/pool.js';
import { targetNames } from '../../fuzz/targets/index.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240601);
const CRASHES = new URL('../../.fuzz-corpus/crashes/', import.meta.url).pathname;

/** Inputs per target: about three seconds each on the CI machine. */
const ITERATIONS: Record<string, number> = {
  stun: 3000,
  ice: 2500,
  'dtls-handshake': 600,
  'dtls-record': 1200,
  sctp: 2000,
  dcep: 2000,
  turn: 2500,
  sdp: 800,
  candidate: 1500,
  'sdp-apply': 500,
};

describe('fuzz targets', { concurrency: 2 }, () => {
  for (const name of targetNames)
    test(name, async () => {
      const saved: string[] = [];
      const [outcome] = await fuzzTargets(
        [name],
        { seed: SEED, iterations: ITERATIONS[name] ?? 1000, coverage: true },
        { jobs: 1, hangMs: 15_000, crashDir: CRASHES, onFinding: (_f, path) => saved.push(path!) },
      );
      const findings = outcome!.findings.map(
        (f, i) => `${f.kind}: ${f.message} (${saved[i]})\n${f.stack}`,
      );
      assert.deepEqual(findings, [], `seed ${SEED}`);
      assert.equal(outcome!.report?.iterations, ITERATIONS[name] ?? 1000);
    });
});
