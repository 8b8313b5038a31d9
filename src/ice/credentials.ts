/**
 * ICE credentials (RFC 8445 §5.3, RFC 8839 §5.4): a username fragment of at least 24
 * random bits and a password of at least 128, both in ice-chars (ALPHA / DIGIT / "+" / "/").
 */
import { randomBytes } from 'node:crypto';

export interface IceParameters {
  usernameFragment: string;
  password: string;
}

const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function randomIceChars(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ICE_CHARS[byte & 63];
  return out;
}

/** 8 characters (48 bits) of ufrag and 24 (144 bits) of password. */
export function generateIceParameters(): IceParameters {
  return { usernameFragment: randomIceChars(8), password: randomIceChars(24) };
}

const ICE_CHAR_STRING = /^[A-Za-z0-9+/]+$/;

/** RFC 8839 §5.4: ufrag 4..256 ice-chars, password 22..256. */
export function validIceParameters(p: IceParameters): boolean {
  return (
    ICE_CHAR_STRING.test(p.usernameFragment) &&
    p.usernameFragment.length >= 4 &&
    p.usernameFragment.length <= 256 &&
    ICE_CHAR_STRING.test(p.password) &&
    p.password.length >= 22 &&
    p.password.length <= 256
  );
}
