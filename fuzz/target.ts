/** What a fuzz target is: a layer's input path, fed one input at a time. */
import type { Random } from './mutate.js';

export interface FuzzSession {
  /**
   * One input (a datagram, a record, a description). Throws (or rejects) when the layer let
   * an exception out or broke an invariant the target checks (a bound exceeded, a wrong
   * state). Asynchronous for the W3C API, whose operations return promises.
   */
  feed(input: Buffer): void | Promise<void>;
  /** Releases what the session holds (timers, state), so that memory can be watched. */
  close?(): void;
}

export interface FuzzTarget<C = unknown> {
  readonly name: string;
  readonly description: string;
  /** 'text' inputs (SDP, candidate lines) are mutated by lines and tokens as well as bytes. */
  readonly format: 'binary' | 'text';
  /** Inputs are cut to this many bytes. */
  readonly maxLength: number;
  /**
   * At most this many inputs go to one session. Stateless targets say 1; stateful ones
   * (an ICE agent, a DTLS connection, an SCTP association) keep their state across a session.
   */
  readonly sessionLength: number;
  /** Tokens worth inserting: magic numbers, keywords. */
  readonly dictionary?: readonly (string | Buffer)[];
  /** Once per run: what is costly to make (certificates). */
  prepare?(): Promise<C>;
  /** Seed inputs made in code, besides the files of fuzz/corpus/<name>/. */
  seeds?(context: C): Buffer[];
  /** A fresh instance of the layer, in a state the session's `random` picks. */
  session(context: C, random: Random): FuzzSession;
}

/** A misbehaviour a target noticed without an exception escaping the layer. */
export class Finding extends Error {
  override name = 'Finding';
}

/** Throws a Finding unless `condition` holds. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Finding(message);
}
