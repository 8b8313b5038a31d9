/** A TurnClient on the simulated network talking to the fake server, with a peer behind the relay. */
import {
  type Allocation,
  TurnClient,
  type TurnClientOptions,
  type TurnError,
} from '../../src/turn/client.js';
import {
  type LinkOptions,
  type SimAddress,
  SimNetwork,
  type SimSocket,
} from '../support/simnet.js';
import { type FakeServerOptions, FakeTurnServer } from './fake-server.js';

export const CLIENT: SimAddress = { address: '10.0.0.1', port: 5000 };
export const PEER: SimAddress = { address: '198.51.100.1', port: 7000 };

export interface Harness {
  net: SimNetwork;
  server: FakeTurnServer;
  client: TurnClient;
  socket: SimSocket;
  peer: SimSocket;
  allocated: Allocation[];
  errors: TurnError[];
  /** Data the client received: copies, with the peer it came from. */
  received: { data: string; address: string; port: number }[];
  /** Data the peer received from the relay. */
  atPeer: { data: string; from: SimAddress }[];
  /** Every message the client sent to the server. */
  sent: Buffer[];
  closed: number;
  closedAt: number | undefined;
}

export function harness(
  options: {
    client?: Partial<TurnClientOptions>;
    server?: FakeServerOptions;
    link?: LinkOptions & { seed?: number };
  } = {},
): Harness {
  const net = new SimNetwork({ delay: 10, ...options.link });
  const server = new FakeTurnServer(net, options.server);
  const h = {
    net,
    server,
    allocated: [],
    errors: [],
    received: [],
    atPeer: [],
    sent: [],
    closed: 0,
  } as unknown as Harness;
  h.client = new TurnClient({
    username: 'user',
    password: 'pass',
    transport: 'udp',
    send(message) {
      h.sent.push(Buffer.from(message));
      h.socket.send(message, server.options.address);
    },
    onAllocated: (a) => h.allocated.push(a),
    onError: (e) => h.errors.push(e),
    onData: (data, address, port) => h.received.push({ data: data.toString(), address, port }),
    onClosed: () => {
      h.closed++;
      h.closedAt = net.now;
    },
    ...options.client,
  });
  h.socket = net.bind(CLIENT, (data) => h.client.handleMessage(data, net.now));
  h.peer = net.bind(PEER, (data, from) => h.atPeer.push({ data: data.toString(), from }));
  net.addTimed(h.client);
  return h;
}

/** Allocates and runs until the allocation is made. */
export function allocated(h: Harness): Allocation {
  h.client.allocate(h.net.now);
  h.net.run({ until: () => h.client.state !== 'allocating', timeout: 60_000 });
  if (h.client.state !== 'allocated') throw new Error(`allocation ${h.client.state}`);
  return h.allocated[0]!;
}

/** Messages the client sent, as 'stun' method names or 'channel-data'. */
export function isChannelData(message: Buffer): boolean {
  return (message[0]! & 0xc0) === 0x40;
}
