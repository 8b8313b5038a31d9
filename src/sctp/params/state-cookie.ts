/** State Cookie (RFC 9260 §3.3.3.1): opaque to the receiver, echoed back in COOKIE ECHO. */
import { ParameterType } from '../parameter.js';
import { RawTlv } from '../tlv.js';

export class StateCookie extends RawTlv {
  constructor(cookie: Buffer) {
    super(ParameterType.STATE_COOKIE, cookie);
  }
}
