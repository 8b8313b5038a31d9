/**
 * A DtlsConnection on its own UDP socket (node:dgram) with one DeadlineTimer: for talking to
 * DTLS peers directly, such as OpenSSL in the tests. In WebRTC the connection rides on the
 * ICE transport instead and this wrapper is not used.
 */
import { createSocket, type Socket } from 'node:dgram';
import { DeadlineTimer, now } from '../net/timer.js';
import {
  DtlsConnection,
  type DtlsConnectionOptions,
  type DtlsTransportState,
} from './connection.js';
import type { DtlsFingerprint } from './fingerprint.js';

export interface DtlsSocketOptions extends Omit<DtlsConnectionOptions, 'send'> {
  /** The peer. A server without one serves the first address that sends to it. */
  remote?: { address: string; port: number };
  /** Where to bind (default 127.0.0.1 and a free port). */
  local?: { address?: string; port?: number };
}

export class DtlsSocket {
  readonly connection: DtlsConnection;
  readonly #socket: Socket;
  readonly #timer: DeadlineTimer;
  #remote: { address: string; port: number } | undefined;
  readonly #settled: Promise<void>;

  private constructor(socket: Socket, options: DtlsSocketOptions) {
    this.#socket = socket;
    this.#remote = options.remote;
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    this.#settled = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#settled.catch(() => {}); // observed through connected()
    this.#timer = new DeadlineTimer((t) => {
      this.connection.handleTimeout(t);
      this.#timer.armFor(this.connection);
    });
    this.connection = new DtlsConnection({
      ...options,
      send: (datagram) => {
        const r = this.#remote;
        if (r) socket.send(datagram, r.port, r.address);
      },
      onStateChange: (state: DtlsTransportState) => {
        if (state === 'connected') resolve();
        if (state === 'failed' || state === 'closed') {
          const failure = this.connection.failure;
          reject(new Error(failure ? `DTLS failed: ${failure.message}` : `DTLS ${state}`));
          this.#timer.close();
          setImmediate(() => socket.close()); // after the last alert has gone out
        }
        options.onStateChange?.(state);
      },
    });
    socket.on('error', () => {}); // UDP send errors are losses, which the handshake outlives
    socket.on('message', (msg, rinfo) => {
      if (!this.#remote && options.role === 'server')
        this.#remote = { address: rinfo.address, port: rinfo.port };
      const r = this.#remote;
      if (!r || r.address !== rinfo.address || r.port !== rinfo.port) return;
      this.connection.handleDatagram(msg, now());
      this.#timer.armFor(this.connection);
    });
  }

  /** Binds a socket and starts the handshake. */
  static async open(options: DtlsSocketOptions): Promise<DtlsSocket> {
    const address = options.local?.address ?? '127.0.0.1';
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.local?.port ?? 0, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const s = new DtlsSocket(socket, options);
    s.connection.start(now());
    s.#timer.armFor(s.connection);
    return s;
  }

  get localPort(): number {
    return this.#socket.address().port;
  }

  /** Resolves when connected; rejects if the connection fails or closes first. */
  connected(): Promise<void> {
    return this.#settled;
  }

  /** The fingerprints from the remote description, if they were not known at open(). */
  setRemoteFingerprints(fingerprints: readonly DtlsFingerprint[]): void {
    this.connection.setRemoteFingerprints(fingerprints, now());
    this.#timer.armFor(this.connection);
  }

  send(data: Buffer): void {
    this.connection.send(data);
  }

  /** Sends close_notify and releases the socket. */
  close(): void {
    this.connection.close();
  }
}
