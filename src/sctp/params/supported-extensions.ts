/** Supported Extensions (RFC 5061 §4.2.7): the chunk types beyond RFC 9260 an endpoint understands. */
import { ParameterType } from '../parameter.js';
import type { Tlv } from '../tlv.js';

export class SupportedExtensions implements Tlv {
  constructor(readonly chunkTypes: readonly number[]) {}
  get type(): number {
    return ParameterType.SUPPORTED_EXTENSIONS;
  }
  static decode(value: Buffer): SupportedExtensions {
    return new SupportedExtensions([...value]);
  }
  valueLength(): number {
    return this.chunkTypes.length;
  }
  writeValue(buf: Buffer, offset: number): void {
    for (let i = 0; i < this.chunkTypes.length; i++) buf[offset + i] = this.chunkTypes[i]!;
  }
}
