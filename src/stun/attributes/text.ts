/** UTF-8 text attributes (USERNAME, SOFTWARE, REALM, NONCE, ALTERNATE-DOMAIN), with the RFCs' byte limits. */
import type { AttributeCodec } from './codec.js';

export function textAttribute(
  type: number,
  name: string,
  maxBytes: number,
): AttributeCodec<string> {
  return {
    type,
    name,
    decode(value) {
      return value.length <= maxBytes ? value.toString('utf8') : undefined;
    },
    size(value) {
      const length = Buffer.byteLength(value, 'utf8');
      if (length > maxBytes) throw new RangeError(`${name} is longer than ${maxBytes} bytes`);
      return length;
    },
    write(value, out, offset) {
      out.write(value, offset, 'utf8');
    },
  };
}
