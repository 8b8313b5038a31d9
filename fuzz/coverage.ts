/**
 * Coverage feedback from V8 itself, through node:inspector's precise block coverage: after
 * each input, the blocks of our sources that ran (with AFL-style buckets of their counts)
 * are compared with everything seen so far. An input that reaches something new joins the
 * corpus. Taking the counters also resets them, so each take covers one input.
 *
 * This stands in for a native coverage-guided engine (libFuzzer through Jazzer.js), which
 * cannot load here; a take costs about half a millisecond.
 */
import { Session } from 'node:inspector';

interface CoverageRange {
  startOffset: number;
  count: number;
}

interface ScriptCoverage {
  url: string;
  functions: { ranges: CoverageRange[] }[];
}

/** Counts into the buckets that tell loops apart: 1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+. */
function bucket(count: number): number {
  if (count <= 3) return count;
  if (count < 8) return 4;
  if (count < 16) return 5;
  if (count < 32) return 6;
  return count < 128 ? 7 : 8;
}

export class Coverage {
  readonly #session = new Session();
  readonly #seen = new Set<number>();
  /** Script url → a small number, so that features are plain numbers. */
  readonly #scripts = new Map<string, number>();
  readonly #root: string;

  /** Watches the modules under `root` (a directory URL or path). */
  constructor(root: string) {
    this.#root = root.startsWith('file:') ? root : `file://${root}`;
    this.#session.connect();
    this.#post('Profiler.enable');
    this.#post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  }

  /** Distinct block × bucket features seen so far. */
  get features(): number {
    return this.#seen.size;
  }

  /** Takes the counters since the last call; the number of features never seen before. */
  take(): number {
    const result = this.#post('Profiler.takePreciseCoverage') as { result: ScriptCoverage[] };
    let fresh = 0;
    for (const script of result.result) {
      if (!script.url.startsWith(this.#root)) continue;
      let id = this.#scripts.get(script.url);
      if (id === undefined) {
        id = this.#scripts.size;
        this.#scripts.set(script.url, id);
      }
      for (const fn of script.functions)
        for (const range of fn.ranges) {
          if (range.count === 0) continue;
          // script (10 bits) · offset (22 bits) · bucket (4 bits): exact in a double.
          const feature = (id * 2 ** 22 + range.startOffset) * 16 + bucket(range.count);
          if (!this.#seen.has(feature)) {
            this.#seen.add(feature);
            fresh++;
          }
        }
    }
    return fresh;
  }

  close(): void {
    this.#post('Profiler.stopPreciseCoverage');
    this.#session.disconnect();
  }

  #post(method: string, params: object = {}): unknown {
    let out: unknown;
    let failure: Error | null = null;
    // An in-process session answers synchronously.
    this.#session.post(method, params, (error, result) => {
      failure = error;
      out = result;
    });
    if (failure) throw failure;
    return out;
  }
}

/** The file URL of the sources under test. */
export const SOURCE_ROOT = new URL('../src/', import.meta.url).href;
