/**
 * Byte-level helpers for the TLS presentation language (RFC 5246 §4): a bounds-checked
 * reader for decoding and small encoders for the length-prefixed vectors.
 */

/** Thrown by decoders on malformed input; the connection answers it with a decode_error alert. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

/** Reads big-endian integers and vectors from a buffer, throwing DecodeError past its end. */
export class Reader {
  #offset = 0;
  constructor(readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.#offset;
  }

  #take(n: number): number {
    const at = this.#offset;
    if (n > this.buffer.length - at) throw new DecodeError('message truncated');
    this.#offset = at + n;
    return at;
  }

  u8(): number {
    return this.buffer[this.#take(1)]!;
  }
  u16(): number {
    return this.buffer.readUInt16BE(this.#take(2));
  }
  u24(): number {
    return this.buffer.readUIntBE(this.#take(3), 3);
  }

  /** The next `n` bytes as a view. */
  bytes(n: number): Buffer {
    const at = this.#take(n);
    return this.buffer.subarray(at, at + n);
  }

  /** A vector with a 1, 2 or 3 byte length prefix, checked against [min, max]. */
  vector(lengthBytes: 1 | 2 | 3, min = 0, max = Number.POSITIVE_INFINITY): Buffer {
    const n = lengthBytes === 1 ? this.u8() : lengthBytes === 2 ? this.u16() : this.u24();
    if (n < min || n > max) throw new DecodeError(`vector length ${n} out of range`);
    return this.bytes(n);
  }

  /** A vector of 16-bit values (cipher suites, groups, signature schemes, SRTP profiles). */
  u16List(lengthBytes: 1 | 2, min = 0): number[] {
    const v = this.vector(lengthBytes, min);
    if (v.length % 2 !== 0) throw new DecodeError('odd length in a list of 16-bit values');
    const out: number[] = [];
    for (let i = 0; i < v.length; i += 2) out.push(v.readUInt16BE(i));
    return out;
  }

  /** The rest of the buffer as a view. */
  rest(): Buffer {
    return this.bytes(this.remaining);
  }

  /** Throws unless every byte was consumed. */
  end(): void {
    if (this.remaining !== 0) throw new DecodeError('trailing bytes');
  }
}

export function u8(n: number): Buffer {
  return Buffer.of(n);
}

export function u16(n: number): Buffer {
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16BE(n);
  return b;
}

export function u24(n: number): Buffer {
  const b = Buffer.allocUnsafe(3);
  b.writeUIntBE(n, 0, 3);
  return b;
}

/** A length-prefixed vector. */
export function vector(lengthBytes: 1 | 2 | 3, data: Uint8Array): Buffer {
  const prefix =
    lengthBytes === 1 ? u8(data.length) : lengthBytes === 2 ? u16(data.length) : u24(data.length);
  return Buffer.concat([prefix, data]);
}

/** A length-prefixed vector of 16-bit values. */
export function u16List(lengthBytes: 1 | 2, values: readonly number[]): Buffer {
  const body = Buffer.allocUnsafe(values.length * 2);
  for (let i = 0; i < values.length; i++) body.writeUInt16BE(values[i]!, i * 2);
  return vector(lengthBytes, body);
}
