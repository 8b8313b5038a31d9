/**
 * signature_algorithms (RFC 5246 §7.4.1.4.1): SignatureAndHashAlgorithm
 * supported_signature_algorithms<2..2^16-2>, read as 16-bit SignatureScheme values.
 */
import { Reader, u16List } from '../codec.js';

export function encodeSignatureAlgorithms(schemes: readonly number[]): Buffer {
  return u16List(2, schemes);
}

export function decodeSignatureAlgorithms(data: Buffer): number[] {
  const r = new Reader(data);
  const schemes = r.u16List(2, 2);
  r.end();
  return schemes;
}
