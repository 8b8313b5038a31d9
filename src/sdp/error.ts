/**
 * What is wrong with a session description. W3C webrtc-pc ("set the session description")
 * maps the two kinds to two exceptions: a description that is not valid SDP syntax
 * rejects with RTCError 'sdp-syntax-error' and its sdpLineNumber; a well-formed
 * description whose content is invalid rejects with InvalidAccessError.
 */

export type SdpErrorKind = 'syntax' | 'invalid';

export type SdpErrorCode =
  // syntax: RFC 8866 lines and the ABNF of the attributes we understand
  | 'malformed-line'
  | 'unknown-line-type'
  | 'line-order'
  | 'missing-line'
  | 'malformed-attribute'
  | 'duplicate-attribute'
  // content: RFC 9429 §5.8.3 and the RFCs it points to
  | 'duplicate-mid'
  | 'missing-mid'
  | 'bundle-unknown-mid'
  | 'bundle-mid-in-two-groups'
  | 'missing-ice-ufrag'
  | 'missing-ice-pwd'
  | 'ice-ufrag-chars'
  | 'ice-pwd-chars'
  | 'ice-ufrag-length'
  | 'ice-pwd-length'
  | 'missing-fingerprint'
  | 'setup-in-answer'
  | 'missing-rtcp-mux'
  | 'rtcp-mux-only-without-rtcp-mux'
  | 'unknown-simulcast-rid'
  | 'answer-mismatch';

export interface SdpError {
  kind: SdpErrorKind;
  code: SdpErrorCode;
  message: string;
  /** The 1-based line the problem comes from, when it comes from one line. */
  line?: number;
}

export function syntaxError(code: SdpErrorCode, message: string, line?: number): SdpError {
  return line === undefined
    ? { kind: 'syntax', code, message }
    : { kind: 'syntax', code, message, line };
}

export function invalidError(code: SdpErrorCode, message: string, line?: number): SdpError {
  return line === undefined
    ? { kind: 'invalid', code, message }
    : { kind: 'invalid', code, message, line };
}
