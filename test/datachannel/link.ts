/**
 * Two data channel endpoints joined in memory, driven as RTCPeerConnection drives them:
 * real time, one DeadlineTimer per association, a microtask for the work API calls queue
 * (onWake), and packets crossing on a later turn of the event loop. The W3C RTCDataChannel
 * tests run on it.
 */
import type { DataChannel } from '../../src/datachannel/channel.js';
import { DataChannelEndpoint } from '../../src/datachannel/endpoint.js';
import type { DtlsRole } from '../../src/datachannel/stream-id.js';
import { DeadlineTimer, now } from '../../src/net/timer.js';
import type { CloseReason } from '../../src/sctp/association.js';
import type { AssociationOptions } from '../../src/sctp/options.js';

export class LinkedEndpoint {
  readonly endpoint: DataChannelEndpoint;
  peer!: LinkedEndpoint;
  /** Called with each channel the peer opens. */
  onChannel: (channel: DataChannel) => void = () => {};
  /** Packets to this side are dropped (the path is gone). */
  cut = false;
  closed: CloseReason | undefined;
  readonly established: Promise<void>;
  readonly #timer = new DeadlineTimer(() => this.#run());
  #woken = false;

  constructor(role: DtlsRole, options: AssociationOptions) {
    let established!: () => void;
    this.established = new Promise((resolve) => {
      established = resolve;
    });
    this.endpoint = new DataChannelEndpoint(
      { role, ...options },
      {
        send: (packet) => {
          const copy = Buffer.from(packet); // only valid during the call
          setImmediate(() => this.peer.#receive(copy));
        },
        onWake: () => {
          if (this.#woken) return;
          this.#woken = true;
          queueMicrotask(() => this.#run());
        },
        onEstablished: established,
        onClosed: (r) => {
          this.closed = r;
        },
        onChannel: (c) => this.onChannel(c),
      },
    );
  }

  start(): void {
    this.endpoint.association.connect(now());
    this.#timer.armFor(this.endpoint.association);
  }

  stop(): void {
    this.#timer.close();
  }

  #receive(packet: Buffer): void {
    if (this.cut) return;
    this.endpoint.association.handlePacket(packet, now());
    this.#timer.armFor(this.endpoint.association);
  }

  #run(): void {
    this.#woken = false;
    this.endpoint.association.handleTimeout(now());
    this.#timer.armFor(this.endpoint.association);
  }
}

/** A DTLS client and server side, connecting at once. */
export function linkedEndpoints(options: AssociationOptions = {}): {
  a: LinkedEndpoint;
  b: LinkedEndpoint;
  connected: Promise<unknown>;
} {
  const a = new LinkedEndpoint('client', options);
  const b = new LinkedEndpoint('server', options);
  a.peer = b;
  b.peer = a;
  a.start();
  b.start();
  return { a, b, connected: Promise.all([a.established, b.established]) };
}
