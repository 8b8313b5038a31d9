/**
 * A DTLS 1.2 connection (RFC 6347), client or server, sans-IO: datagrams and the time go in
 * through method calls, datagrams and events come out through the callbacks given at
 * construction, and the one timer it needs is reported by nextDeadline().
 *
 * The record layer (§4.1) lives here: epochs, sequence numbers, the replay window, record
 * protection, records of the next epoch held until their keys exist, alerts, and application
 * data. The handshake messages go through a reassembler to the role's flight state machine
 * (clientHandshake.ts, serverHandshake.ts); flights come back and are retransmitted on a timer
 * with exponential backoff (§4.2.4).
 *
 * Reads switch to epoch 1 by the epoch field of each record rather than on the arrival of
 * ChangeCipherSpec: a record only decrypts under the new keys if the peer switched, the
 * peer's Finished authenticates the switch, and a lost or reordered ChangeCipherSpec then
 * costs nothing.
 */
import type { Timed } from '../net/timer.js';
import { AlertError, alertName, type DtlsFailure } from './alert.js';
import {
  type CipherSuite,
  type CipherSuiteParameters,
  cipherSuiteParameters,
  defaultCipherSuites,
} from './cipherSuites.js';
import { ClientHandshake } from './clientHandshake.js';
import { DecodeError } from './codec.js';
import {
  AlertDescription,
  AlertLevel,
  ContentType,
  HandshakeType,
  ProtocolVersion,
} from './constants.js';
import { newCookieSecret } from './cookie.js';
import type { DtlsCertificate } from './credentials.js';
import { defaultGroups } from './ecdhe.js';
import type { DtlsFingerprint } from './fingerprint.js';
import { type FlightEntry, packFlight, type RecordWriter } from './flight.js';
import { encodeHandshake, HANDSHAKE_HEADER_LENGTH } from './handshake/header.js';
import type { HandshakeHost } from './handshakeState.js';
import { exportKeyingMaterial, type KeyBlock } from './keySchedule.js';
import { type HandshakeFragment, HandshakeReassembler } from './reassembler.js';
import {
  MAX_PLAINTEXT_FRAGMENT,
  MAX_RECORD_FRAGMENT,
  MAX_SEQUENCE_NUMBER,
  plaintextRecord,
  RECORD_HEADER_LENGTH,
} from './record.js';
import { createRecordProtection, type RecordProtection } from './recordProtection.js';
import { ReplayWindow } from './replayWindow.js';
import { ServerHandshake } from './serverHandshake.js';
import { keyType } from './signature.js';
import {
  defaultSrtpProfiles,
  SRTP_EXPORTER_LABEL,
  type SrtpKeyingMaterial,
  type SrtpProtectionProfile,
  splitSrtpKeyingMaterial,
  srtpKeyingMaterialLength,
  srtpProfileParameters,
} from './srtp.js';

/** RTCDtlsTransportState (W3C webrtc-pc). */
export type DtlsTransportState = 'new' | 'connecting' | 'connected' | 'closed' | 'failed';
export type DtlsRole = 'client' | 'server';

export interface DtlsConnectionOptions {
  role: DtlsRole;
  certificate: DtlsCertificate;
  /** Sends one datagram. The buffer is not touched afterwards. */
  send: (datagram: Buffer) => void;
  onStateChange?: (state: DtlsTransportState) => void;
  /**
   * Application data from the peer, one record each; the buffer is the receiver's to keep.
   * An exception thrown by a callback fails the connection (internal_error) instead of
   * escaping into the caller's datagram handler.
   */
  onData?: (data: Buffer) => void;
  /**
   * The fingerprints from the remote description. Absent or empty, they are awaited: the
   * handshake holds its last flight until setRemoteFingerprints() brings them.
   */
  remoteFingerprints?: readonly DtlsFingerprint[];
  /** Offered (client) or accepted (server) in this order of preference. */
  cipherSuites?: readonly CipherSuite[];
  /** ECDHE groups (NamedGroup values) in order of preference; default X25519, P-256, P-384. */
  groups?: readonly number[];
  /** use_srtp profiles in order of preference; empty leaves the extension out. */
  srtpProfiles?: readonly SrtpProtectionProfile[];
  /** Client: the srtp_mki to offer (RFC 5764 §4.1.2); none by default. */
  srtpMki?: Buffer;
  /** Largest UDP payload to send, in bytes (default 1200). */
  mtu?: number;
  /** First retransmission timeout in ms (default 200), doubled on each retransmission up to 60 s. */
  initialRetransmitTimeout?: number;
  /** Retransmissions of one flight before the handshake fails (default 7: about 51 s from 200 ms). */
  maxRetransmits?: number;
  /** Refuse peers without extended_master_secret (RFC 7627); default true, as browsers do. */
  requireExtendedMasterSecret?: boolean;
  /** Server: demand a cookie round trip before keeping any state (default true). */
  helloVerifyRequest?: boolean;
  /** Server: the HMAC key of the cookies; random by default. */
  cookieSecret?: Buffer;
}

export const DEFAULT_MTU = 1200;
/**
 * RFC 6347 §4.2.4.1 suggests 1 s, which makes a lost datagram cost a second of call setup.
 * 200 ms covers the round trip of nearly every path a WebRTC call takes and still retries
 * five times sooner; callers that know the ICE round-trip time can pass their own.
 */
export const DEFAULT_INITIAL_RETRANSMIT_TIMEOUT = 200;
/** RFC 6347 §4.2.4.1: back off to no less than RFC 6298's 60 s ceiling. */
export const MAX_RETRANSMIT_TIMEOUT = 60_000;
export const DEFAULT_MAX_RETRANSMITS = 7;
const MIN_MTU = 100;
/** Records of epoch 1 that arrive before their keys, or application data before the handshake ends. */
const MAX_DEFERRED_RECORDS = 16;

interface WriteState {
  sequenceNumber: number;
  protection: RecordProtection | undefined;
}

interface ReadState {
  protection: RecordProtection;
  replay: ReplayWindow;
}

interface MessageRef {
  messageSeq: number;
  epoch: number;
  /** The highest record sequence number it has arrived in; a retransmission comes in a higher one. */
  recordSequence: number;
}

export class DtlsConnection implements Timed {
  readonly role: DtlsRole;
  #state: DtlsTransportState = 'new';
  #failure: DtlsFailure | undefined;
  readonly #send: (datagram: Buffer) => void;
  readonly #onStateChange: ((state: DtlsTransportState) => void) | undefined;
  readonly #onData: ((data: Buffer) => void) | undefined;
  readonly #mtu: number;
  readonly #initialTimeout: number;
  readonly #maxRetransmits: number;
  readonly #handshake: ClientHandshake | ServerHandshake;
  readonly #reassembler = new HandshakeReassembler();
  #now = 0;

  /** Write state per epoch (0 and 1), and the epoch alerts and data go out in. */
  readonly #write: WriteState[] = [{ sequenceNumber: 0, protection: undefined }];
  #writeEpoch = 0;
  /** Our next handshake message_seq. */
  #messageSeq = 0;
  /** Epoch 1 read state, once its keys are derived. */
  #read: ReadState | undefined;
  #deferred: Buffer[] = [];

  /** The flight in progress (or the last one sent) and its retransmission timer. */
  #flight: FlightEntry[] | undefined;
  #retransmitAt: number | undefined;
  #timeout: number;
  #retransmits = 0;
  /** The last message of the peer flight ours answers: its retransmission means ours was lost. */
  #trigger: MessageRef | undefined;
  #lastHandled: MessageRef | undefined;

  readonly #writer: RecordWriter = {
    overhead: (epoch) => this.#write[epoch]?.protection?.overhead ?? 0,
    record: (type, epoch, fragment) => this.#record(type, epoch, fragment),
  };

  constructor(options: DtlsConnectionOptions) {
    const o = options;
    if (o.role !== 'client' && o.role !== 'server')
      throw new TypeError(`invalid DTLS role '${o.role}'`);
    if (!Buffer.isBuffer(o.certificate?.der) || keyType(o.certificate.privateKey) === undefined) {
      throw new TypeError('certificate needs a DER certificate and an ECDSA or RSA private key');
    }
    const suites = o.cipherSuites ?? defaultCipherSuites;
    if (suites.length === 0 || suites.some((s) => cipherSuiteParameters(s) === undefined)) {
      throw new RangeError('cipherSuites must list supported cipher suites');
    }
    const groups = o.groups ?? defaultGroups;
    if (groups.length === 0 || groups.some((g) => !defaultGroups.includes(g))) {
      throw new RangeError('groups must list supported groups');
    }
    const srtpProfiles = o.srtpProfiles ?? defaultSrtpProfiles;
    if (srtpProfiles.some((p) => srtpProfileParameters(p) === undefined)) {
      throw new RangeError('srtpProfiles must list supported SRTP protection profiles');
    }
    const srtpMki = o.srtpMki ?? Buffer.alloc(0);
    if (srtpMki.length > 255) throw new RangeError('srtpMki is at most 255 bytes');
    this.#mtu = o.mtu ?? DEFAULT_MTU;
    if (!Number.isInteger(this.#mtu) || this.#mtu < MIN_MTU || this.#mtu > 65507) {
      throw new RangeError(`mtu must be an integer in [${MIN_MTU}, 65507]`);
    }
    this.#initialTimeout = o.initialRetransmitTimeout ?? DEFAULT_INITIAL_RETRANSMIT_TIMEOUT;
    if (!(this.#initialTimeout > 0))
      throw new RangeError('initialRetransmitTimeout must be positive');
    this.#timeout = this.#initialTimeout;
    this.#maxRetransmits = o.maxRetransmits ?? DEFAULT_MAX_RETRANSMITS;
    this.role = o.role;
    this.#send = o.send;
    this.#onStateChange = o.onStateChange;
    this.#onData = o.onData;
    const handshakeOptions = {
      certificate: o.certificate,
      cipherSuites: suites,
      groups,
      srtpProfiles,
      srtpMki,
      requireExtendedMasterSecret: o.requireExtendedMasterSecret ?? true,
      helloVerifyRequest: o.helloVerifyRequest ?? true,
      cookieSecret: o.cookieSecret ?? newCookieSecret(),
    };
    this.#handshake =
      o.role === 'client'
        ? new ClientHandshake(this.#host, handshakeOptions)
        : new ServerHandshake(this.#host, handshakeOptions);
    if (o.remoteFingerprints)
      this.#handshake.setRemoteFingerprints(checkFingerprints(o.remoteFingerprints));
  }

  get state(): DtlsTransportState {
    return this.#state;
  }

  /** Why the connection failed, once it has. */
  get failure(): DtlsFailure | undefined {
    return this.#failure;
  }

  /** The negotiated cipher suite, once the ServerHello is settled. */
  get cipherSuite(): CipherSuiteParameters | undefined {
    return this.#handshake.suite;
  }

  /** The negotiated SRTP protection profile, if use_srtp was agreed. */
  get srtpProfile(): SrtpProtectionProfile | undefined {
    return this.#handshake.srtpProfile as SrtpProtectionProfile | undefined;
  }

  /** The peer's certificate (DER), once received. */
  get remoteCertificate(): Buffer | undefined {
    return this.#handshake.peerCertificate;
  }

  /** The largest application data one send() takes: one record in one datagram of the MTU. */
  get maxDataSize(): number {
    const overhead = this.#write[1]?.protection?.overhead ?? 24; // the largest of our suites until one is chosen
    return Math.min(MAX_PLAINTEXT_FRAGMENT, this.#mtu - RECORD_HEADER_LENGTH - overhead);
  }

  /** Begins the handshake: the client sends its ClientHello, the server starts to accept one. */
  start(now: number): void {
    if (this.#state !== 'new') return;
    this.#now = now;
    this.#setState('connecting');
    if (this.#handshake instanceof ClientHandshake)
      this.#guard(() => (this.#handshake as ClientHandshake).start());
  }

  /**
   * Takes one received datagram, which may be a view the caller reuses afterwards: whatever
   * outlives the call is copied. Nothing in it can throw out of here; datagrams before
   * start() or after the end are ignored.
   */
  handleDatagram(datagram: Buffer, now: number): void {
    if (!this.#active) return;
    this.#now = now;
    // #guard inlined: this runs for every datagram, so without a closure per call.
    try {
      this.#receiveDatagram(datagram);
    } catch (e) {
      this.#failOn(e);
    }
  }

  #receiveDatagram(datagram: Buffer): void {
    for (let at = 0; at + RECORD_HEADER_LENGTH <= datagram.length && this.#active; ) {
      const end = at + RECORD_HEADER_LENGTH + datagram.readUInt16BE(at + 11);
      if (end > datagram.length) return; // a truncated record: the rest of the datagram is lost
      this.#receiveRecord(datagram.subarray(at, end));
      at = end;
    }
    this.#drainDeferred();
  }

  nextDeadline(): number | undefined {
    return this.#retransmitAt;
  }

  handleTimeout(now: number): void {
    this.#now = now;
    const at = this.#retransmitAt;
    if (at === undefined || now < at || !this.#active) return;
    if (this.#retransmits >= this.#maxRetransmits) {
      this.#fail({ errorDetail: 'dtls-failure', message: 'handshake timed out' });
      return;
    }
    this.#retransmits++;
    this.#timeout = Math.min(this.#timeout * 2, MAX_RETRANSMIT_TIMEOUT);
    this.#retransmitAt = now + this.#timeout;
    this.#guard(() => this.#transmitFlight());
  }

  /**
   * The path to the peer has just changed or been confirmed (ICE nominated a pair, or
   * selected another): a flight still waiting for its answer goes again now instead of at
   * its timer, which is left as it was. A peer whose DTLS starts only once its ICE agent
   * has nominated drops the first flight, and would otherwise wait out the timer.
   */
  resendFlight(now: number): void {
    this.#now = now;
    if (!this.#active || this.#retransmitAt === undefined) return;
    this.#guard(() => this.#transmitFlight());
  }

  /**
   * Sets the fingerprints from the remote description. The handshake holds the flight that
   * would complete it until they are known; a certificate already received is checked now.
   */
  setRemoteFingerprints(fingerprints: readonly DtlsFingerprint[], now: number): void {
    const checked = checkFingerprints(fingerprints);
    if (this.#state === 'closed' || this.#state === 'failed') return;
    this.#now = now;
    this.#guard(() => {
      this.#handshake.setRemoteFingerprints(checked);
      this.#drainDeferred();
    });
  }

  /** Sends application data as one record. */
  send(data: Buffer): void {
    if (this.#state !== 'connected')
      throw new DOMException('the DTLS connection is not connected', 'InvalidStateError');
    if (data.length > this.maxDataSize) {
      throw new RangeError(
        `${data.length} bytes exceed the ${this.maxDataSize} bytes a record may carry`,
      );
    }
    const w = this.#write[1]!;
    if (w.sequenceNumber > MAX_SEQUENCE_NUMBER) {
      this.#fail({ errorDetail: 'dtls-failure', message: 'record sequence numbers exhausted' });
      throw new DOMException('record sequence numbers exhausted', 'InvalidStateError');
    }
    this.#send(w.protection!.seal(ContentType.application_data, w.sequenceNumber++, data));
  }

  /** Closes with a close_notify alert (RFC 5246 §7.2.1). */
  close(): void {
    if (this.#state === 'closed' || this.#state === 'failed') return;
    if (this.#state !== 'new') this.#sendAlert(AlertLevel.warning, AlertDescription.close_notify);
    this.#end('closed');
  }

  /** RFC 5705 keying material from the session; only once connected. */
  exportKeyingMaterial(label: string, length: number, context?: Buffer): Buffer {
    if (this.#state !== 'connected')
      throw new DOMException('the DTLS connection is not connected', 'InvalidStateError');
    const h = this.#handshake;
    return exportKeyingMaterial(
      h.suite!.prfHash,
      h.master!,
      h.clientRandom!,
      h.serverRandom!,
      label,
      length,
      context,
    );
  }

  /** The SRTP master keys and salts of both directions (RFC 5764 §4.2), if use_srtp was agreed. */
  srtpKeyingMaterial(): SrtpKeyingMaterial | undefined {
    const profile = this.srtpProfile;
    if (profile === undefined) return undefined;
    const material = this.exportKeyingMaterial(
      SRTP_EXPORTER_LABEL,
      srtpKeyingMaterialLength(profile),
    );
    return splitSrtpKeyingMaterial(profile, this.#handshake.srtpMki, material);
  }

  get #active(): boolean {
    return this.#state === 'connecting' || this.#state === 'connected';
  }

  #setState(state: DtlsTransportState): void {
    this.#state = state;
    this.#onStateChange?.(state);
  }

  /** Runs protocol work; an error becomes a fatal alert and 'failed', never an exception. */
  #guard(work: () => void): void {
    try {
      work();
    } catch (e) {
      this.#failOn(e);
    }
  }

  #failOn(e: unknown): void {
    if (e instanceof AlertError) {
      this.#fail({ errorDetail: e.errorDetail, message: e.message }, e.description);
    } else if (e instanceof DecodeError) {
      this.#fail(
        { errorDetail: 'dtls-failure', message: e.message },
        AlertDescription.decode_error,
      );
    } else {
      this.#fail(
        { errorDetail: 'dtls-failure', message: `internal error: ${String(e)}` },
        AlertDescription.internal_error,
      );
    }
  }

  #fail(failure: DtlsFailure, alert?: number): void {
    if (!this.#active) return;
    if (alert !== undefined) {
      failure.sentAlert = alert;
      try {
        this.#sendAlert(AlertLevel.fatal, alert);
      } catch {
        // the failure stands whether or not the alert could be sent
      }
    }
    this.#failure = failure;
    this.#end('failed');
  }

  #end(state: 'closed' | 'failed'): void {
    this.#retransmitAt = undefined;
    this.#flight = undefined;
    this.#deferred = [];
    this.#setState(state);
  }

  // --- records -------------------------------------------------------------

  #record(type: number, epoch: number, fragment: Buffer): Buffer {
    const w = this.#write[epoch]!;
    const seq = w.sequenceNumber++;
    return w.protection
      ? w.protection.seal(type, seq, fragment)
      : plaintextRecord(type, epoch, seq, fragment);
  }

  #sendAlert(level: number, description: number): void {
    this.#send(this.#record(ContentType.alert, this.#writeEpoch, Buffer.of(level, description)));
  }

  #receiveRecord(record: Buffer): void {
    const type = record[0]!;
    const version = record.readUInt16BE(1);
    const epoch = record.readUInt16BE(3);
    const seq = record.readUIntBE(5, 6);
    if (record.length - RECORD_HEADER_LENGTH > MAX_RECORD_FRAGMENT) return;
    // A ClientHello may carry DTLS 1.0 on its record for compatibility (RFC 6347 §4.1).
    if (
      version !== ProtocolVersion.DTLS1_2 &&
      !(epoch === 0 && version === ProtocolVersion.DTLS1_0)
    )
      return;
    if (epoch === 0) {
      this.#content(type, 0, seq, record.subarray(RECORD_HEADER_LENGTH));
      return;
    }
    if (epoch !== 1) return; // we never renegotiate, so no later epoch exists
    const read = this.#read;
    if (
      read === undefined ||
      (type === ContentType.application_data && this.#state !== 'connected')
    ) {
      // Ahead of its keys, or data ahead of the end of the handshake: keep a few for later.
      if (this.#state === 'connecting' && this.#deferred.length < MAX_DEFERRED_RECORDS) {
        this.#deferred.push(Buffer.from(record));
      }
      return;
    }
    if (!read.replay.check(seq)) return;
    const plaintext = read.protection.open(record);
    if (plaintext === undefined) return; // RFC 6347 §4.1.2.7: invalid records are dropped silently
    read.replay.accept(seq);
    if (plaintext.length > MAX_PLAINTEXT_FRAGMENT) {
      throw new AlertError(AlertDescription.record_overflow, 'record longer than 2^14 bytes');
    }
    this.#content(type, 1, seq, plaintext);
  }

  #content(type: number, epoch: number, recordSequence: number, data: Buffer): void {
    switch (type) {
      case ContentType.application_data:
        if (epoch === 1) this.#onData?.(data);
        return;
      case ContentType.handshake:
        this.#handshakeRecord(epoch, recordSequence, data);
        return;
      case ContentType.alert:
        this.#alert(epoch, data);
        return;
      default:
        // ChangeCipherSpec needs no action (see the top of this file); unknown types are dropped.
        return;
    }
  }

  #drainDeferred(): void {
    if (this.#deferred.length === 0 || this.#read === undefined) return;
    const records = this.#deferred;
    this.#deferred = [];
    for (const record of records) if (this.#active) this.#receiveRecord(record);
  }

  #alert(epoch: number, data: Buffer): void {
    // Once the session is up, an unprotected alert could come from anyone on the path.
    if (epoch === 0 && this.#state === 'connected') return;
    if (data.length !== 2) return;
    const level = data[0]!;
    const description = data[1]!;
    if (description === AlertDescription.close_notify) {
      // RFC 5246 §7.2.1: answer with a close_notify of our own and close.
      this.#sendAlert(AlertLevel.warning, AlertDescription.close_notify);
      this.#end('closed');
    } else if (level === AlertLevel.fatal) {
      this.#failure = {
        errorDetail: 'dtls-failure',
        message: `the peer sent a fatal ${alertName(description)} alert`,
        receivedAlert: description,
      };
      this.#end('failed');
    }
    // Warnings (no_renegotiation, user_canceled, ...) change nothing.
  }

  // --- handshake messages --------------------------------------------------

  #handshakeRecord(epoch: number, recordSequence: number, data: Buffer): void {
    for (let at = 0; at + HANDSHAKE_HEADER_LENGTH <= data.length && this.#active; ) {
      const fragmentLength = data.readUIntBE(at + 9, 3);
      const start = at + HANDSHAKE_HEADER_LENGTH;
      if (start + fragmentLength > data.length) return; // malformed: drop the rest of the record
      this.#fragment({
        msgType: data[at]!,
        length: data.readUIntBE(at + 1, 3),
        messageSeq: data.readUInt16BE(at + 4),
        fragmentOffset: data.readUIntBE(at + 6, 3),
        fragment: data.subarray(start, start + fragmentLength),
        epoch,
        recordSequence,
      });
      at = start + fragmentLength;
    }
  }

  #fragment(f: HandshakeFragment): void {
    const reassembler = this.#reassembler;
    const hs = this.#handshake;
    if (this.#state === 'connected') {
      // Only protected messages can belong to this session now.
      if (f.epoch === 0 || this.#renegotiation(f)) return;
    } else if (hs instanceof ServerHandshake && hs.listening) {
      // Before a ClientHello is taken only ClientHellos count, whatever their message_seq.
      if (f.msgType !== HandshakeType.client_hello || f.epoch !== 0) return;
      if (f.messageSeq !== reassembler.next) reassembler.reset(f.messageSeq);
    }
    if (f.messageSeq < reassembler.next) {
      this.#oldFragment(f);
      return;
    }
    if (reassembler.add(f) !== 'accepted') return;
    for (let m = reassembler.pop(); m !== undefined && this.#active; m = reassembler.pop()) {
      this.#lastHandled = {
        messageSeq: m.messageSeq,
        epoch: m.epoch,
        recordSequence: m.recordSequence,
      };
      if (this.#state === 'connected') {
        throw new AlertError(
          AlertDescription.unexpected_message,
          `handshake message ${m.msgType} after the handshake`,
        );
      }
      hs.handle(m);
    }
  }

  /** A fragment of a message already handled: a retransmission by the peer. */
  #oldFragment(f: HandshakeFragment): void {
    const hs = this.#handshake;
    const whole = f.fragmentOffset === 0 && f.fragment.length === f.length;
    if (
      hs instanceof ClientHandshake &&
      f.msgType === HandshakeType.hello_verify_request &&
      f.epoch === 0 &&
      whole
    ) {
      if (hs.laterHelloVerifyRequest(f.fragment, f.recordSequence)) return;
    }
    // RFC 6347 §4.2.4: the peer retransmitting the flight ours answers means ours was lost.
    // Its first fragment in a new record marks one retransmission; duplicated datagrams
    // and replays carry old record numbers and get no reply.
    const t = this.#trigger;
    if (
      t &&
      f.messageSeq === t.messageSeq &&
      f.epoch === t.epoch &&
      f.fragmentOffset === 0 &&
      f.recordSequence > t.recordSequence
    ) {
      t.recordSequence = f.recordSequence;
      this.#retransmitInReply();
    }
  }

  /**
   * A request for a new handshake on this session, which we never do (RFC 5746 §4); true when
   * `f` was one. A peer starts one with message_seq 0 (RFC 6347 §4.2.2), so they are told by
   * type. The server answers a ClientHello with a no_renegotiation warning (RFC 5246 §7.2.2);
   * the client ignores a HelloRequest, as §7.4.1.1 allows, because some peers (OpenSSL) end
   * the session when the request is refused.
   */
  #renegotiation(f: HandshakeFragment): boolean {
    if (this.role === 'client') return f.msgType === HandshakeType.hello_request;
    if (f.msgType !== HandshakeType.client_hello) return false;
    if (f.fragmentOffset === 0)
      this.#sendAlert(AlertLevel.warning, AlertDescription.no_renegotiation);
    return true;
  }

  // --- flights -------------------------------------------------------------

  #transmitFlight(): void {
    if (this.#flight === undefined) return;
    for (const datagram of packFlight(this.#flight, this.#mtu, this.#writer)) this.#send(datagram);
  }

  /** Answers a retransmitted peer flight and restarts the timer, as RFC 6347 §4.2.4's state machine does. */
  #retransmitInReply(): void {
    this.#transmitFlight();
    if (this.#retransmitAt !== undefined) this.#retransmitAt = this.#now + this.#timeout;
  }

  readonly #host: HandshakeHost = {
    message: (msgType, body, messageSeq) =>
      encodeHandshake(msgType, messageSeq ?? this.#messageSeq++, body),
    nextRecordSequence: () => this.#write[0]!.sequenceNumber,
    sendFlight: (entries, last) => {
      this.#flight = entries;
      if (entries.some((e) => e.epoch === 1)) this.#writeEpoch = 1;
      this.#trigger = this.#lastHandled;
      this.#timeout = this.#initialTimeout;
      this.#retransmits = 0;
      this.#retransmitAt = last ? undefined : this.#now + this.#timeout;
      this.#transmitFlight();
    },
    sendHelloVerifyRequest: (body, recordSequence) => {
      // Stateless: message_seq 0 and the ClientHello's record sequence number (RFC 6347 §4.2.1, §4.2.2).
      const message = encodeHandshake(HandshakeType.hello_verify_request, 0, body);
      this.#send(plaintextRecord(ContentType.handshake, 0, recordSequence, message));
    },
    acceptClientHello: (messageSeq, recordSequence) => {
      this.#messageSeq = messageSeq;
      const w = this.#write[0]!;
      w.sequenceNumber = Math.max(w.sequenceNumber, recordSequence);
    },
    installKeys: (suite: CipherSuiteParameters, keys: KeyBlock) => {
      const client = this.role === 'client';
      this.#write[1] = {
        sequenceNumber: 0,
        protection: createRecordProtection(
          suite,
          1,
          client ? keys.clientWriteKey : keys.serverWriteKey,
          client ? keys.clientWriteIv : keys.serverWriteIv,
        ),
      };
      this.#read = {
        protection: createRecordProtection(
          suite,
          1,
          client ? keys.serverWriteKey : keys.clientWriteKey,
          client ? keys.serverWriteIv : keys.clientWriteIv,
        ),
        replay: new ReplayWindow(),
      };
    },
    stopRetransmission: () => {
      this.#retransmitAt = undefined;
    },
    handshakeComplete: () => {
      if (this.role === 'client') this.#retransmitAt = undefined;
      this.#setState('connected');
    },
  };
}

/** Checks the shape of RTCDtlsFingerprint values given through the API. */
function checkFingerprints(fingerprints: readonly DtlsFingerprint[]): DtlsFingerprint[] {
  if (!Array.isArray(fingerprints)) throw new TypeError('fingerprints must be an array');
  return fingerprints.map((f) => {
    if (typeof f?.algorithm !== 'string' || typeof f.value !== 'string') {
      throw new TypeError('a fingerprint has a string algorithm and a string value');
    }
    return { algorithm: f.algorithm, value: f.value };
  });
}
