/** Media direction attributes (RFC 3264 §5.1, RFC 8866 §6.7). */

import type { Attribute } from '../description.js';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export const directions: ReadonlySet<string> = new Set<Direction>([
  'sendrecv',
  'sendonly',
  'recvonly',
  'inactive',
]);

/** The direction attribute among `attributes`, or undefined when there is none. */
export function findDirection(attributes: readonly Attribute[]): Direction | undefined {
  for (const a of attributes)
    if (a.value === null && directions.has(a.name)) return a.name as Direction;
  return undefined;
}

/** A media description's direction: its own, else the session's, else sendrecv (RFC 3264 §5.1). */
export function effectiveDirection(
  session: readonly Attribute[],
  media: readonly Attribute[],
): Direction {
  return findDirection(media) ?? findDirection(session) ?? 'sendrecv';
}
