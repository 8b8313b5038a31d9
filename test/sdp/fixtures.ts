/** The browser session descriptions in ./fixtures (see its README). */
import { readFileSync } from 'node:fs';

const dir = new URL('./fixtures/', import.meta.url);

export function fixture(name: string): string {
  return readFileSync(new URL(name, dir), 'utf8');
}

export const fixtureNames = [
  'chromium-datachannel-offer.sdp',
  'chromium-datachannel-local.sdp',
  'chromium-datachannel-answer.sdp',
  'chromium-media-offer.sdp',
  'chromium-media-offer-simulcast.sdp',
  'chromium-media-answer.sdp',
  'firefox-media-offer.sdp',
  'firefox-datachannel-answer.sdp',
] as const;

/** The `icecandidate` events Chromium fired for chromium-datachannel-offer.sdp. */
export const chromiumCandidates: {
  candidate: string;
  sdpMid: string;
  sdpMLineIndex: number;
  usernameFragment: string;
}[] = JSON.parse(fixture('chromium-candidates.json'));
