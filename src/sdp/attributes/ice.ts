/** ICE attributes (RFC 8839 §5): ice-ufrag, ice-pwd, ice-options, remote-candidates. */

import { ICE_CHARS, isConnectionAddress, parseInteger, parsePort } from '../grammar.js';

/** RFC 8839 §5.4: `ufrag = 4*256ice-char`, `password = 22*256ice-char`. */
export const ICE_UFRAG_LENGTH = { min: 4, max: 256 } as const;
export const ICE_PWD_LENGTH = { min: 22, max: 256 } as const;

/**
 * The value of a=ice-ufrag or a=ice-pwd: ice-chars. Their length limits are checked as
 * content (RFC 9429 §5.8.3), not as syntax.
 */
export function parseIceCredential(value: string | null): string | undefined {
  return value !== null && ICE_CHARS.test(value) ? value : undefined;
}

/**
 * `ice-options:ice-option-tag *(SP ice-option-tag)`, `ice-option-tag = 1*ice-char` (§5.6).
 * Commas are taken as separators too: libdatachannel writes `ice-options:ice2,trickle`,
 * and browsers accept it.
 */
export function parseIceOptions(value: string | null): string[] | undefined {
  if (value === null) return undefined;
  const tags = value.split(/[ ,]/);
  return tags.every((t) => ICE_CHARS.test(t)) ? tags : undefined;
}

export function formatIceOptions(options: readonly string[]): string {
  return options.join(' ');
}

export interface RemoteCandidate {
  component: number;
  address: string;
  port: number;
}

/** `remote-candidates:remote-candidate *(SP remote-candidate)` (§5.2). */
export function parseRemoteCandidates(value: string | null): RemoteCandidate[] | undefined {
  if (value === null) return undefined;
  const f = value.split(' ');
  if (f.length % 3 !== 0) return undefined;
  const out: RemoteCandidate[] = [];
  for (let i = 0; i < f.length; i += 3) {
    const [component, address, port] = [f[i]!, f[i + 1]!, f[i + 2]!];
    const c = parseInteger(component, 256, 3);
    const p = parsePort(port);
    if (!c || p === undefined || !isConnectionAddress(address)) return undefined;
    out.push({ component: c, address, port: p });
  }
  return out;
}
