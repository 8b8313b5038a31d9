/**
 * The connection to a TURN server that a TurnClient talks through: a connected UDP socket
 * (so that ICMP port-unreachable comes back as an error), a TCP connection, or TLS over
 * TCP for `turns:` (RFC 8656 §3.1), the stream cut into messages by StreamFramer.
 */
import { createSocket } from 'node:dgram';
import { connect as connectTcp, type Socket as TcpSocket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import type { TransportAddress } from '../net/address.js';
import { ipFamily } from '../net/address.js';
import { DEFAULT_SOCKET_BUFFER } from '../net/udp.js';
import type { TurnTransport } from './client.js';
import { StreamFramer, TURN_FRAME_HEADER_LENGTH, turnFrameLength } from './stream-framer.js';

export interface ServerTransportOptions {
  transport: TurnTransport;
  /** The server's IP address and port. */
  address: string;
  port: number;
  /** The local IP address to send from; the system chooses when unset. */
  localAddress?: string;
  /** TLS: the name the certificate must carry (the URL's host when it is a name). */
  servername?: string;
  /** TLS: CAs to trust instead of Node's bundle. */
  ca?: string | Buffer | (string | Buffer)[];
  /** TLS: false skips certificate verification (tests only); true by default. */
  rejectUnauthorized?: boolean;
  /** TCP/TLS: how long the connection (and handshake) may take, ms. */
  connectTimeout: number;
  /** TCP/TLS: queued bytes beyond which relayed data is dropped instead of buffered (1 MiB). */
  maxWriteBuffer?: number;
  /** Aborts the setup: the socket is closed and the promise rejects. */
  signal?: AbortSignal;
}

export interface ServerTransportEvents {
  /** One whole message from the server (a view: used during the call only). */
  onMessage(message: Buffer): void;
  /** The transport failed or closed; nothing more comes. */
  onError(text: string): void;
}

export interface ServerTransport {
  /** The local address and port the server sees us from (before any NAT). */
  readonly local: TransportAddress | undefined;
  send(message: Buffer): void;
  close(): void;
}

/** Opens the transport; rejects with the reason when the server cannot be reached. */
export function openServerTransport(
  options: ServerTransportOptions,
  events: ServerTransportEvents,
): Promise<ServerTransport> {
  return options.transport === 'udp' ? openUdp(options, events) : openStream(options, events);
}

function openUdp(
  options: ServerTransportOptions,
  events: ServerTransportEvents,
): Promise<ServerTransport> {
  const family = ipFamily(options.address);
  const socket = createSocket({
    type: family === 6 ? 'udp6' : 'udp4',
    recvBufferSize: DEFAULT_SOCKET_BUFFER,
    sendBufferSize: DEFAULT_SOCKET_BUFFER,
  });
  let open = true;
  const transport: ServerTransport = {
    get local() {
      try {
        const { address, port } = socket.address();
        return { address, port };
      } catch {
        return undefined;
      }
    },
    send(message) {
      if (open) socket.send(message);
    },
    close() {
      if (!open) return;
      open = false;
      socket.close();
    },
  };
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      transport.close();
      reject(error);
    };
    socket.once('error', fail);
    socket.bind({ address: options.localAddress, port: 0 }, () => {
      socket.connect(options.port, options.address, () => {
        socket.off('error', fail);
        socket.on('message', (message) => events.onMessage(message));
        // ECONNREFUSED here is an ICMP port unreachable from the server's address.
        socket.on('error', (error) => events.onError(describeError(error)));
        resolve(transport);
      });
    });
  });
}

function openStream(
  options: ServerTransportOptions,
  events: ServerTransportEvents,
): Promise<ServerTransport> {
  const maxWriteBuffer = options.maxWriteBuffer ?? 1024 * 1024;
  const secure = options.transport === 'tls';
  const tcp = connectTcp({
    host: options.address,
    port: options.port,
    localAddress: options.localAddress,
  });
  tcp.setNoDelay(true);
  const socket: TcpSocket | TLSSocket = secure
    ? connectTls({
        socket: tcp,
        host: options.address, // the IP the certificate is checked against without a servername
        servername: options.servername,
        ca: options.ca,
        rejectUnauthorized: options.rejectUnauthorized ?? true,
        minVersion: 'TLSv1.2',
        ALPNProtocols: ['stun.turn'], // RFC 7443
      })
    : tcp;
  let open = true;
  let connected = false;
  const framer = new StreamFramer(TURN_FRAME_HEADER_LENGTH, turnFrameLength, (frame) =>
    events.onMessage(frame),
  );
  const transport: ServerTransport = {
    get local() {
      const { localAddress, localPort } = socket;
      return localAddress !== undefined && localPort !== undefined
        ? { address: localAddress, port: localPort }
        : undefined;
    },
    send(message) {
      if (!open) return;
      // Relayed data (ChannelData, Send indications) is dropped rather than queued without
      // bound when the connection cannot keep up, as a datagram would be.
      if (socket.writableLength > maxWriteBuffer && isRelayedData(message)) return;
      socket.write(message);
    },
    close() {
      if (!open) return;
      open = false;
      socket.destroy();
      tcp.destroy();
    },
  };
  return new Promise((resolve, reject) => {
    const abandon = (reason: string) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', aborted);
      transport.close();
      reject(new Error(reason));
    };
    const aborted = () => abandon('aborted');
    const timer = setTimeout(
      () => abandon(`no connection within ${options.connectTimeout} ms`),
      options.connectTimeout,
    );
    if (options.signal?.aborted) return abandon('aborted');
    options.signal?.addEventListener('abort', aborted, { once: true });
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', aborted);
      connected = true;
      resolve(transport);
    });
    socket.on('data', (chunk: Buffer) => {
      if (framer.push(chunk)) return;
      transport.close();
      events.onError('the server sent bytes that are neither STUN nor ChannelData');
    });
    socket.on('error', (error) => {
      if (connected) {
        transport.close();
        events.onError(describeError(error));
      } else abandon(describeError(error));
    });
    socket.on('close', () => {
      if (!open) return;
      if (connected) {
        open = false;
        events.onError('the server closed the connection');
      } else abandon('the connection closed during setup');
    });
  });
}

function isRelayedData(message: Buffer): boolean {
  return message[0]! >= 0x40 || (message[0] === 0x00 && message[1] === 0x16); // Send indication
}

export function describeError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
