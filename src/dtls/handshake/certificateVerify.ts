/** CertificateVerify (RFC 5246 §7.4.8): a digitally-signed hash of the handshake messages so far. */
import { Reader, u16, vector } from '../codec.js';

export interface CertificateVerify {
  signatureScheme: number;
  signature: Buffer;
}

export function encodeCertificateVerify(m: CertificateVerify): Buffer {
  return Buffer.concat([u16(m.signatureScheme), vector(2, m.signature)]);
}

export function decodeCertificateVerify(body: Buffer): CertificateVerify {
  const r = new Reader(body);
  const m = { signatureScheme: r.u16(), signature: r.vector(2) };
  r.end();
  return m;
}
