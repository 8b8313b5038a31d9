/**
 * The ICE and DTLS parameters of a media description, with the session-level values
 * it inherits when it has none of its own (RFC 8839 §5.4-5.6, RFC 8122 §5, RFC 4145 §4).
 */

import type { Candidate } from '../ice/candidate.js';
import {
  type Fingerprint,
  parseFingerprint,
  parseSetup,
  type SetupRole,
} from './attributes/dtls.js';
import { parseIceCredential, parseIceOptions } from './attributes/ice.js';
import { parseCandidateValue } from './candidate.js';
import {
  type Attribute,
  findAttribute,
  hasAttribute,
  type MediaDescription,
  type SessionDescription,
} from './description.js';

export interface TransportDescription {
  iceUfrag?: string;
  icePwd?: string;
  /** a=ice-lite, a session-level attribute (RFC 8839 §5.3). */
  iceLite: boolean;
  iceOptions: string[];
  fingerprints: Fingerprint[];
  setup?: SetupRole;
  /** The candidates we can use, in order; malformed and unsupported ones are left out. */
  candidates: Candidate[];
  endOfCandidates: boolean;
}

export function transportOf(
  session: SessionDescription,
  media: MediaDescription,
): TransportDescription {
  const levels = [media.attributes, session.attributes];
  const t: TransportDescription = {
    iceLite: hasAttribute(session.attributes, 'ice-lite'),
    iceOptions: first(levels, 'ice-options', parseIceOptions) ?? [],
    fingerprints: [],
    candidates: [],
    endOfCandidates: hasAttribute(media.attributes, 'end-of-candidates'),
  };
  const ufrag = first(levels, 'ice-ufrag', parseIceCredential);
  const pwd = first(levels, 'ice-pwd', parseIceCredential);
  const setup = first(levels, 'setup', parseSetup);
  if (ufrag !== undefined) t.iceUfrag = ufrag;
  if (pwd !== undefined) t.icePwd = pwd;
  if (setup !== undefined) t.setup = setup;
  // Media-level fingerprints replace the session-level ones (RFC 8122 §5).
  for (const attributes of levels) {
    for (const a of attributes) {
      const f = a.name === 'fingerprint' ? parseFingerprint(a.value) : undefined;
      if (f) t.fingerprints.push(f);
    }
    if (t.fingerprints.length > 0) break;
  }
  for (const a of media.attributes) {
    if (a.name !== 'candidate' || a.value === null) continue;
    const r = parseCandidateValue(a.value);
    if (r.ok) t.candidates.push(r.candidate);
  }
  return t;
}

/** The parsed value of the first level (media, then session) that has attribute `name`. */
function first<T>(
  levels: readonly (readonly Attribute[])[],
  name: string,
  parse: (v: string | null) => T | undefined,
): T | undefined {
  for (const attributes of levels) {
    const a = findAttribute(attributes, name);
    if (a) return parse(a.value);
  }
  return undefined;
}
