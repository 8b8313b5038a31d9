/**
 * RTCSessionDescription (W3C webrtc-pc, "RTCSessionDescription Class"), and the
 * exception a session description's SDP errors turn into.
 */

import type { SdpError } from '../sdp/error.js';
import { RTCError } from './RTCError.js';
import { requireArguments, toDictionary, toDOMString, toEnum, toRequired } from './webidl.js';

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
    requireArguments(arguments.length, 1, "Failed to construct 'RTCSessionDescription'");
    // RTCSessionDescriptionInit: DOMString sdp = ""; required RTCSdpType type.
    const dict = toDictionary(descriptionInitDict, 'RTCSessionDescriptionInit');
    const sdp = dict.sdp;
    this.#sdp = sdp === undefined ? '' : toDOMString(sdp);
    this.#type = toRequired(dict.type, (v) => toEnum(v, sdpTypes, 'RTCSdpType'), 'type');
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
