/**
 * Error causes carried by ABORT and ERROR chunks (RFC 9260 §3.3.10), TLVs with a 16-bit
 * cause code. The cause-specific information is kept raw; the helpers below build the
 * causes this stack sends.
 */
import { padded, RawTlv, readTlvs, type Tlv, tlvsLength, writeTlvs } from './tlv.js';

export const CauseCode = {
  INVALID_STREAM_IDENTIFIER: 1,
  MISSING_MANDATORY_PARAMETER: 2,
  STALE_COOKIE_ERROR: 3,
  OUT_OF_RESOURCE: 4,
  UNRESOLVABLE_ADDRESS: 5,
  UNRECOGNIZED_CHUNK_TYPE: 6,
  INVALID_MANDATORY_PARAMETER: 7,
  UNRECOGNIZED_PARAMETERS: 8,
  NO_USER_DATA: 9,
  COOKIE_RECEIVED_WHILE_SHUTTING_DOWN: 10,
  RESTART_WITH_NEW_ADDRESSES: 11,
  USER_INITIATED_ABORT: 12,
  PROTOCOL_VIOLATION: 13,
} as const;

export class ErrorCause extends RawTlv {
  get code(): number {
    return this.type;
  }
  /** The cause-specific information. */
  get info(): Buffer {
    return this.value;
  }
}

/** Reads a list of causes, or undefined when a length is malformed. */
export function readErrorCauses(data: Buffer): ErrorCause[] | undefined {
  return readTlvs(data)?.map((t) => new ErrorCause(t.type, t.value));
}

/** Invalid Stream Identifier: the stream id, then two reserved bytes. */
export function invalidStreamIdentifier(streamId: number): ErrorCause {
  const info = Buffer.alloc(4);
  info.writeUInt16BE(streamId, 0);
  return new ErrorCause(CauseCode.INVALID_STREAM_IDENTIFIER, info);
}

/** Stale Cookie Error: how late the cookie was, in microseconds. */
export function staleCookie(stalenessMicroseconds: number): ErrorCause {
  const info = Buffer.alloc(4);
  info.writeUInt32BE(Math.min(0xffffffff, Math.max(0, Math.round(stalenessMicroseconds))), 0);
  return new ErrorCause(CauseCode.STALE_COOKIE_ERROR, info);
}

/** Unrecognized Chunk Type: the whole unrecognized chunk (header and value). */
export function unrecognizedChunkType(chunk: Buffer): ErrorCause {
  return new ErrorCause(CauseCode.UNRECOGNIZED_CHUNK_TYPE, chunk);
}

/** Unrecognized Parameters: the unrecognized parameters, each as its TLV. */
export function unrecognizedParameters(params: readonly Tlv[]): ErrorCause {
  return new ErrorCause(CauseCode.UNRECOGNIZED_PARAMETERS, encodeTlvList(params));
}

/** A cause whose information is text (Protocol Violation, User-Initiated Abort). */
export function textCause(code: number, text = ''): ErrorCause {
  return new ErrorCause(code, Buffer.from(text, 'utf8'));
}

function encodeTlvList(list: readonly Tlv[]): Buffer {
  const buf = Buffer.alloc(padded(tlvsLength(list)));
  writeTlvs(buf, 0, list);
  return buf;
}
