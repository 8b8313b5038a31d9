/**
 * Outgoing SSN Reset Request (RFC 6525 §4.1): the sender resets some (or, with an empty
 * list, all) of its outgoing streams once every TSN up to its last assigned one arrived.
 */
import { ParameterType } from '../parameter.js';
import type { Tlv } from '../tlv.js';

export class OutgoingSsnResetRequest implements Tlv {
  constructor(
    readonly requestSequenceNumber: number,
    readonly responseSequenceNumber: number,
    readonly sendersLastAssignedTsn: number,
    readonly streams: readonly number[],
  ) {}
  get type(): number {
    return ParameterType.OUTGOING_SSN_RESET_REQUEST;
  }
  static decode(value: Buffer): OutgoingSsnResetRequest | undefined {
    if (value.length < 12 || value.length % 2 !== 0) return undefined;
    const streams: number[] = [];
    for (let off = 12; off < value.length; off += 2) streams.push(value.readUInt16BE(off));
    return new OutgoingSsnResetRequest(
      value.readUInt32BE(0),
      value.readUInt32BE(4),
      value.readUInt32BE(8),
      streams,
    );
  }
  valueLength(): number {
    return 12 + 2 * this.streams.length;
  }
  writeValue(buf: Buffer, offset: number): void {
    buf.writeUInt32BE(this.requestSequenceNumber, offset);
    buf.writeUInt32BE(this.responseSequenceNumber, offset + 4);
    buf.writeUInt32BE(this.sendersLastAssignedTsn, offset + 8);
    for (let i = 0; i < this.streams.length; i++)
      buf.writeUInt16BE(this.streams[i]!, offset + 12 + 2 * i);
  }
}
