/**
 * Decoding STUN messages (RFC 8489 §5, §14). Decoding checks the framing (header, cookie,
 * lengths, attribute bounds, repeats, FINGERPRINT) once and keeps the attribute offsets;
 * attribute values are parsed when asked for, and MESSAGE-INTEGRITY is verified when the
 * caller has the key. Malformed input comes back as a StunDecodeError, never a throw.
 */
import { timingSafeEqual } from 'node:crypto';
import type { AttributeCodec } from './attributes/codec.js';
import { attributeCodecs, isComprehensionRequired } from './attributes.js';
import { fingerprintValue, integrityHmac, MAGIC_COOKIE } from './integrity.js';
import { messageClass, messageMethod, type StunClass } from './message-type.js';

export const HEADER_LENGTH = 20;

const TYPE_MESSAGE_INTEGRITY = 0x0008;
const TYPE_MESSAGE_INTEGRITY_SHA256 = 0x001c;
const TYPE_FINGERPRINT = 0x8028;

export type DecodeErrorReason =
  | 'truncated'
  | 'not-stun'
  | 'bad-cookie'
  | 'bad-length'
  | 'attribute-overrun'
  | 'duplicate-attribute'
  | 'fingerprint-not-last'
  | 'bad-fingerprint';

/** Why bytes are not a STUN message. One shared instance per reason: rejecting allocates nothing. */
export class StunDecodeError {
  private constructor(readonly reason: DecodeErrorReason) {}
  static readonly of: Readonly<Record<DecodeErrorReason, StunDecodeError>> = {
    truncated: new StunDecodeError('truncated'),
    'not-stun': new StunDecodeError('not-stun'),
    'bad-cookie': new StunDecodeError('bad-cookie'),
    'bad-length': new StunDecodeError('bad-length'),
    'attribute-overrun': new StunDecodeError('attribute-overrun'),
    'duplicate-attribute': new StunDecodeError('duplicate-attribute'),
    'fingerprint-not-last': new StunDecodeError('fingerprint-not-last'),
    'bad-fingerprint': new StunDecodeError('bad-fingerprint'),
  };
}

export type IntegrityCheck = 'ok' | 'missing' | 'bad';

export class StunMessage {
  readonly method: number;
  readonly messageClass: StunClass;
  /** A view of the 12 transaction id bytes. */
  readonly transactionId: Buffer;

  constructor(
    /** The whole message; attribute values are views into it. */
    readonly raw: Buffer,
    /** Offsets of the attribute headers that count, in order (none after the integrity ones). */
    readonly offsets: readonly number[],
    /** Offsets of MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, or -1. */
    readonly integrityOffset: number,
    readonly integritySha256Offset: number,
    readonly fingerprintOffset: number,
  ) {
    const type = raw.readUInt16BE(0);
    this.method = messageMethod(type);
    this.messageClass = messageClass(type);
    this.transactionId = raw.subarray(8, 20);
  }

  /** The attribute types present, in order. */
  get types(): number[] {
    return this.offsets.map((offset) => this.raw.readUInt16BE(offset));
  }

  has(type: number): boolean {
    return this.#find(type) >= 0;
  }

  /** The raw value of the first attribute of `type`, as a view. */
  value(type: number): Buffer | undefined {
    const offset = this.#find(type);
    if (offset < 0) return undefined;
    return this.raw.subarray(offset + 4, offset + 4 + this.raw.readUInt16BE(offset + 2));
  }

  /** The decoded value of the attribute, or undefined when it is absent or malformed. */
  get<T>(codec: AttributeCodec<T>): T | undefined {
    const value = this.value(codec.type);
    return value && codec.decode(value, this.raw);
  }

  /** Every valid occurrence of a repeatable attribute (XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS). */
  getAll<T>(codec: AttributeCodec<T>): T[] {
    const out: T[] = [];
    for (const offset of this.offsets) {
      if (this.raw.readUInt16BE(offset) !== codec.type) continue;
      const decoded = codec.decode(
        this.raw.subarray(offset + 4, offset + 4 + this.raw.readUInt16BE(offset + 2)),
        this.raw,
      );
      if (decoded !== undefined) out.push(decoded);
    }
    return out;
  }

  /** Comprehension-required attribute types (0x0000-0x7FFF) we do not know (RFC 8489 §6.3). */
  unknownComprehensionRequired(): number[] {
    const unknown: number[] = [];
    for (const offset of this.offsets) {
      const type = this.raw.readUInt16BE(offset);
      if (isComprehensionRequired(type) && !attributeCodecs.has(type)) unknown.push(type);
    }
    return unknown;
  }

  /**
   * Verifies MESSAGE-INTEGRITY-SHA256 when present, else MESSAGE-INTEGRITY, with `key`
   * (RFC 8489 §9.1.3, §9.2.4), in constant time.
   */
  checkIntegrity(key: Buffer): IntegrityCheck {
    const sha256 = this.integritySha256Offset >= 0;
    const offset = sha256 ? this.integritySha256Offset : this.integrityOffset;
    if (offset < 0) return 'missing';
    const length = this.raw.readUInt16BE(offset + 2);
    if (sha256 ? length < 16 || length > 32 || length % 4 !== 0 : length !== 20) return 'bad';
    const expected = integrityHmac(
      sha256 ? 'sha256' : 'sha1',
      key,
      this.raw,
      offset,
      offset - HEADER_LENGTH + 4 + length,
    );
    const got = this.raw.subarray(offset + 4, offset + 4 + length);
    return timingSafeEqual(expected.subarray(0, length), got) ? 'ok' : 'bad';
  }

  #find(type: number): number {
    for (const offset of this.offsets) if (this.raw.readUInt16BE(offset) === type) return offset;
    return -1;
  }
}

/**
 * Whether a datagram can be STUN: the two top bits clear, the magic cookie, and a length
 * that fits. Cheap enough to run on every datagram of a shared port.
 */
export function looksLikeStun(data: Uint8Array): boolean {
  return (
    data.length >= HEADER_LENGTH &&
    (data[0]! & 0xc0) === 0 &&
    data[4] === 0x21 &&
    data[5] === 0x12 &&
    data[6] === 0xa4 &&
    data[7] === 0x42
  );
}

// Repeat detection without a per-message Set: a stamp per attribute type, and a new
// generation per message.
const seen = new Uint16Array(0x10000);
let generation = 0;

/** Decodes one STUN message that fills `data` exactly (a UDP datagram). */
export function decodeStunMessage(data: Buffer): StunMessage | StunDecodeError {
  const errors = StunDecodeError.of;
  if (data.length < HEADER_LENGTH) return errors.truncated;
  if ((data[0]! & 0xc0) !== 0) return errors['not-stun'];
  if (data.readUInt32BE(4) !== MAGIC_COOKIE) return errors['bad-cookie'];
  const length = data.readUInt16BE(2);
  if (length % 4 !== 0 || HEADER_LENGTH + length !== data.length) return errors['bad-length'];

  if (++generation === 0x10000) {
    seen.fill(0);
    generation = 1;
  }
  const offsets: number[] = [];
  let integrity = -1;
  let integritySha256 = -1;
  let fingerprint = -1;
  let offset = HEADER_LENGTH;
  while (offset < data.length) {
    if (fingerprint >= 0) return errors['fingerprint-not-last'];
    if (offset + 4 > data.length) return errors['attribute-overrun'];
    const type = data.readUInt16BE(offset);
    const valueLength = data.readUInt16BE(offset + 2);
    const next = offset + 4 + ((valueLength + 3) & ~3);
    if (next > data.length) return errors['attribute-overrun'];
    if (type === TYPE_FINGERPRINT) {
      fingerprint = offset;
    } else if (integritySha256 >= 0) {
      // RFC 8489 §14.6: only FINGERPRINT counts after MESSAGE-INTEGRITY-SHA256.
      offset = next;
      continue;
    } else if (type === TYPE_MESSAGE_INTEGRITY_SHA256) {
      integritySha256 = offset;
    } else if (integrity >= 0) {
      // §14.5: after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT count.
      offset = next;
      continue;
    } else if (type === TYPE_MESSAGE_INTEGRITY) {
      integrity = offset;
    }
    if (seen[type] === generation && !attributeCodecs.get(type)?.repeatable)
      return errors['duplicate-attribute'];
    seen[type] = generation;
    offsets.push(offset);
    offset = next;
  }
  if (fingerprint >= 0) {
    if (data.readUInt16BE(fingerprint + 2) !== 4) return errors['bad-fingerprint'];
    if (data.readUInt32BE(fingerprint + 4) !== fingerprintValue(data, fingerprint))
      return errors['bad-fingerprint'];
  }
  return new StunMessage(data, offsets, integrity, integritySha256, fingerprint);
}
