/**
 * Building STUN messages (RFC 8489 §5, §14): the header, then attributes appended in
 * order, each padded to 4 bytes, the header length kept current; MESSAGE-INTEGRITY,
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT computed over what precedes them.
 */
import { randomFillSync } from 'node:crypto';
import type { AttributeCodec } from './attributes/codec.js';
import {
  fingerprintValue,
  type IntegrityAlgorithm,
  integrityHmac,
  MAGIC_COOKIE,
} from './integrity.js';
import { HEADER_LENGTH } from './message.js';
import { encodeMessageType, type StunClass } from './message-type.js';

const TYPE_MESSAGE_INTEGRITY = 0x0008;
const TYPE_MESSAGE_INTEGRITY_SHA256 = 0x001c;
const TYPE_FINGERPRINT = 0x8028;

/** CSPRNG output drawn 12 bytes at a time: one call into OpenSSL per 341 transaction ids. */
const pool = Buffer.alloc(4092);
let poolAt = pool.length;

/** A transaction id: 96 random bits (RFC 8489 §5), a buffer of its own. */
export function randomTransactionId(): Buffer {
  if (poolAt + 12 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += 12;
  return Buffer.from(pool.subarray(poolAt - 12, poolAt));
}

export interface StunWriterOptions {
  /** The byte padding is filled with; 0 unless reproducing a peer's bytes (RFC 5769 pads with spaces). */
  padding?: number;
}

export class StunWriter {
  #buffer: Buffer;
  #length = HEADER_LENGTH;
  readonly #padding: number;

  constructor(
    method: number,
    messageClass: StunClass,
    transactionId: Uint8Array = randomTransactionId(),
    options: StunWriterOptions = {},
  ) {
    if (transactionId.length !== 12) throw new RangeError('a transaction id is 12 bytes');
    this.#padding = options.padding ?? 0;
    this.#buffer = Buffer.allocUnsafe(128);
    this.#buffer.writeUInt16BE(encodeMessageType(method, messageClass), 0);
    this.#buffer.writeUInt16BE(0, 2);
    this.#buffer.writeUInt32BE(MAGIC_COOKIE, 4);
    this.#buffer.set(transactionId, 8);
  }

  /** A view of the transaction id in the message being built. */
  get transactionId(): Buffer {
    return this.#buffer.subarray(8, 20);
  }

  add<T>(codec: AttributeCodec<T>, value: T): this {
    const offset = this.#append(codec.type, codec.size(value));
    codec.write(value, this.#buffer, offset, this.#buffer);
    return this;
  }

  /** An attribute given as its value bytes (for types without a codec). */
  addRaw(type: number, value: Uint8Array): this {
    const offset = this.#append(type, value.length);
    this.#buffer.set(value, offset);
    return this;
  }

  /** MESSAGE-INTEGRITY: HMAC-SHA1 with `key` (RFC 8489 §14.5). */
  addMessageIntegrity(key: Buffer): this {
    return this.#integrity(TYPE_MESSAGE_INTEGRITY, 'sha1', key, 20);
  }

  /** MESSAGE-INTEGRITY-SHA256, optionally truncated to 16..32 bytes (RFC 8489 §14.6). */
  addMessageIntegritySha256(key: Buffer, length = 32): this {
    if (length < 16 || length > 32 || length % 4 !== 0)
      throw new RangeError('MESSAGE-INTEGRITY-SHA256 is 16 to 32 bytes, a multiple of 4');
    return this.#integrity(TYPE_MESSAGE_INTEGRITY_SHA256, 'sha256', key, length);
  }

  /** FINGERPRINT, the last attribute (RFC 8489 §14.7). */
  addFingerprint(): this {
    const offset = this.#append(TYPE_FINGERPRINT, 4);
    this.#buffer.writeUInt32BE(fingerprintValue(this.#buffer, offset - 4), offset);
    return this;
  }

  /** The message. The writer must not be used afterwards. */
  finish(): Buffer {
    return this.#buffer.subarray(0, this.#length);
  }

  #integrity(type: number, algorithm: IntegrityAlgorithm, key: Buffer, length: number): this {
    const offset = this.#append(type, length);
    const hmac = integrityHmac(
      algorithm,
      key,
      this.#buffer,
      offset - 4,
      this.#length - HEADER_LENGTH,
    );
    hmac.copy(this.#buffer, offset, 0, length);
    return this;
  }

  /** Reserves an attribute with a value of `size` bytes; returns the value's offset. */
  #append(type: number, size: number): number {
    const padded = (size + 3) & ~3;
    const end = this.#length + 4 + padded;
    if (end - HEADER_LENGTH > 0xffff) throw new RangeError('STUN message too long');
    if (end > this.#buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(end, 2 * this.#buffer.length));
      this.#buffer.copy(bigger, 0, 0, this.#length);
      this.#buffer = bigger;
    }
    const offset = this.#length + 4;
    this.#buffer.writeUInt16BE(type, this.#length);
    this.#buffer.writeUInt16BE(size, this.#length + 2);
    this.#buffer.fill(this.#padding, offset + size, end);
    this.#length = end;
    this.#buffer.writeUInt16BE(end - HEADER_LENGTH, 2);
    return offset;
  }
}
