/**
 * CertificateRequest (RFC 5246 §7.4.4): ClientCertificateType certificate_types<1..2^8-1>,
 * SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>,
 * DistinguishedName certificate_authorities<0..2^16-1>.
 */
import { Reader, u16List, vector } from '../codec.js';

export interface CertificateRequest {
  certificateTypes: number[];
  signatureSchemes: number[];
  /** DER DistinguishedNames; empty for the self-signed certificates of WebRTC. */
  certificateAuthorities: Buffer[];
}

export function encodeCertificateRequest(m: CertificateRequest): Buffer {
  return Buffer.concat([
    vector(1, Buffer.from(m.certificateTypes)),
    u16List(2, m.signatureSchemes),
    vector(2, Buffer.concat(m.certificateAuthorities.map((dn) => vector(2, dn)))),
  ]);
}

export function decodeCertificateRequest(body: Buffer): CertificateRequest {
  const r = new Reader(body);
  const certificateTypes = [...r.vector(1, 1)];
  const signatureSchemes = r.u16List(2, 2);
  const names = new Reader(r.vector(2));
  r.end();
  const certificateAuthorities: Buffer[] = [];
  while (names.remaining > 0) certificateAuthorities.push(names.vector(2, 1));
  return { certificateTypes, signatureSchemes, certificateAuthorities };
}
