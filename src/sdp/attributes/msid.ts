/**
 * Media stream identification: a=msid (RFC 8830 §2), and the session-level
 * a=msid-semantic that browsers still write (from the MSID drafts; Chromium writes
 * `a=msid-semantic: WMS <stream ids>`, with a space after the colon).
 */

import { TOKEN } from '../grammar.js';

export interface Msid {
  /** The MediaStream id; `-` when the track belongs to no stream. */
  id: string;
  /** The track id. */
  appdata?: string;
}

const MSID_PART = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]{1,64}$/;

/** `msid:msid-id [SP msid-appdata]`, each `1*64token-char`. */
export function parseMsid(value: string | null): Msid | undefined {
  if (value === null) return undefined;
  const [id, appdata, extra] = value.split(' ');
  if (extra !== undefined || !id || !MSID_PART.test(id)) return undefined;
  if (appdata === undefined) return { id };
  return MSID_PART.test(appdata) ? { id, appdata } : undefined;
}

export function formatMsid(m: Msid): string {
  return m.appdata === undefined ? m.id : `${m.id} ${m.appdata}`;
}

export interface MsidSemantic {
  /** `WMS`. */
  semantic: string;
  /** Stream ids, or `*` for all of them. */
  ids: string[];
}

export function parseMsidSemantic(value: string | null): MsidSemantic | undefined {
  if (value === null) return undefined;
  const [semantic, ...ids] = value.trimStart().split(' ') as [string, ...string[]];
  if (!TOKEN.test(semantic) || !ids.every((id) => TOKEN.test(id))) return undefined;
  return { semantic, ids };
}

/** As Chromium writes it, a space before the semantic: `a=msid-semantic: WMS`. */
export function formatMsidSemantic(m: MsidSemantic): string {
  return ` ${[m.semantic, ...m.ids].join(' ')}`;
}
