/** Source-specific media attributes: a=ssrc and a=ssrc-group (RFC 5576 §4.1-4.2). */

import { parseInteger, TOKEN } from '../grammar.js';

export interface SsrcAttribute {
  ssrc: number;
  /** The source attribute, such as `cname` or `msid`. */
  attribute: string;
  value?: string;
}

/** `ssrc:<ssrc-id> <attribute>[:<value>]`. */
export function parseSsrc(value: string | null): SsrcAttribute | undefined {
  if (value === null) return undefined;
  const space = value.indexOf(' ');
  if (space < 0) return undefined;
  const ssrc = parseInteger(value.slice(0, space), 0xffffffff);
  const rest = value.slice(space + 1);
  const colon = rest.indexOf(':');
  const attribute = colon < 0 ? rest : rest.slice(0, colon);
  if (ssrc === undefined || !TOKEN.test(attribute)) return undefined;
  return colon < 0 ? { ssrc, attribute } : { ssrc, attribute, value: rest.slice(colon + 1) };
}

export function formatSsrc(s: SsrcAttribute): string {
  return s.value === undefined ? `${s.ssrc} ${s.attribute}` : `${s.ssrc} ${s.attribute}:${s.value}`;
}

export interface SsrcGroup {
  /** `FID`, `FEC`, `SIM`, ... */
  semantics: string;
  ssrcs: number[];
}

/** `ssrc-group:<semantics> *(SP ssrc-id)`. */
export function parseSsrcGroup(value: string | null): SsrcGroup | undefined {
  if (value === null) return undefined;
  const [semantics, ...ids] = value.split(' ') as [string, ...string[]];
  if (!TOKEN.test(semantics)) return undefined;
  const ssrcs: number[] = [];
  for (const id of ids) {
    const ssrc = parseInteger(id, 0xffffffff);
    if (ssrc === undefined) return undefined;
    ssrcs.push(ssrc);
  }
  return { semantics, ssrcs };
}

export function formatSsrcGroup(g: SsrcGroup): string {
  return [g.semantics, ...g.ssrcs].join(' ');
}
