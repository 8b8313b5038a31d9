/**
 * STUN messages as src/stun reads them: decoding (framing, repeats, FINGERPRINT), every
 * attribute's value, MESSAGE-INTEGRITY and -SHA256 checks, the 420 answer to unknown
 * attributes, and ChannelData framing. A decoded value must re-encode to the same value.
 */
import { isDeepStrictEqual } from 'node:util';
import { demultiplex } from '../../src/net/demux.js';
import {
  attributeCodecs,
  decodeChannelData,
  decodeStunMessage,
  looksLikeStun,
  MAX_CHANNEL_NUMBER,
  MIN_CHANNEL_NUMBER,
  StunMessage,
  StunWriter,
  shortTermKey,
  unknownAttributesResponse,
} from '../../src/stun/index.js';
import { type FuzzTarget, invariant } from '../target.js';
import { inputHash, resignStun } from './fixups.js';

export const STUN_KEY = shortTermKey('fuzzpasswordfuzzpassword');

export const STUN_DICTIONARY = [
  Buffer.from([0x21, 0x12, 0xa4, 0x42]), // magic cookie
  Buffer.from([0x00, 0x08, 0x00, 0x14]), // MESSAGE-INTEGRITY header
  Buffer.from([0x00, 0x1c, 0x00, 0x20]), // MESSAGE-INTEGRITY-SHA256 header
  Buffer.from([0x80, 0x28, 0x00, 0x04]), // FINGERPRINT header
  Buffer.from([0x00, 0x20, 0x00, 0x08, 0x00, 0x01]), // XOR-MAPPED-ADDRESS, IPv4
  Buffer.from([0x00, 0x20, 0x00, 0x14, 0x00, 0x02]), // XOR-MAPPED-ADDRESS, IPv6
  Buffer.from([0x00, 0x06]), // USERNAME
  Buffer.from([0x00, 0x09]), // ERROR-CODE
  Buffer.from([0x00, 0x0a]), // UNKNOWN-ATTRIBUTES
  Buffer.from([0x00, 0x24, 0x00, 0x04]), // PRIORITY
  Buffer.from([0x00, 0x25, 0x00, 0x00]), // USE-CANDIDATE
  Buffer.from([0x80, 0x29, 0x00, 0x08]), // ICE-CONTROLLED
  Buffer.from([0x80, 0x2a, 0x00, 0x08]), // ICE-CONTROLLING
  Buffer.from([0x00, 0x01]), // Binding request
  Buffer.from([0x01, 0x01]), // Binding success
  Buffer.from([0x01, 0x11]), // Binding error
  Buffer.from([0x00, 0x03]), // Allocate
  Buffer.from([0x40, 0x00]), // a channel number
];

/** MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are checked, not values. */
const CHECKED = new Set([0x0008, 0x001c, 0x8028]);

/** Decodes every attribute and checks that what decodes re-encodes to the same value. */
export function exerciseMessage(message: StunMessage): void {
  for (const [type, codec] of attributeCodecs) {
    if (CHECKED.has(type)) continue;
    for (const value of message.getAll(codec)) {
      // A value the decoder accepts is one the encoder can write.
      const again = new StunWriter(message.method, message.messageClass, message.transactionId)
        .add(codec, value)
        .finish();
      const decoded = decodeStunMessage(again);
      invariant(
        decoded instanceof StunMessage,
        `${codec.name}: re-encoded message does not decode`,
      );
      invariant(
        isDeepStrictEqual(decoded.get(codec), value),
        `${codec.name}: ${JSON.stringify(value, bigints)} re-encodes to ${JSON.stringify(decoded.get(codec), bigints)}`,
      );
    }
  }
  message.checkIntegrity(STUN_KEY);
  const unknown = unknownAttributesResponse(message);
  if (unknown)
    invariant(
      decodeStunMessage(unknown.finish()) instanceof StunMessage,
      '420 answer does not decode',
    );
}

function bigints(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

export const stunTarget: FuzzTarget = {
  name: 'stun',
  description: 'STUN decode, attribute values, integrity, fingerprint; ChannelData',
  format: 'binary',
  maxLength: 1500,
  sessionLength: 1,
  dictionary: STUN_DICTIONARY,
  session: () => ({
    feed(input) {
      demultiplex(input[0] ?? 0);
      // Most inputs get their lengths, HMACs and CRC repaired, or the decoder drops them first.
      const data = inputHash(input) % 4 === 0 ? input : resignStun(input, STUN_KEY);
      const message = decodeStunMessage(data);
      if (message instanceof StunMessage) {
        invariant(looksLikeStun(data), 'decoded a message that looksLikeStun() refuses');
        exerciseMessage(message);
      }
      const channelData = decodeChannelData(data);
      if (channelData) {
        const { channelNumber, data: payload } = channelData;
        invariant(
          channelNumber >= MIN_CHANNEL_NUMBER && channelNumber <= MAX_CHANNEL_NUMBER,
          'bad channel number',
        );
        invariant(payload.length + 4 <= data.length, 'ChannelData longer than the datagram');
      }
    },
  }),
};
