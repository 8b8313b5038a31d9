/**
 * The fuzzing loop of one target, in the current thread: sessions of inputs drawn from the
 * corpus (seeds first, then mutants, with some random bytes), each input timed, coverage
 * taken after each, the heap sampled after a full garbage collection as the run goes.
 *
 * Session `s` of a run with seed `S` draws every choice from prng(S, s); a finding carries
 * the exact inputs of its session, so it replays without the seed (see replay()).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { prng } from '../test/support/simnet.js';
import { Coverage, SOURCE_ROOT } from './coverage.js';
import { Mutator } from './mutate.js';
import type { FuzzSession, FuzzTarget } from './target.js';

export type FindingKind = 'exception' | 'slow' | 'memory' | 'hang';

export interface FindingReport {
  target: string;
  kind: FindingKind;
  message: string;
  stack: string;
  /** What makes two findings the same bug: the frames of our code it came from. */
  key: string;
  seed: number;
  session: number;
  /** The seed of the session's own random source: replay() needs it with the inputs. */
  sessionSeed: number;
  /** The session's inputs up to and including the one that failed. */
  inputs: Buffer[];
}

export interface RunOptions {
  seed: number;
  /** Stop after this many inputs... */
  iterations?: number;
  /** ...or after this many seconds, whichever comes first. */
  seconds?: number;
  /** Coverage feedback (default true). */
  coverage?: boolean;
  /** An input that takes longer than this is a finding (default 500 ms). */
  slowMs?: number;
  /** Memory growth (JavaScript heap and buffers) from the first sample to the last that is a finding (default 64 MB). */
  heapGrowthMb?: number;
  /** Inputs that reached new coverage are saved under <corpusDir>/<target>/, and read back next time. */
  corpusDir?: string;
  /** Before each input: the watchdog's view of progress. */
  onInput?(sessionSeed: number, index: number, input: Buffer): void;
  onFinding?(finding: FindingReport): void;
}

export interface RunReport {
  target: string;
  iterations: number;
  sessions: number;
  seconds: number;
  seeds: number;
  corpus: number;
  features: number;
  heapMb: { first: number; last: number; max: number };
  slowestMs: number;
  findings: { kind: FindingKind; key: string; message: string; count: number }[];
}

const CORPUS_LIMIT = 4096;
/** Bytes the corpus may hold, so that its growth does not pass for a leak of the target. */
const CORPUS_BYTES = 8 * 1024 * 1024;
const HEAP_SAMPLE_MS = 1000;
const MB = 1024 * 1024;

/** The committed seeds of a target: every file in fuzz/corpus/<name>/. */
export function corpusFiles(
  name: string,
  dir = new URL(`./corpus/${name}/`, import.meta.url),
): Buffer[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((f) => readFileSync(new URL(f, dir)));
}

export async function runTarget(target: FuzzTarget, options: RunOptions): Promise<RunReport> {
  const context = await target.prepare?.();
  const dictionary = (target.dictionary ?? []).map((t) =>
    typeof t === 'string' ? Buffer.from(t, 'latin1') : t,
  );
  const seeds = [...corpusFiles(target.name), ...(target.seeds?.(context) ?? [])].map((s) =>
    s.subarray(0, target.maxLength),
  );
  if (seeds.length === 0) seeds.push(Buffer.alloc(0));
  const savedDir = options.corpusDir && join(options.corpusDir, target.name);
  const saved = savedDir ? readSaved(savedDir) : [];
  const corpus = [...seeds, ...saved];
  let corpusBytes = 0;
  const coverage = options.coverage === false ? undefined : new Coverage(SOURCE_ROOT);
  const gc = garbageCollector();
  const slowMs = options.slowMs ?? 500;
  const started = performance.now();
  const deadline =
    options.seconds === undefined ? Number.POSITIVE_INFINITY : started + options.seconds * 1000;
  const maxIterations = options.iterations ?? Number.POSITIVE_INFINITY;

  const findings = new Map<string, RunReport['findings'][number]>();
  const report = (
    kind: FindingKind,
    error: unknown,
    session: number,
    sessionSeed: number,
    inputs: Buffer[],
  ) => {
    const e = error instanceof Error ? error : new Error(String(error));
    const stack = e.stack ?? String(e);
    const key = `${kind}:${findingKey(stack, e.message)}`;
    const known = findings.get(key);
    if (known) return void known.count++;
    findings.set(key, { kind, key, message: `${e.name}: ${e.message}`, count: 1 });
    options.onFinding?.({
      target: target.name,
      kind,
      message: `${e.name}: ${e.message}`,
      stack,
      key,
      seed: options.seed,
      session,
      sessionSeed,
      inputs: [...inputs],
    });
  };

  const heap = { first: 0, last: 0, max: 0 };
  let nextHeapSample = 0;
  const sampleHeap = (): void => {
    gc();
    // Buffers live outside the JavaScript heap: count both.
    const { heapUsed, external } = process.memoryUsage();
    const used = (heapUsed + external) / MB;
    if (heap.first === 0) heap.first = used;
    heap.last = used;
    heap.max = Math.max(heap.max, used);
    nextHeapSample = performance.now() + HEAP_SAMPLE_MS;
  };

  let iterations = 0;
  let slowest = 0;
  let session = 0;
  // Seeds go first, unchanged, so that coverage starts from what real messages reach.
  let seedIndex = 0;
  coverage?.take();
  for (; iterations < maxIterations && performance.now() < deadline; session++) {
    // The session and the mutator draw from separate sources, so that replaying the inputs
    // alone gives the session the same draws.
    const sessionSeed = mix(options.seed, session);
    const mutator = new Mutator(prng(sessionSeed ^ 0x5bd1e995), dictionary);
    const inputs: Buffer[] = [];
    let instance: FuzzSession | undefined;
    try {
      instance = target.session(context, prng(sessionSeed));
    } catch (e) {
      report('exception', e, session, sessionSeed, inputs);
      continue;
    }
    const length = 1 + mutator.int(target.sessionLength);
    for (let i = 0; i < length && iterations < maxIterations; i++) {
      const input =
        seedIndex < seeds.length ? seeds[seedIndex++]! : generate(target, mutator, corpus);
      inputs.push(input);
      options.onInput?.(sessionSeed, i, input);
      const t0 = performance.now();
      try {
        const pending = instance.feed(input);
        if (pending) await pending;
      } catch (e) {
        iterations++;
        report('exception', e, session, sessionSeed, inputs);
        break;
      }
      let ms = performance.now() - t0;
      iterations++;
      // A slow input is timed again in a fresh session: on a busy machine a pause of the
      // whole process is not the input's doing.
      if (ms > slowMs) ms = Math.min(ms, await retime(target, context, sessionSeed, inputs));
      if (ms > slowest) slowest = ms;
      if (ms > slowMs)
        report(
          'slow',
          new Error(`one input took ${ms.toFixed(0)} ms (limit ${slowMs} ms)`),
          session,
          sessionSeed,
          inputs,
        );
      if (coverage && coverage.take() > 0) {
        if (corpus.length < CORPUS_LIMIT && corpusBytes + input.length <= CORPUS_BYTES) {
          corpus.push(input);
          corpusBytes += input.length;
        } else if (corpus.length > seeds.length) {
          // Full: the new input takes the place of an earlier find.
          const at = seeds.length + mutator.int(corpus.length - seeds.length);
          corpusBytes += input.length - corpus[at]!.length;
          corpus[at] = input;
        }
        if (savedDir) save(savedDir, input);
      }
    }
    try {
      instance.close?.();
    } catch (e) {
      report('exception', e, session, sessionSeed, inputs);
    }
    // The first sample comes after the first session: the modules and the seeds are warm.
    if (performance.now() >= nextHeapSample) sampleHeap();
  }
  sampleHeap();
  const growth = heap.last - heap.first;
  const limit = options.heapGrowthMb ?? 64;
  if (growth > limit)
    report(
      'memory',
      new Error(`heap grew ${growth.toFixed(1)} MB over the run (limit ${limit} MB)`),
      session,
      0,
      [],
    );
  coverage?.close();
  return {
    target: target.name,
    iterations,
    sessions: session,
    seconds: (performance.now() - started) / 1000,
    seeds: seeds.length,
    corpus: corpus.length,
    features: coverage?.features ?? 0,
    heapMb: { first: round(heap.first), last: round(heap.last), max: round(heap.max) },
    slowestMs: round(slowest),
    findings: [...findings.values()],
  };
}

/** Feeds recorded inputs to a fresh session; throws what the target throws. */
export async function replay(
  target: FuzzTarget,
  inputs: readonly Buffer[],
  sessionSeed: number,
): Promise<void> {
  const context = await target.prepare?.();
  const session = target.session(context, prng(sessionSeed));
  try {
    for (const input of inputs) await session.feed(input);
  } finally {
    session.close?.();
  }
}

/** How long the last of `inputs` takes when the session is replayed. */
async function retime(
  target: FuzzTarget,
  context: unknown,
  sessionSeed: number,
  inputs: readonly Buffer[],
): Promise<number> {
  const session = target.session(context, prng(sessionSeed));
  try {
    for (const input of inputs.slice(0, -1)) await session.feed(input);
    const t0 = performance.now();
    await session.feed(inputs.at(-1)!);
    return performance.now() - t0;
  } catch {
    return Number.POSITIVE_INFINITY; // not the same session: keep the first measure
  } finally {
    session.close?.();
  }
}

function generate(target: FuzzTarget, m: Mutator, corpus: readonly Buffer[]): Buffer {
  const r = m.random();
  if (r < 0.04) {
    const n = m.int(Math.min(target.maxLength, m.random() < 0.8 ? 256 : 4096) + 1);
    return target.format === 'text' ? Buffer.from(randomText(m, n), 'utf8') : m.bytes(n);
  }
  const base = m.pick(corpus);
  if (r < 0.1) return base;
  const other = m.pick(corpus);
  return target.format === 'text' && m.random() < 0.85
    ? m.mutateText(base, other, target.maxLength)
    : m.mutate(base, other, target.maxLength);
}

function randomText(m: Mutator, n: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 :=/.-+;,~*\r\n\t\0{}"\'\\é😀';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[m.int(alphabet.length)];
  return s;
}

/** The first frames of our own code in a stack, or the message when there are none. */
function findingKey(stack: string, message: string): string {
  const frames = stack
    .split('\n')
    .filter((l) => l.includes('/src/'))
    .slice(0, 2)
    .map((l) => l.replace(/^.*\/src\//, 'src/').replace(/\)$/, ''));
  return frames.length > 0 ? frames.join(' < ') : message.replace(/\d+/g, 'N');
}

/** A well-mixed 32-bit seed for session `s` of run `seed`. */
function mix(seed: number, s: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(s + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

/** global.gc without --expose-gc on the command line. */
function garbageCollector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function readSaved(dir: string): Buffer[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .slice(0, CORPUS_LIMIT)
    .map((f) => readFileSync(join(dir, f)));
}

function save(dir: string, input: Buffer): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, createHash('sha1').update(input).digest('hex').slice(0, 16)), input);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
