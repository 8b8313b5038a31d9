/**
 * Size in session descriptions: parsing and validation cost grows linearly with the text,
 * applying an offer with many m= sections costs the same per section, and candidates
 * beyond the ICE agent's limit (100 per generation) are dropped rather than paired.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseSdp } from '../../src/sdp/parse.js';
import { validateSdp } from '../../src/sdp/validate.js';
import { pc } from '../webrtc/pc-helpers.js';
import { memoryInUse } from './memory.js';

const FIXTURES = new URL('../sdp/fixtures/', import.meta.url);
const offer = readFileSync(new URL('chromium-datachannel-offer.sdp', FIXTURES), 'utf8');
const media = readFileSync(new URL('chromium-media-offer.sdp', FIXTURES), 'utf8');

/** Milliseconds per call, the best of a few runs, each after a full garbage collection. */
function time(work: () => void, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    memoryInUse();
    const t0 = performance.now();
    work();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

test('parsing and validating cost grows linearly with the number of lines', () => {
  const withLines = (n: number) =>
    offer.replace(
      'a=mid:0\r\n',
      `a=mid:0\r\n${'a=x-unknown-attribute:some value here\r\n'.repeat(n)}`,
    );
  const exercise = (text: string) => () => {
    const r = parseSdp(text);
    assert.ok(r.ok);
    validateSdp(r.description, { type: 'offer' });
  };
  const small = withLines(25_000);
  const large = withLines(250_000);
  exercise(small)(); // warm-up
  const ratio = time(exercise(large)) / time(exercise(small));
  assert.ok(ratio < 25, `10 times the lines took ${ratio.toFixed(1)} times as long`);
});

function offerWithSections(n: number): string {
  const [head, ...sections] = media.split(/(?=^m=)/m);
  const audio = sections.find((s) => s.startsWith('m=audio'))!;
  const all = Array.from({ length: n }, (_, i) =>
    audio.replace(/a=mid:\S+/, `a=mid:${i}`).replace(/a=msid:\S+ \S+/, `a=msid:s${i} t${i}`),
  );
  const bundle = `a=group:BUNDLE ${Array.from({ length: n }, (_, i) => i).join(' ')}`;
  return head!.replace(/a=group:BUNDLE[^\r\n]*/, bundle) + all.join('');
}

test('an offer with many m= sections costs the same per section to apply and answer', async (t) => {
  const apply = async (n: number) => {
    const connection = pc(t);
    const t0 = performance.now();
    await connection.setRemoteDescription({ type: 'offer', sdp: offerWithSections(n) });
    await connection.setLocalDescription();
    const ms = performance.now() - t0;
    assert.equal(connection.getTransceivers().length, n);
    connection.close();
    return ms;
  };
  await apply(20); // warm-up
  const few = Math.min(await apply(40), await apply(40));
  const many = Math.min(await apply(320), await apply(320));
  assert.ok(many / few < 20, `8 times the sections took ${(many / few).toFixed(1)} times as long`);
});

test('candidates beyond the limit are dropped, not paired', async (t) => {
  const connection = pc(t);
  const lines = Array.from(
    { length: 3000 },
    (_, i) =>
      `a=candidate:${i} 1 udp ${2122260223 - i} 10.${(i >> 8) & 255}.${i & 255}.9 ${10000 + i} typ host\r\n`,
  ).join('');
  const sdp = offer.replace('a=mid:0\r\n', `a=mid:0\r\n${lines}`);
  await connection.setRemoteDescription({ type: 'offer', sdp });
  await connection.setLocalDescription();
  let remote = 0;
  let pairs = 0;
  for (const s of (await connection.getStats()).values()) {
    if (s.type === 'remote-candidate') remote++;
    if (s.type === 'candidate-pair') pairs++;
  }
  assert.ok(remote <= 100, `${remote} remote candidates kept`);
  assert.ok(pairs <= 100, `${pairs} candidate pairs`);
});
