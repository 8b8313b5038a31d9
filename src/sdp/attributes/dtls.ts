/** DTLS attributes: fingerprint (RFC 8122 §5), setup (RFC 4145 §4, RFC 5763 §5), tls-id (RFC 8842 §4). */

import { TOKEN } from '../grammar.js';

export interface Fingerprint {
  /** The hash function's textual name, lowercase (`sha-256`). */
  algorithm: string;
  /** Uppercase hex pairs separated by colons, as RFC 8122 writes them. */
  value: string;
}

/** Digest lengths of the hash functions RFC 8122 §5 lists, to catch truncated fingerprints. */
const digestLength: Readonly<Record<string, number>> = {
  'sha-1': 20,
  'sha-224': 28,
  'sha-256': 32,
  'sha-384': 48,
  'sha-512': 64,
  md5: 16,
  md2: 16,
};
const HEX_PAIRS = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$/;

/**
 * `fingerprint:hash-func SP fingerprint`. The ABNF asks for uppercase hex; lowercase is
 * accepted (as browsers do) and normalized.
 */
export function parseFingerprint(value: string | null): Fingerprint | undefined {
  if (value === null) return undefined;
  const space = value.indexOf(' ');
  if (space < 0) return undefined;
  const algorithm = value.slice(0, space).toLowerCase();
  const hex = value.slice(space + 1);
  if (!TOKEN.test(algorithm) || !HEX_PAIRS.test(hex)) return undefined;
  const length = digestLength[algorithm];
  if (length !== undefined && (hex.length + 1) / 3 !== length) return undefined;
  return { algorithm, value: hex.toUpperCase() };
}

export function formatFingerprint(f: Fingerprint): string {
  return `${f.algorithm.toLowerCase()} ${f.value.toUpperCase()}`;
}

/** The fingerprint of a certificate digest, for a=fingerprint. */
export function fingerprintOf(algorithm: string, digest: Uint8Array): Fingerprint {
  const pairs: string[] = [];
  for (const b of digest) pairs.push(b.toString(16).toUpperCase().padStart(2, '0'));
  return { algorithm: algorithm.toLowerCase(), value: pairs.join(':') };
}

export type SetupRole = 'active' | 'passive' | 'actpass' | 'holdconn';
const roles: ReadonlySet<string> = new Set<SetupRole>(['active', 'passive', 'actpass', 'holdconn']);

export function parseSetup(value: string | null): SetupRole | undefined {
  return value !== null && roles.has(value) ? (value as SetupRole) : undefined;
}

/** `tls-id-value = 20*120tls-id-char`, `tls-id-char = ALPHA / DIGIT / "+" / "/" / "-" / "_"`. */
export function parseTlsId(value: string | null): string | undefined {
  return value !== null && /^[A-Za-z0-9+/\-_]{20,120}$/.test(value) ? value : undefined;
}
