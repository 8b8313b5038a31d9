/**
 * TCP host candidates (RFC 6544): a passive candidate is a listening socket that peers'
 * active candidates connect to; an active candidate connects to the peer's passive
 * candidates when the agent first sends a check there (its port is 9, RFC 6544 §4.5).
 * Either way each connection carries STUN and data framed as RFC 4571 says: a 16-bit
 * length, then the packet.
 *
 * A base is one candidate; its connections are found by the remote transport address,
 * so to the agent a connection looks like a datagram path (send to, receive from an
 * address). Bounds: connections per base, bytes waiting for a connection or for the
 * socket to drain, and an idle timeout that closes connections nothing travels on.
 */
import { connect as connectTcp, createServer, type Server, type Socket } from 'node:net';
import { StreamFramer } from '../turn/stream-framer.js';
import type { CandidateBase } from './base.js';
import type { TcpType } from './candidate.js';

/** RFC 4571 §2: a 2-byte length, then that many bytes. */
export function rfc4571FrameLength(header: Buffer): number {
  return 2 + header.readUInt16BE(0);
}

/** Frames `data` for a stream (RFC 4571); data longer than 65535 bytes cannot be sent. */
export function rfc4571Frame(data: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(2 + data.length);
  frame.writeUInt16BE(data.length, 0);
  frame.set(data, 2);
  return frame;
}

export type TcpPacketHandler = (base: TcpBase, data: Buffer, address: string, port: number) => void;

export interface TcpBaseOptions {
  /** Connections a base keeps at once (16). */
  maxConnections?: number;
  /** Closes a connection with no traffic either way for this long, ms (60000). */
  idleTimeout?: number;
  /** Bytes queued on a connection beyond which packets are dropped, as a datagram would be (1 MiB). */
  maxBuffered?: number;
}

interface Connection {
  socket: Socket;
  address: string;
  port: number;
  /** Packets waiting for an active connection to be made. */
  waiting: Buffer[] | undefined;
}

/** What passive and active candidates share: their connections, framing and bounds. */
export abstract class TcpBase implements CandidateBase {
  readonly protocol = 'tcp';
  abstract readonly tcpType: TcpType;
  abstract readonly port: number;
  closed = false;
  protected readonly connections = new Map<string, Connection>();
  /** The connection of the last send: the selected pair's, on the data path. */
  #last: Connection | undefined;
  readonly #onPacket: TcpPacketHandler;
  protected readonly maxConnections: number;
  readonly #idleTimeout: number;
  readonly #maxBuffered: number;

  constructor(
    readonly address: string,
    readonly name: string | undefined,
    onPacket: TcpPacketHandler,
    options: TcpBaseOptions,
  ) {
    this.#onPacket = onPacket;
    this.maxConnections = options.maxConnections ?? 16;
    this.#idleTimeout = options.idleTimeout ?? 60_000;
    this.#maxBuffered = options.maxBuffered ?? 1024 * 1024;
  }

  send(data: Uint8Array, address: string, port: number): void {
    if (this.closed || data.length > 0xffff) return;
    let connection = this.#last;
    if (connection === undefined || connection.port !== port || connection.address !== address) {
      connection = this.connections.get(`${address}:${port}`) ?? this.open(address, port);
      if (connection === undefined) return;
      this.#last = connection;
    }
    const frame = rfc4571Frame(data);
    if (connection.waiting !== undefined) {
      if (connection.waiting.length < 16) connection.waiting.push(frame);
    } else if (connection.socket.writableLength <= this.#maxBuffered)
      connection.socket.write(frame);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.connections.values()) connection.socket.destroy();
    this.connections.clear();
    this.#last = undefined;
  }

  /** A connection to `address`:`port` for a send, if this base makes them. */
  protected abstract open(address: string, port: number): Connection | undefined;

  /** Takes a connected (or connecting) socket into the base. */
  protected adopt(socket: Socket, address: string, port: number, connecting: boolean): Connection {
    const key = `${address}:${port}`;
    const connection: Connection = { socket, address, port, waiting: connecting ? [] : undefined };
    this.connections.set(key, connection);
    socket.setNoDelay(true);
    socket.setTimeout(this.#idleTimeout, () => socket.destroy());
    const framer = new StreamFramer(2, rfc4571FrameLength, (frame) =>
      this.#onPacket(this, frame.subarray(2), address, port),
    );
    socket.on('data', (chunk: Buffer) => {
      if (!framer.push(chunk)) socket.destroy();
    });
    socket.on('connect', () => {
      const waiting = connection.waiting ?? [];
      connection.waiting = undefined;
      for (const frame of waiting) socket.write(frame);
    });
    socket.on('error', () => {}); // a reset or refused connection just ends this path
    socket.on('close', () => {
      if (this.connections.get(key) === connection) this.connections.delete(key);
      if (this.#last === connection) this.#last = undefined;
    });
    return connection;
  }
}

/** A passive candidate: peers connect to its listening socket (RFC 6544 §5.2). */
export class PassiveTcpBase extends TcpBase {
  readonly tcpType = 'passive';
  readonly #server: Server;
  #port = 0;

  private constructor(
    address: string,
    name: string | undefined,
    onPacket: TcpPacketHandler,
    options: TcpBaseOptions,
  ) {
    super(address, name, onPacket, options);
    this.#server = createServer((socket) => {
      const { remoteAddress, remotePort } = socket;
      if (
        this.closed ||
        remoteAddress === undefined ||
        remotePort === undefined ||
        this.connections.size >= this.maxConnections
      )
        return void socket.destroy();
      this.adopt(socket, remoteAddress, remotePort, false);
    });
    this.#server.on('error', () => {});
  }

  /** Listens on `address` (a port the system picks). */
  static listen(
    address: string,
    name: string | undefined,
    onPacket: TcpPacketHandler,
    options: TcpBaseOptions = {},
  ): Promise<PassiveTcpBase> {
    const base = new PassiveTcpBase(address, name, onPacket, options);
    return new Promise((resolve, reject) => {
      base.#server.once('error', reject);
      base.#server.listen({ host: address, port: 0, exclusive: true }, () => {
        base.#server.off('error', reject);
        base.#port = (base.#server.address() as { port: number }).port;
        resolve(base);
      });
    });
  }

  get port(): number {
    return this.#port;
  }

  protected open(): undefined {
    return undefined; // a passive candidate only answers
  }

  override close(): void {
    super.close();
    this.#server.close();
  }
}

/** An active candidate: connects to a peer's passive candidate on the first send (RFC 6544 §5.1). */
export class ActiveTcpBase extends TcpBase {
  readonly tcpType = 'active';
  /** RFC 6544 §4.5: active candidates are signalled with the discard port. */
  readonly port = 9;

  protected open(address: string, port: number): Connection | undefined {
    if (this.connections.size >= this.maxConnections) return undefined;
    const socket = connectTcp({ host: address, port, localAddress: this.address });
    return this.adopt(socket, address, port, true);
  }
}
