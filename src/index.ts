/**
 * purertc: WebRTC for Node.js in TypeScript.
 *
 * The W3C classes are the public API (import `purertc/polyfill` to put them on
 * globalThis); the protocol layers are exported as namespaces for users who need one
 * alone.
 */

export * as dtls from './dtls/index.js';
export * as ice from './ice/index.js';
export * as sdp from './sdp/index.js';
export * as stun from './stun/index.js';
export type {
  RTCBundlePolicy,
  RTCConfiguration,
  RTCIceServer,
  RTCIceTransportPolicy,
  RTCRtcpMuxPolicy,
} from './webrtc/configuration.js';
export {
  RTCPeerConnectionIceErrorEvent,
  RTCPeerConnectionIceEvent,
  RTCTrackEvent,
} from './webrtc/events.js';
export { MediaStream, MediaStreamTrackEvent } from './webrtc/MediaStream.js';
export { MediaStreamTrack } from './webrtc/MediaStreamTrack.js';
export { RTCCertificate } from './webrtc/RTCCertificate.js';
export {
  type BinaryType,
  RTCDataChannel,
  RTCDataChannelEvent,
  type RTCDataChannelInit,
  type RTCDataChannelState,
} from './webrtc/RTCDataChannel.js';
export { RTCDTMFSender, RTCDTMFToneChangeEvent } from './webrtc/RTCDTMFSender.js';
export { RTCDtlsTransport, type RTCDtlsTransportState } from './webrtc/RTCDtlsTransport.js';
export type { RTCErrorDetailType, RTCErrorEventInit, RTCErrorInit } from './webrtc/RTCError.js';
export { RTCError, RTCErrorEvent } from './webrtc/RTCError.js';
export { RTCIceCandidate } from './webrtc/RTCIceCandidate.js';
export {
  RTCIceCandidatePair,
  type RTCIceComponent,
  type RTCIceGathererState,
  type RTCIceParameters,
  type RTCIceRole,
  RTCIceTransport,
  type RTCIceTransportState,
} from './webrtc/RTCIceTransport.js';
export {
  type RTCAnswerOptions,
  type RTCOfferOptions,
  RTCPeerConnection,
  type RTCRtpTransceiverInit,
} from './webrtc/RTCPeerConnection.js';
export { RTCRtpReceiver } from './webrtc/RTCRtpReceiver.js';
export { RTCRtpSender } from './webrtc/RTCRtpSender.js';
export { RTCRtpTransceiver, type RTCRtpTransceiverDirection } from './webrtc/RTCRtpTransceiver.js';
export { RTCSctpTransport, type RTCSctpTransportState } from './webrtc/RTCSctpTransport.js';
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
