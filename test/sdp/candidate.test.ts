import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Candidate } from '../../src/ice/candidate.js';
import {
  candidateExtension,
  formatCandidate,
  formatCandidateValue,
  parseCandidate,
} from '../../src/sdp/candidate.js';
import { chromiumCandidates } from './fixtures.js';
import { mutate, prng, random } from './fuzz.js';

function parse(s: string): Candidate {
  const r = parseCandidate(s);
  if (!r.ok) assert.fail(`${s}: ${r.error}`);
  return r.candidate;
}

/** Lines as Chromium writes them: parsing and formatting gives each back unchanged. */
const chromiumLines = [
  ...chromiumCandidates.map((c) => c.candidate),
  'candidate:1905690388 1 udp 2113937151 192.168.0.1 58041 typ host generation 0 ufrag thC8 network-cost 50',
  'candidate:842163049 1 udp 1677729535 186.50.9.10 52200 typ srflx raddr 0.0.0.0 rport 0 generation 0 network-cost 999',
  'candidate:1560499547 1 udp 2113937151 2cf0b2c0-0842-4fe3-aaa0-4556a2dfbadc.local 33192 typ host generation 0 network-cost 999',
  'candidate:750991856 2 udp 25108222 237.30.30.30 51472 typ relay raddr 47.61.61.61 rport 54763 generation 0',
  'candidate:750991856 2 udp 25108222 237.30.30.30 51472 typ prflx raddr 47.61.61.61 rport 54763 generation 0',
  'candidate:1853887674 1 udp 1518280447 47.61.61.61 36768 typ srflx raddr 192.168.0.196 rport 36768 generation 0',
  'candidate:3 1 udp 2122262783 fe80::1c2b:3aff:fe4d:5e6f 54401 typ host',
  'candidate:4234997325 1 udp 41885439 2001:db8::1 3478 typ relay raddr 2001:db8::2 rport 56143 generation 0 ufrag Ab+/ network-id 3 network-cost 10',
  'candidate:1 1 tcp 1518149375 192.168.1.2 50000 typ host tcptype passive generation 0',
  'candidate:2 1 tcp 1518149375 192.168.1.2 50001 typ host tcptype so',
];

test('Chromium candidate lines round-trip exactly', () => {
  for (const line of chromiumLines) assert.equal(formatCandidate(parse(line)), line);
});

test('the fields of a Chromium host candidate, extensions in order', () => {
  assert.deepEqual(parse(chromiumCandidates[2]!.candidate), {
    foundation: '2727741504',
    component: 1,
    protocol: 'tcp',
    priority: 1518214911,
    address: '192.0.2.2',
    port: 9,
    type: 'host',
    tcpType: 'active',
    extensions: [
      ['generation', '0'],
      ['ufrag', 'Akne'],
      ['network-id', '1'],
    ],
  });
  const c = parse(chromiumCandidates[0]!.candidate);
  assert.equal(candidateExtension(c, 'ufrag'), 'Akne');
  assert.equal(candidateExtension(c, 'network-cost'), undefined);
});

test('the a= form, a trailing CR, raddr/rport, an FQDN related address', () => {
  const c = parse(
    'a=candidate:435653019 2 tcp 1845501695 192.168.0.196 4444 typ srflx raddr www.example.com rport 22222 tcptype active\r',
  );
  assert.equal(c.component, 2);
  assert.equal(c.type, 'srflx');
  assert.equal(c.relatedAddress, 'www.example.com');
  assert.equal(c.relatedPort, 22222);
  assert.equal(c.tcpType, 'active');
  assert.equal(c.extensions, undefined);
});

test('Firefox lines (uppercase transport) parse, and format the way Chromium writes', () => {
  const firefox: [string, string][] = [
    [
      'candidate:0 1 UDP 2122252543 10.10.10.113 34052 typ host',
      'candidate:0 1 udp 2122252543 10.10.10.113 34052 typ host',
    ],
    [
      'candidate:1 1 UDP 1686052863 191.36.15.105 34052 typ srflx raddr 10.10.10.113 rport 34052',
      'candidate:1 1 udp 1686052863 191.36.15.105 34052 typ srflx raddr 10.10.10.113 rport 34052',
    ],
    [
      'candidate:12 1 TCP 2105524479 10.10.10.113 9 typ host tcptype active',
      'candidate:12 1 tcp 2105524479 10.10.10.113 9 typ host tcptype active',
    ],
    [
      'candidate:48 1 TCP 843055359 187.180.171.0 53315 typ srflx raddr 192.168.72.123 rport 53315 tcptype passive',
      'candidate:48 1 tcp 843055359 187.180.171.0 53315 typ srflx raddr 192.168.72.123 rport 53315 tcptype passive',
    ],
    [
      'candidate:0 1 UDP 2122252543 a2d23828-ed4d-4d30-8685-a11a6505fcc2.local 57627 typ host',
      'candidate:0 1 udp 2122252543 a2d23828-ed4d-4d30-8685-a11a6505fcc2.local 57627 typ host',
    ],
    // RFC 8839 §5.1 examples.
    [
      'candidate:1 1 UDP 2130706431 203.0.113.141 8998 typ host',
      'candidate:1 1 udp 2130706431 203.0.113.141 8998 typ host',
    ],
    [
      'candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 203.0.113.141 rport 8998',
      'candidate:2 1 udp 1694498815 192.0.2.3 45664 typ srflx raddr 203.0.113.141 rport 8998',
    ],
  ];
  for (const [line, chromium] of firefox) assert.equal(formatCandidate(parse(line)), chromium);
});

test('formatCandidateValue leaves out a named extension, as SDP does for ufrag', () => {
  const c = parse(chromiumCandidates[0]!.candidate);
  assert.equal(
    formatCandidateValue(c, 'ufrag'),
    '1547492564 1 udp 2122194687 192.0.2.2 34006 typ host generation 0 network-id 1',
  );
});

test('malformed candidates are errors, not exceptions', () => {
  const bad = [
    '',
    'candidate:',
    'candidate: 1 udp 1 1.2.3.4 1 typ host',
    'candidate:1 1 udp 1 1.2.3.4 1 typ',
    'candidate:1 1 udp 1 1.2.3.4 1 type host',
    'candidate:1  1 udp 1 1.2.3.4 1 typ host',
    'cand:1 1 udp 1 1.2.3.4 1 typ host',
    `candidate:${'a'.repeat(33)} 1 udp 1 1.2.3.4 1 typ host`,
    'candidate:a-b 1 udp 1 1.2.3.4 1 typ host',
    'candidate:1 0 udp 1 1.2.3.4 1 typ host',
    'candidate:1 257 udp 1 1.2.3.4 1 typ host',
    'candidate:1 1x udp 1 1.2.3.4 1 typ host',
    'candidate:1 1 udp 4294967296 1.2.3.4 1 typ host',
    'candidate:1 1 udp -1 1.2.3.4 1 typ host',
    'candidate:1 1 udp 1 1.2.3.4 65536 typ host',
    'candidate:1 1 udp 1 1.2.3.4 port typ host',
    'candidate:1 1 udp 1 <script> 1 typ host',
    'candidate:1 1 udp 1 1.2.3.4 1 typ host generation',
    'candidate:1 1 udp 1 1.2.3.4 1 typ srflx raddr 1.2.3.4 rport 70000',
    'candidate:1 1 udp 1 1.2.3.4 1 typ srflx raddr not/an/address rport 1',
    'candidate:1 1 udp 1 1.2.3.4 1 typ srflx raddr 1.2.3.4 raddr 1.2.3.5',
    'candidate:1 1 tcp 1 1.2.3.4 1 typ host tcptype sideways',
    'candidate:1 1 udp 1 1.2.3.4 1 typ host bad/name 1',
    'candidate:1 1 u(p 1 1.2.3.4 1 typ host',
    '<arbitrary string[0] content>;',
  ];
  for (const s of bad) {
    const r = parseCandidate(s);
    assert.equal(r.ok, false, s);
    assert.equal(r.ok || r.unsupported, undefined, s);
  }
  assert.equal(parseCandidate(null as never).ok, false);
  assert.equal(parseCandidate({} as never).ok, false);
});

test('a transport or type outside the model follows the grammar but is unsupported', () => {
  for (const s of [
    'candidate:1 1 ssltcp 2113937151 1.2.3.4 443 typ host',
    'candidate:1 1 udp 2113937151 1.2.3.4 443 typ nat64',
  ]) {
    const r = parseCandidate(s);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.unsupported, true, s);
  }
});

test('fuzz: random and mutated candidate lines never throw, and what parses formats back to a parseable line', () => {
  const next = prng(1);
  const seeds = [...chromiumLines, 'candidate:0 1 UDP 2122252543 10.10.10.113 34052 typ host'];
  for (let i = 0; i < 20000; i++) {
    const input = i % 4 === 0 ? random(next) : mutate(seeds[i % seeds.length]!, i);
    const r = parseCandidate(input);
    if (r.ok) assert.equal(parseCandidate(formatCandidate(r.candidate)).ok, true, input);
  }
});
