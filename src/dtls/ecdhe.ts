/**
 * Ephemeral ECDH key shares for the ECDHE key exchange (RFC 8422): X25519 (RFC 7748, 32-byte
 * public keys) and the NIST curves P-256 and P-384 (uncompressed points, RFC 8422 §5.4.1).
 */
import { createECDH, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { AlertError } from './alert.js';
import { AlertDescription, NamedGroup } from './constants.js';

export interface KeyShare {
  readonly group: number;
  /** Our public key as it goes on the wire. */
  readonly publicKey: Buffer;
  /** The premaster secret from the peer's public key; throws AlertError(illegal_parameter) on a bad key. */
  computeSecret(peerPublicKey: Buffer): Buffer;
}

/** Our preference, the order browsers use too. */
export const defaultGroups: readonly number[] = [
  NamedGroup.x25519,
  NamedGroup.secp256r1,
  NamedGroup.secp384r1,
];

export function generateKeyShare(group: number): KeyShare {
  if (group === NamedGroup.x25519) return x25519KeyShare();
  if (group === NamedGroup.secp256r1) return nistKeyShare(group, 'prime256v1', 65);
  if (group === NamedGroup.secp384r1) return nistKeyShare(group, 'secp384r1', 97);
  throw new RangeError(`unsupported group ${group}`);
}

function badKey(): AlertError {
  return new AlertError(AlertDescription.illegal_parameter, 'invalid ECDHE public key');
}

/** SubjectPublicKeyInfo prefix of an X25519 key (RFC 8410), followed by the 32 raw bytes. */
const x25519Spki = Buffer.from('302a300506032b656e032100', 'hex');

function x25519KeyShare(): KeyShare {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return {
    group: NamedGroup.x25519,
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).subarray(x25519Spki.length),
    computeSecret(peer) {
      if (peer.length !== 32) throw badKey();
      let secret: Buffer;
      try {
        const key = createPublicKey({
          key: Buffer.concat([x25519Spki, peer]),
          format: 'der',
          type: 'spki',
        });
        secret = diffieHellman({ privateKey, publicKey: key });
      } catch {
        throw badKey();
      }
      // RFC 8422 §5.11: an all-zero shared secret means a low-order point.
      if (secret.every((b) => b === 0)) throw badKey();
      return secret;
    },
  };
}

function nistKeyShare(group: number, curve: string, pointLength: number): KeyShare {
  const ecdh = createECDH(curve);
  return {
    group,
    publicKey: ecdh.generateKeys(),
    computeSecret(peer) {
      // Only the uncompressed form was offered (ec_point_formats), RFC 8422 §5.1.2.
      if (peer.length !== pointLength || peer[0] !== 4) throw badKey();
      try {
        return ecdh.computeSecret(peer); // validates that the point is on the curve
      } catch {
        throw badKey();
      }
    },
  };
}
