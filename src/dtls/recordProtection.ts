/**
 * AEAD record protection for DTLS 1.2 (RFC 5246 §6.2.3.3; nonces per RFC 5288 §3 for
 * AES-GCM and RFC 7905 §2 for ChaCha20-Poly1305). This is the per-record hot path of every
 * data channel, kept behind one small interface so that another engine can replace it.
 *
 * Cost per record: five node:crypto calls each way (create, setAAD, update, final,
 * getAuthTag / setAuthTag) and one output allocation besides the ones node:crypto makes.
 * The key object, the fixed part of the nonce and the constant bytes of the additional
 * data are prepared once per epoch.
 */
import {
  type CipherGCMTypes,
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
} from 'node:crypto';
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

/** The record protection of an AEAD cipher suite for one epoch and direction. */
export function createRecordProtection(
  suite: CipherSuiteParameters,
  epoch: number,
  key: Buffer,
  fixedIv: Buffer,
): RecordProtection {
  return new AeadRecordProtection(suite.aead, suite.recordIvLength, epoch, key, fixedIv);
}

class AeadRecordProtection implements RecordProtection {
  readonly overhead: number;
  /** Node's typings split the AEAD ciphers by name; ChaCha20-Poly1305 takes the same calls as GCM. */
  readonly #algorithm: CipherGCMTypes;
  readonly #key: KeyObject;
  readonly #epoch: number;
  /** 8 for AES-GCM (the explicit nonce), 0 for ChaCha20-Poly1305. */
  readonly #explicitLength: number;
  readonly #fixedIv: Buffer;
  /** Reused: the 12-byte nonce; for AES-GCM its first 4 bytes are the fixed salt. */
  readonly #nonce = Buffer.alloc(12);
  /** Reused: seq_num(8) + type(1) + version(2) + length(2). */
  readonly #aad = Buffer.alloc(13);
  readonly #options = { authTagLength: TAG_LENGTH } as const;

  constructor(
    algorithm: AeadAlgorithm,
    explicitLength: number,
    epoch: number,
    key: Buffer,
    fixedIv: Buffer,
  ) {
    this.#algorithm = algorithm as CipherGCMTypes;
    this.#key = createSecretKey(key);
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
    const cipher = createCipheriv(this.#algorithm, this.#key, this.#nonce, this.#options);
    cipher.setAAD(this.#aad);
    const at = RECORD_HEADER_LENGTH + explicit;
    const ciphertext = cipher.update(plaintext);
    ciphertext.copy(out, at);
    cipher.final(); // AEAD ciphers are streams: nothing is left to flush
    cipher.getAuthTag().copy(out, at + ciphertext.length);
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
    const decipher = createDecipheriv(this.#algorithm, this.#key, this.#nonce, this.#options);
    decipher.setAuthTag(record.subarray(tagAt));
    decipher.setAAD(this.#aad);
    const plaintext = decipher.update(record.subarray(start, tagAt));
    try {
      decipher.final();
    } catch {
      return undefined; // bad tag: the caller drops the record (RFC 6347 §4.1.2.7)
    }
    return plaintext;
  }
}
