/**
 * RTCSessionDescription (W3C webrtc-pc, "RTCSessionDescription Class"), and the
 * exception a session description's SDP errors turn into.
 */

import type { SdpError } from '../sdp/error.js';
import { toDictionary, toDOMString, toEnum } from './configuration.js';
import { RTCError } from './RTCError.js';

export type RTCSdpType = 'offer' | 'pranswer' | 'answer' | 'rollback';

export interface RTCSessionDescriptionInit {
  type: RTCSdpType;
  sdp?: string;
}

export const sdpTypes: readonly RTCSdpType[] = ['offer', 'pranswer', 'answer', 'rollback'];

export class RTCSessionDescription {
  readonly #type: RTCSdpType;
  readonly #sdp: string;

  constructor(descriptionInitDict: RTCSessionDescriptionInit) {
    if (arguments.length < 1) {
      throw new TypeError(
        "Failed to construct 'RTCSessionDescription': 1 argument required, but only 0 present.",
      );
    }
    // RTCSessionDescriptionInit: required RTCSdpType type; DOMString sdp = "".
    const dict = toDictionary(descriptionInitDict, 'RTCSessionDescriptionInit');
    const sdp = dict.sdp;
    this.#sdp = sdp === undefined ? '' : toDOMString(sdp);
    if (dict.type === undefined) {
      throw new TypeError("RTCSessionDescriptionInit: required member 'type' is undefined");
    }
    this.#type = toEnum(dict.type, sdpTypes, 'RTCSdpType');
  }

  get type(): RTCSdpType {
    return this.#type;
  }

  get sdp(): string {
    return this.#sdp;
  }

  toJSON(): { type: RTCSdpType; sdp: string } {
    return { type: this.#type, sdp: this.#sdp };
  }
}

/**
 * The exception "set the session description" rejects with for an SDP problem: an
 * RTCError 'sdp-syntax-error' with the line number for a syntax error, else an
 * InvalidAccessError for content that is invalid.
 */
export function sdpErrorToException(error: SdpError): DOMException {
  if (error.kind === 'syntax') {
    return new RTCError(
      error.line === undefined
        ? { errorDetail: 'sdp-syntax-error' }
        : { errorDetail: 'sdp-syntax-error', sdpLineNumber: error.line },
      error.message,
    );
  }
  return new DOMException(error.message, 'InvalidAccessError');
}
