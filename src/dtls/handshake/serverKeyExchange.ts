/**
 * ServerKeyExchange for ECDHE (RFC 8422 §5.4): ServerECDHParams (curve_type named_curve,
 * the NamedCurve, the public point) and their signature (RFC 5246 §7.4.3 digitally-signed).
 */
import { DecodeError, Reader, u8, u16, vector } from '../codec.js';
import { ECCurveType } from '../constants.js';

export interface ServerKeyExchange {
  namedCurve: number;
  /** The server's ephemeral public key, ECPoint point<1..2^8-1>. */
  publicKey: Buffer;
  signatureScheme: number;
  signature: Buffer;
}

/** The ServerECDHParams bytes, which the signature covers after the two randoms. */
export function encodeServerEcdhParams(namedCurve: number, publicKey: Buffer): Buffer {
  return Buffer.concat([u8(ECCurveType.named_curve), u16(namedCurve), vector(1, publicKey)]);
}

export function encodeServerKeyExchange(m: ServerKeyExchange): Buffer {
  return Buffer.concat([
    encodeServerEcdhParams(m.namedCurve, m.publicKey),
    u16(m.signatureScheme),
    vector(2, m.signature),
  ]);
}

export function decodeServerKeyExchange(body: Buffer): ServerKeyExchange {
  const r = new Reader(body);
  if (r.u8() !== ECCurveType.named_curve) throw new DecodeError('only named curves are supported');
  const m = {
    namedCurve: r.u16(),
    publicKey: r.vector(1, 1),
    signatureScheme: r.u16(),
    signature: r.vector(2),
  };
  r.end();
  return m;
}
