/**
 * purertc: WebRTC for Node.js in TypeScript.
 *
 * The W3C classes are the public API; the protocol layers (stun, ice, dtls, sctp, ...)
 * are exported as namespaces for users who need them alone.
 */

export type { RTCErrorDetailType, RTCErrorEventInit, RTCErrorInit } from './webrtc/RTCError.js';
export { RTCError, RTCErrorEvent } from './webrtc/RTCError.js';
