/** Two data channel endpoints over the simulated network (no DTLS), both connecting at once. */
import type { DataChannel, DataChannelError } from '../../src/datachannel/channel.js';
import { DataChannelEndpoint } from '../../src/datachannel/endpoint.js';
import type { DtlsRole } from '../../src/datachannel/stream-id.js';
import type { CloseReason } from '../../src/sctp/association.js';
import type { AssociationOptions } from '../../src/sctp/options.js';
import { type LinkOptions, type SimAddress, SimNetwork } from '../support/simnet.js';

export interface Side {
  endpoint: DataChannelEndpoint;
  /** Channels the peer opened, as announced, and what happened on each (see record()). */
  incoming: DataChannel[];
  incomingLogs: string[][];
  established: boolean;
  closed: CloseReason | undefined;
}

/** What happened on a channel, in order: messages as text or `bin:<hex>`, closing, close. */
export function record(channel: DataChannel): string[] {
  const log: string[] = [];
  channel.events = {
    onMessage: (data, binary) => log.push(binary ? `bin:${data.toString('hex')}` : data.toString()),
    onClosing: () => log.push('closing'),
    onClose: (error?: DataChannelError) =>
      log.push(error ? `close:${error.errorDetail}:${error.sctpCauseCode}` : 'close'),
  };
  return log;
}

export function endpointPair(
  link: LinkOptions & { seed?: number } = { delay: 5 },
  options: AssociationOptions = {},
): { net: SimNetwork; a: Side; b: Side } {
  const net = new SimNetwork(link);
  const make = (local: SimAddress, remote: SimAddress, role: DtlsRole): Side => {
    const side = {
      incoming: [],
      incomingLogs: [],
      established: false,
      closed: undefined,
    } as unknown as Side;
    const socket = net.bind(local, (data) => side.endpoint.association.handlePacket(data, net.now));
    side.endpoint = new DataChannelEndpoint(
      { role, remoteMaxMessageSize: 0, ...options },
      {
        send: (p) => socket.send(p, remote),
        onEstablished: () => {
          side.established = true;
        },
        onClosed: (r) => {
          side.closed = r;
        },
        onChannel: (c) => {
          side.incoming.push(c);
          side.incomingLogs.push(record(c));
        },
      },
    );
    net.addTimed(side.endpoint.association);
    return side;
  };
  const A = { address: '10.0.0.1', port: 5000 };
  const B = { address: '10.0.0.2', port: 5000 };
  const a = make(A, B, 'client');
  const b = make(B, A, 'server');
  a.endpoint.association.connect(net.now);
  b.endpoint.association.connect(net.now);
  net.run({ until: () => a.established && b.established });
  return { net, a, b };
}

export const reliable = {
  label: 'chat',
  protocol: '',
  ordered: true,
  maxRetransmits: null,
  maxPacketLifeTime: null,
  negotiated: false,
};
