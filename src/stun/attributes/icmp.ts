/** ICMP (RFC 8656 §18.12): the ICMP type, code and error data a TURN server relays. */
import type { AttributeCodec } from './codec.js';

export interface Icmp {
  type: number;
  code: number;
  /** The 32-bit error data (the MTU for "fragmentation needed", for example). */
  data: number;
}

export const icmpAttribute: AttributeCodec<Icmp> = {
  type: 0x8004,
  name: 'ICMP',
  decode(value) {
    if (value.length !== 8) return undefined;
    return { type: value[2]!, code: value[3]!, data: value.readUInt32BE(4) };
  },
  size: () => 8,
  write(value, out, offset) {
    out.writeUInt16BE(0, offset);
    out[offset + 2] = value.type;
    out[offset + 3] = value.code;
    out.writeUInt32BE(value.data, offset + 4);
  },
};
