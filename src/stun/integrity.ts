/**
 * MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.5, §14.6) and FINGERPRINT
 * (§14.7). The HMAC covers the message up to the integrity attribute, with the header's
 * length field counting the message up to and including that attribute; FINGERPRINT is
 * the last attribute and its CRC covers everything before it.
 */
import { createHmac } from 'node:crypto';
import { crc32 } from './crc32.js';

export const MAGIC_COOKIE = 0x2112a442;
const FINGERPRINT_XOR = 0x5354554e;

export type IntegrityAlgorithm = 'sha1' | 'sha256';

/**
 * HMAC of `message[0..end)`, its length field replaced by `length`: written in place for
 * the one update call and put back, so that the message reads the same afterwards.
 */
export function integrityHmac(
  algorithm: IntegrityAlgorithm,
  key: Buffer,
  message: Buffer,
  end: number,
  length: number,
): Buffer {
  const field = message.readUInt16BE(2);
  message.writeUInt16BE(length, 2);
  const hmac = createHmac(algorithm, key).update(message.subarray(0, end)).digest();
  message.writeUInt16BE(field, 2);
  return hmac;
}

/** The FINGERPRINT value for a message whose FINGERPRINT attribute starts at `end`. */
export function fingerprintValue(message: Buffer, end: number): number {
  return (crc32(message, 0, end) ^ FINGERPRINT_XOR) >>> 0;
}
