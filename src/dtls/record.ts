/** The DTLS record layer framing (RFC 6347 §4.1). */
import { ProtocolVersion } from './constants.js';

/** type(1) version(2) epoch(2) sequence_number(6) length(2). */
export const RECORD_HEADER_LENGTH = 13;

/** RFC 5246 §6.2.3: a protected fragment is at most 2^14 + 2048 bytes. */
export const MAX_RECORD_FRAGMENT = 2 ** 14 + 2048;

/** RFC 5246 §6.2.1: a plaintext fragment is at most 2^14 bytes. */
export const MAX_PLAINTEXT_FRAGMENT = 2 ** 14;

/** Record sequence numbers are 48 bits (RFC 6347 §4.1); an epoch must not wrap. */
export const MAX_SEQUENCE_NUMBER = 2 ** 48 - 1;

export function writeRecordHeader(
  out: Buffer,
  type: number,
  epoch: number,
  sequenceNumber: number,
  length: number,
  version: number = ProtocolVersion.DTLS1_2,
): void {
  out[0] = type;
  out.writeUInt16BE(version, 1);
  out.writeUInt16BE(epoch, 3);
  out.writeUIntBE(sequenceNumber, 5, 6);
  out.writeUInt16BE(length, 11);
}

/** A DTLSPlaintext record (epoch 0, before any keys). */
export function plaintextRecord(
  type: number,
  epoch: number,
  sequenceNumber: number,
  fragment: Buffer,
  version: number = ProtocolVersion.DTLS1_2,
): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER_LENGTH + fragment.length);
  writeRecordHeader(out, type, epoch, sequenceNumber, fragment.length, version);
  fragment.copy(out, RECORD_HEADER_LENGTH);
  return out;
}
