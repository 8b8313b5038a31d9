/** ec_point_formats (RFC 8422 §5.1.2): ECPointFormat ec_point_format_list<1..2^8-1>. */
import { Reader, vector } from '../codec.js';

export function encodeEcPointFormats(formats: readonly number[]): Buffer {
  return vector(1, Buffer.from(formats));
}

export function decodeEcPointFormats(data: Buffer): number[] {
  const r = new Reader(data);
  const formats = [...r.vector(1, 1)];
  r.end();
  return formats;
}
