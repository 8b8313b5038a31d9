/**
 * Our SDP against Chromium's: headless Chromium applies the offers and answers our
 * builder writes, what it writes passes our parser and validation, and where it
 * rejects a broken description we reject it with the same exception.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fingerprintOf } from '../../src/sdp/attributes/dtls.js';
import { buildDataSection, buildSession, newSessionId } from '../../src/sdp/builder.js';
import { parseCandidate } from '../../src/sdp/candidate.js';
import { getMid } from '../../src/sdp/description.js';
import { parseSdp } from '../../src/sdp/parse.js';
import { serializeSdp } from '../../src/sdp/serialize.js';
import { checkSdp } from '../../src/sdp/validate.js';
import { sdpErrorToException } from '../../src/webrtc/RTCSessionDescription.js';
import { openChromium } from '../support/chromium.js';
import { needsPeer } from '../support/peers.js';
import { fixture } from './fixtures.js';

const transport = (setup: 'actpass' | 'active') => ({
  iceUfrag: 'pUr3',
  icePwd: 'purertcpurertcpurertc+/',
  fingerprints: [fingerprintOf('sha-256', Buffer.alloc(32, 0xa5))],
  setup,
});

function ourOffer(): string {
  const host = parseCandidate('candidate:1 1 udp 2122260223 127.0.0.1 9 typ host generation 0');
  assert.ok(host.ok);
  const data = buildDataSection({
    mid: '0',
    transport: transport('actpass'),
    candidates: [host.candidate],
    endOfCandidates: true,
  });
  return serializeSdp(
    buildSession({ sessionId: newSessionId(), sessionVersion: 2, bundle: ['0'] }, [data]),
  );
}

function ourAnswer(offer: string): string {
  const r = checkSdp(offer, { type: 'offer' });
  assert.ok(r.ok, 'the Chromium offer is valid');
  const mid = getMid(r.description.media[0]!)!;
  const data = buildDataSection({ mid, transport: transport('active') });
  return serializeSdp(
    buildSession({ sessionId: newSessionId(), sessionVersion: 2, bundle: [mid] }, [data]),
  );
}

/** Variants of an offer with one problem each. */
function brokenOffers(offer: string): [string, string][] {
  const media = fixture('chromium-media-offer.sdp');
  return [
    ['no ice-pwd', offer.replace(/a=ice-pwd:.*\r\n/, '')],
    ['bad setup', offer.replace('a=setup:actpass', 'a=setup:bogus')],
    ['bad fingerprint', offer.replace(/(a=fingerprint:sha-256 )A5/, '$1G5')],
    ['bad line', offer.replace('a=mid:0', 'garbage')],
    ['bad sctp-port', offer.replace('a=sctp-port:5000', 'a=sctp-port:99999')],
    ['BUNDLE names an unknown mid', offer.replace('a=group:BUNDLE 0', 'a=group:BUNDLE 0 7')],
    ['duplicate mid', media.replace('a=mid:1', 'a=mid:0')],
    ['short ice-ufrag', offer.replace('a=ice-ufrag:pUr3', 'a=ice-ufrag:pUr')],
    ['no t=', offer.replace('t=0 0\r\n', '')],
  ];
}

// Browser code runs as strings: the DOM types are not part of our type environment.

/** Chromium answers our offer; gives its answer and its view of our offer. */
const answerOurs = (offer: string) => `(async () => {
  const pc = new RTCPeerConnection();
  await pc.setRemoteDescription({ type: 'offer', sdp: ${JSON.stringify(offer)} });
  await pc.setLocalDescription();
  const result = { answer: pc.localDescription.sdp, remote: pc.remoteDescription.sdp };
  pc.close();
  return result;
})()`;

/** Chromium makes a data channel offer, kept on window for applyAnswer. */
const OFFER = `(async () => {
  window.offerer = new RTCPeerConnection();
  window.offerer.createDataChannel('x');
  await window.offerer.setLocalDescription();
  return window.offerer.localDescription.sdp;
})()`;

const applyAnswer = (answer: string) => `(async () => {
  await window.offerer.setRemoteDescription({ type: 'answer', sdp: ${JSON.stringify(answer)} });
  const state = window.offerer.signalingState;
  window.offerer.close();
  return state;
})()`;

/** For each offer, the name of the exception setRemoteDescription throws, or 'accepted'. */
const rejections = (cases: [string, string][]) => `(async () => {
  const out = {};
  for (const [name, sdp] of ${JSON.stringify(cases)}) {
    const pc = new RTCPeerConnection();
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp });
      out[name] = 'accepted';
    } catch (e) {
      out[name] = e.name;
    }
    pc.close();
  }
  return out;
})()`;

test('Chromium applies our offer and answer, its SDP passes our validation, and it rejects as we do', {
  ...needsPeer('chromium', 'chromium'),
  timeout: 60_000,
}, async () => {
  const offer = ourOffer();
  const broken = brokenOffers(offer);
  const session = await openChromium();
  let answered: { answer: string; remote: string };
  let chromiumOffer: string;
  let signalingState: string;
  let rejected: Record<string, string>;
  try {
    const { page } = session;
    answered = await page.evaluate(answerOurs(offer));
    chromiumOffer = await page.evaluate(OFFER);
    signalingState = await page.evaluate(applyAnswer(ourAnswer(chromiumOffer)));
    rejected = await page.evaluate(rejections(broken));
  } finally {
    await session.close();
  }
  assert.equal(signalingState, 'stable', 'Chromium applied our answer');

  // Chromium's view of our offer keeps our lines.
  const remote = parseSdp(answered.remote);
  assert.ok(remote.ok);
  const ufrag = remote.description.media[0]!.attributes.find((a) => a.name === 'ice-ufrag');
  assert.equal(ufrag?.value, 'pUr3');

  // Its answer and its own offer are valid to us, and round-trip byte for byte.
  const ours = parseSdp(offer);
  assert.ok(ours.ok);
  const checks = [
    [answered.answer, { type: 'answer' as const, offer: ours.description }],
    [chromiumOffer, { type: 'offer' as const }],
  ] as const;
  for (const [sdp, options] of checks) {
    const checked = checkSdp(sdp, options);
    assert.ok(checked.ok, JSON.stringify(!checked.ok && checked.errors));
    assert.equal(serializeSdp(checked.description), sdp);
  }

  // Where Chromium rejects a broken offer, we reject it with the same exception. It
  // accepts some that RFC 9429 §5.8 says to reject (a short ufrag, no t= line); we
  // reject those too.
  assert.equal(Object.keys(rejected).length, broken.length);
  for (const [name, sdp] of broken) {
    const checked = checkSdp(sdp, { type: 'offer' });
    assert.ok(!checked.ok, `we accept ${name}`);
    if (rejected[name] !== 'accepted') {
      assert.equal(sdpErrorToException(checked.errors[0]!).name, rejected[name], name);
    }
  }
  assert.equal(rejected['no ice-pwd'], 'InvalidAccessError');
  assert.equal(rejected['bad setup'], 'OperationError');
  assert.equal(rejected['duplicate mid'], 'InvalidAccessError');
});
