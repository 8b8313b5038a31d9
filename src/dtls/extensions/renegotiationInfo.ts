/**
 * renegotiation_info (RFC 5746 §3.2): opaque renegotiated_connection<0..255>, empty in an
 * initial handshake, which is the only kind this implementation performs.
 */
import { Reader, vector } from '../codec.js';

export function encodeRenegotiationInfo(renegotiatedConnection: Buffer = Buffer.alloc(0)): Buffer {
  return vector(1, renegotiatedConnection);
}

export function decodeRenegotiationInfo(data: Buffer): Buffer {
  const r = new Reader(data);
  const value = r.vector(1);
  r.end();
  return value;
}
