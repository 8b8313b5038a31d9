import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { DecodeError, Reader } from '../../src/dtls/codec.js';
import {
  decodeEcPointFormats,
  encodeEcPointFormats,
} from '../../src/dtls/extensions/ecPointFormats.js';
import { decodeExtensions, encodeExtensions } from '../../src/dtls/extensions/extension.js';
import {
  decodeRenegotiationInfo,
  encodeRenegotiationInfo,
} from '../../src/dtls/extensions/renegotiationInfo.js';
import {
  decodeSignatureAlgorithms,
  encodeSignatureAlgorithms,
} from '../../src/dtls/extensions/signatureAlgorithms.js';
import {
  decodeSupportedGroups,
  encodeSupportedGroups,
} from '../../src/dtls/extensions/supportedGroups.js';
import { decodeUseSrtp, encodeUseSrtp } from '../../src/dtls/extensions/useSrtp.js';
import { decodeCertificate, encodeCertificate } from '../../src/dtls/handshake/certificate.js';
import {
  decodeCertificateRequest,
  encodeCertificateRequest,
} from '../../src/dtls/handshake/certificateRequest.js';
import {
  decodeCertificateVerify,
  encodeCertificateVerify,
} from '../../src/dtls/handshake/certificateVerify.js';
import { decodeClientHello, encodeClientHello } from '../../src/dtls/handshake/clientHello.js';
import {
  decodeClientKeyExchange,
  encodeClientKeyExchange,
} from '../../src/dtls/handshake/clientKeyExchange.js';
import { decodeFinished, encodeFinished } from '../../src/dtls/handshake/finished.js';
import { encodeHandshake, handshakeFragment } from '../../src/dtls/handshake/header.js';
import {
  decodeHelloVerifyRequest,
  encodeHelloVerifyRequest,
} from '../../src/dtls/handshake/helloVerifyRequest.js';
import { decodeServerHello, encodeServerHello } from '../../src/dtls/handshake/serverHello.js';
import {
  decodeServerHelloDone,
  encodeServerHelloDone,
} from '../../src/dtls/handshake/serverHelloDone.js';
import {
  decodeServerKeyExchange,
  encodeServerKeyExchange,
} from '../../src/dtls/handshake/serverKeyExchange.js';

const clientHello = {
  clientVersion: 0xfefd,
  random: randomBytes(32),
  sessionId: Buffer.alloc(0),
  cookie: randomBytes(32),
  cipherSuites: [0xc02b, 0xc02f, 0xcca9],
  compressionMethods: [0],
  extensions: [
    { type: 0xff01, data: Buffer.of(0) },
    { type: 23, data: Buffer.alloc(0) },
    { type: 10, data: encodeSupportedGroups([29, 23, 24]) },
  ],
};

const serverHello = {
  serverVersion: 0xfefd,
  random: randomBytes(32),
  sessionId: randomBytes(32),
  cipherSuite: 0xc02b,
  compressionMethod: 0,
  extensions: [{ type: 14, data: encodeUseSrtp({ profiles: [7], mki: Buffer.alloc(0) }) }],
};

/** Each codec: a sample, its encoder, its decoder. */
const codecs: [string, unknown, (m: never) => Buffer, (b: Buffer) => unknown][] = [
  ['ClientHello', clientHello, encodeClientHello as never, decodeClientHello],
  ['ServerHello', serverHello, encodeServerHello as never, decodeServerHello],
  [
    'ServerHello without extensions',
    { ...serverHello, extensions: [] },
    encodeServerHello as never,
    decodeServerHello,
  ],
  [
    'HelloVerifyRequest',
    { serverVersion: 0xfeff, cookie: randomBytes(20) },
    encodeHelloVerifyRequest as never,
    decodeHelloVerifyRequest,
  ],
  [
    'Certificate',
    { certificateList: [randomBytes(300), randomBytes(5)] },
    encodeCertificate as never,
    decodeCertificate,
  ],
  ['empty Certificate', { certificateList: [] }, encodeCertificate as never, decodeCertificate],
  [
    'ServerKeyExchange',
    {
      namedCurve: 29,
      publicKey: randomBytes(32),
      signatureScheme: 0x0403,
      signature: randomBytes(71),
    },
    encodeServerKeyExchange as never,
    decodeServerKeyExchange,
  ],
  [
    'CertificateRequest',
    {
      certificateTypes: [64, 1],
      signatureSchemes: [0x0403, 0x0401],
      certificateAuthorities: [randomBytes(30)],
    },
    encodeCertificateRequest as never,
    decodeCertificateRequest,
  ],
  [
    'ClientKeyExchange',
    { publicKey: randomBytes(65) },
    encodeClientKeyExchange as never,
    decodeClientKeyExchange,
  ],
  [
    'CertificateVerify',
    { signatureScheme: 0x0804, signature: randomBytes(256) },
    encodeCertificateVerify as never,
    decodeCertificateVerify,
  ],
  ['Finished', { verifyData: randomBytes(12) }, encodeFinished as never, decodeFinished],
];

for (const [name, sample, encode, decode] of codecs) {
  test(`${name} round-trips`, () => {
    assert.deepEqual(decode(encode(sample as never)), sample);
  });

  test(`${name}: truncated, extended or random bodies throw only DecodeError`, () => {
    const body = encode(sample as never);
    const inputs = [
      ...Array.from({ length: body.length }, (_, n) => body.subarray(0, n)),
      Buffer.concat([body, Buffer.of(0)]),
      ...Array.from({ length: 200 }, () => randomBytes(Math.floor(Math.random() * 80))),
    ];
    for (const input of inputs) {
      try {
        decode(input);
      } catch (e) {
        assert.ok(e instanceof DecodeError, `${name} threw ${e} for ${input.toString('hex')}`);
      }
    }
  });
}

test('ServerHelloDone has an empty body', () => {
  assert.equal(encodeServerHelloDone().length, 0);
  decodeServerHelloDone(Buffer.alloc(0));
  assert.throws(() => decodeServerHelloDone(Buffer.of(0)), DecodeError);
});

test('vector bounds and trailing bytes are enforced', () => {
  const long = encodeClientHello({ ...clientHello, sessionId: randomBytes(33) });
  assert.throws(() => decodeClientHello(long), DecodeError); // session_id<0..32>
  assert.throws(
    () => decodeClientHello(encodeClientHello({ ...clientHello, cipherSuites: [] })),
    DecodeError,
  );
  assert.throws(
    () => decodeClientHello(encodeClientHello({ ...clientHello, compressionMethods: [] })),
    DecodeError,
  );
  assert.throws(() => decodeFinished(randomBytes(11)), DecodeError);
  assert.throws(
    () =>
      decodeHelloVerifyRequest(
        Buffer.concat([
          encodeHelloVerifyRequest({ serverVersion: 0xfeff, cookie: Buffer.alloc(1) }),
          Buffer.of(0),
        ]),
      ),
    DecodeError,
  );
  assert.throws(() => decodeCertificate(Buffer.from('000003000000', 'hex')), DecodeError); // ASN.1Cert<1..2^24-1>
  assert.throws(() => new Reader(Buffer.of(0, 3, 1, 2, 3)).u16List(2), DecodeError); // odd length
});

test('extensions: round trip, duplicates refused, absent block allowed', () => {
  const list = [
    { type: 1, data: Buffer.from('a') },
    { type: 2, data: Buffer.alloc(0) },
  ];
  assert.deepEqual(decodeExtensions(new Reader(encodeExtensions(list))), list);
  assert.deepEqual(decodeExtensions(new Reader(Buffer.alloc(0))), []);
  const dup = encodeExtensions([list[0]!, list[0]!]);
  assert.throws(() => decodeExtensions(new Reader(dup)), DecodeError);
  assert.throws(() => decodeExtensions(new Reader(Buffer.of(0, 3, 0, 1, 0))), DecodeError);
});

test('extension bodies round-trip and reject malformed data', () => {
  assert.deepEqual(decodeSupportedGroups(encodeSupportedGroups([29, 23])), [29, 23]);
  assert.deepEqual(decodeEcPointFormats(encodeEcPointFormats([0])), [0]);
  assert.deepEqual(
    decodeSignatureAlgorithms(encodeSignatureAlgorithms([0x0403, 0x0804])),
    [0x0403, 0x0804],
  );
  const srtp = { profiles: [1, 2, 7, 8], mki: Buffer.from('mki') };
  assert.deepEqual(decodeUseSrtp(encodeUseSrtp(srtp)), srtp);
  assert.deepEqual(decodeRenegotiationInfo(encodeRenegotiationInfo()), Buffer.alloc(0));
  assert.throws(() => decodeSupportedGroups(Buffer.of(0, 0)), DecodeError);
  assert.throws(() => decodeEcPointFormats(Buffer.of(0)), DecodeError);
  assert.throws(() => decodeUseSrtp(Buffer.of(0, 2, 0, 1)), DecodeError); // no srtp_mki
  assert.throws(() => decodeRenegotiationInfo(Buffer.alloc(0)), DecodeError);
});

test('handshake header: whole messages and fragments', () => {
  const body = Buffer.from('0123456789');
  const m = encodeHandshake(11, 0x0102, body);
  assert.equal(m.subarray(0, 12).toString('hex'), '0b00000a0102000000' + '00000a');
  const f = handshakeFragment(m, 3, 4);
  assert.equal(f.subarray(0, 12).toString('hex'), '0b00000a0102000003000004');
  assert.equal(f.subarray(12).toString(), '3456');
});
