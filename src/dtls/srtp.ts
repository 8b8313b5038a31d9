/**
 * DTLS-SRTP (RFC 5764): the SRTP protection profiles use_srtp negotiates and the split of
 * the exported keying material into the two directions' master keys and salts (§4.2).
 */

export const SrtpProtectionProfile = {
  SRTP_AES128_CM_HMAC_SHA1_80: 0x0001,
  SRTP_AES128_CM_HMAC_SHA1_32: 0x0002,
  SRTP_AEAD_AES_128_GCM: 0x0007,
  SRTP_AEAD_AES_256_GCM: 0x0008,
} as const;
export type SrtpProtectionProfile =
  (typeof SrtpProtectionProfile)[keyof typeof SrtpProtectionProfile];

/** The exporter label of RFC 5764 §4.2. */
export const SRTP_EXPORTER_LABEL = 'EXTRACTOR-dtls_srtp';

/** Master key and salt lengths (RFC 5764 §4.1.2; RFC 7714 §12 for the AEAD profiles). */
const parameters = new Map<
  number,
  { name: string; masterKeyLength: number; masterSaltLength: number }
>([
  [0x0001, { name: 'SRTP_AES128_CM_HMAC_SHA1_80', masterKeyLength: 16, masterSaltLength: 14 }],
  [0x0002, { name: 'SRTP_AES128_CM_HMAC_SHA1_32', masterKeyLength: 16, masterSaltLength: 14 }],
  [0x0007, { name: 'SRTP_AEAD_AES_128_GCM', masterKeyLength: 16, masterSaltLength: 12 }],
  [0x0008, { name: 'SRTP_AEAD_AES_256_GCM', masterKeyLength: 32, masterSaltLength: 12 }],
]);

export function srtpProfileParameters(profile: number) {
  return parameters.get(profile);
}

/** Our preference: the AEAD profiles first (one pass, smaller tags), then the mandatory AES-CM. */
export const defaultSrtpProfiles: readonly SrtpProtectionProfile[] = [
  SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM,
  SrtpProtectionProfile.SRTP_AEAD_AES_256_GCM,
  SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
  SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32,
];

export interface SrtpKeyingMaterial {
  profile: SrtpProtectionProfile;
  /** The negotiated MKI (RFC 5764 §4.1.2); empty when SRTP packets carry none. */
  mki: Buffer;
  clientWriteMasterKey: Buffer;
  serverWriteMasterKey: Buffer;
  clientWriteMasterSalt: Buffer;
  serverWriteMasterSalt: Buffer;
}

/** 2 * (master_key_len + master_salt_len): the exporter length for a profile. */
export function srtpKeyingMaterialLength(profile: number): number {
  const p = parameters.get(profile);
  if (!p) throw new RangeError(`unknown SRTP protection profile ${profile}`);
  return 2 * (p.masterKeyLength + p.masterSaltLength);
}

/** RFC 5764 §4.2: client key, server key, client salt, server salt, in that order. */
export function splitSrtpKeyingMaterial(
  profile: SrtpProtectionProfile,
  mki: Buffer,
  material: Buffer,
): SrtpKeyingMaterial {
  const p = parameters.get(profile);
  if (!p || material.length !== srtpKeyingMaterialLength(profile)) {
    throw new RangeError('keying material does not fit the profile');
  }
  const k = p.masterKeyLength;
  const s = p.masterSaltLength;
  return {
    profile,
    mki,
    clientWriteMasterKey: material.subarray(0, k),
    serverWriteMasterKey: material.subarray(k, 2 * k),
    clientWriteMasterSalt: material.subarray(2 * k, 2 * k + s),
    serverWriteMasterSalt: material.subarray(2 * k + s, 2 * (k + s)),
  };
}
