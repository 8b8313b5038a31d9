/** HelloVerifyRequest (RFC 6347 §4.2.1): server_version, opaque cookie<0..2^8-1>. */
import { Reader, u16, vector } from '../codec.js';

export interface HelloVerifyRequest {
  serverVersion: number;
  cookie: Buffer;
}

export function encodeHelloVerifyRequest(m: HelloVerifyRequest): Buffer {
  return Buffer.concat([u16(m.serverVersion), vector(1, m.cookie)]);
}

export function decodeHelloVerifyRequest(body: Buffer): HelloVerifyRequest {
  const r = new Reader(body);
  const m = { serverVersion: r.u16(), cookie: r.vector(1) };
  r.end();
  return m;
}
