/** Runs fixtures/cycles.ts in a child process and reads its report. */
import { spawn } from 'node:child_process';

export interface CyclesReport {
  cycles: number;
  seconds: number;
  baselineMb: number;
  finalMb: number;
  resources: string[];
  /** Milliseconds from the report to the child's exit, on its own. */
  exitMs: number;
  code: number | null;
}

/** Spawns the cycles and resolves once the child has exited (or kills it after `timeout`). */
export function runCycles(cycles: number, timeout: number): Promise<CyclesReport> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./fixtures/cycles.ts', import.meta.url).pathname, String(cycles)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  let reportedAt = 0;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('\n') && reportedAt === 0) reportedAt = performance.now();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), timeout);
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      clearTimeout(killer);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return reject(new Error(`no report from the cycles (exit ${code}): ${out}`));
      const report = JSON.parse(line) as CyclesReport;
      // The child's stdio pipes are ours, not the stack's.
      report.resources = report.resources.filter((r) => r !== 'PipeWrap' && r !== 'TTYWrap');
      resolve({ ...report, exitMs: performance.now() - reportedAt, code });
    });
  });
}
