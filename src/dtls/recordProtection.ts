/**
 * AEAD record protection for DTLS 1.2 (RFC 5246 §6.2.3.3; nonces per RFC 5288 §3 for
 * AES-GCM and RFC 7905 §2 for ChaCha20-Poly1305). This is the per-record hot path of every
 * data channel, kept behind one small interface so that another engine can replace it.
 *
 * Two engines do the AEAD itself. AES-GCM goes through node:crypto: five calls each way
 * (create, setAAD, update, final, getAuthTag / setAuthTag), about 4-8 µs per record
 * whatever its size, nearly all of it call overhead. ChaCha20-Poly1305 goes through our
 * WebAssembly build (chacha20Poly1305.ts): about 2 µs for a full record and well under
 * 1 µs for a small one; node:crypto where WebAssembly SIMD is missing. The key, the fixed
 * part of the nonce and the constant bytes of the additional data are prepared once per
 * epoch.
 */
import {
  type CipherGCMTypes,
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
} from 'node:crypto';
import {
  chacha20Poly1305Open,
  chacha20Poly1305Seal,
  available as wasmChaCha20Poly1305,
} from './chacha20Poly1305.js';
import type { AeadAlgorithm, CipherSuiteParameters } from './cipherSuites.js';
import { RECORD_HEADER_LENGTH, writeRecordHeader } from './record.js';

const TAG_LENGTH = 16;

/** Protects and unprotects the records of one epoch in one direction. */
export interface RecordProtection {
  /** Bytes a protected fragment adds to its plaintext (explicit nonce and tag). */
  readonly overhead: number;
  /** A new DTLSCiphertext record (header and protected fragment) carrying `plaintext`. */
  seal(type: number, sequenceNumber: number, plaintext: Buffer): Buffer;
  /**
   * The plaintext of a received record (`record` is its header and fragment), or undefined
   * when it does not authenticate.
   */
  open(record: Buffer): Buffer | undefined;
}

/** An AEAD algorithm with its key: the ciphertext and tag of a plaintext, and back. */
interface Aead {
  /** Writes the ciphertext of `plaintext` and the tag into `out` at `at`. */
  seal(nonce: Buffer, aad: Buffer, plaintext: Buffer, out: Buffer, at: number): void;
  /** The plaintext of `sealed` (ciphertext then tag), or undefined when it does not authenticate. */
  open(nonce: Buffer, aad: Buffer, sealed: Buffer): Buffer | undefined;
}

/** The record protection of an AEAD cipher suite for one epoch and direction. */
export function createRecordProtection(
  suite: CipherSuiteParameters,
  epoch: number,
  key: Buffer,
  fixedIv: Buffer,
): RecordProtection {
  const aead =
    suite.aead === 'chacha20-poly1305' && wasmChaCha20Poly1305
      ? new WasmChaCha20Poly1305(key)
      : new NodeCryptoAead(suite.aead, key);
  return new AeadRecordProtection(aead, suite.recordIvLength, epoch, fixedIv);
}

/** node:crypto, one cipher object per record. */
class NodeCryptoAead implements Aead {
  /** Node's typings split the AEAD ciphers by name; ChaCha20-Poly1305 takes the same calls as GCM. */
  readonly #algorithm: CipherGCMTypes;
  readonly #key: KeyObject;
  readonly #options = { authTagLength: TAG_LENGTH } as const;

  constructor(algorithm: AeadAlgorithm, key: Buffer) {
    this.#algorithm = algorithm as CipherGCMTypes;
    this.#key = createSecretKey(key);
  }

  seal(nonce: Buffer, aad: Buffer, plaintext: Buffer, out: Buffer, at: number): void {
    const cipher = createCipheriv(this.#algorithm, this.#key, nonce, this.#options);
    cipher.setAAD(aad);
    const ciphertext = cipher.update(plaintext);
    ciphertext.copy(out, at);
    cipher.final(); // AEAD ciphers are streams: nothing is left to flush
    cipher.getAuthTag().copy(out, at + ciphertext.length);
  }

  open(nonce: Buffer, aad: Buffer, sealed: Buffer): Buffer | undefined {
    const tagAt = sealed.length - TAG_LENGTH;
    const decipher = createDecipheriv(this.#algorithm, this.#key, nonce, this.#options);
    decipher.setAuthTag(sealed.subarray(tagAt));
    decipher.setAAD(aad);
    const plaintext = decipher.update(sealed.subarray(0, tagAt));
    try {
      decipher.final();
    } catch {
      return undefined;
    }
    return plaintext;
  }
}

class WasmChaCha20Poly1305 implements Aead {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = Buffer.from(key);
  }

  seal(nonce: Buffer, aad: Buffer, plaintext: Buffer, out: Buffer, at: number): void {
    chacha20Poly1305Seal(this.#key, nonce, aad, plaintext, out, at);
  }

  open(nonce: Buffer, aad: Buffer, sealed: Buffer): Buffer | undefined {
    return chacha20Poly1305Open(this.#key, nonce, aad, sealed);
  }
}

class AeadRecordProtection implements RecordProtection {
  readonly overhead: number;
  readonly #aead: Aead;
  readonly #epoch: number;
  /** 8 for AES-GCM (the explicit nonce), 0 for ChaCha20-Poly1305. */
  readonly #explicitLength: number;
  readonly #fixedIv: Buffer;
  /** Reused: the 12-byte nonce; for AES-GCM its first 4 bytes are the fixed salt. */
  readonly #nonce = Buffer.alloc(12);
  /** Reused: seq_num(8) + type(1) + version(2) + length(2). */
  readonly #aad = Buffer.alloc(13);

  constructor(aead: Aead, explicitLength: number, epoch: number, fixedIv: Buffer) {
    this.#aead = aead;
    this.#epoch = epoch;
    this.#explicitLength = explicitLength;
    this.#fixedIv = Buffer.from(fixedIv);
    if (explicitLength > 0) this.#fixedIv.copy(this.#nonce, 0);
    this.overhead = explicitLength + TAG_LENGTH;
  }

  /** Fills the nonce from the 8 bytes epoch + sequence_number (RFC 5288 §3, RFC 7905 §2). */
  #setNonce(seqNum: Buffer): void {
    const nonce = this.#nonce;
    if (this.#explicitLength > 0) {
      seqNum.copy(nonce, 4, 0, 8); // salt + explicit nonce, which we take from the sequence number
      return;
    }
    const iv = this.#fixedIv;
    for (let i = 0; i < 4; i++) nonce[i] = iv[i]!;
    for (let i = 4; i < 12; i++) nonce[i] = iv[i]! ^ seqNum[i - 4]!;
  }

  /** additional_data = seq_num + type + version + length (RFC 5246 §6.2.3.3), from a record header. */
  #setAad(header: Buffer, plaintextLength: number): void {
    const aad = this.#aad;
    header.copy(aad, 0, 3, 11);
    aad[8] = header[0]!;
    aad[9] = header[1]!;
    aad[10] = header[2]!;
    aad.writeUInt16BE(plaintextLength, 11);
  }

  seal(type: number, sequenceNumber: number, plaintext: Buffer): Buffer {
    const explicit = this.#explicitLength;
    const out = Buffer.allocUnsafe(RECORD_HEADER_LENGTH + explicit + plaintext.length + TAG_LENGTH);
    writeRecordHeader(out, type, this.#epoch, sequenceNumber, out.length - RECORD_HEADER_LENGTH);
    const seqNum = out.subarray(3, 11);
    this.#setNonce(seqNum);
    if (explicit > 0) seqNum.copy(out, RECORD_HEADER_LENGTH);
    this.#setAad(out, plaintext.length);
    this.#aead.seal(this.#nonce, this.#aad, plaintext, out, RECORD_HEADER_LENGTH + explicit);
    return out;
  }

  open(record: Buffer): Buffer | undefined {
    const explicit = this.#explicitLength;
    const start = RECORD_HEADER_LENGTH + explicit;
    const tagAt = record.length - TAG_LENGTH;
    if (tagAt < start) return undefined;
    if (explicit > 0) record.copy(this.#nonce, 4, RECORD_HEADER_LENGTH, start);
    else this.#setNonce(record.subarray(3, 11));
    this.#setAad(record, tagAt - start);
    // A bad tag: the caller drops the record (RFC 6347 §4.1.2.7).
    return this.#aead.open(this.#nonce, this.#aad, record.subarray(start));
  }
}
