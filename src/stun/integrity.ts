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

/** HMAC of `message[0..end)`, its length field replaced by `length`. */
export function integrityHmac(
  algorithm: IntegrityAlgorithm,
  key: Buffer,
  message: Buffer,
  end: number,
  length: number,
): Buffer {
  const lengthField = Buffer.allocUnsafe(2);
  lengthField.writeUInt16BE(length, 0);
  return createHmac(algorithm, key)
    .update(message.subarray(0, 2))
    .update(lengthField)
    .update(message.subarray(4, end))
    .digest();
}

/** The FINGERPRINT value for a message whose FINGERPRINT attribute starts at `end`. */
export function fingerprintValue(message: Buffer, end: number): number {
  return (crc32(message, 0, end) ^ FINGERPRINT_XOR) >>> 0;
}
