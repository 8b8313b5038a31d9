/** Certificate (RFC 5246 §7.4.2): ASN.1Cert certificate_list<0..2^24-1>, each ASN.1Cert<1..2^24-1>. */
import { Reader, vector } from '../codec.js';

export interface Certificate {
  /** DER certificates, the sender's own first. */
  certificateList: Buffer[];
}

export function encodeCertificate(m: Certificate): Buffer {
  return vector(3, Buffer.concat(m.certificateList.map((c) => vector(3, c))));
}

export function decodeCertificate(body: Buffer): Certificate {
  const r = new Reader(body);
  const list = new Reader(r.vector(3));
  r.end();
  const certificateList: Buffer[] = [];
  while (list.remaining > 0) certificateList.push(list.vector(3, 1));
  return { certificateList };
}
