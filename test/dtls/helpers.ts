/** Certificates and simulated-network pairs for the DTLS tests. */
import type { DtlsConnectionOptions, DtlsTransportState } from '../../src/dtls/connection.js';
import { DtlsConnection } from '../../src/dtls/connection.js';
import type { DtlsCertificate } from '../../src/dtls/credentials.js';
import { certificateFingerprint, type DtlsFingerprint } from '../../src/dtls/fingerprint.js';
import { dtlsCertificateOf, generateCertificate } from '../../src/webrtc/RTCCertificate.js';
import { type LinkOptions, type SimAddress, SimNetwork } from '../support/simnet.js';

export function ecdsaCertificate(): Promise<DtlsCertificate> {
  return generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }).then(dtlsCertificateOf);
}

export function rsaCertificate(modulusLength = 2048): Promise<DtlsCertificate> {
  return generateCertificate({
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  }).then(dtlsCertificateOf);
}

export function fingerprints(c: DtlsCertificate): DtlsFingerprint[] {
  return [certificateFingerprint(c.der)];
}

export interface Endpoint {
  connection: DtlsConnection;
  states: DtlsTransportState[];
  data: Buffer[];
  /** Times (net.now) of every datagram this endpoint sent. */
  sentAt: number[];
}

const A: SimAddress = { address: '10.0.0.1', port: 5000 };
const B: SimAddress = { address: '10.0.0.2', port: 5000 };

type Side = Partial<Omit<DtlsConnectionOptions, 'role' | 'send'>>;

/** A client and a server over a simulated link, each knowing the other's fingerprint unless told otherwise. */
export function simPair(
  certs: { client: DtlsCertificate; server: DtlsCertificate },
  link: LinkOptions & { seed?: number } = {},
  options: { client?: Side; server?: Side } = {},
): { net: SimNetwork; client: Endpoint; server: Endpoint } {
  const net = new SimNetwork(link);
  const make = (
    role: 'client' | 'server',
    local: SimAddress,
    remote: SimAddress,
    side: Side,
  ): Endpoint => {
    const e: Endpoint = { states: [], data: [], sentAt: [] } as unknown as Endpoint;
    const socket = net.bind(local, (d) => e.connection.handleDatagram(d, net.now));
    e.connection = new DtlsConnection({
      role,
      certificate: role === 'client' ? certs.client : certs.server,
      remoteFingerprints: fingerprints(role === 'client' ? certs.server : certs.client),
      send: (d) => {
        e.sentAt.push(net.now);
        socket.send(d, remote);
      },
      onStateChange: (s) => e.states.push(s),
      onData: (d) => e.data.push(d),
      ...side,
    });
    net.addTimed(e.connection);
    return e;
  };
  const client = make('client', A, B, options.client ?? {});
  const server = make('server', B, A, options.server ?? {});
  return { net, client, server };
}

type Pair = { net: SimNetwork; client: Endpoint; server: Endpoint };

/** Starts the server, then the client. */
export function start(p: Pair): void {
  p.server.connection.start(p.net.now);
  p.client.connection.start(p.net.now);
}

/** Starts both and runs until both are connected or something ends. */
export function handshake(p: Pair, timeout = 120_000): boolean {
  start(p);
  const ended = (s: string) => s === 'failed' || s === 'closed';
  return p.net.run({
    until: () =>
      (p.client.connection.state === 'connected' && p.server.connection.state === 'connected') ||
      ended(p.client.connection.state) ||
      ended(p.server.connection.state),
    timeout,
  });
}
