/**
 * RTCCertificate and generateCertificate() (W3C webrtc-pc §4.9 "Certificate Management").
 *
 * Keys are generated and the certificate signed by node:crypto on its thread pool; the
 * certificate itself is written by src/dtls/certificate.ts.
 */
import { generateKeyPair, type KeyObject, randomBytes } from 'node:crypto';
import { selfSignedCertificate } from '../dtls/certificate.js';
import type { DtlsCertificate } from '../dtls/credentials.js';
import { certificateFingerprint } from '../dtls/fingerprint.js';
import { requireArguments, toDOMString, toEnforcedUnsigned } from './webidl.js';

/** WebCrypto's AlgorithmIdentifier: an algorithm name or a dictionary with a `name`. */
export type AlgorithmIdentifier = string | ({ name: string } & Record<string, unknown>);

/** RTCDtlsFingerprint (W3C webrtc-pc §5.5.1). */
export interface RTCDtlsFingerprint {
  algorithm?: string;
  value?: string;
}

/** 30 days, the default lifetime (generateCertificate step 2). */
const DEFAULT_EXPIRES = 2_592_000_000;
/** 365 days, the longest lifetime the spec allows. */
const MAX_EXPIRES = 31_536_000_000;
/** RSA modulus lengths accepted, as Chromium does. */
const MIN_RSA_MODULUS = 1024;
const MAX_RSA_MODULUS = 8192;

const constructing = Symbol('RTCCertificate');

/** Reads the private slot; set by the class's static block. */
let dtlsCertificate: (certificate: RTCCertificate) => DtlsCertificate;

export class RTCCertificate {
  readonly #expires: number;
  readonly #certificate: DtlsCertificate;

  /** Not constructible by applications: the interface has no constructor. */
  constructor(...args: unknown[]) {
    if (args[0] !== constructing) throw new TypeError('Illegal constructor');
    this.#expires = args[1] as number;
    this.#certificate = args[2] as DtlsCertificate;
  }

  /** When the certificate stops being usable, in ms since the epoch. */
  get expires(): number {
    return this.#expires;
  }

  /** The certificate's fingerprints; the first uses the hash of its signature (SHA-256). */
  getFingerprints(): RTCDtlsFingerprint[] {
    return [certificateFingerprint(this.#certificate.der, 'sha-256')];
  }

  get [Symbol.toStringTag](): string {
    return 'RTCCertificate';
  }

  static {
    dtlsCertificate = (c) => c.#certificate;
  }
}

/** The certificate and private key behind an RTCCertificate, for the DTLS transport. */
export function dtlsCertificateOf(certificate: RTCCertificate): DtlsCertificate {
  return dtlsCertificate(certificate);
}

/** RTCPeerConnection.generateCertificate(keygenAlgorithm), its steps in order. */
export async function generateCertificate(
  keygenAlgorithm: AlgorithmIdentifier,
): Promise<RTCCertificate> {
  requireArguments(arguments.length, 1, "Failed to execute 'generateCertificate'");
  // Steps 2-3: the lifetime, from an RTCCertificateExpiration view of the argument.
  let expires = DEFAULT_EXPIRES;
  if (isObject(keygenAlgorithm)) {
    const value = keygenAlgorithm.expires;
    if (value !== undefined)
      expires = toEnforcedUnsigned(value, Number.MAX_SAFE_INTEGER, 'expires');
    if (expires > MAX_EXPIRES) expires = MAX_EXPIRES;
  }
  // Steps 4-6: WebCrypto normalization, then what RTCPeerConnection can use.
  const algorithm = normalizeGenerateKey(keygenAlgorithm);
  const params = certificateParameters(algorithm);
  if (params === undefined) {
    throw new DOMException(
      `${algorithm.name} with these parameters cannot make a certificate`,
      'NotSupportedError',
    );
  }
  // Step 7: generate the key and the certificate. The spec asks for nothing that
  // identifies the user: the common name and serial number are random. It is valid from a
  // day back (clock skew) to the end of its lifetime.
  const start = Date.now();
  const { privateKey, publicKey } = await generateKeys(params);
  const der = await selfSignedCertificate({
    privateKey,
    publicKey,
    commonName: randomBytes(8).toString('hex'),
    notBefore: start - 86_400_000,
    notAfter: start + expires,
  });
  return new RTCCertificate(constructing, start + expires, { der, privateKey });
}

function generateKeys(
  params: KeyParameters,
): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: KeyObject, privateKey: KeyObject) =>
      error ? reject(error) : resolve({ privateKey, publicKey });
    if (params.type === 'ec') generateKeyPair('ec', { namedCurve: 'prime256v1' }, done);
    else
      generateKeyPair('rsa', { modulusLength: params.modulusLength, publicExponent: 65537 }, done);
  });
}

/**
 * Generated in advance, for the next connections made without certificates: two, for the
 * two ends of a connection within one process.
 */
const spares: { certificate: Promise<RTCCertificate>; made: number }[] = [];
const SPARES = 2;
/** An older spare is not used: a connection's certificate is a fresh one. */
const SPARE_LIFETIME = 60_000;

function spare(made: number): { certificate: Promise<RTCCertificate>; made: number } {
  const certificate = generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' });
  certificate.catch(() => {}); // a failure is the taker's to see
  return { certificate, made };
}

/**
 * The ECDSA P-256 certificate of a connection made without certificates (RTCPeerConnection
 * constructor, step 6): one generated in advance when there is one, and the next ones
 * started for the connections after. Setting up a connection then seldom waits for key
 * generation and X.509 signing (about 1.5 ms each).
 */
export function connectionCertificate(): Promise<RTCCertificate> {
  const now = Date.now();
  while (spares.length > 0 && now - spares[0]!.made >= SPARE_LIFETIME) spares.shift();
  const taken = spares.shift() ?? spare(now);
  while (spares.length < SPARES) spares.push(spare(now));
  return taken.certificate;
}

type Normalized = { name: string } & Record<string, unknown>;

function isObject(v: unknown): v is Record<string, unknown> {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

/** The algorithms WebCrypto registers for generateKey, and the members their parameter dictionaries require. */
const generateKeyAlgorithms: Record<string, string[]> = {
  'RSASSA-PKCS1-v1_5': ['modulusLength', 'publicExponent', 'hash'],
  'RSA-PSS': ['modulusLength', 'publicExponent', 'hash'],
  'RSA-OAEP': ['modulusLength', 'publicExponent', 'hash'],
  ECDSA: ['namedCurve'],
  ECDH: ['namedCurve'],
  'AES-CTR': ['length'],
  'AES-CBC': ['length'],
  'AES-GCM': ['length'],
  'AES-KW': ['length'],
  HMAC: ['hash'],
  Ed25519: [],
  X25519: [],
};

const digestAlgorithms = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];

/**
 * WebCrypto "normalize an algorithm" for generateKey: a string means { name: string };
 * an unknown name is a NotSupportedError; a missing required member or a badly typed one is
 * a TypeError (so "ECDSA" alone, without namedCurve, is a TypeError).
 */
function normalizeGenerateKey(alg: unknown): Normalized {
  const input = isObject(alg) ? alg : { name: toDOMString(alg) };
  const name = registeredName(input.name, Object.keys(generateKeyAlgorithms));
  const out: Normalized = { name };
  for (const member of generateKeyAlgorithms[name]!) {
    const value = input[member];
    if (value === undefined) throw new TypeError(`${name} requires the member ${member}`);
    if (member === 'modulusLength') out[member] = toEnforcedUnsigned(value, 0xffffffff, member);
    else if (member === 'length') out[member] = toEnforcedUnsigned(value, 0xffff, member);
    else if (member === 'publicExponent') {
      if (!(value instanceof Uint8Array))
        throw new TypeError('publicExponent must be a Uint8Array');
      out[member] = value;
    } else if (member === 'hash') {
      const hash = isObject(value) ? value : { name: toDOMString(value) };
      out[member] = { name: registeredName(hash.name, digestAlgorithms) };
    } else out[member] = toDOMString(value);
  }
  return out;
}

/** Step "find the registered algorithm", matching names case-insensitively. */
function registeredName(name: unknown, registered: string[]): string {
  if (name === undefined) throw new TypeError('the algorithm has no name');
  const text = toDOMString(name);
  const wanted = text.toUpperCase();
  const found = registered.find((r) => r.toUpperCase() === wanted);
  if (found === undefined)
    throw new DOMException(`unknown algorithm '${text}'`, 'NotSupportedError');
  return found;
}

/** The keys a certificate can have: P-256 ECDSA, or RSA for PKCS#1 v1.5 with SHA-256 (exponent 65537). */
type KeyParameters = { type: 'ec' } | { type: 'rsa'; modulusLength: number };

function certificateParameters(a: Normalized): KeyParameters | undefined {
  if (a.name === 'ECDSA' && a.namedCurve === 'P-256') return { type: 'ec' };
  if (a.name === 'RSASSA-PKCS1-v1_5') {
    const modulusLength = a.modulusLength as number;
    const exponent = a.publicExponent as Uint8Array;
    const hash = (a.hash as { name: string }).name;
    if (hash !== 'SHA-256' || modulusLength < MIN_RSA_MODULUS || modulusLength > MAX_RSA_MODULUS)
      return undefined;
    if (
      Buffer.from(exponent)
        .toString('hex')
        .replace(/^(00)+/, '') !== '010001'
    )
      return undefined;
    return { type: 'rsa', modulusLength };
  }
  return undefined;
}
