import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openChromium } from './chromium.js';
import { needsPeer } from './peers.js';

// Browser code runs as a string: the DOM types are not part of our type environment.
const GATHER = `(async () => {
  const pc = new RTCPeerConnection();
  pc.createDataChannel('probe');
  const found = [];
  const done = new Promise((resolve) => {
    pc.onicecandidate = (e) => (e.candidate ? found.push(e.candidate.candidate) : resolve());
  });
  await pc.setLocalDescription();
  await done;
  pc.close();
  return found;
})()`;

test('Chromium starts and gathers host candidates', needsPeer('chromium', 'chromium'), async () => {
  const session = await openChromium();
  try {
    const candidates: string[] = await session.page.evaluate(GATHER);
    assert.ok(
      candidates.some((c) => / typ host /.test(c)),
      candidates.join('\n'),
    );
    assert.ok(!candidates.some((c) => /\.local /.test(c)), 'mDNS hiding is off by default');
  } finally {
    await session.close();
  }
});
