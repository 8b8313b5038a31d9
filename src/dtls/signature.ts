/**
 * Signatures of ServerKeyExchange and CertificateVerify (RFC 5246 §4.7, §7.4.1.4.1):
 * ECDSA (DER-encoded, RFC 8422 §5.4), RSASSA-PKCS1-v1_5, and RSASSA-PSS with rsaEncryption
 * keys (RFC 8446 §4.2.3), which TLS 1.2 peers such as OpenSSL 3 offer too.
 */
import { constants, type KeyObject, sign, verify } from 'node:crypto';
import { NamedGroup, SignatureScheme } from './constants.js';

interface SchemeParameters {
  hash: 'sha256' | 'sha384';
  keyType: 'ec' | 'rsa';
  pss: boolean;
}

const schemes = new Map<number, SchemeParameters>([
  [SignatureScheme.ecdsa_secp256r1_sha256, { hash: 'sha256', keyType: 'ec', pss: false }],
  [SignatureScheme.ecdsa_secp384r1_sha384, { hash: 'sha384', keyType: 'ec', pss: false }],
  [SignatureScheme.rsa_pkcs1_sha256, { hash: 'sha256', keyType: 'rsa', pss: false }],
  [SignatureScheme.rsa_pkcs1_sha384, { hash: 'sha384', keyType: 'rsa', pss: false }],
  [SignatureScheme.rsa_pss_rsae_sha256, { hash: 'sha256', keyType: 'rsa', pss: true }],
  [SignatureScheme.rsa_pss_rsae_sha384, { hash: 'sha384', keyType: 'rsa', pss: true }],
]);

/** What we accept and advertise in signature_algorithms and CertificateRequest, in our order. */
export const supportedSignatureSchemes: readonly number[] = [
  SignatureScheme.ecdsa_secp256r1_sha256,
  SignatureScheme.rsa_pkcs1_sha256,
  SignatureScheme.rsa_pss_rsae_sha256,
  SignatureScheme.ecdsa_secp384r1_sha384,
  SignatureScheme.rsa_pkcs1_sha384,
  SignatureScheme.rsa_pss_rsae_sha384,
];

/** 'ec' or 'rsa' for the keys we can sign and verify with, otherwise undefined. */
export function keyType(key: KeyObject): 'ec' | 'rsa' | undefined {
  const t = key.asymmetricKeyType;
  return t === 'ec' || t === 'rsa' ? t : undefined;
}

const curves = new Map([
  ['prime256v1', NamedGroup.secp256r1],
  ['secp384r1', NamedGroup.secp384r1],
  ['secp521r1', NamedGroup.secp521r1],
]);

/** The NamedGroup of an EC key's curve, which a client must list for an ECDSA certificate (RFC 8422 §5.1). */
export function certificateCurve(key: KeyObject): number | undefined {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve === undefined ? undefined : curves.get(curve);
}

/**
 * The scheme to sign with: our first scheme for the key's type that the peer listed, or
 * undefined when there is none.
 */
export function chooseSignatureScheme(
  key: KeyObject,
  peerSchemes: readonly number[],
): number | undefined {
  const type = keyType(key);
  return supportedSignatureSchemes.find(
    (s) => schemes.get(s)!.keyType === type && peerSchemes.includes(s),
  );
}

function keyOptions(p: SchemeParameters, key: KeyObject) {
  if (p.keyType === 'ec') return { key, dsaEncoding: 'der' as const };
  return p.pss
    ? {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      }
    : { key, padding: constants.RSA_PKCS1_PADDING };
}

export function createSignature(scheme: number, key: KeyObject, data: Buffer): Buffer {
  const p = schemes.get(scheme);
  if (!p || p.keyType !== keyType(key)) throw new RangeError(`cannot sign with scheme ${scheme}`);
  return sign(p.hash, data, keyOptions(p, key));
}

/** Whether `signature` over `data` verifies with the peer's key under `scheme`; false for any misfit. */
export function verifySignature(
  scheme: number,
  key: KeyObject,
  data: Buffer,
  signature: Buffer,
): boolean {
  const p = schemes.get(scheme);
  if (!p || p.keyType !== keyType(key)) return false;
  try {
    return verify(p.hash, data, keyOptions(p, key), signature);
  } catch {
    return false;
  }
}
