/**
 * purertc: WebRTC for Node.js in TypeScript.
 *
 * The W3C classes are the public API; the protocol layers are exported as namespaces
 * for users who need one alone.
 */

export * as dtls from './dtls/index.js';
export * as ice from './ice/index.js';
export * as sdp from './sdp/index.js';
export * as stun from './stun/index.js';
export { RTCCertificate } from './webrtc/RTCCertificate.js';
export type { RTCErrorDetailType, RTCErrorEventInit, RTCErrorInit } from './webrtc/RTCError.js';
export { RTCError, RTCErrorEvent } from './webrtc/RTCError.js';
export { RTCIceCandidate } from './webrtc/RTCIceCandidate.js';
export { RTCSessionDescription } from './webrtc/RTCSessionDescription.js';
export type {
  RTCCertificateStats,
  RTCDataChannelStats,
  RTCIceCandidatePairStats,
  RTCIceCandidateStats,
  RTCPeerConnectionStats,
  RTCStats,
  RTCStatsType,
  RTCTransportStats,
} from './webrtc/RTCStatsReport.js';
export { RTCStatsReport } from './webrtc/RTCStatsReport.js';
