/**
 * Shared memory between a fuzzing worker and the thread that watches it: a heartbeat that
 * moves with every input, and the inputs of the session in progress, so that the watcher
 * can save them when the worker hangs and has to be terminated.
 */
const HEARTBEAT = 0;
const COUNT = 1;
const USED = 2;
const OVERFLOW = 3;
const SESSION_SEED = 4;
const HEADER = 32;

export class SessionBox {
  readonly #header: Int32Array;
  readonly #data: Uint8Array;

  constructor(
    readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(HEADER + 4 * 1024 * 1024),
  ) {
    this.#header = new Int32Array(buffer, 0, HEADER / 4);
    this.#data = new Uint8Array(buffer, HEADER);
  }

  get heartbeat(): number {
    return Atomics.load(this.#header, HEARTBEAT);
  }

  /** The seed of the session in progress. */
  get sessionSeed(): number {
    return this.#header[SESSION_SEED]! >>> 0;
  }

  /** Records the next input of a session (`index` 0 starts a new one). */
  push(sessionSeed: number, index: number, input: Uint8Array): void {
    const h = this.#header;
    if (index === 0) {
      h[SESSION_SEED] = sessionSeed | 0;
      h[COUNT] = 0;
      h[USED] = 0;
      h[OVERFLOW] = 0;
    }
    const used = h[USED]!;
    if (used + 4 + input.length > this.#data.length) h[OVERFLOW] = 1;
    else {
      new DataView(this.#data.buffer, this.#data.byteOffset + used, 4).setUint32(0, input.length);
      this.#data.set(input, used + 4);
      h[USED] = used + 4 + input.length;
      h[COUNT] = h[COUNT]! + 1;
    }
    Atomics.add(h, HEARTBEAT, 1);
  }

  /** The inputs recorded for the session in progress (the oldest ones are kept when it overflowed). */
  inputs(): Buffer[] {
    const out: Buffer[] = [];
    const count = Atomics.load(this.#header, COUNT);
    for (let i = 0, at = 0; i < count; i++) {
      const length = new DataView(this.#data.buffer, this.#data.byteOffset + at, 4).getUint32(0);
      out.push(Buffer.from(this.#data.subarray(at + 4, at + 4 + length)));
      at += 4 + length;
    }
    return out;
  }
}
