/**
 * ChaCha20-Poly1305 (RFC 8439) in WebAssembly (wasm/chacha20Poly1305.c, built by
 * wasm/build.sh): one instance per thread, compiled when this module loads, working in a
 * scratch area of its memory. Calls are synchronous, so the area is never shared between
 * two of them.
 *
 * `available` is false where WebAssembly SIMD is missing; record protection then uses
 * node:crypto instead.
 */
import { wasm } from './wasm/chacha20Poly1305.wasm.js';

const TAG_LENGTH = 16;
/**
 * Largest plaintext: the largest fragment a DTLS record can carry (RFC 6347 §4.1.2.7:
 * 2^14 + 2048), so that a record too long to be valid still opens and can be refused as such.
 */
const MAX_PLAINTEXT = 16384 + 2048;
const MAX_AAD = 64;

/** The parts of the WebAssembly API used here (the project's TypeScript libs do not declare it). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

/** Pointers into the module's memory and lengths; `open` returns 1 when the tag verifies. */
type AeadCall<Result> = (
  key: number,
  nonce: number,
  aad: number,
  aadLength: number,
  input: number,
  length: number,
  out: number,
) => Result;

interface Exports {
  memory: { buffer: ArrayBuffer };
  __heap_base: { value: number };
  seal: AeadCall<void>;
  open: AeadCall<number>;
}

function instantiate(): Exports | undefined {
  try {
    const module = new WebAssembly.Module(Buffer.from(wasm, 'base64'));
    return new WebAssembly.Instance(module).exports as Exports;
  } catch {
    return undefined;
  }
}

const engine = instantiate();
export const available = engine !== undefined;

// The scratch area: key, nonce, additional data, input, output.
const base = engine ? engine.__heap_base.value : 0;
const KEY = base;
const NONCE = KEY + 32;
const AAD = NONCE + 16;
const INPUT = AAD + MAX_AAD;
const OUTPUT = INPUT + MAX_PLAINTEXT + TAG_LENGTH;
const memory = engine ? new Uint8Array(engine.memory.buffer) : new Uint8Array(0);

function load(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array): void {
  if (key.length !== 32 || nonce.length !== 12 || aad.length > MAX_AAD)
    throw new RangeError('ChaCha20-Poly1305 takes a 32-byte key and a 12-byte nonce');
  memory.set(key, KEY);
  memory.set(nonce, NONCE);
  memory.set(aad, AAD);
}

/** Writes the ciphertext of `plaintext` and the tag into `out` at `at` (plaintext.length + 16 bytes). */
export function chacha20Poly1305Seal(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  out: Uint8Array,
  at: number,
): void {
  const length = plaintext.length;
  if (length > MAX_PLAINTEXT) throw new RangeError('plaintext too long');
  load(key, nonce, aad);
  memory.set(plaintext, INPUT);
  engine!.seal(KEY, NONCE, AAD, aad.length, INPUT, length, OUTPUT);
  out.set(memory.subarray(OUTPUT, OUTPUT + length + TAG_LENGTH), at);
}

/**
 * The plaintext of `sealed` (ciphertext then tag) as a new buffer, or undefined when the
 * tag does not match (or `sealed` is shorter than a tag).
 */
export function chacha20Poly1305Open(
  key: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
): Buffer | undefined {
  const length = sealed.length - TAG_LENGTH;
  if (length < 0 || length > MAX_PLAINTEXT) return undefined;
  load(key, nonce, aad);
  memory.set(sealed, INPUT);
  if (engine!.open(KEY, NONCE, AAD, aad.length, INPUT, length, OUTPUT) !== 1) return undefined;
  return Buffer.from(memory.subarray(OUTPUT, OUTPUT + length));
}
