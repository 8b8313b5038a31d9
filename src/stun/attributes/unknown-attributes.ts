/** UNKNOWN-ATTRIBUTES (RFC 8489 §14.13): the 16-bit types a 420 response says were not understood. */
import type { AttributeCodec } from './codec.js';

export const unknownAttributesAttribute: AttributeCodec<number[]> = {
  type: 0x000a,
  name: 'UNKNOWN-ATTRIBUTES',
  decode(value) {
    if (value.length % 2 !== 0) return undefined;
    const types: number[] = [];
    for (let i = 0; i < value.length; i += 2) types.push(value.readUInt16BE(i));
    return types;
  },
  size: (types) => 2 * types.length,
  write(types, out, offset) {
    for (let i = 0; i < types.length; i++) out.writeUInt16BE(types[i]!, offset + 2 * i);
  },
};
