/**
 * Address attributes (RFC 8489 §14.1, §14.2): a reserved byte, the family (0x01 IPv4,
 * 0x02 IPv6), the port and the address. The XOR forms hide the port and address from
 * middleboxes that rewrite them: port XOR the cookie's top 16 bits, address XOR the
 * cookie (IPv4) or the cookie and the transaction id (IPv6).
 */
import { formatIp, parseIp, type TransportAddress } from '../../net/address.js';
import type { AttributeCodec } from './codec.js';

const FAMILY_IPV4 = 0x01;
const FAMILY_IPV6 = 0x02;

export function addressAttribute(
  type: number,
  name: string,
  xor: boolean,
  repeatable = false,
): AttributeCodec<TransportAddress> {
  return {
    type,
    name,
    repeatable,
    decode(value, header) {
      if (value.length < 4) return undefined;
      const family = value[1];
      const length = family === FAMILY_IPV4 ? 4 : family === FAMILY_IPV6 ? 16 : 0;
      if (length === 0 || value.length !== 4 + length) return undefined;
      let port = value.readUInt16BE(2);
      const bytes = Buffer.from(value.subarray(4));
      if (xor) {
        port ^= 0x2112;
        for (let i = 0; i < length; i++) bytes[i]! ^= header[4 + i]!;
      }
      return { address: formatIp(bytes), port };
    },
    size(value) {
      const bytes = parseIp(value.address);
      if (!bytes) throw new RangeError(`${name}: not an IP address: ${value.address}`);
      return 4 + bytes.length;
    },
    write(value, out, offset, header) {
      const bytes = parseIp(value.address)!;
      out[offset] = 0;
      out[offset + 1] = bytes.length === 4 ? FAMILY_IPV4 : FAMILY_IPV6;
      out.writeUInt16BE(xor ? value.port ^ 0x2112 : value.port, offset + 2);
      for (let i = 0; i < bytes.length; i++)
        out[offset + 4 + i] = xor ? bytes[i]! ^ header[4 + i]! : bytes[i]!;
    },
  };
}
