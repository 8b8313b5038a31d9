import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { AlertError } from '../../src/dtls/alert.js';
import { CipherSuite, defaultCipherSuites } from '../../src/dtls/cipherSuites.js';
import { ClientHandshake } from '../../src/dtls/clientHandshake.js';
import { DecodeError } from '../../src/dtls/codec.js';
import { ExtensionType, HandshakeType, SignatureScheme } from '../../src/dtls/constants.js';
import type { DtlsCertificate } from '../../src/dtls/credentials.js';
import { defaultGroups } from '../../src/dtls/ecdhe.js';
import { encodeEcPointFormats } from '../../src/dtls/extensions/ecPointFormats.js';
import type { Extension } from '../../src/dtls/extensions/extension.js';
import { encodeRenegotiationInfo } from '../../src/dtls/extensions/renegotiationInfo.js';
import { encodeSignatureAlgorithms } from '../../src/dtls/extensions/signatureAlgorithms.js';
import { encodeSupportedGroups } from '../../src/dtls/extensions/supportedGroups.js';
import { decodeUseSrtp, encodeUseSrtp } from '../../src/dtls/extensions/useSrtp.js';
import type { FlightEntry } from '../../src/dtls/flight.js';
import {
  type ClientHello,
  decodeClientHello,
  encodeClientHello,
} from '../../src/dtls/handshake/clientHello.js';
import { encodeHandshake } from '../../src/dtls/handshake/header.js';
import {
  decodeServerHello,
  encodeServerHello,
  type ServerHello,
} from '../../src/dtls/handshake/serverHello.js';
import type { HandshakeHost, HandshakeOptions } from '../../src/dtls/handshakeState.js';
import type { HandshakeMessage } from '../../src/dtls/reassembler.js';
import { ServerHandshake } from '../../src/dtls/serverHandshake.js';
import { defaultSrtpProfiles } from '../../src/dtls/srtp.js';
import { ecdsaCertificate, rsaCertificate } from './helpers.js';

let ec: DtlsCertificate;
let rsa: DtlsCertificate;
before(async () => {
  [ec, rsa] = [await ecdsaCertificate(), await rsaCertificate(1024)];
});

function host() {
  let seq = 0;
  const flights: FlightEntry[][] = [];
  const h: HandshakeHost = {
    message: (type, body, messageSeq) => encodeHandshake(type, messageSeq ?? seq++, body),
    nextRecordSequence: () => 0,
    sendFlight: (entries) => void flights.push(entries),
    sendHelloVerifyRequest: () => {},
    acceptClientHello: (s) => {
      seq = s;
    },
    installKeys: () => {},
    stopRetransmission: () => {},
    handshakeComplete: () => {},
  };
  return { h, flights };
}

function options(
  certificate: DtlsCertificate,
  o: Partial<HandshakeOptions> = {},
): HandshakeOptions {
  return {
    certificate,
    cipherSuites: defaultCipherSuites,
    groups: defaultGroups,
    srtpProfiles: defaultSrtpProfiles,
    srtpMki: Buffer.alloc(0),
    requireExtendedMasterSecret: true,
    helloVerifyRequest: false,
    cookieSecret: randomBytes(32),
    ...o,
  };
}

function message(msgType: number, body: Buffer, messageSeq = 0): HandshakeMessage {
  return {
    msgType,
    messageSeq,
    body,
    raw: encodeHandshake(msgType, messageSeq, body),
    epoch: 0,
    recordSequence: 0,
  };
}

const goodHello = (): ClientHello => ({
  clientVersion: 0xfefd,
  random: randomBytes(32),
  sessionId: Buffer.alloc(0),
  cookie: Buffer.alloc(0),
  cipherSuites: [...defaultCipherSuites],
  compressionMethods: [0],
  extensions: [
    { type: ExtensionType.extended_master_secret, data: Buffer.alloc(0) },
    { type: ExtensionType.renegotiation_info, data: encodeRenegotiationInfo() },
    { type: ExtensionType.supported_groups, data: encodeSupportedGroups([29, 23]) },
    { type: ExtensionType.ec_point_formats, data: encodeEcPointFormats([0]) },
    { type: ExtensionType.signature_algorithms, data: encodeSignatureAlgorithms([0x0403, 0x0401]) },
  ],
});

function without(h: ClientHello, type: number): ClientHello {
  return { ...h, extensions: h.extensions.filter((e) => e.type !== type) };
}

function withExtension(h: ClientHello, e: Extension): ClientHello {
  return { ...without(h, e.type), extensions: [...without(h, e.type).extensions, e] };
}

/** Runs a ClientHello into a server; returns the ServerHello it sent, or the alert it threw. */
function serve(
  hello: ClientHello,
  o: Partial<HandshakeOptions> = {},
  cert = ec,
): ServerHello | number {
  const { h, flights } = host();
  const server = new ServerHandshake(h, options(cert, o));
  try {
    server.handle(message(HandshakeType.client_hello, encodeClientHello(hello)));
  } catch (e) {
    if (e instanceof AlertError) return e.description;
    if (e instanceof DecodeError) return 50;
    throw e;
  }
  const first = flights[0]![0]!;
  assert.equal(first.contentType, 22);
  return decodeServerHello((first as { message: Buffer }).message.subarray(12));
}

const sh = (r: ServerHello | number) => {
  assert.ok(typeof r !== 'number', `alert ${r}`);
  return r as ServerHello;
};

test('server: a ClientHello browsers send gets ServerHello with RI, EMS, point formats', () => {
  const r = sh(serve(goodHello()));
  assert.equal(r.serverVersion, 0xfefd);
  assert.equal(r.cipherSuite, CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256);
  assert.deepEqual(r.sessionId, Buffer.alloc(0));
  assert.deepEqual(
    r.extensions.map((e) => e.type).sort(),
    [11, 23, 0xff01].sort((x, y) => x - y),
  );
});

test('server: version, suites, compression, groups, signatures, EMS, RI', () => {
  assert.equal(serve({ ...goodHello(), clientVersion: 0xfeff }), 70); // DTLS 1.0 only
  assert.equal(sh(serve({ ...goodHello(), clientVersion: 0xfefc })).serverVersion, 0xfefd); // newer: 1.2
  assert.equal(serve({ ...goodHello(), cipherSuites: [0x002f] }), 40);
  assert.equal(
    serve({ ...goodHello(), cipherSuites: [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256] }),
    40,
  ); // ECDSA cert
  assert.equal(
    sh(serve(goodHello(), {}, rsa)).cipherSuite,
    CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
  );
  assert.equal(serve({ ...goodHello(), compressionMethods: [1] }), 47);
  assert.equal(
    serve(withExtension(goodHello(), { type: 10, data: encodeSupportedGroups([25]) })),
    40,
  );
  // an ECDSA certificate on P-256 needs P-256 in the list, even when X25519 does the key exchange
  const x25519Only = withExtension(goodHello(), { type: 10, data: encodeSupportedGroups([29]) });
  assert.equal(serve(x25519Only), 40);
  assert.ok(typeof serve(x25519Only, {}, rsa) !== 'number');
  assert.ok(typeof serve(without(goodHello(), 10)) !== 'number'); // no supported_groups: P-256
  assert.equal(
    serve(withExtension(goodHello(), { type: 11, data: encodeEcPointFormats([1]) })),
    47,
  );
  assert.equal(serve(without(goodHello(), 13)), 40); // SHA-1 only, implicitly
  assert.equal(
    serve(withExtension(goodHello(), { type: 13, data: encodeSignatureAlgorithms([0x0401]) })),
    40,
  );
  assert.equal(serve(without(goodHello(), 23)), 40);
  assert.deepEqual(
    sh(serve(without(goodHello(), 23), { requireExtendedMasterSecret: false })).extensions.find(
      (e) => e.type === 23,
    ),
    undefined,
  );
  assert.equal(serve(withExtension(goodHello(), { type: 23, data: Buffer.of(0) })), 50);
  assert.equal(
    serve(
      withExtension(goodHello(), { type: 0xff01, data: encodeRenegotiationInfo(Buffer.alloc(12)) }),
    ),
    40,
  );
  // the SCSV instead of the extension still earns renegotiation_info in the reply
  const scsv = { ...without(goodHello(), 0xff01), cipherSuites: [...defaultCipherSuites, 0x00ff] };
  assert.ok(sh(serve(scsv)).extensions.some((e) => e.type === 0xff01));
  assert.ok(!sh(serve(without(goodHello(), 0xff01))).extensions.some((e) => e.type === 0xff01));
  // unknown extensions are ignored and not echoed
  const unknown = withExtension(goodHello(), { type: 0x1234, data: randomBytes(7) });
  assert.ok(!sh(serve(unknown)).extensions.some((e) => e.type === 0x1234));
});

test('server: RSA-PSS is used when it is all the client accepts', () => {
  const { h, flights } = host();
  const server = new ServerHandshake(h, options(rsa));
  const hello = withExtension(goodHello(), {
    type: 13,
    data: encodeSignatureAlgorithms([SignatureScheme.rsa_pss_rsae_sha256]),
  });
  server.handle(message(1, encodeClientHello(hello)));
  const ske = (flights[0]![2] as { message: Buffer }).message.subarray(12);
  const pointLength = ske[3]!;
  assert.equal(ske.readUInt16BE(4 + pointLength), SignatureScheme.rsa_pss_rsae_sha256);
});

test('server: use_srtp picks our preference among the client profiles and echoes the MKI', () => {
  const offer = (profiles: number[], mki = Buffer.alloc(0)) =>
    withExtension(goodHello(), { type: 14, data: encodeUseSrtp({ profiles, mki }) });
  const srtpOf = (r: ServerHello) => {
    const e = r.extensions.find((x) => x.type === 14);
    return e && decodeUseSrtp(e.data);
  };
  assert.deepEqual(srtpOf(sh(serve(offer([1, 7, 2])))), { profiles: [7], mki: Buffer.alloc(0) });
  assert.deepEqual(srtpOf(sh(serve(offer([2, 1], Buffer.from('k'))))), {
    profiles: [1],
    mki: Buffer.from('k'),
  });
  assert.equal(srtpOf(sh(serve(offer([0x0005])))), undefined);
  assert.equal(srtpOf(sh(serve(offer([1]), { srtpProfiles: [] }))), undefined);
  assert.equal(serve(withExtension(goodHello(), { type: 14, data: Buffer.of(0, 2, 0) })), 50);
});

/** A client that has sent its ClientHello; returns it and a function feeding it a ServerHello. */
function client(o: Partial<HandshakeOptions> = {}) {
  const { h, flights } = host();
  const c = new ClientHandshake(h, options(ec, o));
  c.start();
  const hello = decodeClientHello((flights[0]![0] as { message: Buffer }).message.subarray(12));
  const answer = (change: Partial<ServerHello>): number | 'ok' => {
    const reply: ServerHello = {
      serverVersion: 0xfefd,
      random: randomBytes(32),
      sessionId: Buffer.alloc(0),
      cipherSuite: CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
      compressionMethod: 0,
      extensions: [
        { type: 23, data: Buffer.alloc(0) },
        { type: 0xff01, data: encodeRenegotiationInfo() },
      ],
      ...change,
    };
    try {
      c.handle(message(HandshakeType.server_hello, encodeServerHello(reply)));
      return 'ok';
    } catch (e) {
      if (e instanceof AlertError) return e.description;
      if (e instanceof DecodeError) return 50;
      throw e;
    }
  };
  return { hello, answer };
}

test('client: the ClientHello offers what browsers offer', () => {
  const { hello } = client();
  assert.equal(hello.clientVersion, 0xfefd);
  assert.deepEqual(hello.compressionMethods, [0]);
  assert.deepEqual(hello.cipherSuites, [...defaultCipherSuites]);
  assert.deepEqual(
    hello.extensions.map((e) => e.type),
    [0xff01, 23, 10, 11, 13, 14],
  );
});

test('client: the ServerHello must stay within the offer', () => {
  assert.equal(client().answer({}), 'ok');
  assert.equal(client().answer({ serverVersion: 0xfeff }), 70);
  assert.equal(client().answer({ cipherSuite: 0x002f }), 47);
  assert.equal(
    client({ cipherSuites: [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256] }).answer({}),
    47,
  );
  assert.equal(client().answer({ compressionMethod: 1 }), 47);
  assert.equal(
    client().answer({ extensions: [{ type: 0xff01, data: encodeRenegotiationInfo() }] }),
    40,
  ); // no EMS
  assert.equal(client({ requireExtendedMasterSecret: false }).answer({ extensions: [] }), 'ok');
  assert.equal(
    client().answer({
      extensions: [
        { type: 23, data: Buffer.alloc(0) },
        { type: 0x1234, data: Buffer.alloc(0) },
      ],
    }),
    110,
  );
  assert.equal(
    client().answer({
      extensions: [
        { type: 23, data: Buffer.alloc(0) },
        { type: 0xff01, data: encodeRenegotiationInfo(Buffer.alloc(24)) },
      ],
    }),
    40,
  );
  assert.equal(
    client().answer({
      extensions: [
        { type: 23, data: Buffer.alloc(0) },
        { type: 11, data: encodeEcPointFormats([2]) },
      ],
    }),
    47,
  );
  const srtp = (profiles: number[], mki = Buffer.alloc(0)) => ({
    extensions: [
      { type: 23, data: Buffer.alloc(0) },
      { type: 14, data: encodeUseSrtp({ profiles, mki }) },
    ],
  });
  assert.equal(client({ srtpProfiles: [1, 2] }).answer(srtp([7])), 47);
  assert.equal(client({ srtpProfiles: [1, 2] }).answer(srtp([1, 2])), 47);
  assert.equal(client({ srtpProfiles: [1] }).answer(srtp([1])), 'ok');
  assert.equal(
    client({ srtpProfiles: [1], srtpMki: Buffer.from('a') }).answer(srtp([1], Buffer.from('b'))),
    47,
  );
  assert.equal(
    client({ srtpProfiles: [1], srtpMki: Buffer.from('a') }).answer(srtp([1], Buffer.from('a'))),
    'ok',
  );
  assert.equal(client({ srtpProfiles: [1], srtpMki: Buffer.from('a') }).answer(srtp([1])), 'ok');
});
