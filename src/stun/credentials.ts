/**
 * STUN credential keys (RFC 8489 §9). Short-term (ICE): the key is the password.
 * Long-term (TURN): key = H(username ":" realm ":" password), H being MD5 (16-byte key)
 * or SHA-256 (32-byte key) as the PASSWORD-ALGORITHM says; realm and password are
 * prepared with OpaqueString (RFC 8489) or SASLprep (RFC 5389 servers).
 */
import { createHash } from 'node:crypto';
import {
  PASSWORD_ALGORITHM_MD5,
  PASSWORD_ALGORITHM_SHA256,
} from './attributes/password-algorithms.js';
import { opaqueString, saslprep } from './stringprep.js';

export type StringPreparation = 'opaque-string' | 'saslprep';

function prepare(value: string, preparation: StringPreparation): string {
  return preparation === 'saslprep' ? saslprep(value) : opaqueString(value);
}

/** RFC 8489 §9.1.1: key = OpaqueString(password). */
export function shortTermKey(password: string): Buffer {
  return Buffer.from(opaqueString(password), 'utf8');
}

/** RFC 8489 §9.2.2. `algorithm` is a PASSWORD-ALGORITHM number (0x0001 MD5, the default, or 0x0002 SHA-256). */
export function longTermKey(
  username: string,
  realm: string,
  password: string,
  options: { algorithm?: number; preparation?: StringPreparation } = {},
): Buffer {
  const algorithm = options.algorithm ?? PASSWORD_ALGORITHM_MD5;
  const preparation = options.preparation ?? 'opaque-string';
  const hash =
    algorithm === PASSWORD_ALGORITHM_MD5
      ? 'md5'
      : algorithm === PASSWORD_ALGORITHM_SHA256
        ? 'sha256'
        : undefined;
  if (!hash) throw new RangeError(`unknown password algorithm ${algorithm}`);
  // RFC 5389 §15.4 prepared only the password with SASLprep; RFC 8489 prepares realm and password.
  const preparedRealm = preparation === 'saslprep' ? realm : prepare(realm, preparation);
  return createHash(hash)
    .update(`${username}:${preparedRealm}:${prepare(password, preparation)}`, 'utf8')
    .digest();
}

/** USERHASH (RFC 8489 §14.4): SHA-256(OpaqueString(username) ":" OpaqueString(realm)). */
export function userhash(username: string, realm: string): Buffer {
  return createHash('sha256')
    .update(`${opaqueString(username)}:${opaqueString(realm)}`, 'utf8')
    .digest();
}
