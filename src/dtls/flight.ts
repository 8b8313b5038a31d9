/**
 * Outgoing flights (RFC 6347 §4.2.4): the messages of one flight, cut into handshake
 * fragments that fit the MTU (§4.2.3) and packed several records to a datagram (§4.1.1).
 * Every transmission packs afresh, so retransmissions get new record sequence numbers.
 */
import { ContentType } from './constants.js';
import { HANDSHAKE_HEADER_LENGTH, handshakeFragment } from './handshake/header.js';
import { RECORD_HEADER_LENGTH } from './record.js';

export type FlightEntry =
  | {
      contentType: typeof ContentType.handshake;
      epoch: number /** From encodeHandshake. */;
      message: Buffer;
    }
  | { contentType: typeof ContentType.change_cipher_spec; epoch: number };

/** Makes records for the packer: the connection's write state per epoch. */
export interface RecordWriter {
  /** Bytes record protection adds in this epoch. */
  overhead(epoch: number): number;
  /** A record with the epoch's next sequence number, protected as the epoch requires. */
  record(contentType: number, epoch: number, fragment: Buffer): Buffer;
}

/** Below this much room a datagram is closed rather than carry a sliver of a message. */
const MIN_FRAGMENT = 64;

const changeCipherSpec = Buffer.of(1);

export function packFlight(
  entries: readonly FlightEntry[],
  mtu: number,
  writer: RecordWriter,
): Buffer[] {
  const datagrams: Buffer[] = [];
  let records: Buffer[] = [];
  let used = 0;
  const flush = () => {
    if (records.length > 0)
      datagrams.push(records.length === 1 ? records[0]! : Buffer.concat(records));
    records = [];
    used = 0;
  };
  const add = (record: Buffer) => {
    records.push(record);
    used += record.length;
  };
  for (const entry of entries) {
    const overhead = RECORD_HEADER_LENGTH + writer.overhead(entry.epoch);
    if (entry.contentType === ContentType.change_cipher_spec) {
      if (used + overhead + 1 > mtu) flush();
      add(writer.record(ContentType.change_cipher_spec, entry.epoch, changeCipherSpec));
      continue;
    }
    const bodyLength = entry.message.length - HANDSHAKE_HEADER_LENGTH;
    for (let offset = 0; ; ) {
      const room = mtu - used - overhead - HANDSHAKE_HEADER_LENGTH;
      if (used > 0 && room < Math.min(MIN_FRAGMENT, bodyLength - offset)) {
        flush();
        continue;
      }
      const length = Math.min(Math.max(room, 1), bodyLength - offset);
      add(
        writer.record(
          ContentType.handshake,
          entry.epoch,
          handshakeFragment(entry.message, offset, length),
        ),
      );
      offset += length;
      if (offset >= bodyLength) break;
    }
  }
  flush();
  return datagrams;
}
