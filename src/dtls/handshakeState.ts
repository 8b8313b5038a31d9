/**
 * What both roles' handshakes share: the negotiated security parameters (RFC 5246 §6.1),
 * the handshake messages the hash covers, the key schedule, and the check of the peer's
 * certificate against the fingerprints from the remote description (RFC 8842 §5), which
 * may arrive after the handshake started.
 */
import { type KeyObject, timingSafeEqual, X509Certificate } from 'node:crypto';
import { AlertError } from './alert.js';
import type { CipherSuiteParameters } from './cipherSuites.js';
import { AlertDescription } from './constants.js';
import type { DtlsCertificate } from './credentials.js';
import { type DtlsFingerprint, matchesFingerprint } from './fingerprint.js';
import type { FlightEntry } from './flight.js';
import {
  extendedMasterSecret,
  handshakeHash,
  type KeyBlock,
  keyBlock,
  masterSecret,
  verifyData,
} from './keySchedule.js';
import type { HandshakeMessage } from './reassembler.js';
import { keyType } from './signature.js';

/** The connection as the handshake sees it. */
export interface HandshakeHost {
  /**
   * A handshake message with our next message_seq (or the one given, to redo a message), in
   * the form the handshake hash covers.
   */
  message(msgType: number, body: Buffer, messageSeq?: number): Buffer;
  /** The record sequence number the next epoch 0 record will carry. */
  nextRecordSequence(): number;
  /** Sends a flight; all but the last are retransmitted until the peer's next flight arrives. */
  sendFlight(entries: FlightEntry[], last: boolean): void;
  /** The stateless reply to a ClientHello without a valid cookie (RFC 6347 §4.2.1). */
  sendHelloVerifyRequest(body: Buffer, recordSequence: number): void;
  /** The server takes a ClientHello: its message_seq numbering continues from that one's. */
  acceptClientHello(messageSeq: number, recordSequence: number): void;
  /** The epoch 1 keys are derived (the read side applies from the peer's ChangeCipherSpec on). */
  installKeys(suite: CipherSuiteParameters, keys: KeyBlock): void;
  /** The peer's flight is complete but ours waits for the remote fingerprints. */
  stopRetransmission(): void;
  handshakeComplete(): void;
}

export interface HandshakeOptions {
  certificate: DtlsCertificate;
  cipherSuites: readonly number[];
  /** ECDHE groups, offered (client) or accepted (server) in this order. */
  groups: readonly number[];
  srtpProfiles: readonly number[];
  /** The client's srtp_mki offer (RFC 5764 §4.1.2). */
  srtpMki: Buffer;
  requireExtendedMasterSecret: boolean;
  /** Server: answer a ClientHello without a valid cookie with a HelloVerifyRequest. */
  helloVerifyRequest: boolean;
  cookieSecret: Buffer;
}

export function unexpected(m: HandshakeMessage): AlertError {
  return new AlertError(
    AlertDescription.unexpected_message,
    `unexpected handshake message ${m.msgType}`,
  );
}

export abstract class HandshakeState {
  clientRandom: Buffer | undefined;
  serverRandom: Buffer | undefined;
  suite: CipherSuiteParameters | undefined;
  master: Buffer | undefined;
  extendedMasterSecret = false;
  srtpProfile: number | undefined;
  srtpMki: Buffer = Buffer.alloc(0);
  /** The peer's certificate (DER) and key, once its Certificate message arrived. */
  peerCertificate: Buffer | undefined;
  protected peerKey: KeyObject | undefined;
  /** The handshake messages covered by the handshake hash, in order. */
  protected readonly transcript: Buffer[] = [];
  #remoteFingerprints: readonly DtlsFingerprint[] | undefined;
  #held: (() => void) | undefined;

  constructor(
    protected readonly host: HandshakeHost,
    protected readonly options: HandshakeOptions,
  ) {}

  /** Takes the next handshake message in message_seq order; throws AlertError to end the handshake. */
  abstract handle(m: HandshakeMessage): void;

  /** Holding our next flight until the remote fingerprints are known. */
  get awaitingFingerprints(): boolean {
    return this.#held !== undefined;
  }

  /**
   * Sets the remote fingerprints; checks a certificate already received and releases a held
   * flight. An empty list means they are not known yet: a remote description always has one.
   */
  setRemoteFingerprints(fingerprints: readonly DtlsFingerprint[]): void {
    if (fingerprints.length === 0) return;
    this.#remoteFingerprints = fingerprints;
    if (this.peerCertificate === undefined) return;
    this.#checkFingerprint();
    const held = this.#held;
    this.#held = undefined;
    held?.();
  }

  /** The peer's Certificate message: keep its end-entity certificate, check it when we can. */
  protected receiveCertificate(list: Buffer[], expectedKeyType?: 'ec' | 'rsa'): void {
    const der = list[0];
    if (der === undefined)
      throw new AlertError(AlertDescription.handshake_failure, 'the peer sent no certificate');
    let key: KeyObject;
    try {
      key = new X509Certificate(der).publicKey;
    } catch {
      throw new AlertError(AlertDescription.bad_certificate, 'the peer certificate does not parse');
    }
    const type = keyType(key);
    if (type === undefined || (expectedKeyType !== undefined && type !== expectedKeyType)) {
      throw new AlertError(
        AlertDescription.unsupported_certificate,
        `unsupported certificate key type ${key.asymmetricKeyType}`,
      );
    }
    this.peerCertificate = Buffer.from(der);
    this.peerKey = key;
    if (this.#remoteFingerprints !== undefined) this.#checkFingerprint();
  }

  #checkFingerprint(): void {
    if (!matchesFingerprint(this.peerCertificate!, this.#remoteFingerprints!)) {
      throw new AlertError(
        AlertDescription.bad_certificate,
        'the peer certificate does not match the remote fingerprint',
        'fingerprint-failure',
      );
    }
  }

  /** Runs `next` once the peer's certificate has been checked against the remote fingerprints. */
  protected whenAuthenticated(next: () => void): void {
    if (this.#remoteFingerprints !== undefined) {
      next();
    } else {
      this.host.stopRetransmission();
      this.#held = next;
    }
  }

  protected hashTranscript(): Buffer {
    return handshakeHash(this.suite!.prfHash, this.transcript);
  }

  /**
   * The master secret from the premaster secret (RFC 7627 §4 when negotiated: the session
   * hash then covers the messages up to and including ClientKeyExchange), then the keys.
   */
  protected deriveKeys(preMasterSecret: Buffer): void {
    const suite = this.suite!;
    this.master = this.extendedMasterSecret
      ? extendedMasterSecret(suite.prfHash, preMasterSecret, this.hashTranscript())
      : masterSecret(suite.prfHash, preMasterSecret, this.clientRandom!, this.serverRandom!);
    this.host.installKeys(
      suite,
      keyBlock(suite, this.master, this.clientRandom!, this.serverRandom!),
    );
  }

  /** verify_data over the handshake messages so far. */
  protected finishedVerifyData(label: 'client finished' | 'server finished'): Buffer {
    return verifyData(this.suite!.prfHash, this.master!, label, this.hashTranscript());
  }

  /** Checks the peer's Finished (RFC 5246 §7.4.9) and adds it to the transcript. */
  protected checkFinished(
    m: HandshakeMessage,
    verify: Buffer,
    label: 'client finished' | 'server finished',
  ): void {
    const expected = this.finishedVerifyData(label);
    if (!timingSafeEqual(verify, expected)) {
      throw new AlertError(AlertDescription.decrypt_error, 'Finished verify_data does not match');
    }
    this.transcript.push(m.raw);
  }
}
