/** ClientKeyExchange for ECDHE (RFC 8422 §5.7): ClientECDiffieHellmanPublic, ECPoint point<1..2^8-1>. */
import { Reader, vector } from '../codec.js';

export interface ClientKeyExchange {
  publicKey: Buffer;
}

export function encodeClientKeyExchange(m: ClientKeyExchange): Buffer {
  return vector(1, m.publicKey);
}

export function decodeClientKeyExchange(body: Buffer): ClientKeyExchange {
  const r = new Reader(body);
  const publicKey = r.vector(1, 1);
  r.end();
  return { publicKey };
}
