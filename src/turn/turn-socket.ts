/**
 * A TURN allocation on real sockets: a TurnClient driven by one DeadlineTimer over the
 * server transport (UDP, TCP or TLS) that a `turn:`/`turns:` URL names. allocate() resolves
 * with the relayed and mapped addresses; send() and onData carry data to and from peers
 * through the relay; close() releases the allocation, waiting at most the client's
 * closeTimeout. A 300 Try Alternate is followed (a bounded number of times, never back to
 * a server already tried).
 *
 * Errors carry what W3C RTCPeerConnectionIceErrorEvent needs: the URL, the local address
 * and port used (null before a socket existed), the STUN error code (or 701) and its text.
 */
import { lookup } from 'node:dns/promises';
import { ipFamily, type TransportAddress } from '../net/address.js';
import { DeadlineTimer, now } from '../net/timer.js';
import {
  type Allocation,
  ERROR_UNREACHABLE,
  TurnClient,
  type TurnClientEvents,
  type TurnClientOptions,
  type TurnError,
  type TurnState,
  type TurnTransport,
} from './client.js';
import { describeError, openServerTransport, type ServerTransport } from './server-transport.js';

/** A TURN server as an RTCIceServer URL gives it (src/webrtc/configuration.ts IceServerUrl). */
export interface TurnServer {
  /** The URL as configured: errors quote it. */
  url: string;
  /** An IP address or a name to resolve. */
  host: string;
  port: number;
  /** The URL's `transport` parameter: udp by default for turn:, tcp for turns:. */
  transport: 'udp' | 'tcp';
  /** turns: TLS over TCP. */
  secure: boolean;
  username: string;
  credential: string;
}

/** What W3C RTCPeerConnectionIceErrorEvent carries, and the TURN details behind it. */
export interface TurnServerError extends TurnError {
  url: string;
  /** The local address and port used to reach the server, or null. */
  address: string | null;
  port: number | null;
}

export class TurnSocketError extends Error implements TurnServerError {
  readonly url: string;
  readonly address: string | null;
  readonly port: number | null;
  readonly errorCode: number;
  readonly errorText: string;
  constructor(error: TurnServerError) {
    super(`${error.url}: ${error.errorCode} ${error.errorText}`);
    this.name = 'TurnSocketError';
    this.url = error.url;
    this.address = error.address;
    this.port = error.port;
    this.errorCode = error.errorCode;
    this.errorText = error.errorText;
  }
}

/** The TurnClient options a TurnSocket passes through (lifetime, timing, bounds). */
export type TurnCoreOptions = Omit<
  TurnClientOptions,
  'username' | 'password' | 'transport' | keyof TurnClientEvents
>;

/**
 * A UDP socket owned elsewhere (an ICE host candidate's) that the allocation shares, as
 * browsers do: the relayed candidate's mapped address is then that host candidate's
 * server-reflexive address. The owner hands datagrams from the server (see matches()) to
 * receive(), and closes the socket itself.
 */
export interface SharedUdpSocket {
  readonly local: TransportAddress;
  send(message: Buffer, address: string, port: number): void;
}

export interface TurnSocketOptions extends TurnCoreOptions {
  server: TurnServer;
  /** turn: over UDP only: send through this socket instead of opening one. */
  shared?: SharedUdpSocket;
  /** The local IP address to reach the server from; the system's choice when unset. */
  localAddress?: string;
  /** TLS: CAs (PEM) to trust instead of Node's bundle. */
  ca?: string | Buffer | (string | Buffer)[];
  /** TLS: false skips certificate verification (tests only). Verified by default. */
  rejectUnauthorized?: boolean;
  /** TCP/TLS connection setup bound, ms (10000). */
  connectTimeout?: number;
  /** ALTERNATE-SERVER redirections to follow (2). */
  maxRedirects?: number;
  onAllocated?(allocation: Allocation): void;
  /** Data from a peer through the relay: a view, valid during the call. */
  onData?(data: Buffer, address: string, port: number): void;
  /** Every failure: the allocation's (then allocate() rejects too), a lost allocation, a refused peer. */
  onError?(error: TurnServerError): void;
}

export class TurnSocket {
  readonly server: TurnServer;
  readonly #options: TurnSocketOptions;
  readonly #timer: DeadlineTimer;
  #client: TurnClient | undefined;
  #transport: ServerTransport | undefined;
  /** The server's resolved address, once known (it changes with a redirect). */
  #serverAddress = '';
  #serverPort = 0;
  #promise: Promise<Allocation> | undefined;
  #settle: { resolve(a: Allocation): void; reject(e: TurnSocketError): void } | undefined;
  #closing: Promise<void> | undefined;
  #onClosed: (() => void) | undefined;
  #closed = false;
  #failed = false;
  /** Aborts a connection still being set up when close() comes. */
  readonly #abort = new AbortController();
  readonly #tried = new Set<string>();

  constructor(options: TurnSocketOptions) {
    this.server = options.server;
    this.#options = options;
    this.#timer = new DeadlineTimer((at) => {
      this.#client?.handleTimeout(at);
      this.#arm();
    });
  }

  /** 'udp', 'tcp' or 'tls': the W3C RTCIceCandidate relayProtocol. */
  get relayProtocol(): TurnTransport {
    return this.server.secure ? 'tls' : this.server.transport;
  }

  get state(): TurnState {
    return this.#client?.state ?? (this.#closed ? 'closed' : this.#failed ? 'failed' : 'new');
  }

  get allocation(): Allocation | undefined {
    return this.#client?.allocation;
  }

  /** The local address and port the server is reached from. */
  get local(): TransportAddress | undefined {
    return this.#transport?.local;
  }

  /** The server's IP address and port once resolved: where shared-socket datagrams come from. */
  get serverAddress(): TransportAddress | undefined {
    return this.#serverPort === 0
      ? undefined
      : { address: this.#serverAddress, port: this.#serverPort };
  }

  /** Whether a datagram from `address`:`port` on a shared socket is this server's. */
  matches(address: string, port: number): boolean {
    return port === this.#serverPort && address === this.#serverAddress;
  }

  /** A datagram from the server on the shared socket. */
  receive(message: Buffer): void {
    const client = this.#client;
    if (client === undefined) return;
    client.handleMessage(message, now());
    this.#arm();
  }

  /** Makes the allocation; rejects with a TurnSocketError (701 when the server cannot be reached). */
  allocate(): Promise<Allocation> {
    this.#promise ??= new Promise<Allocation>((resolve, reject) => {
      this.#settle = { resolve, reject };
      void this.#start(this.server.host, this.server.port, undefined);
    });
    return this.#promise;
  }

  /** Sends to a peer through the relay; false when dropped (see TurnClient.sendTo). */
  send(data: Uint8Array, address: string, port: number): boolean {
    const client = this.#client;
    if (client === undefined) return false;
    const sent = client.sendTo(data, address, port, now());
    this.#arm();
    return sent;
  }

  createPermissions(addresses: Iterable<string>): void {
    this.#client?.createPermissions(addresses, now());
    this.#arm();
  }

  bindChannel(address: string, port: number): boolean {
    const bound = this.#client?.bindChannel(address, port, now()) ?? false;
    this.#arm();
    return bound;
  }

  channelBound(address: string, port: number): boolean {
    return this.#client?.channelBound(address, port) ?? false;
  }

  /** Refreshes the allocation now (TurnClient.refresh). */
  refresh(): void {
    this.#client?.refresh(now());
    this.#arm();
  }

  /** Releases the allocation and the socket. Resolves within the client's closeTimeout. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#onClosed = resolve;
      const client = this.#client;
      if (client === undefined || this.#transport === undefined) return this.#finish();
      client.close(now());
      this.#arm();
    });
    return this.#closing;
  }

  async #start(host: string, port: number, servername: string | undefined): Promise<void> {
    const { server } = this;
    if (server.secure && server.transport === 'udp')
      return this.#fail(ERROR_UNREACHABLE, 'turns: over UDP (DTLS) is not supported');
    if (this.#options.shared && this.relayProtocol !== 'udp')
      return this.#fail(ERROR_UNREACHABLE, 'a shared socket carries turn: over UDP only');
    let address = host;
    if (ipFamily(host) === undefined) {
      try {
        const family = this.#options.localAddress ? ipFamily(this.#options.localAddress) : 0;
        address = (await lookup(host, { family: family ?? 0 })).address;
      } catch (error) {
        return this.#fail(
          ERROR_UNREACHABLE,
          `cannot resolve ${host}: ${describeError(error as Error)}`,
        );
      }
      servername ??= host;
    }
    if (this.#closed) return;
    this.#tried.add(`${address}:${port}`);
    this.#serverAddress = address;
    this.#serverPort = port;
    const client = new TurnClient({
      ...this.#options,
      username: server.username,
      password: server.credential,
      transport: this.relayProtocol,
      send: (message) => this.#transport?.send(message),
      onAllocated: (allocation) => {
        this.#settle?.resolve(allocation);
        this.#settle = undefined;
        this.#options.onAllocated?.(allocation);
      },
      onData: this.#options.onData,
      onError: (error) => this.#clientError(client, error),
      onClosed: () => this.#finish(),
    });
    this.#client = client;
    const shared = this.#options.shared;
    try {
      this.#transport = shared
        ? sharedTransport(shared, address, port)
        : await openServerTransport(
            {
              transport: this.relayProtocol,
              address,
              port,
              localAddress: this.#options.localAddress,
              servername,
              ca: this.#options.ca,
              rejectUnauthorized: this.#options.rejectUnauthorized,
              connectTimeout: this.#options.connectTimeout ?? 10_000,
              signal: this.#abort.signal,
            },
            {
              onMessage: (message) => {
                client.handleMessage(message, now());
                this.#arm();
              },
              onError: (text) => {
                client.handleTransportError(text);
                this.#arm();
              },
            },
          );
    } catch (error) {
      this.#client = undefined;
      if (this.#closed || this.#closing) return this.#finish();
      return this.#fail(ERROR_UNREACHABLE, describeError(error as Error));
    }
    if (this.#closing) {
      // close() came while connecting: nothing allocated yet.
      this.#finish();
      return;
    }
    client.allocate(now());
    this.#arm();
  }

  #clientError(client: TurnClient, error: TurnError): void {
    const alternate = error.alternateServer;
    if (alternate !== undefined && this.#redirect(alternate)) {
      // RFC 8489 §10: try the alternate server with the same transport and credentials.
      this.#client = undefined;
      this.#transport?.close();
      this.#transport = undefined;
      const servername = error.alternateDomain ?? this.#servernameOf(this.server.host);
      void this.#start(alternate.address, alternate.port, servername);
      return;
    }
    this.#report(error);
    if (client.state === 'failed' && this.#closing === undefined) {
      // Nothing more to do with this server; the socket goes, the object stays closed.
      this.#transport?.close();
    }
  }

  #redirect(alternate: TransportAddress): boolean {
    const key = `${alternate.address}:${alternate.port}`;
    if (this.#tried.has(key) || this.#tried.size > (this.#options.maxRedirects ?? 2)) return false;
    return !this.#closing;
  }

  #servernameOf(host: string): string | undefined {
    return ipFamily(host) === undefined ? host : undefined;
  }

  #fail(errorCode: number, errorText: string): void {
    this.#failed = true;
    this.#report({ errorCode, errorText });
  }

  #report(error: TurnError): void {
    const local = this.#transport?.local;
    const report: TurnServerError = {
      ...error,
      url: this.server.url,
      address: local?.address ?? null,
      port: local?.port ?? null,
    };
    this.#options.onError?.(report);
    if (this.#settle !== undefined) {
      this.#settle.reject(new TurnSocketError(report));
      this.#settle = undefined;
    }
  }

  #finish(): void {
    this.#closed = true;
    this.#abort.abort();
    if (this.#settle !== undefined) {
      this.#settle.reject(
        new TurnSocketError({
          url: this.server.url,
          address: null,
          port: null,
          errorCode: ERROR_UNREACHABLE,
          errorText: 'closed before the allocation was made',
        }),
      );
      this.#settle = undefined;
    }
    this.#timer.close();
    this.#transport?.close();
    this.#onClosed?.();
    this.#onClosed = undefined;
  }

  #arm(): void {
    if (this.#client !== undefined) this.#timer.armFor(this.#client);
  }
}

function sharedTransport(shared: SharedUdpSocket, address: string, port: number): ServerTransport {
  let open = true;
  return {
    local: shared.local,
    send(message) {
      if (open) shared.send(message, address, port);
    },
    close() {
      open = false;
    },
  };
}
