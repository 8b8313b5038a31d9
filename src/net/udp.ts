/** UDP sockets for the protocol wrappers (node:dgram). */
import { createSocket, type Socket } from 'node:dgram';
import { ipFamily } from './address.js';

export interface UdpBindOptions {
  /** The local IP address to bind; a specific address, so that the socket is a candidate base. */
  address: string;
  /** 0 (the default) lets the system pick a port. */
  port?: number;
  /**
   * SO_RCVBUF / SO_SNDBUF in bytes. Generous by default (4 MiB): a burst of SCTP or media
   * overflows the system default before the event loop drains the socket. The kernel caps
   * them at net.core.rmem_max / wmem_max.
   */
  recvBufferSize?: number;
  sendBufferSize?: number;
}

export const DEFAULT_SOCKET_BUFFER = 4 * 1024 * 1024;

/** Binds a UDP socket to one local address; IPv6 sockets are IPv6-only. */
export function bindUdp(options: UdpBindOptions): Promise<Socket> {
  const family = ipFamily(options.address);
  if (family === undefined)
    return Promise.reject(new TypeError(`not an IP address: ${options.address}`));
  const socket = createSocket({
    type: family === 6 ? 'udp6' : 'udp4',
    ipv6Only: family === 6,
    recvBufferSize: options.recvBufferSize ?? DEFAULT_SOCKET_BUFFER,
    sendBufferSize: options.sendBufferSize ?? DEFAULT_SOCKET_BUFFER,
  });
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      socket.close();
      reject(error);
    };
    socket.once('error', onError);
    socket.bind({ address: options.address, port: options.port ?? 0, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
