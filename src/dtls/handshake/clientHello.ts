/** ClientHello (RFC 5246 §7.4.1.2 with the DTLS cookie of RFC 6347 §4.2.1). */
import { Reader, u16, u16List, vector } from '../codec.js';
import { decodeExtensions, type Extension, encodeExtensions } from '../extensions/extension.js';

export interface ClientHello {
  clientVersion: number;
  /** 32 bytes. */
  random: Buffer;
  sessionId: Buffer;
  cookie: Buffer;
  cipherSuites: number[];
  compressionMethods: number[];
  extensions: Extension[];
}

export function encodeClientHello(m: ClientHello): Buffer {
  return Buffer.concat([
    u16(m.clientVersion),
    m.random,
    vector(1, m.sessionId),
    vector(1, m.cookie),
    u16List(2, m.cipherSuites),
    vector(1, Buffer.from(m.compressionMethods)),
    encodeExtensions(m.extensions),
  ]);
}

export function decodeClientHello(body: Buffer): ClientHello {
  const r = new Reader(body);
  return {
    clientVersion: r.u16(),
    random: r.bytes(32),
    sessionId: r.vector(1, 0, 32),
    cookie: r.vector(1),
    cipherSuites: r.u16List(2, 2),
    compressionMethods: [...r.vector(1, 1)],
    extensions: decodeExtensions(r),
  };
}
