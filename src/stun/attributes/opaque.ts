/**
 * Attributes carrying bytes as they are: DATA, RESERVATION-TOKEN (8 bytes), USERHASH
 * (32), MESSAGE-INTEGRITY (20), MESSAGE-INTEGRITY-SHA256 (16 to 32, a multiple of 4).
 * Decoding returns a view into the message.
 */
import type { AttributeCodec } from './codec.js';

export function opaqueAttribute(
  type: number,
  name: string,
  min: number,
  max: number,
  multipleOf = 1,
): AttributeCodec<Buffer> {
  const fits = (length: number) => length >= min && length <= max && length % multipleOf === 0;
  return {
    type,
    name,
    decode: (value) => (fits(value.length) ? value : undefined),
    size(value) {
      if (!fits(value.length))
        throw new RangeError(`${name}: ${value.length} bytes is not a valid length`);
      return value.length;
    },
    write(value, out, offset) {
      value.copy(out, offset);
    },
  };
}
