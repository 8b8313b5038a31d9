/**
 * Add Outgoing Streams and Add Incoming Streams Requests (RFC 6525 §4.5, §4.6), which share
 * one layout. We negotiate the full 65535 streams at setup, so we understand and deny them.
 */
import { ParameterType } from '../parameter.js';
import type { Tlv } from '../tlv.js';

export class AddStreamsRequest implements Tlv {
  constructor(
    readonly type:
      | typeof ParameterType.ADD_OUTGOING_STREAMS_REQUEST
      | typeof ParameterType.ADD_INCOMING_STREAMS_REQUEST,
    readonly requestSequenceNumber: number,
    readonly numberOfNewStreams: number,
  ) {}
  static decode(type: number, value: Buffer): AddStreamsRequest | undefined {
    if (value.length !== 8) return undefined;
    if (
      type !== ParameterType.ADD_OUTGOING_STREAMS_REQUEST &&
      type !== ParameterType.ADD_INCOMING_STREAMS_REQUEST
    )
      return undefined;
    return new AddStreamsRequest(type, value.readUInt32BE(0), value.readUInt16BE(4));
  }
  valueLength(): number {
    return 8;
  }
  writeValue(buf: Buffer, offset: number): void {
    buf.writeUInt32BE(this.requestSequenceNumber, offset);
    buf.writeUInt16BE(this.numberOfNewStreams, offset + 4);
    buf.writeUInt16BE(0, offset + 6);
  }
}
