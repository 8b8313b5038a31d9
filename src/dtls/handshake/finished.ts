/** Finished (RFC 5246 §7.4.9): opaque verify_data[12] for every cipher suite here. */
import { DecodeError } from '../codec.js';

export const VERIFY_DATA_LENGTH = 12;

export interface Finished {
  verifyData: Buffer;
}

export function encodeFinished(m: Finished): Buffer {
  return m.verifyData;
}

export function decodeFinished(body: Buffer): Finished {
  if (body.length !== VERIFY_DATA_LENGTH) throw new DecodeError('verify_data must be 12 bytes');
  return { verifyData: body };
}
