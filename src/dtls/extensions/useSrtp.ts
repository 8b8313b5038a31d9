/**
 * use_srtp (RFC 5764 §4.1.1): SRTPProtectionProfile SRTPProtectionProfiles<2..2^16-1>
 * followed by opaque srtp_mki<0..255>.
 */
import { Reader, u16List, vector } from '../codec.js';

export interface UseSrtpData {
  profiles: number[];
  mki: Buffer;
}

export function encodeUseSrtp(data: UseSrtpData): Buffer {
  return Buffer.concat([u16List(2, data.profiles), vector(1, data.mki)]);
}

export function decodeUseSrtp(data: Buffer): UseSrtpData {
  const r = new Reader(data);
  const profiles = r.u16List(2, 2);
  const mki = r.vector(1);
  r.end();
  return { profiles, mki };
}
