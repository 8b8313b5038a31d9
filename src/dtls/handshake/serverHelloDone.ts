/** ServerHelloDone (RFC 5246 §7.4.5): an empty body. */
import { DecodeError } from '../codec.js';

export function encodeServerHelloDone(): Buffer {
  return Buffer.alloc(0);
}

export function decodeServerHelloDone(body: Buffer): void {
  if (body.length !== 0) throw new DecodeError('ServerHelloDone has a body');
}
