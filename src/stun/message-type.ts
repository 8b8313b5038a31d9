/**
 * The STUN message type (RFC 8489 §5): a 12-bit method and a 2-bit class, interleaved
 * in the first 14 bits of the header as M11..M7 C1 M6..M4 C0 M3..M0.
 */

/** The methods of STUN (RFC 8489), TURN (RFC 8656) and TURN-TCP (RFC 6062). */
export const Method = {
  Binding: 0x001,
  Allocate: 0x003,
  Refresh: 0x004,
  Send: 0x006,
  Data: 0x007,
  CreatePermission: 0x008,
  ChannelBind: 0x009,
  Connect: 0x00a,
  ConnectionBind: 0x00b,
  ConnectionAttempt: 0x00c,
} as const;

export type StunClass = 'request' | 'indication' | 'success' | 'error';

const CLASS_BITS: Record<StunClass, number> = { request: 0, indication: 1, success: 2, error: 3 };
const CLASSES: readonly StunClass[] = ['request', 'indication', 'success', 'error'];

export function encodeMessageType(method: number, messageClass: StunClass): number {
  const c = CLASS_BITS[messageClass];
  return (
    (method & 0x000f) |
    ((method & 0x0070) << 1) |
    ((method & 0x0f80) << 2) |
    ((c & 1) << 4) |
    ((c & 2) << 7)
  );
}

export function messageMethod(type: number): number {
  return (type & 0x000f) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0f80);
}

export function messageClass(type: number): StunClass {
  return CLASSES[((type >> 4) & 1) | ((type >> 7) & 2)]!;
}
