/**
 * Attributes whose presence is the message (USE-CANDIDATE, DONT-FRAGMENT), and EVEN-PORT,
 * one byte whose top bit R asks the TURN server to reserve the next port (RFC 8656 §18.8).
 */
import type { AttributeCodec } from './codec.js';

export function flagAttribute(type: number, name: string): AttributeCodec<true> {
  return {
    type,
    name,
    decode: (value) => (value.length === 0 ? true : undefined),
    size: () => 0,
    write() {},
  };
}

export const evenPortAttribute: AttributeCodec<boolean> = {
  type: 0x0018,
  name: 'EVEN-PORT',
  decode: (value) => (value.length === 1 ? (value[0]! & 0x80) !== 0 : undefined),
  size: () => 1,
  write(reserveNext, out, offset) {
    out[offset] = reserveNext ? 0x80 : 0;
  },
};
