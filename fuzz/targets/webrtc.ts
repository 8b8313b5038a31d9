/**
 * Remote descriptions through RTCPeerConnection (src/webrtc): each input is the SDP of an
 * offer (or, in some sessions, an answer to our own offer, or a pranswer) given to
 * setRemoteDescription, and after an offer that applies, our answer is made and set, so that
 * the next input renegotiates. The promise may reject only with what webrtc-pc names
 * (DOMException, RTCError, the TypeError of WebIDL conversions); any other error, a
 * JavaScript engine's TypeError included, is a finding; so is one thrown from a task or an
 * event (it reaches the worker as an uncaught exception).
 */
import { readFileSync } from 'node:fs';
import { RTCPeerConnection } from '../../src/webrtc/RTCPeerConnection.js';
import type { Random } from '../mutate.js';
import { Finding, type FuzzTarget } from '../target.js';
import { inputHash } from './fixups.js';
import { SDP_DICTIONARY } from './sdp.js';
import { specError } from './spec-errors.js';

async function settle(operation: Promise<unknown>): Promise<boolean> {
  try {
    await operation;
    return true;
  } catch (e) {
    if (specError(e)) return false;
    throw e;
  }
}

const FIXTURES = new URL('../../test/sdp/fixtures/', import.meta.url);

function peerSession(random: Random) {
  const pc = new RTCPeerConnection();
  const role = Math.floor(random() * 4); // 0, 1: remote offers; 2: answers to our offer; 3: pranswers
  let failure: unknown;
  const ready = (async () => {
    if (role >= 2) {
      pc.createDataChannel('fuzz');
      if (random() < 0.5) pc.addTransceiver('audio');
      await pc.setLocalDescription();
    }
  })().catch((e) => {
    failure = e;
  });
  return {
    async feed(input: Buffer) {
      await ready;
      if (failure) throw failure;
      const sdp = input.toString('utf8');
      const h = inputHash(input);
      if (role >= 2 && pc.signalingState !== 'have-local-offer') {
        // Make a new offer so that the next answer has something to answer.
        if (!(await settle(pc.setLocalDescription()))) return;
      }
      const type = role === 3 && h % 2 === 0 ? 'pranswer' : role >= 2 ? 'answer' : 'offer';
      const applied = await settle(pc.setRemoteDescription({ type, sdp }));
      if (applied && type === 'offer') await settle(pc.setLocalDescription());
      if (applied && (h >>> 8) % 4 === 0) {
        // A candidate line of the input, through addIceCandidate.
        const line = sdp.split(/\r?\n/).find((l) => l.startsWith('a=candidate:'));
        if (line) await settle(pc.addIceCandidate({ candidate: line.slice(2), sdpMLineIndex: 0 }));
      }
      if (pc.signalingState === 'closed') throw new Finding('the connection closed itself');
    },
    close() {
      pc.close();
    },
  };
}

export const webrtcTarget: FuzzTarget = {
  name: 'sdp-apply',
  description:
    'setRemoteDescription/setLocalDescription/addIceCandidate with fuzzed SDP, renegotiating',
  format: 'text',
  maxLength: 32 * 1024,
  sessionLength: 6,
  dictionary: SDP_DICTIONARY,
  seeds: () => [
    readFileSync(new URL('chromium-datachannel-offer.sdp', FIXTURES)),
    readFileSync(new URL('chromium-media-offer.sdp', FIXTURES)),
    readFileSync(new URL('chromium-media-offer-simulcast.sdp', FIXTURES)),
    readFileSync(new URL('chromium-datachannel-answer.sdp', FIXTURES)),
    readFileSync(new URL('chromium-media-answer.sdp', FIXTURES)),
    readFileSync(new URL('firefox-media-offer.sdp', FIXTURES)),
    readFileSync(new URL('firefox-datachannel-answer.sdp', FIXTURES)),
  ],
  session: (_context, random) => peerSession(random),
};
