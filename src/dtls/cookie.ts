/**
 * The stateless HelloVerifyRequest cookie (RFC 6347 §4.2.1): an HMAC over the ClientHello
 * parameters the client must repeat, so the server keeps nothing per client before the
 * client has proven it receives at its address.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { u16, u16List, vector } from './codec.js';
import type { ClientHello } from './handshake/clientHello.js';

export const COOKIE_LENGTH = 32;

export function newCookieSecret(): Buffer {
  return randomBytes(32);
}

/** Cookie = HMAC(Secret, Client-Parameters): version, random, session_id, cipher_suites, compression_methods. */
export function helloCookie(secret: Buffer, hello: ClientHello): Buffer {
  return createHmac('sha256', secret)
    .update(u16(hello.clientVersion))
    .update(hello.random)
    .update(vector(1, hello.sessionId))
    .update(u16List(2, hello.cipherSuites))
    .update(vector(1, Buffer.from(hello.compressionMethods)))
    .digest();
}

export function verifyHelloCookie(secret: Buffer, hello: ClientHello): boolean {
  return (
    hello.cookie.length === COOKIE_LENGTH &&
    timingSafeEqual(hello.cookie, helloCookie(secret, hello))
  );
}
