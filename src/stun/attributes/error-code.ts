/**
 * ERROR-CODE (RFC 8489 §14.8) and ADDRESS-ERROR-CODE (RFC 8656 §18.13): the code as a
 * class (hundreds, 3..6) and a number (0..99), then a UTF-8 reason phrase. ADDRESS-ERROR-CODE
 * puts the address family the error is about in the first byte.
 */
import type { AttributeCodec } from './codec.js';

export interface ErrorCode {
  code: number;
  reason: string;
}

export interface AddressErrorCode extends ErrorCode {
  /** 0x01 IPv4, 0x02 IPv6. */
  family: number;
}

const MAX_REASON_BYTES = 763;

function readCode(value: Buffer): ErrorCode | undefined {
  if (value.length < 4 || value.length - 4 > MAX_REASON_BYTES) return undefined;
  const errorClass = value[2]! & 0x07;
  const errorNumber = value[3]!;
  if (errorClass < 3 || errorClass > 6 || errorNumber > 99) return undefined;
  return { code: errorClass * 100 + errorNumber, reason: value.toString('utf8', 4) };
}

function codeSize(value: ErrorCode): number {
  if (!Number.isInteger(value.code) || value.code < 300 || value.code > 699)
    throw new RangeError(`error code ${value.code} is outside 300..699`);
  const length = Buffer.byteLength(value.reason, 'utf8');
  if (length > MAX_REASON_BYTES) throw new RangeError('reason phrase too long');
  return 4 + length;
}

function writeCode(value: ErrorCode, out: Buffer, offset: number): void {
  out.writeUInt16BE(0, offset);
  out[offset + 2] = Math.floor(value.code / 100);
  out[offset + 3] = value.code % 100;
  out.write(value.reason, offset + 4, 'utf8');
}

export const errorCodeAttribute: AttributeCodec<ErrorCode> = {
  type: 0x0009,
  name: 'ERROR-CODE',
  decode: readCode,
  size: codeSize,
  write: writeCode,
};

export const addressErrorCodeAttribute: AttributeCodec<AddressErrorCode> = {
  type: 0x8001,
  name: 'ADDRESS-ERROR-CODE',
  decode(value) {
    const code = readCode(value);
    return code && { family: value[0]!, ...code };
  },
  size: codeSize,
  write(value, out, offset) {
    writeCode(value, out, offset);
    out[offset] = value.family;
  },
};
