/**
 * Self-signed X.509 v3 certificates (RFC 5280 §4.1) for DTLS endpoints, written directly
 * in DER (X.690): a WebRTC certificate needs only a serial number, a name, a validity, the
 * public key and a signature, and node:crypto signs.
 */
import { type KeyObject, randomBytes, sign } from 'node:crypto';

/** DER tag-length-value. */
function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.of(n);
  else if (n < 0x100) length = Buffer.of(0x81, n);
  else if (n < 0x10000) length = Buffer.of(0x82, n >> 8, n & 0xff);
  else length = Buffer.of(0x83, n >> 16, (n >> 8) & 0xff, n & 0xff);
  return Buffer.concat([Buffer.of(tag), length, content]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const integer = (bytes: Buffer) => tlv(0x02, bytes);
const bitString = (bytes: Buffer) => tlv(0x03, Buffer.concat([Buffer.of(0), bytes]));
const NULL = Buffer.of(0x05, 0x00);

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const bytes = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const base128 = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128))
      base128.unshift((v & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
function time(ms: number): Buffer {
  // YYYY-MM-DDTHH:MM:SS.sssZ to YYYYMMDDHHMMSSZ
  const digits = `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
  return digits < '2050'
    ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(digits, 'ascii'));
}

/** The signature algorithm of each key type: RFC 5758 §3.2 and RFC 4055 §5. */
function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'ec') return sequence(oid('1.2.840.10045.4.3.2')); // ecdsa-with-SHA256
  if (key.asymmetricKeyType === 'rsa') return sequence(oid('1.2.840.113549.1.1.11'), NULL); // sha256WithRSAEncryption
  throw new TypeError(`no certificate signature for ${key.asymmetricKeyType} keys`);
}

export interface SelfSignedOptions {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The common name of subject and issuer. */
  commonName: string;
  notBefore: number;
  notAfter: number;
}

/** A self-signed certificate, DER, signed with SHA-256 off the main thread. */
export async function selfSignedCertificate(options: SelfSignedOptions): Promise<Buffer> {
  const serial = randomBytes(8);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and of full length
  const algorithm = signatureAlgorithm(options.privateKey);
  const name = sequence(
    set(sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(options.commonName, 'utf8')))),
  );
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.of(2))), // [0] EXPLICIT version: v3
    integer(serial),
    algorithm,
    name,
    sequence(time(options.notBefore), time(options.notAfter)),
    name,
    options.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = await new Promise<Buffer>((resolve, reject) =>
    sign('sha256', tbs, options.privateKey, (error, s) => (error ? reject(error) : resolve(s))),
  );
  return sequence(tbs, algorithm, bitString(signature));
}
