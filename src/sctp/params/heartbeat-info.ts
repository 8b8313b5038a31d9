/** Heartbeat Info (RFC 9260 §3.3.5): opaque to the receiver, echoed back in HEARTBEAT ACK. */
import { ParameterType } from '../parameter.js';
import { RawTlv } from '../tlv.js';

export class HeartbeatInfo extends RawTlv {
  constructor(info: Buffer) {
    super(ParameterType.HEARTBEAT_INFO, info);
  }
}
