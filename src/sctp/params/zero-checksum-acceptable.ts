/**
 * Zero Checksum Acceptable (RFC 9653 §4): the sender accepts packets whose checksum is zero
 * when they arrive through the error detection method named by the EDMID.
 */
import { ParameterType } from '../parameter.js';
import type { Tlv } from '../tlv.js';

/** EDMID 1: SCTP over DTLS (RFC 9653 §7), whose records carry their own integrity check. */
export const EDMID_SCTP_OVER_DTLS = 1;

export class ZeroChecksumAcceptable implements Tlv {
  constructor(readonly edmid: number) {}
  get type(): number {
    return ParameterType.ZERO_CHECKSUM_ACCEPTABLE;
  }
  valueLength(): number {
    return 4;
  }
  writeValue(buf: Buffer, offset: number): void {
    buf.writeUInt32BE(this.edmid, offset);
  }
  /** The EDMID of a parameter's value, or undefined when the value is not 4 bytes. */
  static decode(value: Buffer): number | undefined {
    return value.length === 4 ? value.readUInt32BE(0) : undefined;
  }
}
