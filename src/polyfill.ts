/**
 * The W3C WebRTC interfaces on globalThis, for code written for browsers:
 *
 *   import 'purertc/polyfill';
 *   const pc = new RTCPeerConnection();
 *
 * Importing installs every class that globalThis does not have yet; one already there (a
 * native implementation, another polyfill) is left alone unless `install({ overwrite:
 * true })` asks. The properties are defined as WebIDL defines interface objects on the
 * global: writable, configurable, not enumerable.
 */

import {
  RTCPeerConnectionIceErrorEvent,
  RTCPeerConnectionIceEvent,
  RTCTrackEvent,
} from './webrtc/events.js';
import { MediaStream, MediaStreamTrackEvent } from './webrtc/MediaStream.js';
import { MediaStreamTrack } from './webrtc/MediaStreamTrack.js';
import { RTCCertificate } from './webrtc/RTCCertificate.js';
import { RTCDataChannel, RTCDataChannelEvent } from './webrtc/RTCDataChannel.js';
import { RTCDTMFSender, RTCDTMFToneChangeEvent } from './webrtc/RTCDTMFSender.js';
import { RTCDtlsTransport } from './webrtc/RTCDtlsTransport.js';
import { RTCError, RTCErrorEvent } from './webrtc/RTCError.js';
import { RTCIceCandidate } from './webrtc/RTCIceCandidate.js';
import { RTCIceCandidatePair, RTCIceTransport } from './webrtc/RTCIceTransport.js';
import { RTCPeerConnection } from './webrtc/RTCPeerConnection.js';
import { RTCRtpReceiver } from './webrtc/RTCRtpReceiver.js';
import { RTCRtpSender } from './webrtc/RTCRtpSender.js';
import { RTCRtpTransceiver } from './webrtc/RTCRtpTransceiver.js';
import { RTCSctpTransport } from './webrtc/RTCSctpTransport.js';
import { RTCSessionDescription } from './webrtc/RTCSessionDescription.js';
import { RTCStatsReport } from './webrtc/RTCStatsReport.js';

/** Every interface the polyfill installs, by its global name. */
export const interfaces = {
  RTCPeerConnection,
  RTCSessionDescription,
  RTCIceCandidate,
  RTCIceCandidatePair,
  RTCIceTransport,
  RTCDtlsTransport,
  RTCSctpTransport,
  RTCDataChannel,
  RTCDataChannelEvent,
  RTCPeerConnectionIceEvent,
  RTCPeerConnectionIceErrorEvent,
  RTCTrackEvent,
  RTCError,
  RTCErrorEvent,
  RTCCertificate,
  RTCStatsReport,
  RTCRtpTransceiver,
  RTCRtpSender,
  RTCRtpReceiver,
  RTCDTMFSender,
  RTCDTMFToneChangeEvent,
  MediaStream,
  MediaStreamTrack,
  MediaStreamTrackEvent,
} as const;

export interface InstallOptions {
  /** Replace classes globalThis already has. Default false. */
  overwrite?: boolean;
}

/** Installs the interfaces on globalThis; returns the names it installed. */
export function install(options: InstallOptions = {}): string[] {
  const installed: string[] = [];
  for (const [name, value] of Object.entries(interfaces)) {
    if (!options.overwrite && Object.hasOwn(globalThis, name)) continue;
    Object.defineProperty(globalThis, name, {
      value,
      writable: true,
      configurable: true,
      enumerable: false,
    });
    installed.push(name);
  }
  return installed;
}

install();
