/** ServerHello (RFC 5246 §7.4.1.3). */
import { Reader, u8, u16, vector } from '../codec.js';
import { decodeExtensions, type Extension, encodeExtensions } from '../extensions/extension.js';

export interface ServerHello {
  serverVersion: number;
  /** 32 bytes. */
  random: Buffer;
  sessionId: Buffer;
  cipherSuite: number;
  compressionMethod: number;
  extensions: Extension[];
}

export function encodeServerHello(m: ServerHello): Buffer {
  return Buffer.concat([
    u16(m.serverVersion),
    m.random,
    vector(1, m.sessionId),
    u16(m.cipherSuite),
    u8(m.compressionMethod),
    m.extensions.length > 0 ? encodeExtensions(m.extensions) : Buffer.alloc(0),
  ]);
}

export function decodeServerHello(body: Buffer): ServerHello {
  const r = new Reader(body);
  return {
    serverVersion: r.u16(),
    random: r.bytes(32),
    sessionId: r.vector(1, 0, 32),
    cipherSuite: r.u16(),
    compressionMethod: r.u8(),
    extensions: decodeExtensions(r),
  };
}
