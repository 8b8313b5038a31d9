/**
 * npm run fuzz -- [--seconds N | --iterations N] [--seed N] [--jobs N] [--hang MS] [--slow MS]
 *                 [--no-coverage] [--keep-corpus] [target ...]
 * npm run fuzz -- --list
 * npm run fuzz -- --replay .fuzz-corpus/crashes/<file>.bin
 *
 * Runs every target (or the ones named) for a while in worker threads and prints what each
 * did. Findings are saved under .fuzz-corpus/crashes/ with the inputs that replay them; the
 * exit status is 1 when there was any. --keep-corpus saves the inputs that reached new
 * coverage under .fuzz-corpus/<target>/ and starts from them next time.
 */
import { parseArgs } from 'node:util';
import { readCrashFile } from './crash-file.js';
import { type RunReport, replay } from './engine.js';
import { fuzzTargets } from './pool.js';
import { loadTarget, targetNames } from './targets/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string' },
    iterations: { type: 'string' },
    seed: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    hang: { type: 'string', default: '10000' },
    slow: { type: 'string', default: '500' },
    'no-coverage': { type: 'boolean', default: false },
    'keep-corpus': { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    replay: { type: 'string' },
  },
});

const state = new URL('../.fuzz-corpus/', import.meta.url);

if (values.list) {
  for (const name of targetNames)
    console.log(`${name.padEnd(16)} ${(await loadTarget(name)).description}`);
  process.exit(0);
}

if (values.replay) {
  const crash = readCrashFile(values.replay);
  const target = await loadTarget(crash.target);
  console.log(`replaying ${crash.inputs.length} input(s) on ${crash.target}`);
  await replay(target, crash.inputs, crash.sessionSeed);
  console.log('no exception: the bug is fixed (or it was a hang or a slow input: time it)');
  process.exit(0);
}

const unknown = positionals.filter((p) => !targetNames.includes(p));
if (unknown.length > 0) {
  console.error(`unknown target(s): ${unknown.join(', ')}; --list shows them`);
  process.exit(2);
}
const names = positionals.length > 0 ? positionals : targetNames;
const seed = values.seed === undefined ? Date.now() % 0x100000000 : Number(values.seed);
const iterations = values.iterations === undefined ? undefined : Number(values.iterations);
const seconds =
  values.seconds === undefined
    ? iterations === undefined
      ? 10
      : undefined
    : Number(values.seconds);
console.log(
  `fuzzing ${names.length} target(s), seed ${seed}, ${seconds === undefined ? `${iterations} inputs` : `${seconds} s`} each`,
);

const outcomes = await fuzzTargets(
  names,
  {
    seed,
    seconds,
    iterations,
    coverage: !values['no-coverage'],
    slowMs: Number(values.slow),
    ...(values['keep-corpus'] ? { corpusDir: state.pathname } : {}),
  },
  {
    jobs: Number(values.jobs),
    hangMs: Number(values.hang),
    crashDir: new URL('crashes/', state).pathname,
    onReport: (r) => console.log(summary(r)),
    onFinding: (f, path) => {
      console.log(`FOUND ${f.kind} in ${f.target}: ${f.message}`);
      console.log(`  ${f.stack.split('\n').slice(1, 4).join('\n  ')}`);
      if (path) console.log(`  saved ${path}\n  replay: npm run fuzz -- --replay ${path}`);
    },
  },
);
const findings = outcomes.reduce((n, o) => n + o.findings.length, 0);
const total = outcomes.reduce((n, o) => n + (o.report?.iterations ?? 0), 0);
console.log(`${total} inputs, ${findings} finding(s)`);
process.exit(findings > 0 ? 1 : 0);

function summary(r: RunReport): string {
  const rate = Math.round(r.iterations / r.seconds);
  return (
    `${r.target.padEnd(16)} ${String(r.iterations).padStart(9)} inputs in ${r.seconds.toFixed(1)} s (${rate}/s), ` +
    `${r.sessions} sessions, ${r.seeds} seeds → corpus ${r.corpus}, ${r.features} coverage features, ` +
    `heap ${r.heapMb.first}→${r.heapMb.last} MB (max ${r.heapMb.max}), slowest input ${r.slowestMs} ms` +
    (r.findings.length > 0 ? `, ${r.findings.length} distinct finding(s)` : '')
  );
}
