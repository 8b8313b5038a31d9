/** Forward-TSN-Supported (RFC 3758 §3.1): the sender understands FORWARD TSN. No value. */
import { ParameterType } from '../parameter.js';
import type { Tlv } from '../tlv.js';

export class ForwardTsnSupported implements Tlv {
  get type(): number {
    return ParameterType.FORWARD_TSN_SUPPORTED;
  }
  valueLength(): number {
    return 0;
  }
  writeValue(): void {}
}
