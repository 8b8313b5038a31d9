/**
 * The server's side of the full handshake in RFC 6347 §4.2.4's flights:
 *
 *   flight 1  →  ClientHello
 *   flight 2  ←  HelloVerifyRequest (stateless: no state is kept for the client)
 *   flight 3  →  ClientHello with the cookie
 *   flight 4  ←  ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone
 *   flight 5  →  Certificate, ClientKeyExchange, CertificateVerify, [ChangeCipherSpec], Finished
 *   flight 6  ←  [ChangeCipherSpec], Finished
 *
 * WebRTC authenticates both ends, so the client must present a certificate.
 */
import { randomBytes } from 'node:crypto';
import { AlertError } from './alert.js';
import { type CipherSuiteParameters, cipherSuiteParameters } from './cipherSuites.js';
import { DecodeError } from './codec.js';
import {
  AlertDescription,
  ClientCertificateType,
  CompressionMethod,
  ContentType,
  ECPointFormat,
  ExtensionType,
  HandshakeType,
  NamedGroup,
  ProtocolVersion,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
} from './constants.js';
import { helloCookie, verifyHelloCookie } from './cookie.js';
import { generateKeyShare, type KeyShare } from './ecdhe.js';
import { decodeEcPointFormats, encodeEcPointFormats } from './extensions/ecPointFormats.js';
import { type Extension, findExtension } from './extensions/extension.js';
import {
  decodeRenegotiationInfo,
  encodeRenegotiationInfo,
} from './extensions/renegotiationInfo.js';
import { decodeSignatureAlgorithms } from './extensions/signatureAlgorithms.js';
import { decodeSupportedGroups } from './extensions/supportedGroups.js';
import { decodeUseSrtp, encodeUseSrtp } from './extensions/useSrtp.js';
import type { FlightEntry } from './flight.js';
import { decodeCertificate, encodeCertificate } from './handshake/certificate.js';
import { encodeCertificateRequest } from './handshake/certificateRequest.js';
import { decodeCertificateVerify } from './handshake/certificateVerify.js';
import { type ClientHello, decodeClientHello } from './handshake/clientHello.js';
import { decodeClientKeyExchange } from './handshake/clientKeyExchange.js';
import { decodeFinished, encodeFinished } from './handshake/finished.js';
import { encodeHelloVerifyRequest } from './handshake/helloVerifyRequest.js';
import { encodeServerHello } from './handshake/serverHello.js';
import { encodeServerHelloDone } from './handshake/serverHelloDone.js';
import { encodeServerEcdhParams, encodeServerKeyExchange } from './handshake/serverKeyExchange.js';
import { HandshakeState, unexpected } from './handshakeState.js';
import type { HandshakeMessage } from './reassembler.js';
import {
  certificateCurve,
  chooseSignatureScheme,
  createSignature,
  keyType,
  supportedSignatureSchemes,
  verifySignature,
} from './signature.js';

/** What the server chose from a ClientHello. */
interface Negotiated {
  suite: CipherSuiteParameters;
  group: number;
  /** The signature scheme of ServerKeyExchange. */
  scheme: number;
  extendedMasterSecret: boolean;
  /** The client signalled RFC 5746 support: the ServerHello carries renegotiation_info. */
  secureRenegotiation: boolean;
  /** The client sent ec_point_formats: the ServerHello answers with ours (RFC 8422 §5.2). */
  pointFormats: boolean;
  srtp: { profile: number; mki: Buffer } | undefined;
}

export class ServerHandshake extends HandshakeState {
  #expect: readonly number[] = [HandshakeType.client_hello];
  #keyShare: KeyShare | undefined;

  /** Still waiting for a ClientHello we take (flights 1 to 3). */
  get listening(): boolean {
    return this.#expect[0] === HandshakeType.client_hello;
  }

  handle(m: HandshakeMessage): void {
    if (
      !this.#expect.includes(m.msgType) ||
      m.epoch !== (m.msgType === HandshakeType.finished ? 1 : 0)
    ) {
      throw unexpected(m);
    }
    switch (m.msgType) {
      case HandshakeType.client_hello:
        this.#clientHello(m);
        break;
      case HandshakeType.certificate:
        this.#certificate(m);
        break;
      case HandshakeType.client_key_exchange:
        this.#clientKeyExchange(m);
        break;
      case HandshakeType.certificate_verify:
        this.#certificateVerify(m);
        break;
      case HandshakeType.finished:
        this.#finished(m);
        break;
    }
  }

  #clientHello(m: HandshakeMessage): void {
    // Until a client has answered a cookie, nothing it sends may cost us more than a reply.
    let hello: ClientHello;
    try {
      hello = decodeClientHello(m.body);
    } catch {
      return;
    }
    const o = this.options;
    if (o.helloVerifyRequest && !verifyHelloCookie(o.cookieSecret, hello)) {
      // RFC 6347 §4.2.1: DTLS 1.0 in the HelloVerifyRequest whatever will be negotiated,
      // and the ClientHello's record sequence number on the record.
      const body = encodeHelloVerifyRequest({
        serverVersion: ProtocolVersion.DTLS1_0,
        cookie: helloCookie(o.cookieSecret, hello),
      });
      this.host.sendHelloVerifyRequest(body, m.recordSequence);
      return;
    }
    const chosen = this.#negotiate(hello);
    this.host.acceptClientHello(m.messageSeq, m.recordSequence);
    this.transcript.push(m.raw);
    this.#sendFlight4(hello, chosen);
    this.#expect = [HandshakeType.certificate];
  }

  /** Picks the version, suite, group, signature scheme and extensions from a ClientHello. */
  #negotiate(hello: ClientHello): Negotiated {
    const o = this.options;
    // DTLS versions count down: a larger value is an older version.
    if (hello.clientVersion > ProtocolVersion.DTLS1_2) {
      throw new AlertError(AlertDescription.protocol_version, 'the client does not offer DTLS 1.2');
    }
    const ext = hello.extensions;
    // RFC 8422 §4: without supported_groups the client takes any curve; P-256 is the safe one.
    const groupsData = findExtension(ext, ExtensionType.supported_groups);
    const groups = groupsData ? decodeSupportedGroups(groupsData) : [NamedGroup.secp256r1];
    const key = o.certificate.privateKey;
    const ours = keyType(key) === 'ec' ? 'ECDSA' : 'RSA';
    // RFC 8422 §5.1, §5.3: an ECDSA certificate must be on a curve the client listed.
    const usable = ours === 'RSA' || groups.includes(certificateCurve(key) ?? -1);
    const suite = o.cipherSuites
      .map((id) => cipherSuiteParameters(id)!)
      .find((s) => usable && s.authentication === ours && hello.cipherSuites.includes(s.id));
    if (!suite)
      throw new AlertError(AlertDescription.handshake_failure, 'no cipher suite in common');
    if (!hello.compressionMethods.includes(CompressionMethod.null)) {
      throw new AlertError(
        AlertDescription.illegal_parameter,
        'the client does not offer null compression',
      );
    }
    const group = o.groups.find((g) => groups.includes(g));
    if (group === undefined)
      throw new AlertError(AlertDescription.handshake_failure, 'no group in common');
    const formats = findExtension(ext, ExtensionType.ec_point_formats);
    if (
      formats !== undefined &&
      !decodeEcPointFormats(formats).includes(ECPointFormat.uncompressed)
    ) {
      throw new AlertError(
        AlertDescription.illegal_parameter,
        'the client does not accept uncompressed points',
      );
    }
    // Without signature_algorithms TLS 1.2 implies SHA-1 (RFC 5246 §7.4.1.4.1), which we do not sign with.
    const sigData = findExtension(ext, ExtensionType.signature_algorithms);
    const scheme =
      sigData &&
      chooseSignatureScheme(o.certificate.privateKey, decodeSignatureAlgorithms(sigData));
    if (scheme === undefined)
      throw new AlertError(AlertDescription.handshake_failure, 'no signature scheme in common');
    const ems = findExtension(ext, ExtensionType.extended_master_secret);
    if (ems !== undefined && ems.length !== 0)
      throw new DecodeError('extended_master_secret has data');
    if (ems === undefined && o.requireExtendedMasterSecret) {
      // RFC 7627 §5.3: abort with legacy clients unless we choose to interoperate.
      throw new AlertError(
        AlertDescription.handshake_failure,
        'the client does not support extended_master_secret',
      );
    }
    const ri = findExtension(ext, ExtensionType.renegotiation_info);
    if (ri !== undefined && decodeRenegotiationInfo(ri).length !== 0) {
      throw new AlertError(AlertDescription.handshake_failure, 'renegotiation_info is not empty');
    }
    const srtp = findExtension(ext, ExtensionType.use_srtp);
    let srtpChoice: { profile: number; mki: Buffer } | undefined;
    if (srtp !== undefined && o.srtpProfiles.length > 0) {
      // RFC 5764 §4.1.1: our preferred profile among the client's; without one, no use_srtp.
      // The client's MKI is echoed: the SRTP layer uses it (§4.1.2).
      const offer = decodeUseSrtp(srtp);
      const profile = o.srtpProfiles.find((p) => offer.profiles.includes(p));
      if (profile !== undefined) srtpChoice = { profile, mki: Buffer.from(offer.mki) };
    }
    return {
      suite,
      group,
      scheme,
      extendedMasterSecret: ems !== undefined,
      secureRenegotiation:
        ri !== undefined || hello.cipherSuites.includes(TLS_EMPTY_RENEGOTIATION_INFO_SCSV),
      pointFormats: formats !== undefined,
      srtp: srtpChoice,
    };
  }

  /** Flight 4. */
  #sendFlight4(hello: ClientHello, c: Negotiated): void {
    const own = this.options.certificate;
    this.suite = c.suite;
    this.clientRandom = Buffer.from(hello.random);
    this.serverRandom = randomBytes(32);
    this.extendedMasterSecret = c.extendedMasterSecret;
    const extensions: Extension[] = [];
    if (c.secureRenegotiation) {
      extensions.push({ type: ExtensionType.renegotiation_info, data: encodeRenegotiationInfo() });
    }
    if (c.extendedMasterSecret)
      extensions.push({ type: ExtensionType.extended_master_secret, data: Buffer.alloc(0) });
    if (c.pointFormats) {
      extensions.push({
        type: ExtensionType.ec_point_formats,
        data: encodeEcPointFormats([ECPointFormat.uncompressed]),
      });
    }
    if (c.srtp) {
      this.srtpProfile = c.srtp.profile;
      this.srtpMki = c.srtp.mki;
      extensions.push({
        type: ExtensionType.use_srtp,
        data: encodeUseSrtp({ profiles: [c.srtp.profile], mki: c.srtp.mki }),
      });
    }
    this.#keyShare = generateKeyShare(c.group);
    const params = encodeServerEcdhParams(c.group, this.#keyShare.publicKey);
    const signature = createSignature(
      c.scheme,
      own.privateKey,
      Buffer.concat([this.clientRandom, this.serverRandom, params]),
    );
    const bodies: [number, Buffer][] = [
      [
        HandshakeType.server_hello,
        encodeServerHello({
          serverVersion: ProtocolVersion.DTLS1_2,
          random: this.serverRandom,
          sessionId: Buffer.alloc(0), // no resumption
          cipherSuite: c.suite.id,
          compressionMethod: CompressionMethod.null,
          extensions,
        }),
      ],
      [HandshakeType.certificate, encodeCertificate({ certificateList: [own.der] })],
      [
        HandshakeType.server_key_exchange,
        encodeServerKeyExchange({
          namedCurve: c.group,
          publicKey: this.#keyShare.publicKey,
          signatureScheme: c.scheme,
          signature,
        }),
      ],
      [
        HandshakeType.certificate_request,
        encodeCertificateRequest({
          certificateTypes: [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign],
          signatureSchemes: [...supportedSignatureSchemes],
          certificateAuthorities: [],
        }),
      ],
      [HandshakeType.server_hello_done, encodeServerHelloDone()],
    ];
    const entries: FlightEntry[] = bodies.map(([type, body]) => {
      const message = this.host.message(type, body);
      this.transcript.push(message);
      return { contentType: ContentType.handshake, epoch: 0, message };
    });
    this.host.sendFlight(entries, false);
  }

  #certificate(m: HandshakeMessage): void {
    const { certificateList } = decodeCertificate(m.body);
    this.receiveCertificate(certificateList);
    this.transcript.push(m.raw);
    this.#expect = [HandshakeType.client_key_exchange];
  }

  #clientKeyExchange(m: HandshakeMessage): void {
    const { publicKey } = decodeClientKeyExchange(m.body);
    const preMasterSecret = this.#keyShare!.computeSecret(publicKey);
    this.transcript.push(m.raw);
    this.deriveKeys(preMasterSecret);
    this.#expect = [HandshakeType.certificate_verify];
  }

  /** RFC 5246 §7.4.8: the client signs every handshake message before this one. */
  #certificateVerify(m: HandshakeMessage): void {
    const cv = decodeCertificateVerify(m.body);
    if (!supportedSignatureSchemes.includes(cv.signatureScheme)) {
      throw new AlertError(
        AlertDescription.illegal_parameter,
        `the client signed with scheme ${cv.signatureScheme}`,
      );
    }
    if (
      !verifySignature(
        cv.signatureScheme,
        this.peerKey!,
        Buffer.concat(this.transcript),
        cv.signature,
      )
    ) {
      throw new AlertError(
        AlertDescription.decrypt_error,
        'CertificateVerify signature does not verify',
      );
    }
    this.transcript.push(m.raw);
    this.#expect = [HandshakeType.finished];
  }

  #finished(m: HandshakeMessage): void {
    this.checkFinished(m, decodeFinished(m.body).verifyData, 'client finished');
    this.#expect = [];
    this.whenAuthenticated(() => this.#sendFlight6());
  }

  /** Flight 6, the last: nothing answers it, so it is resent only when flight 5 comes again. */
  #sendFlight6(): void {
    const message = this.host.message(
      HandshakeType.finished,
      encodeFinished({ verifyData: this.finishedVerifyData('server finished') }),
    );
    this.transcript.push(message);
    this.host.sendFlight(
      [
        { contentType: ContentType.change_cipher_spec, epoch: 0 },
        { contentType: ContentType.handshake, epoch: 1, message },
      ],
      true,
    );
    this.host.handshakeComplete();
  }
}
