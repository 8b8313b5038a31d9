/**
 * Fixed-size numeric attributes: 32-bit values (PRIORITY, LIFETIME, CONNECTION-ID),
 * 64-bit values (ICE-CONTROLLED, ICE-CONTROLLING tie-breakers), and a leading byte or
 * 16-bit field followed by reserved bits (REQUESTED-TRANSPORT, REQUESTED-ADDRESS-FAMILY,
 * ADDITIONAL-ADDRESS-FAMILY, CHANNEL-NUMBER). Reserved bits are sent as zero and ignored.
 */
import type { AttributeCodec } from './codec.js';

export function uint32Attribute(type: number, name: string): AttributeCodec<number> {
  return {
    type,
    name,
    decode: (value) => (value.length === 4 ? value.readUInt32BE(0) : undefined),
    size: () => 4,
    write(value, out, offset) {
      out.writeUInt32BE(value, offset);
    },
  };
}

export function uint64Attribute(type: number, name: string): AttributeCodec<bigint> {
  return {
    type,
    name,
    decode: (value) => (value.length === 8 ? value.readBigUInt64BE(0) : undefined),
    size: () => 8,
    write(value, out, offset) {
      out.writeBigUInt64BE(value, offset);
    },
  };
}

/** A value in the first `bits` (8 or 16) bits of a 4-byte attribute; the rest is reserved. */
export function leadingFieldAttribute(
  type: number,
  name: string,
  bits: 8 | 16,
): AttributeCodec<number> {
  return {
    type,
    name,
    decode(value) {
      if (value.length !== 4) return undefined;
      return bits === 8 ? value[0] : value.readUInt16BE(0);
    },
    size: () => 4,
    write(value, out, offset) {
      out.writeUInt32BE(0, offset);
      if (bits === 8) out.writeUInt8(value, offset);
      else out.writeUInt16BE(value, offset);
    },
  };
}
