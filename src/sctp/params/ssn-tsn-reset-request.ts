/** SSN/TSN Reset Request (RFC 6525 §4.3): resets every stream and the TSNs. We understand it and deny it. */
import { ParameterType } from '../parameter.js';
import type { Tlv } from '../tlv.js';

export class SsnTsnResetRequest implements Tlv {
  constructor(readonly requestSequenceNumber: number) {}
  get type(): number {
    return ParameterType.SSN_TSN_RESET_REQUEST;
  }
  static decode(value: Buffer): SsnTsnResetRequest | undefined {
    return value.length === 4 ? new SsnTsnResetRequest(value.readUInt32BE(0)) : undefined;
  }
  valueLength(): number {
    return 4;
  }
  writeValue(buf: Buffer, offset: number): void {
    buf.writeUInt32BE(this.requestSequenceNumber, offset);
  }
}
