/**
 * Certificate fingerprints as SDP carries them (RFC 8122 §5, `a=fingerprint:sha-256 AB:CD:...`)
 * and the check of the peer's certificate against them (RFC 8122 §5, RFC 8842 §5).
 */
import { createHash } from 'node:crypto';

/** RTCDtlsFingerprint (W3C webrtc-pc): a hash function name from the IANA registry and its value. */
export interface DtlsFingerprint {
  algorithm: string;
  value: string;
}

/** The hash functions of the IANA "Hash Function Textual Names" registry that are still sound. */
const algorithms = new Map([
  ['sha-1', 'sha1'],
  ['sha-224', 'sha224'],
  ['sha-256', 'sha256'],
  ['sha-384', 'sha384'],
  ['sha-512', 'sha512'],
]);

/** The fingerprint of a DER certificate, as colon-separated lowercase hex (the W3C form). */
export function certificateFingerprint(der: Buffer, algorithm = 'sha-256'): DtlsFingerprint {
  const hash = algorithms.get(algorithm.toLowerCase());
  if (!hash) throw new RangeError(`unsupported fingerprint algorithm '${algorithm}'`);
  const hex = createHash(hash).update(der).digest('hex');
  return { algorithm: algorithm.toLowerCase(), value: hex.match(/../g)!.join(':') };
}

/**
 * Whether the certificate matches one of the fingerprints; ones with hash functions we do
 * not support are skipped, so a list of only those matches nothing.
 */
export function matchesFingerprint(der: Buffer, fingerprints: readonly DtlsFingerprint[]): boolean {
  for (const f of fingerprints) {
    const algorithm = String(f.algorithm).toLowerCase();
    if (!algorithms.has(algorithm)) continue;
    const want = String(f.value).replaceAll(':', '').toLowerCase();
    if (certificateFingerprint(der, algorithm).value.replaceAll(':', '') === want) return true;
  }
  return false;
}
