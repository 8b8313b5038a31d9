/**
 * DCEP messages and channel data into a DataChannelEndpoint (src/datachannel): each input
 * is a message an established peer association sends on a stream and with a PPID that the
 * input's hash picks (DCEP mostly, else string, binary, the empty and the deprecated partial
 * ones), so it arrives through SCTP as the endpoint would see it. Some sessions open
 * channels of their own first.
 */
import { DataChannelEndpoint } from '../../src/datachannel/endpoint.js';
import { Ppid } from '../../src/datachannel/ppid.js';
import { type FuzzTarget, invariant } from '../target.js';
import { inputHash } from './fixups.js';
import { SCTP_OPTIONS, SctpLink } from './sctp.js';

const PPIDS = [
  Ppid.DCEP,
  Ppid.DCEP,
  Ppid.DCEP,
  Ppid.STRING,
  Ppid.BINARY,
  Ppid.STRING_EMPTY,
  Ppid.BINARY_EMPTY,
  Ppid.STRING_PARTIAL,
  Ppid.BINARY_PARTIAL,
  0,
  99,
];

export const dcepTarget: FuzzTarget = {
  name: 'dcep',
  description: 'DCEP open/ack and channel messages into a data channel endpoint',
  format: 'binary',
  maxLength: 2048,
  sessionLength: 48,
  dictionary: [
    Buffer.from([0x03, 0x00]), // DATA_CHANNEL_OPEN, reliable
    Buffer.from([0x03, 0x81]), // partial reliable rexmit, unordered
    Buffer.from([0x03, 0x82]), // partial reliable timed, unordered
    Buffer.from([0x02]), // DATA_CHANNEL_ACK
    Buffer.from([0x01, 0x00]), // priority 256
  ],
  session(_context, random) {
    let endpoint: DataChannelEndpoint | undefined;
    const role = random() < 0.5 ? 'client' : 'server';
    let messages = 0;
    const link = new SctpLink((callbacks) => {
      endpoint = new DataChannelEndpoint(
        { ...SCTP_OPTIONS, role },
        {
          ...callbacks,
          onChannel: (channel) => {
            channel.events = { onMessage: () => void messages++ };
          },
        },
      );
      return endpoint.association;
    });
    const ep = endpoint!;
    const peer = link.b.assoc;
    link.a.assoc.connect(link.now);
    peer.connect(link.now);
    link.settle(1000);
    invariant(link.a.assoc.state === 'established', `association ${link.a.assoc.state}`);
    for (let i = Math.floor(random() * 3); i > 0; i--) {
      const negotiated = random() < 0.3;
      // Negotiated ids above the few the endpoint picks itself.
      ep.openChannel(
        {
          label: `c${i}`,
          protocol: '',
          ordered: random() < 0.5,
          maxRetransmits: null,
          maxPacketLifeTime: null,
          negotiated,
          ...(negotiated ? { id: 10 + i } : {}),
        },
        link.now,
      );
    }
    link.tick(0);
    link.settle(1200);
    return {
      feed(input) {
        const h = inputHash(input);
        const streamId = (h >>> 8) % (h % 5 === 0 ? 20 : 6);
        const ppid = PPIDS[(h >>> 16) % PPIDS.length]!;
        if (peer.state === 'established' && streamId < peer.outboundStreams)
          peer.sendMessage(streamId, ppid, input.length > 0 ? input : Buffer.of(0), link.now);
        link.tick(0);
        link.pump(16);
        if ((h >>> 24) % 4 === 0) {
          // Our side closes a channel now and then.
          const channel = [...ep.channels][(h >>> 4) % 4];
          channel?.close(link.now);
          link.tick(0);
        }
        link.pump(16);
        invariant([...ep.channels].length <= SCTP_OPTIONS.streams, 'more channels than streams');
      },
    };
  },
};
