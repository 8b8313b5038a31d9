/**
 * Runs fuzz targets in worker threads, a few at a time, each watched: a worker whose
 * heartbeat stops for `hangMs` is terminated and its session saved as a hang; an error
 * that escapes the engine (from a timer or a promise the layer left behind) is a finding
 * too. Findings are saved as crash files (crash-file.ts) when `crashDir` is given.
 */
import { Worker } from 'node:worker_threads';
import { saveFinding } from './crash-file.js';
import type { FindingReport, RunOptions, RunReport } from './engine.js';
import { SessionBox } from './session-box.js';

export interface PoolOptions {
  /** The module whose `loadTarget(name)` export gives the targets (default: fuzz/targets/index.ts). */
  module?: string;
  /** Targets run at once (default 2). */
  jobs?: number;
  /** A worker silent this long is hung (default 10 s). */
  hangMs?: number;
  /** Where findings are saved; not saved when unset. */
  crashDir?: string;
  onReport?(report: RunReport): void;
  onFinding?(finding: FindingReport, savedAs: string | undefined): void;
}

export interface TargetOutcome {
  target: string;
  /** Undefined when the worker hung or died. */
  report: RunReport | undefined;
  findings: FindingReport[];
}

/** How long a worker may take to load and prepare its target before its first input. */
const STARTUP_MS = 60_000;

export const TARGETS_MODULE = new URL('./targets/index.ts', import.meta.url).href;
const TSX = import.meta.resolve('tsx/esm/api');
const WORKER = new URL('./worker.ts', import.meta.url).href;
// Workers do not inherit the tsx loader: the bootstrap registers it, then loads the worker.
const BOOTSTRAP = `import(${JSON.stringify(TSX)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER)}); });`;

export async function fuzzTargets(
  names: readonly string[],
  options: Omit<RunOptions, 'onInput' | 'onFinding'>,
  pool: PoolOptions = {},
): Promise<TargetOutcome[]> {
  const queue = [...names];
  const outcomes: TargetOutcome[] = [];
  const lane = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift())
      outcomes.push(await runOne(name, options, pool));
  };
  await Promise.all(Array.from({ length: Math.max(1, pool.jobs ?? 2) }, lane));
  return names.map((n) => outcomes.find((o) => o.target === n)!);
}

function runOne(
  name: string,
  options: Omit<RunOptions, 'onInput' | 'onFinding'>,
  pool: PoolOptions,
): Promise<TargetOutcome> {
  const box = new SessionBox();
  const outcome: TargetOutcome = { target: name, report: undefined, findings: [] };
  const found = (f: FindingReport): void => {
    const inputs = f.inputs.map((i) => Buffer.from(i.buffer, i.byteOffset, i.byteLength));
    const finding = { ...f, inputs };
    outcome.findings.push(finding);
    const savedAs = pool.crashDir ? saveFinding(pool.crashDir, finding) : undefined;
    pool.onFinding?.(finding, savedAs);
  };
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { module: pool.module ?? TARGETS_MODULE, target: name, options, box: box.buffer },
  });
  const hangMs = pool.hangMs ?? 10_000;
  return new Promise((resolve) => {
    let beat = box.heartbeat;
    let quietSince = performance.now();
    const watchdog = setInterval(() => {
      if (box.heartbeat !== beat) {
        beat = box.heartbeat;
        quietSince = performance.now();
        return;
      }
      // Loading the modules and preparing the target (certificates) is not an input.
      const limit = beat === 0 ? Math.max(hangMs, STARTUP_MS) : hangMs;
      if (performance.now() - quietSince < limit) return;
      const message = `no progress for ${hangMs} ms: an input hangs the layer`;
      found(lost(name, 'hang', message, `Error: ${message}`, options.seed, box));
      void worker.terminate();
    }, 100);
    worker.on(
      'message',
      (m: { type: 'finding'; finding: FindingReport } | { type: 'report'; report: RunReport }) => {
        if (m.type === 'finding') found(m.finding);
        else {
          outcome.report = m.report;
          pool.onReport?.(m.report);
        }
      },
    );
    worker.on('error', (e) => {
      found(
        lost(name, 'exception', `${e.name}: ${e.message}`, e.stack ?? String(e), options.seed, box),
      );
    });
    worker.on('exit', () => {
      clearInterval(watchdog);
      resolve(outcome);
    });
  });
}

/** A finding the engine could not report itself: the inputs come from the shared box. */
function lost(
  target: string,
  kind: FindingReport['kind'],
  message: string,
  stack: string,
  seed: number,
  box: SessionBox,
): FindingReport {
  return {
    target,
    kind,
    message,
    stack,
    key: `${kind}:${message}`,
    seed,
    session: -1,
    sessionSeed: box.sessionSeed,
    inputs: box.inputs(),
  };
}
