/** RTP header extension mapping, a=extmap (RFC 8285 §7). a=extmap-allow-mixed (§6) has no value. */

import type { Direction } from './direction.js';
import { directions } from './direction.js';

export interface ExtMap {
  /** 1-14 for one-byte headers, 1-255 for two-byte, 4096-4351 while negotiating. */
  id: number;
  direction?: Direction;
  uri: string;
  /** Extension attributes after the URI, as text. */
  attributes?: string;
}

/** `extmap:<value>["/"<direction>] <URI> <extension attributes>`. */
export function parseExtMap(value: string | null): ExtMap | undefined {
  const m = value === null ? null : /^([0-9]{1,5})(?:\/([a-z]+))? ([^ ]+)(?: (.+))?$/.exec(value);
  if (!m) return undefined;
  const id = Number(m[1]);
  if (id < 1 || (id > 255 && (id < 4096 || id > 4351))) return undefined;
  if (m[2] !== undefined && !directions.has(m[2])) return undefined;
  const ext: ExtMap = { id, uri: m[3]! };
  if (m[2] !== undefined) ext.direction = m[2] as Direction;
  if (m[4] !== undefined) ext.attributes = m[4];
  return ext;
}

export function formatExtMap(e: ExtMap): string {
  const dir = e.direction === undefined ? '' : `/${e.direction}`;
  const attrs = e.attributes === undefined ? '' : ` ${e.attributes}`;
  return `${e.id}${dir} ${e.uri}${attrs}`;
}
