/**
 * Drives an association on real time the way a transport wrapper does: one DeadlineTimer,
 * and a microtask when an API call queues work (onWake), so that everything sent in one
 * turn of the event loop shares packets. Used by the loopback tests and the benchmark.
 */
import { createSocket, type Socket } from 'node:dgram';
import { certificateFingerprint } from '../../src/dtls/fingerprint.js';
import { DtlsSocket } from '../../src/dtls/socket.js';
import { DeadlineTimer, now } from '../../src/net/timer.js';
import { Association, type AssociationCallbacks } from '../../src/sctp/association.js';
import type { AssociationOptions } from '../../src/sctp/options.js';
import { dtlsCertificateOf, generateCertificate } from '../../src/webrtc/RTCCertificate.js';

export class DrivenAssociation {
  readonly association: Association;
  readonly #timer = new DeadlineTimer(() => this.#run());
  #woken = false;
  #stopped = false;

  constructor(options: AssociationOptions, callbacks: Omit<AssociationCallbacks, 'onWake'>) {
    this.association = new Association(options, {
      ...callbacks,
      onWake: () => {
        if (this.#woken) return;
        this.#woken = true;
        queueMicrotask(() => this.#run());
      },
    });
  }

  /** One packet from the peer. */
  input(packet: Buffer): void {
    this.association.handlePacket(packet, now());
    this.#timer.armFor(this.association);
  }

  connect(): void {
    this.association.connect(now());
    this.#timer.armFor(this.association);
  }

  stop(): void {
    this.#stopped = true;
    this.#timer.close();
  }

  #run(): void {
    this.#woken = false;
    if (this.#stopped) return; // a wake-up queued before stop()
    this.association.handleTimeout(now());
    this.#timer.armFor(this.association);
  }
}

export interface LoopbackPair {
  a: DrivenAssociation;
  b: DrivenAssociation;
  /** What carries the packets: 'dtls' (our DTLS 1.2 over UDP) or 'udp' (bare). */
  transport: 'dtls' | 'udp';
  established: Promise<void>;
  close(): void;
}

type Callbacks = Omit<AssociationCallbacks, 'onWake' | 'send'>;

/** Two associations over our DTLS on real UDP loopback sockets, both connecting. */
export async function overDtls(
  options: AssociationOptions,
  callbacksA: Callbacks,
  callbacksB: Callbacks,
): Promise<LoopbackPair> {
  const [certA, certB] = await Promise.all([
    generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }).then(dtlsCertificateOf),
    generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }).then(dtlsCertificateOf),
  ]);
  let a!: DrivenAssociation;
  let b!: DrivenAssociation;
  const server = await DtlsSocket.open({
    role: 'server',
    certificate: certB,
    remoteFingerprints: [certificateFingerprint(certA.der)],
    onData: (d) => b.input(d),
  });
  const client = await DtlsSocket.open({
    role: 'client',
    certificate: certA,
    remote: { address: '127.0.0.1', port: server.localPort },
    remoteFingerprints: [certificateFingerprint(certB.der)],
    onData: (d) => a.input(d),
  });
  await Promise.all([client.connected(), server.connected()]);
  return pair(
    'dtls',
    options,
    callbacksA,
    callbacksB,
    (p) => client.send(p),
    (p) => server.send(p),
    () => {
      client.close();
      server.close();
    },
    (x, y) => {
      a = x;
      b = y;
    },
  );
}

/** Two associations on bare UDP loopback sockets (no DTLS), for comparison. */
export async function overUdp(
  options: AssociationOptions,
  callbacksA: Callbacks,
  callbacksB: Callbacks,
): Promise<LoopbackPair> {
  const bind = async (): Promise<Socket> => {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    return s;
  };
  const [sa, sb] = await Promise.all([bind(), bind()]);
  let a!: DrivenAssociation;
  let b!: DrivenAssociation;
  sa.on('message', (m) => a.input(m));
  sb.on('message', (m) => b.input(m));
  const portA = sa.address().port;
  const portB = sb.address().port;
  // The packet buffer is reused after send returns; dgram keeps it until sent, so copy.
  return pair(
    'udp',
    options,
    callbacksA,
    callbacksB,
    (p) => sa.send(Buffer.from(p), portB, '127.0.0.1'),
    (p) => sb.send(Buffer.from(p), portA, '127.0.0.1'),
    () => {
      sa.close();
      sb.close();
    },
    (x, y) => {
      a = x;
      b = y;
    },
  );
}

function pair(
  transport: 'dtls' | 'udp',
  options: AssociationOptions,
  callbacksA: Callbacks,
  callbacksB: Callbacks,
  sendA: (p: Buffer) => void,
  sendB: (p: Buffer) => void,
  closeTransport: () => void,
  bindAB: (a: DrivenAssociation, b: DrivenAssociation) => void,
): LoopbackPair {
  let up = 0;
  let resolve!: () => void;
  const established = new Promise<void>((r) => {
    resolve = r;
  });
  const onEstablished = (cb: Callbacks) => () => {
    cb.onEstablished?.();
    if (++up === 2) resolve();
  };
  const a = new DrivenAssociation(options, {
    ...callbacksA,
    send: sendA,
    onEstablished: onEstablished(callbacksA),
  });
  const b = new DrivenAssociation(options, {
    ...callbacksB,
    send: sendB,
    onEstablished: onEstablished(callbacksB),
  });
  bindAB(a, b);
  a.connect();
  b.connect();
  return {
    a,
    b,
    transport,
    established,
    close: () => {
      a.stop();
      b.stop();
      closeTransport();
    },
  };
}
