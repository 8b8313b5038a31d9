/** Runs one target in a worker thread for pool.ts; findings and the report go to the parent. */
import { parentPort, workerData } from 'node:worker_threads';
import { type RunOptions, runTarget } from './engine.js';
import { SessionBox } from './session-box.js';
import type { FuzzTarget } from './target.js';

interface Job {
  module: string;
  target: string;
  options: Omit<RunOptions, 'onInput' | 'onFinding'>;
  box: SharedArrayBuffer;
}

const job = workerData as Job;
const { loadTarget } = (await import(job.module)) as {
  loadTarget(name: string): Promise<FuzzTarget>;
};
const target = await loadTarget(job.target);
const box = new SessionBox(job.box);
const report = await runTarget(target, {
  ...job.options,
  onInput: (sessionSeed, index, input) => box.push(sessionSeed, index, input),
  onFinding: (finding) => parentPort!.postMessage({ type: 'finding', finding }),
});
parentPort!.postMessage({ type: 'report', report });
