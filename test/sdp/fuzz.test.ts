import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSdp } from '../../src/sdp/parse.js';
import { serializeSdp } from '../../src/sdp/serialize.js';
import { transportOf } from '../../src/sdp/transport.js';
import { checkSdp, validateSdp } from '../../src/sdp/validate.js';
import { fixture, fixtureNames } from './fixtures.js';
import { mutate, prng, random } from './fuzz.js';

/** What the serializer writes for text that parses: CRLF after every line, trailing empty lines gone. */
function canonical(text: string): string {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\r\n')}\r\n`;
}

function exercise(text: string): boolean {
  const r = parseSdp(text);
  if (!r.ok) {
    assert.equal(typeof r.error.line, 'number');
    return false;
  }
  // Lossless: what parses serializes back to the same lines.
  assert.equal(serializeSdp(r.description), canonical(text));
  for (const type of ['offer', 'answer'] as const) {
    for (const e of validateSdp(r.description, { type, offer: r.description })) {
      assert.ok(e.line === undefined || Number.isInteger(e.line));
    }
  }
  for (const m of r.description.media) transportOf(r.description, m);
  return true;
}

test('fuzz: mutated browser descriptions never throw; what parses round-trips', () => {
  const texts = fixtureNames.map(fixture);
  let parsed = 0;
  for (let i = 0; i < 4000; i++) {
    const base = texts[i % texts.length]!;
    // Mutate one line's neighbourhood many times over, so most inputs still parse.
    const at = (i * 7919) % base.length;
    const text = base.slice(0, at) + mutate(base.slice(at, at + 60), i) + base.slice(at + 60);
    if (exercise(text)) parsed++;
  }
  assert.ok(parsed > 400, `only ${parsed} mutated descriptions parsed`);
});

test('fuzz: random text, and random lines after a valid header, never throw', () => {
  const next = prng(7);
  const header = 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n';
  for (let i = 0; i < 3000; i++) {
    exercise(random(next));
    exercise(header + random(next));
    const line = random(next).replace(/[\r\n]/g, '');
    exercise(
      `${header}a=${line}\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=${line}\r\n`,
    );
  }
});

test('fuzz: every attribute line of the fixtures, mutated in place, never throws in validation', () => {
  const base = fixture('chromium-media-offer.sdp');
  const lines = base.split('\r\n');
  let invalid = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('a=')) continue;
    for (let k = 0; k < 6; k++) {
      const copy = [...lines];
      copy[i] = `a=${mutate(lines[i]!.slice(2), i * 31 + k)}`.replace(/[\r\n]/g, '');
      const r = checkSdp(copy.join('\r\n'));
      if (!r.ok) invalid++;
    }
  }
  assert.ok(invalid > 100, `only ${invalid} mutations were caught`);
});

test('a 4 MB description parses without trouble', { timeout: 10_000 }, () => {
  const many = `v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n${'a=x-filler:0123456789\r\n'.repeat(200_000)}`;
  assert.ok(parseSdp(many).ok);
  assert.equal(parseSdp(`${many}garbage`).ok, false);
});
