/** Re-configuration Response (RFC 6525 §4.4): the result of one request, by its sequence number. */
import { ParameterType } from '../parameter.js';
import type { Tlv } from '../tlv.js';

export const ReconfigurationResult = {
  SUCCESS_NOTHING_TO_DO: 0,
  SUCCESS_PERFORMED: 1,
  DENIED: 2,
  ERROR_WRONG_SSN: 3,
  ERROR_REQUEST_ALREADY_IN_PROGRESS: 4,
  ERROR_BAD_SEQUENCE_NUMBER: 5,
  IN_PROGRESS: 6,
} as const;

export class ReconfigurationResponse implements Tlv {
  constructor(
    readonly responseSequenceNumber: number,
    readonly result: number,
    /** Only in responses to an SSN/TSN Reset Request; both or neither. */
    readonly sendersNextTsn?: number,
    readonly receiversNextTsn?: number,
  ) {}
  get type(): number {
    return ParameterType.RECONFIGURATION_RESPONSE;
  }
  static decode(value: Buffer): ReconfigurationResponse | undefined {
    if (value.length === 8)
      return new ReconfigurationResponse(value.readUInt32BE(0), value.readUInt32BE(4));
    if (value.length === 16)
      return new ReconfigurationResponse(
        value.readUInt32BE(0),
        value.readUInt32BE(4),
        value.readUInt32BE(8),
        value.readUInt32BE(12),
      );
    return undefined;
  }
  valueLength(): number {
    return this.sendersNextTsn === undefined ? 8 : 16;
  }
  writeValue(buf: Buffer, offset: number): void {
    buf.writeUInt32BE(this.responseSequenceNumber, offset);
    buf.writeUInt32BE(this.result, offset + 4);
    if (this.sendersNextTsn === undefined) return;
    buf.writeUInt32BE(this.sendersNextTsn, offset + 8);
    buf.writeUInt32BE(this.receiversNextTsn ?? 0, offset + 12);
  }
}
