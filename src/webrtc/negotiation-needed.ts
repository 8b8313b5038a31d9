/**
 * The negotiation-needed flag (W3C webrtc-pc "Session Negotiation Model"): "update the
 * negotiation-needed flag", which fires `negotiationneeded` from a queued task once the
 * operations chain is empty and the state is stable, and "check if negotiation is
 * needed" over the current local description.
 */
import type { Direction } from '../sdp/attributes/direction.js';
import { answerDirection } from '../sdp/jsep-answer.js';
import type { JsepMediaSection } from '../sdp/jsep-read.js';
import type { PeerConnectionSlots } from './peer-connection-state.js';
import { senderSlots } from './RTCRtpSender.js';
import { transceiverSlots } from './RTCRtpTransceiver.js';
import { queueTaskWith } from './task-queue.js';

/** "Update the negotiation-needed flag". */
export function updateNegotiationNeeded(s: PeerConnectionSlots): void {
  if (s.operations.length !== 0) {
    s.updateNegotiationNeededFlagOnEmptyChain = true;
    return;
  }
  queueTaskWith(updateNegotiationNeededTask, s);
}

function updateNegotiationNeededTask(s: PeerConnectionSlots): void {
  if (s.isClosed) return;
  if (s.operations.length !== 0) {
    s.updateNegotiationNeededFlagOnEmptyChain = true;
    return;
  }
  // The flag is updated again when the state returns to stable.
  if (s.signalingState !== 'stable') return;
  if (!isNegotiationNeeded(s)) {
    s.negotiationNeeded = false;
    return;
  }
  if (s.negotiationNeeded) return;
  s.negotiationNeeded = true;
  s.target.dispatchEvent(new Event('negotiationneeded'));
}

function reversed(direction: Direction): Direction {
  if (direction === 'sendonly') return 'recvonly';
  if (direction === 'recvonly') return 'sendonly';
  return direction;
}

/** "Check if negotiation is needed". */
export function isNegotiationNeeded(s: PeerConnectionSlots): boolean {
  if (s.localIceCredentialsToReplace.size > 0) return true;
  const description = s.currentLocalDescription;
  const sections = description?.jsep.sections ?? [];
  const find = (sections: readonly JsepMediaSection[], mid: string | null) =>
    mid === null ? undefined : sections.find((x) => x.mid === mid);
  if (s.dataChannelCreated && !sections.some((x) => x.media === 'application' && !x.rejected)) {
    return true;
  }
  for (const transceiver of s.transceivers) {
    const t = transceiverSlots(transceiver);
    if (t.stopping && !t.stopped) return true;
    const section = find(sections, t.jsepMid);
    if (!t.stopped) {
      if (section === undefined) return true;
      if (t.direction === 'sendrecv' || t.direction === 'sendonly') {
        const ids = section.msids.map((m) => m.id).filter((id) => id !== '-');
        const wanted = senderSlots(t.sender).associatedMediaStreamIds;
        if (
          section.msids.length === 0 ||
          ids.length !== wanted.length ||
          ids.some((id) => !wanted.includes(id))
        ) {
          return true;
        }
      }
      const remote = find(s.currentRemoteDescription?.jsep.sections ?? [], t.jsepMid);
      if (description?.type === 'offer') {
        const matches =
          section.direction === t.direction ||
          (remote !== undefined && reversed(remote.direction) === t.direction);
        if (!matches) return true;
      } else if (description?.type === 'answer' && remote !== undefined) {
        if (section.direction !== answerDirection(t.direction, remote.direction)) return true;
      }
    } else if (section !== undefined) {
      const remote = find(s.currentRemoteDescription?.jsep.sections ?? [], t.jsepMid);
      if (!section.rejected && !(remote?.rejected ?? false)) return true;
    }
  }
  return false;
}
