/**
 * The client's side of the full handshake as RFC 6347 §4.2.4 draws it in flights:
 *
 *   flight 1  ClientHello                      →
 *   flight 2                                   ←  HelloVerifyRequest
 *   flight 3  ClientHello (with cookie)        →
 *   flight 4                                   ←  ServerHello, Certificate, ServerKeyExchange,
 *                                                 CertificateRequest*, ServerHelloDone
 *   flight 5  Certificate*, ClientKeyExchange,
 *             CertificateVerify*, [ChangeCipherSpec], Finished  →
 *   flight 6                                   ←  [ChangeCipherSpec], Finished
 *
 * Flights 2 and 3 happen only when the server asks for a cookie.
 */
import { randomBytes } from 'node:crypto';
import { AlertError } from './alert.js';
import { cipherSuiteParameters } from './cipherSuites.js';
import { DecodeError } from './codec.js';
import {
  AlertDescription,
  CompressionMethod,
  ContentType,
  ECPointFormat,
  ExtensionType,
  HandshakeType,
  ProtocolVersion,
} from './constants.js';
import { generateKeyShare, type KeyShare } from './ecdhe.js';
import { decodeEcPointFormats, encodeEcPointFormats } from './extensions/ecPointFormats.js';
import { type Extension, findExtension } from './extensions/extension.js';
import {
  decodeRenegotiationInfo,
  encodeRenegotiationInfo,
} from './extensions/renegotiationInfo.js';
import { encodeSignatureAlgorithms } from './extensions/signatureAlgorithms.js';
import { encodeSupportedGroups } from './extensions/supportedGroups.js';
import { decodeUseSrtp, encodeUseSrtp } from './extensions/useSrtp.js';
import type { FlightEntry } from './flight.js';
import { decodeCertificate, encodeCertificate } from './handshake/certificate.js';
import {
  type CertificateRequest,
  decodeCertificateRequest,
} from './handshake/certificateRequest.js';
import { encodeCertificateVerify } from './handshake/certificateVerify.js';
import { type ClientHello, encodeClientHello } from './handshake/clientHello.js';
import { encodeClientKeyExchange } from './handshake/clientKeyExchange.js';
import { decodeFinished, encodeFinished } from './handshake/finished.js';
import { decodeHelloVerifyRequest } from './handshake/helloVerifyRequest.js';
import { decodeServerHello } from './handshake/serverHello.js';
import { decodeServerHelloDone } from './handshake/serverHelloDone.js';
import { decodeServerKeyExchange, encodeServerEcdhParams } from './handshake/serverKeyExchange.js';
import { HandshakeState, unexpected } from './handshakeState.js';
import type { HandshakeMessage } from './reassembler.js';
import {
  chooseSignatureScheme,
  createSignature,
  supportedSignatureSchemes,
  verifySignature,
} from './signature.js';

export class ClientHandshake extends HandshakeState {
  #hello: ClientHello | undefined;
  /** The handshake types acceptable next. */
  #expect: readonly number[] = [];
  #serverKeyShare: { group: number; publicKey: Buffer } | undefined;
  #certificateRequest: CertificateRequest | undefined;
  /** The record sequence number of the first ClientHello sent with the current cookie. */
  #cookieSince = Number.POSITIVE_INFINITY;

  /** Flight 1. */
  start(): void {
    const o = this.options;
    const extensions: Extension[] = [
      { type: ExtensionType.renegotiation_info, data: encodeRenegotiationInfo() },
      { type: ExtensionType.extended_master_secret, data: Buffer.alloc(0) },
      { type: ExtensionType.supported_groups, data: encodeSupportedGroups(o.groups) },
      {
        type: ExtensionType.ec_point_formats,
        data: encodeEcPointFormats([ECPointFormat.uncompressed]),
      },
      {
        type: ExtensionType.signature_algorithms,
        data: encodeSignatureAlgorithms(supportedSignatureSchemes),
      },
    ];
    if (o.srtpProfiles.length > 0) {
      extensions.push({
        type: ExtensionType.use_srtp,
        data: encodeUseSrtp({ profiles: [...o.srtpProfiles], mki: o.srtpMki }),
      });
    }
    this.clientRandom = randomBytes(32);
    this.#hello = {
      clientVersion: ProtocolVersion.DTLS1_2,
      random: this.clientRandom,
      sessionId: Buffer.alloc(0),
      cookie: Buffer.alloc(0),
      cipherSuites: [...o.cipherSuites],
      compressionMethods: [CompressionMethod.null],
      extensions,
    };
    this.#sendClientHello();
    this.#expect = [HandshakeType.hello_verify_request, HandshakeType.server_hello];
  }

  #sendClientHello(messageSeq?: number): void {
    const body = encodeClientHello(this.#hello!);
    const message = this.host.message(HandshakeType.client_hello, body, messageSeq);
    // RFC 6347 §4.2.6: the hash starts at the ClientHello the server answers without a cookie request.
    this.transcript.length = 0;
    this.transcript.push(message);
    this.host.sendFlight([{ contentType: ContentType.handshake, epoch: 0, message }], false);
  }

  handle(m: HandshakeMessage): void {
    if (m.msgType === HandshakeType.hello_request) return; // ignored while negotiating (RFC 5246 §7.4.1.1)
    if (
      !this.#expect.includes(m.msgType) ||
      m.epoch !== (m.msgType === HandshakeType.finished ? 1 : 0)
    ) {
      throw unexpected(m);
    }
    switch (m.msgType) {
      case HandshakeType.hello_verify_request:
        this.#helloVerifyRequest(m);
        break;
      case HandshakeType.server_hello:
        this.#serverHello(m);
        break;
      case HandshakeType.certificate:
        this.#certificate(m);
        break;
      case HandshakeType.server_key_exchange:
        this.#serverKeyExchange(m);
        break;
      case HandshakeType.certificate_request:
        this.#certificateRequestMessage(m);
        break;
      case HandshakeType.server_hello_done:
        this.#serverHelloDone(m);
        break;
      case HandshakeType.finished:
        this.#finished(m);
        break;
    }
  }

  /** Flight 2 → flight 3: the same ClientHello with the cookie (RFC 6347 §4.2.1). */
  #helloVerifyRequest(m: HandshakeMessage): void {
    this.#hello!.cookie = Buffer.from(cookieOf(m.body));
    this.#cookieSince = this.host.nextRecordSequence();
    this.#sendClientHello();
    this.#expect = [HandshakeType.server_hello];
  }

  /**
   * A HelloVerifyRequest arriving after flight 3, while the ServerHello is awaited. A server
   * answers with the record sequence number of the ClientHello it answers (RFC 6347 §4.2.1),
   * so one carrying the number of a record we sent with the cookie says the server refused
   * the cookie: flight 3 is redone with the new one, under the same message_seq (which a
   * stateless server's ServerHello follows). Any other is a copy of the first, or forged;
   * false lets the connection treat it as a retransmission.
   */
  laterHelloVerifyRequest(body: Buffer, recordSequence: number): boolean {
    if (this.#expect.length !== 1 || this.#expect[0] !== HandshakeType.server_hello) return false;
    if (recordSequence < this.#cookieSince || recordSequence >= this.host.nextRecordSequence())
      return false;
    let cookie: Buffer;
    try {
      cookie = cookieOf(body);
    } catch {
      return false; // unauthenticated and late: not worth ending the handshake over
    }
    if (cookie.equals(this.#hello!.cookie)) return false;
    this.#hello!.cookie = Buffer.from(cookie);
    this.#cookieSince = this.host.nextRecordSequence();
    this.#sendClientHello(this.transcript[0]!.readUInt16BE(4));
    return true;
  }

  #serverHello(m: HandshakeMessage): void {
    const sh = decodeServerHello(m.body);
    const o = this.options;
    if (sh.serverVersion !== ProtocolVersion.DTLS1_2) {
      throw new AlertError(AlertDescription.protocol_version, 'the server did not choose DTLS 1.2');
    }
    const suite = cipherSuiteParameters(sh.cipherSuite);
    if (!suite || !o.cipherSuites.includes(sh.cipherSuite)) {
      throw new AlertError(
        AlertDescription.illegal_parameter,
        'the server chose a cipher suite we did not offer',
      );
    }
    if (sh.compressionMethod !== CompressionMethod.null) {
      throw new AlertError(AlertDescription.illegal_parameter, 'the server chose compression');
    }
    // RFC 5246 §7.4.1.4: only extensions we offered may come back.
    const offered = this.#hello!.extensions.map((e) => e.type);
    const unsolicited = sh.extensions.find((e) => !offered.includes(e.type));
    if (unsolicited) {
      throw new AlertError(
        AlertDescription.unsupported_extension,
        `unsolicited extension ${unsolicited.type}`,
      );
    }
    const ems = findExtension(sh.extensions, ExtensionType.extended_master_secret);
    if (ems !== undefined && ems.length !== 0)
      throw new DecodeError('extended_master_secret has data');
    this.extendedMasterSecret = ems !== undefined;
    if (!this.extendedMasterSecret && o.requireExtendedMasterSecret) {
      throw new AlertError(
        AlertDescription.handshake_failure,
        'the server does not support extended_master_secret',
      );
    }
    const ri = findExtension(sh.extensions, ExtensionType.renegotiation_info);
    if (ri !== undefined && decodeRenegotiationInfo(ri).length !== 0) {
      throw new AlertError(AlertDescription.handshake_failure, 'renegotiation_info is not empty');
    }
    const formats = findExtension(sh.extensions, ExtensionType.ec_point_formats);
    if (
      formats !== undefined &&
      !decodeEcPointFormats(formats).includes(ECPointFormat.uncompressed)
    ) {
      throw new AlertError(
        AlertDescription.illegal_parameter,
        'the server does not accept uncompressed points',
      );
    }
    const srtp = findExtension(sh.extensions, ExtensionType.use_srtp);
    if (srtp !== undefined) {
      // RFC 5764 §4.1.1, §4.1.3: one profile we offered, and our MKI or none.
      const { profiles, mki } = decodeUseSrtp(srtp);
      if (profiles.length !== 1 || !o.srtpProfiles.includes(profiles[0]!)) {
        throw new AlertError(
          AlertDescription.illegal_parameter,
          'the server chose an SRTP profile we did not offer',
        );
      }
      if (mki.length > 0 && !mki.equals(o.srtpMki)) {
        throw new AlertError(
          AlertDescription.illegal_parameter,
          'the server returned a different srtp_mki',
        );
      }
      this.srtpProfile = profiles[0];
      this.srtpMki = Buffer.from(mki);
    }
    this.suite = suite;
    this.serverRandom = Buffer.from(sh.random);
    this.transcript.push(m.raw);
    this.#expect = [HandshakeType.certificate];
  }

  #certificate(m: HandshakeMessage): void {
    const { certificateList } = decodeCertificate(m.body);
    this.receiveCertificate(certificateList, this.suite!.authentication === 'ECDSA' ? 'ec' : 'rsa');
    this.transcript.push(m.raw);
    this.#expect = [HandshakeType.server_key_exchange];
  }

  /** RFC 8422 §5.4: the server's ephemeral key, signed over both randoms and the params. */
  #serverKeyExchange(m: HandshakeMessage): void {
    const ske = decodeServerKeyExchange(m.body);
    if (!this.options.groups.includes(ske.namedCurve)) {
      throw new AlertError(
        AlertDescription.illegal_parameter,
        `the server chose group ${ske.namedCurve}`,
      );
    }
    if (!supportedSignatureSchemes.includes(ske.signatureScheme)) {
      throw new AlertError(
        AlertDescription.illegal_parameter,
        `the server signed with scheme ${ske.signatureScheme}`,
      );
    }
    const signed = Buffer.concat([
      this.clientRandom!,
      this.serverRandom!,
      encodeServerEcdhParams(ske.namedCurve, ske.publicKey),
    ]);
    if (!verifySignature(ske.signatureScheme, this.peerKey!, signed, ske.signature)) {
      throw new AlertError(
        AlertDescription.decrypt_error,
        'ServerKeyExchange signature does not verify',
      );
    }
    this.#serverKeyShare = { group: ske.namedCurve, publicKey: Buffer.from(ske.publicKey) };
    this.transcript.push(m.raw);
    this.#expect = [HandshakeType.certificate_request, HandshakeType.server_hello_done];
  }

  #certificateRequestMessage(m: HandshakeMessage): void {
    this.#certificateRequest = decodeCertificateRequest(m.body);
    this.transcript.push(m.raw);
    this.#expect = [HandshakeType.server_hello_done];
  }

  #serverHelloDone(m: HandshakeMessage): void {
    decodeServerHelloDone(m.body);
    this.transcript.push(m.raw);
    this.#expect = [];
    this.whenAuthenticated(() => this.#sendFlight5());
  }

  /** Flight 5. */
  #sendFlight5(): void {
    const host = this.host;
    const own = this.options.certificate;
    const entries: FlightEntry[] = [];
    const add = (msgType: number, body: Buffer, epoch = 0) => {
      const message = host.message(msgType, body);
      this.transcript.push(message);
      entries.push({ contentType: ContentType.handshake, epoch, message });
    };
    const request = this.#certificateRequest;
    if (request) add(HandshakeType.certificate, encodeCertificate({ certificateList: [own.der] }));

    const server = this.#serverKeyShare!;
    const share: KeyShare = generateKeyShare(server.group);
    const preMasterSecret = share.computeSecret(server.publicKey);
    add(HandshakeType.client_key_exchange, encodeClientKeyExchange({ publicKey: share.publicKey }));
    this.deriveKeys(preMasterSecret);

    if (request) {
      // A scheme the server listed; failing that our own, and the server decides. We send our
      // one certificate whatever certificate_types says: WebRTC has no other to choose.
      const scheme =
        chooseSignatureScheme(own.privateKey, request.signatureSchemes) ??
        chooseSignatureScheme(own.privateKey, supportedSignatureSchemes)!;
      const signature = createSignature(scheme, own.privateKey, Buffer.concat(this.transcript));
      add(
        HandshakeType.certificate_verify,
        encodeCertificateVerify({ signatureScheme: scheme, signature }),
      );
    }
    entries.push({ contentType: ContentType.change_cipher_spec, epoch: 0 });
    add(
      HandshakeType.finished,
      encodeFinished({ verifyData: this.finishedVerifyData('client finished') }),
      1,
    );
    host.sendFlight(entries, false);
    this.#expect = [HandshakeType.finished];
  }

  /** Flight 6: the server's Finished completes the handshake. */
  #finished(m: HandshakeMessage): void {
    this.checkFinished(m, decodeFinished(m.body).verifyData, 'server finished');
    this.#expect = [];
    this.host.handshakeComplete();
  }
}

/** The cookie of a HelloVerifyRequest body, whose version must be DTLS 1.0 or 1.2. */
function cookieOf(body: Buffer): Buffer {
  const hvr = decodeHelloVerifyRequest(body);
  if (
    hvr.serverVersion !== ProtocolVersion.DTLS1_0 &&
    hvr.serverVersion !== ProtocolVersion.DTLS1_2
  ) {
    throw new AlertError(
      AlertDescription.protocol_version,
      'unsupported HelloVerifyRequest version',
    );
  }
  return hvr.cookie;
}
