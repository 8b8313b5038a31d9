/**
 * DTLS records and handshake messages into a DtlsConnection (src/dtls), both roles:
 *
 * - dtls-handshake: a client and a server handshake over an in-memory link; the fuzzed
 *   datagrams reach one of them at a point of the handshake the session picks (a server
 *   waiting for a ClientHello, with or without cookies; a client waiting for the server's
 *   flight; either side mid-way), while the real handshake goes on around them.
 * - dtls-record: a connected pair; fuzzed datagrams as they are (epoch 0, bad MACs, future
 *   epochs), or their bytes protected with the peer's epoch 1 keys as any content type
 *   (handshake messages after the handshake, alerts, data, ChangeCipherSpec, unknown types).
 *
 * The connection turns anything thrown inside it into a fatal alert and 'failed'; a failure
 * that says "internal error" is a bug behind that guard, and is reported as a finding.
 */

import { CipherSuite, cipherSuiteParameters } from '../../src/dtls/cipherSuites.js';
import { DtlsConnection, type DtlsTransportState } from '../../src/dtls/connection.js';
import type { DtlsCertificate } from '../../src/dtls/credentials.js';
import { certificateFingerprint } from '../../src/dtls/fingerprint.js';
import { createRecordProtection, type RecordProtection } from '../../src/dtls/recordProtection.js';
import { dtlsCertificateOf, generateCertificate } from '../../src/webrtc/RTCCertificate.js';
import type { Random } from '../mutate.js';
import { type FuzzTarget, invariant } from '../target.js';
import { inputHash } from './fixups.js';

export interface DtlsCertificates {
  ecdsa: [DtlsCertificate, DtlsCertificate];
  rsa: DtlsCertificate;
}

export async function dtlsCertificates(): Promise<DtlsCertificates> {
  const ecdsa = () =>
    generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }).then(dtlsCertificateOf);
  const rsa = await generateCertificate({
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 1024,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  }).then(dtlsCertificateOf);
  return { ecdsa: [await ecdsa(), await ecdsa()], rsa };
}

/**
 * The record protection that sealed the latest record, whoever it belongs to. A connected
 * peer's epoch 1 write protection is caught by having it send one record; fuzzed bytes
 * sealed with it then authenticate at the connection under test. (A tap on the prototype
 * of the AEAD protection: the fuzzing process only.)
 */
let lastSealer: RecordProtection | undefined;
{
  const suite = cipherSuiteParameters(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)!;
  const proto = Object.getPrototypeOf(
    createRecordProtection(suite, 1, Buffer.alloc(16), Buffer.alloc(4)),
  ) as RecordProtection;
  const seal = proto.seal;
  proto.seal = function (this: RecordProtection, type, sequenceNumber, plaintext) {
    lastSealer = this;
    return seal.call(this, type, sequenceNumber, plaintext);
  };
}

interface Side {
  connection: DtlsConnection;
  inbox: Buffer[];
  states: DtlsTransportState[];
  /** Application data records delivered while not connected. */
  dataOutsideSession: number;
}

/** A client and a server joined by two queues; pump() moves what is queued. */
export class DtlsLink {
  now = 0;
  /** Sees every datagram sent, before it is queued (capture.ts records them). */
  onDatagram: ((to: 'client' | 'server', datagram: Buffer) => void) | undefined;
  /** Application data each side receives. */
  onData: ((at: 'client' | 'server', data: Buffer) => void) | undefined;
  readonly client: Side;
  readonly server: Side;

  constructor(
    certs: DtlsCertificates,
    random: Random,
    options: { cookies?: boolean; fingerprints?: boolean; rsa?: boolean; mtu?: number } = {},
  ) {
    const rsa = options.rsa ?? random() < 0.25;
    const mtu = options.mtu ?? (random() < 0.3 ? 200 + Math.floor(random() * 400) : 1200);
    const [a, b] = certs.ecdsa;
    const clientCert = a;
    const serverCert = rsa ? certs.rsa : b;
    const make = (
      role: 'client' | 'server',
      certificate: DtlsCertificate,
      remote: DtlsCertificate,
    ): Side => {
      const side = { inbox: [], states: [], dataOutsideSession: 0 } as unknown as Side;
      side.connection = new DtlsConnection({
        role,
        certificate,
        ...(options.fingerprints === false
          ? {}
          : { remoteFingerprints: [certificateFingerprint(remote.der)] }),
        send: (d) => {
          this.onDatagram?.(role === 'client' ? 'server' : 'client', d);
          (role === 'client' ? this.server : this.client).inbox.push(Buffer.from(d));
        },
        onStateChange: (s) => side.states.push(s),
        onData: (d) => {
          this.onData?.(role, d);
          if (side.connection.state !== 'connected') side.dataOutsideSession++;
        },
        mtu,
        helloVerifyRequest: options.cookies ?? true,
      });
      return side;
    };
    this.client = make('client', clientCert, serverCert);
    this.server = make('server', serverCert, clientCert);
  }

  start(): void {
    this.server.connection.start(this.now);
    this.client.connection.start(this.now);
  }

  /** Delivers up to `n` queued datagrams, alternating sides; returns how many moved. */
  pump(n: number): number {
    let moved = 0;
    for (let i = 0; i < n; i++) {
      const side = i % 2 === 0 ? this.server : this.client;
      const d = side.inbox.shift();
      if (d === undefined) {
        if (this.server.inbox.length + this.client.inbox.length === 0) break;
        continue;
      }
      side.connection.handleDatagram(d, this.now);
      moved++;
    }
    return moved;
  }

  /** Runs the handshake to the end (or until nothing moves). */
  complete(): boolean {
    for (let i = 0; i < 64 && this.pump(16) > 0; i++);
    return (
      this.client.connection.state === 'connected' && this.server.connection.state === 'connected'
    );
  }

  /** Moves the clock and fires due retransmissions. */
  tick(ms: number): void {
    this.now += ms;
    for (const side of [this.client, this.server]) {
      const at = side.connection.nextDeadline();
      if (at !== undefined && at <= this.now) side.connection.handleTimeout(this.now);
    }
  }
}

const STATES: Record<DtlsTransportState, readonly DtlsTransportState[]> = {
  new: ['connecting', 'closed'],
  connecting: ['connected', 'failed', 'closed'],
  connected: ['failed', 'closed'],
  failed: [],
  closed: [],
};

/** What every input must leave true of a connection. */
function checkSide(side: Side, label: string): void {
  const c = side.connection;
  invariant(!c.failure?.message.startsWith('internal error'), `${label}: ${c.failure?.message}`);
  invariant(side.dataOutsideSession === 0, `${label}: application data delivered while ${c.state}`);
  for (let i = 1; i < side.states.length; i++) {
    const [from, to] = [side.states[i - 1]!, side.states[i]!];
    invariant(STATES[from].includes(to), `${label}: state ${from} -> ${to}`);
  }
  const at = c.nextDeadline();
  invariant(at === undefined || Number.isFinite(at), `${label}: deadline ${at}`);
}

const DTLS_DICTIONARY = [
  Buffer.from([0x16, 0xfe, 0xfd]), // handshake record, DTLS 1.2
  Buffer.from([0x16, 0xfe, 0xff]), // DTLS 1.0
  Buffer.from([0x17, 0xfe, 0xfd, 0x00, 0x01]), // application data, epoch 1
  Buffer.from([0x15, 0xfe, 0xfd]), // alert
  Buffer.from([0x14, 0xfe, 0xfd]), // ChangeCipherSpec
  Buffer.from([0x00, 0x17, 0x00, 0x00]), // extended_master_secret
  Buffer.from([0x00, 0x0e]), // use_srtp
  Buffer.from([0xff, 0x01, 0x00, 0x01, 0x00]), // renegotiation_info
  Buffer.from([0xc0, 0x2b]), // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
  Buffer.from([0x00, 0x1d]), // x25519
  Buffer.from([0x04, 0x03]), // ecdsa_secp256r1_sha256
];

export const dtlsHandshakeTarget: FuzzTarget<DtlsCertificates> = {
  name: 'dtls-handshake',
  description: 'DTLS handshake: datagrams into a client or server at any point of the handshake',
  format: 'binary',
  maxLength: 1500,
  sessionLength: 24,
  dictionary: DTLS_DICTIONARY,
  prepare: dtlsCertificates,
  session(certs, random) {
    const link = new DtlsLink(certs, random, {
      cookies: random() < 0.5,
      fingerprints: random() < 0.8,
    });
    const target = random() < 0.5 ? link.server : link.client;
    link.start();
    link.pump(Math.floor(random() * 8));
    return {
      feed(input) {
        const h = inputHash(input);
        target.connection.handleDatagram(input, link.now);
        link.pump(h % 3);
        if ((h >>> 8) % 8 === 0) link.tick(250);
        checkSide(link.client, 'client');
        checkSide(link.server, 'server');
      },
    };
  },
};

export const dtlsRecordTarget: FuzzTarget<DtlsCertificates> = {
  name: 'dtls-record',
  description: 'DTLS records into a connected client or server, raw or sealed with the peer keys',
  format: 'binary',
  maxLength: 1500,
  sessionLength: 64,
  dictionary: DTLS_DICTIONARY,
  prepare: dtlsCertificates,
  session(certs, random) {
    const link = new DtlsLink(certs, random);
    link.start();
    invariant(link.complete(), 'the handshake did not complete');
    const serverSide = random() < 0.5;
    const target = serverSide ? link.server : link.client;
    const peer = serverSide ? link.client : link.server;
    // Catch the peer's write protection: it seals one record now.
    peer.connection.send(Buffer.from('x'));
    const sealer = lastSealer!;
    target.inbox.length = 0;
    let sequence = 100;
    return {
      feed(input) {
        const h = inputHash(input);
        let datagram = input;
        const mode = h % 8;
        if (mode >= 2) {
          // Sealed as a content type: mostly handshake, alert and data; sometimes anything.
          const type = mode === 7 ? (h >>> 8) & 0xff : [22, 21, 23, 20, 22][mode - 2]!;
          // Usually in order; sometimes replayed or far ahead.
          const seq = (h >>> 16) % 16 === 0 ? sequence - 1 - ((h >>> 20) % 64) : sequence++;
          datagram = sealer.seal(type, Math.max(0, seq), input.subarray(0, 1400));
        }
        target.connection.handleDatagram(datagram, link.now);
        link.pump(2);
        if ((h >>> 24) % 16 === 0) link.tick(1000);
        checkSide(target, serverSide ? 'server' : 'client');
      },
    };
  },
};
