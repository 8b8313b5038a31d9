/** The local certificate and private key a DTLS endpoint authenticates with. */
import type { KeyObject } from 'node:crypto';

export interface DtlsCertificate {
  /** The X.509 certificate, DER. */
  der: Buffer;
  /** Its private key: ECDSA (P-256 in WebRTC) or RSA. */
  privateKey: KeyObject;
}
