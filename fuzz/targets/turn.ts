/**
 * What a TURN server sends a TurnClient (src/turn): responses to its Allocate, Refresh,
 * CreatePermission and ChannelBind requests, Data indications and ChannelData, over UDP and
 * cut from a TCP stream by the StreamFramer. The client talks to the fake server of the TURN
 * tests on the simulated network; fuzzed messages come in beside the server's.
 *
 * Repairs: a response gets the transaction id of a request in flight and MESSAGE-INTEGRITY
 * with the long-term key, ChannelData the number of a channel the client bound.
 */
import { longTermKey, MAGIC_COOKIE } from '../../src/stun/index.js';
import {
  StreamFramer,
  TURN_FRAME_HEADER_LENGTH,
  turnFrameLength,
} from '../../src/turn/stream-framer.js';
import { allocated, harness } from '../../test/turn/harness.js';
import { type FuzzTarget, invariant } from '../target.js';
import { inputHash, resignStun } from './fixups.js';
import { STUN_DICTIONARY } from './stun.js';

const KEY = longTermKey('user', 'example.org', 'pass');
const PEERS = ['198.51.100.1', '198.51.100.2', '203.0.113.9'];

export const turnTarget: FuzzTarget = {
  name: 'turn',
  description: 'TURN client: server responses, Data indications, ChannelData; TCP stream framing',
  format: 'binary',
  maxLength: 1500,
  sessionLength: 48,
  dictionary: [
    ...STUN_DICTIONARY,
    Buffer.from([0x01, 0x03]), // Allocate success
    Buffer.from([0x01, 0x13]), // Allocate error
    Buffer.from([0x00, 0x17]), // Data indication
    Buffer.from([0x00, 0x16, 0x00, 0x08, 0x00, 0x01]), // XOR-RELAYED-ADDRESS
    Buffer.from([0x00, 0x12, 0x00, 0x08, 0x00, 0x01]), // XOR-PEER-ADDRESS
    Buffer.from([0x00, 0x0d, 0x00, 0x04]), // LIFETIME
    Buffer.from('example.org'),
  ],
  session(_context, random) {
    const h = harness();
    const phase = Math.floor(random() * 3);
    if (phase === 0) h.client.allocate(h.net.now);
    else {
      allocated(h);
      for (const peer of PEERS.slice(0, 1 + Math.floor(random() * 3))) {
        h.client.sendTo(Buffer.from('hello'), peer, 7000, h.net.now);
        if (phase === 2) h.client.bindChannel(peer, 7000, h.net.now);
      }
      h.net.advance(100);
    }
    const framer = new StreamFramer(TURN_FRAME_HEADER_LENGTH, turnFrameLength, (frame) =>
      h.client.handleMessage(frame, h.net.now),
    );
    return {
      feed(input) {
        const hash = inputHash(input);
        let message = input;
        const mode = hash % 8;
        if (mode <= 3 && input.length >= 20) {
          // A response to a request in flight, signed.
          const requests = h.sent.filter((m) => (m[0]! & 0xc0) === 0);
          const request =
            requests[
              requests.length - 1 - ((hash >>> 8) % Math.max(1, Math.min(4, requests.length)))
            ];
          message = Buffer.from(input);
          message.writeUInt32BE(MAGIC_COOKIE, 4);
          if (request) request.copy(message, 8, 8, 20);
          message = resignStun(message, mode === 3 ? undefined : KEY);
        } else if (mode === 4 && input.length >= 4) {
          message = Buffer.from(input);
          message.writeUInt16BE(0x4000 + ((hash >>> 8) % 4), 0); // the first channels the client binds
        }
        if (mode === 7) {
          // The same bytes as a TCP stream, in pieces.
          const cut = input.length === 0 ? 0 : (hash >>> 8) % input.length;
          if (framer.push(input.subarray(0, cut))) framer.push(input.subarray(cut));
        } else h.client.handleMessage(message, h.net.now);
        h.net.advance((hash >>> 16) % 300);
        invariant(framer.buffered <= 0xffff + 20, `framer holds ${framer.buffered} bytes`);
        invariant(h.received.length <= 10_000, 'data delivered without end');
        const state = h.client.state;
        invariant(
          ['new', 'allocating', 'allocated', 'closing', 'closed', 'failed'].includes(state),
          state,
        );
      },
      close() {
        h.client.close(h.net.now);
        h.net.advance(3000);
      },
    };
  },
};
