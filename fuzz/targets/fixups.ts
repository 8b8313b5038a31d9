/**
 * Repairs that let a mutated input past the checks that would drop it at the door (a
 * checksum, an HMAC, a length in a header), so that fuzzing reaches the code behind them.
 * Whether a repair applies is decided from the input's own bytes, so replaying an input
 * repeats it.
 */
import { fingerprintValue, integrityHmac } from '../../src/stun/integrity.js';

/** FNV-1a of the input: the source of a target's per-input decisions. */
export function inputHash(input: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input[i]!, 0x01000193);
  return h >>> 0;
}

const TYPE_MESSAGE_INTEGRITY = 0x0008;
const TYPE_MESSAGE_INTEGRITY_SHA256 = 0x001c;
const TYPE_FINGERPRINT = 0x8028;

/**
 * A STUN message with its header length made right, MESSAGE-INTEGRITY(-SHA256) computed
 * with `key` (when given) and FINGERPRINT recomputed, wherever those attributes sit.
 */
export function resignStun(input: Buffer, key: Buffer | undefined): Buffer {
  if (input.length < 20 || input.length % 4 !== 0) return input;
  const m = Buffer.from(input);
  m.writeUInt16BE(m.length - 20, 2);
  for (let at = 20; at + 4 <= m.length; ) {
    const type = m.readUInt16BE(at);
    const length = m.readUInt16BE(at + 2);
    const next = at + 4 + ((length + 3) & ~3);
    if (next > m.length) break;
    if (key && type === TYPE_MESSAGE_INTEGRITY && length === 20)
      integrityHmac('sha1', key, m, at, at - 20 + 24).copy(m, at + 4);
    else if (key && type === TYPE_MESSAGE_INTEGRITY_SHA256 && length >= 16 && length <= 32)
      integrityHmac('sha256', key, m, at, at - 20 + 4 + length).copy(m, at + 4, 0, length);
    else if (type === TYPE_FINGERPRINT && length === 4)
      m.writeUInt32BE(fingerprintValue(m, at), at + 4);
    at = next;
  }
  return m;
}
