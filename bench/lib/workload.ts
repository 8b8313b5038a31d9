/**
 * What a benchmark is made of. A pair workload has two roles, run in one process or in two
 * (the same code either way): the offerer measures and returns the figures, the answerer
 * serves it. A solo workload runs alone in a fresh process (memory and idle CPU figures).
 */
import type { Side } from './session.js';
import type { Stack, StackName } from './stacks.js';

/** The figures of one sample, by name (MiB/s, ms, µs...). */
export type Figures = Record<string, number>;
export type Params = Record<string, number | boolean | string>;

export interface PairWorkload {
  kind: 'pair';
  /** The workload needs no WebRTC stack (the ceiling of the machine itself). */
  stackless?: boolean;
  offerer(side: Side, params: Params): Promise<Figures>;
  answerer(side: Side, params: Params): Promise<void>;
}

export interface SoloWorkload {
  kind: 'solo';
  run(
    load: (name: StackName) => Promise<Stack>,
    stack: StackName,
    params: Params,
  ): Promise<Figures>;
}

export type Workload = PairWorkload | SoloWorkload;
