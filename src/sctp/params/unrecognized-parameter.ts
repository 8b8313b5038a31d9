/** Unrecognized Parameter (RFC 9260 §3.3.3): an INIT parameter we did not understand, returned in the INIT ACK. */
import { ParameterType } from '../parameter.js';
import type { Tlv } from '../tlv.js';

export class UnrecognizedParameter implements Tlv {
  constructor(readonly parameter: Tlv) {}
  get type(): number {
    return ParameterType.UNRECOGNIZED_PARAMETER;
  }
  valueLength(): number {
    return 4 + this.parameter.valueLength();
  }
  writeValue(buf: Buffer, offset: number): void {
    buf.writeUInt16BE(this.parameter.type, offset);
    buf.writeUInt16BE(4 + this.parameter.valueLength(), offset + 2);
    this.parameter.writeValue(buf, offset + 4);
  }
}
