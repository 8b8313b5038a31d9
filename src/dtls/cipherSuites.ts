/**
 * The cipher suites this implementation negotiates: ECDHE key exchange with AEAD record
 * protection (RFC 5289 AES-GCM, RFC 7905 ChaCha20-Poly1305), the ones browsers offer.
 */
import { available as wasmChaCha20Poly1305 } from './chacha20Poly1305.js';
import type { PrfHash } from './prf.js';

export const CipherSuite = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 0xc02b,
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 0xc02c,
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 0xc02f,
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 0xc030,
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca9,
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 0xcca8,
} as const;
export type CipherSuite = (typeof CipherSuite)[keyof typeof CipherSuite];

export type AeadAlgorithm = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

export interface CipherSuiteParameters {
  id: CipherSuite;
  name: string;
  /** The certificate key type the suite authenticates with. */
  authentication: 'ECDSA' | 'RSA';
  aead: AeadAlgorithm;
  /** enc_key_length. */
  keyLength: number;
  /** fixed_iv_length: the implicit part of the nonce taken from the key block. */
  fixedIvLength: number;
  /** record_iv_length: the explicit nonce carried in each record. */
  recordIvLength: number;
  /** The hash of the PRF and of the Finished computation. */
  prfHash: PrfHash;
}

const gcm128 = {
  aead: 'aes-128-gcm',
  keyLength: 16,
  fixedIvLength: 4,
  recordIvLength: 8,
  prfHash: 'sha256',
} as const;
const gcm256 = {
  aead: 'aes-256-gcm',
  keyLength: 32,
  fixedIvLength: 4,
  recordIvLength: 8,
  prfHash: 'sha384',
} as const;
const chacha = {
  aead: 'chacha20-poly1305',
  keyLength: 32,
  fixedIvLength: 12,
  recordIvLength: 0,
  prfHash: 'sha256',
} as const;

const table: readonly CipherSuiteParameters[] = [
  {
    id: 0xc02b,
    name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    authentication: 'ECDSA',
    ...gcm128,
  },
  {
    id: 0xc02c,
    name: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    authentication: 'ECDSA',
    ...gcm256,
  },
  { id: 0xc02f, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', authentication: 'RSA', ...gcm128 },
  { id: 0xc030, name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', authentication: 'RSA', ...gcm256 },
  {
    id: 0xcca9,
    name: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    authentication: 'ECDSA',
    ...chacha,
  },
  {
    id: 0xcca8,
    name: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
    authentication: 'RSA',
    ...chacha,
  },
];

const byId = new Map<number, CipherSuiteParameters>(table.map((s) => [s.id, s]));

/** The parameters of a suite we implement, or undefined. */
export function cipherSuiteParameters(id: number): CipherSuiteParameters | undefined {
  return byId.get(id);
}

const chacha20 = [
  CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
  CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
];
const aes128 = [
  CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
  CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
];

/**
 * Our preference, which decides the suite when we are the server: the cheapest records
 * first. That is ChaCha20-Poly1305 through our WebAssembly engine (two to four times
 * cheaper per record than any node:crypto cipher, see recordProtection.ts), else AES-128-GCM
 * (what browsers pick, and the cheapest with AES-NI); then AES-256-GCM.
 */
export const defaultCipherSuites: readonly CipherSuite[] = [
  ...(wasmChaCha20Poly1305 ? [...chacha20, ...aes128] : [...aes128, ...chacha20]),
  CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
  CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
];
