/** Incoming SSN Reset Request (RFC 6525 §4.2): asks the peer to reset its outgoing streams (our incoming ones). */
import { ParameterType } from '../parameter.js';
import type { Tlv } from '../tlv.js';

export class IncomingSsnResetRequest implements Tlv {
  constructor(
    readonly requestSequenceNumber: number,
    readonly streams: readonly number[],
  ) {}
  get type(): number {
    return ParameterType.INCOMING_SSN_RESET_REQUEST;
  }
  static decode(value: Buffer): IncomingSsnResetRequest | undefined {
    if (value.length < 4 || value.length % 2 !== 0) return undefined;
    const streams: number[] = [];
    for (let off = 4; off < value.length; off += 2) streams.push(value.readUInt16BE(off));
    return new IncomingSsnResetRequest(value.readUInt32BE(0), streams);
  }
  valueLength(): number {
    return 4 + 2 * this.streams.length;
  }
  writeValue(buf: Buffer, offset: number): void {
    buf.writeUInt32BE(this.requestSequenceNumber, offset);
    for (let i = 0; i < this.streams.length; i++)
      buf.writeUInt16BE(this.streams[i]!, offset + 4 + 2 * i);
  }
}
