/**
 * Memory as the bound tests measure it: the JavaScript heap plus the memory of Buffers,
 * after a full garbage collection (exposed here without --expose-gc on the command line).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Bytes in use after a full collection. */
export function memoryInUse(): number {
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

export const MB = 1024 * 1024;

/**
 * Runs `flood(rounds)` twice to warm up (compiled code, arrays at their working size), then
 * `factor` times as many rounds, and returns how much memory grew meanwhile: a bounded
 * structure stays near zero whatever the factor.
 */
export function growth(flood: (rounds: number) => void, rounds: number, factor = 10): number {
  flood(rounds);
  flood(rounds);
  const before = memoryInUse();
  flood(rounds * factor);
  return memoryInUse() - before;
}
