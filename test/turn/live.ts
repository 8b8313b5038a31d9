/** Helpers for tests against real servers: a UDP peer, polling. */
import { createSocket, type Socket } from 'node:dgram';
import type { TestContext } from 'node:test';

export interface UdpPeer {
  socket: Socket;
  port: number;
  received: { data: string; address: string; port: number }[];
}

/** A plain UDP socket on 127.0.0.1 that records what it receives. */
export async function udpPeer(t: TestContext): Promise<UdpPeer> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  t.after(() => socket.close());
  const peer: UdpPeer = { socket, port: socket.address().port, received: [] };
  socket.on('message', (data, from) =>
    peer.received.push({ data: data.toString(), address: from.address, port: from.port }),
  );
  return peer;
}

/** Resolves once `condition` holds; rejects after `timeout` ms saying what was awaited. */
export async function waitFor(
  what: string,
  condition: () => boolean,
  timeout = 5000,
): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
