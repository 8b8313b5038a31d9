/** The extension list of the hello messages (RFC 5246 §7.4.1.4). */
import { DecodeError, type Reader, u16, vector } from '../codec.js';

export interface Extension {
  type: number;
  data: Buffer;
}

/** extensions<0..2^16-1>, each extension_type(2) + extension_data<0..2^16-1>. */
export function encodeExtensions(extensions: readonly Extension[]): Buffer {
  return vector(2, Buffer.concat(extensions.flatMap((e) => [u16(e.type), vector(2, e.data)])));
}

/**
 * Reads the optional extension block at the end of a hello. RFC 5246 §7.4.1.4: there
 * MUST NOT be more than one extension of the same type.
 */
export function decodeExtensions(r: Reader): Extension[] {
  if (r.remaining === 0) return [];
  const block = r.vector(2);
  r.end();
  const out: Extension[] = [];
  const seen = new Set<number>();
  let at = 0;
  while (at < block.length) {
    if (block.length - at < 4) throw new DecodeError('truncated extension');
    const type = block.readUInt16BE(at);
    const length = block.readUInt16BE(at + 2);
    if (block.length - at - 4 < length) throw new DecodeError('truncated extension');
    if (seen.has(type)) throw new DecodeError(`duplicate extension ${type}`);
    seen.add(type);
    out.push({ type, data: block.subarray(at + 4, at + 4 + length) });
    at += 4 + length;
  }
  return out;
}

export function findExtension(extensions: readonly Extension[], type: number): Buffer | undefined {
  return extensions.find((e) => e.type === type)?.data;
}
